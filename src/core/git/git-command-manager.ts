/**
 * The only place that runs git. Every call goes through `git()` below, which
 * pins a hardened environment:
 * - no prompts (a missing credential fails at once instead of hanging);
 * - no system or global config (a runner's `insteadOf`, credential helpers or
 *   filters must not change what we fetch), no hooks, no submodules, no LFS
 *   smudge (git-lfs runs only `git lfs version` and an offline `git lfs
 *   checkout` of objects our own client fetched and verified, see lfs.ts);
 * - a transport allow-list (GIT_ALLOW_PROTOCOL), so even a URL that slipped
 *   past validation cannot reach `ext::` or a local path;
 * - the token, if any, as an `http.<origin>/.extraheader` given to git in its
 *   environment (GIT_CONFIG_COUNT/KEY/VALUE) — never in argv, a URL, the
 *   repository's config or any file, so nothing secret is left on disk even
 *   when the packager is killed without a chance to clean up;
 * - no HTTP redirects (`http.followRedirects=false`): git applies the header
 *   to every request of the remote, including those sent to wherever a
 *   redirect led (the origin scoping only compares the configured URL), and a
 *   redirect would also leave the address checked and pinned for the remote
 *   (`http.curloptResolve`, see net/git-address.ts). So the code comes from
 *   `git_url` and nowhere else, which is what job.json records.
 * Before any of that is used, `create` checks that this git is new enough for
 * the flags below (once per git binary per process).
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import * as io from '@actions/io'
import { GitError } from '../errors.js'
import type { Logger } from '../logger.js'
import { runProcess, type ProcessOptions, type ProcessResult } from '../process.js'
import { describeValue, type Redactor } from '../redact.js'
import type { GitProtocol, GitSource } from '../spec.js'
import { FetchProgress, withoutProgress } from './fetch-progress.js'

/** One blob of a commit's tree. */
export interface TreeBlob {
  mode: string
  size: number
  path: string
}

export interface GitSettings {
  source: GitSource
  allowProtocols: ReadonlySet<GitProtocol>
  token?: string
  /** Seconds below 1 byte/s after which git gives up on a stalled transfer. */
  stallSeconds: number
  /** Most bytes the fetches sharing this budget may receive together, and the error that stops one beyond that. */
  fetchBudget?: FetchBudget
  /** What progress updates call this repository ("code", "code/lib/x" for a submodule). */
  progressLabel?: string
  /** `http.curloptResolve` entry pinning the remote's checked addresses (net/git-address.ts). */
  resolve?: string
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
}

/**
 * The bytes every fetch of one job may receive together: the repository's
 * and each submodule's fetches add what they received to `spent`, and a fetch
 * is stopped as soon as `spent` plus its own bytes go over `bytes`.
 */
export interface FetchBudget {
  readonly bytes: number
  spent: number
  exceeded: () => Error
}

/** A gitlink of a tree: a submodule's path and the commit the superproject records for it. */
export interface Gitlink {
  path: string
  commit: string
}

/** One `submodule.<name>.*` section of a `.gitmodules` file, as written. */
export interface GitmodulesEntry {
  name: string
  path?: string
  url?: string
}

/** Options every git invocation gets, whatever the repository's or machine's config says. */
const HARDENING = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.autocrlf=false',
  'core.symlinks=true',
  'submodule.recurse=false',
  'fetch.recurseSubmodules=false',
  'protocol.version=2',
  'gc.auto=0',
  'maintenance.auto=false',
  'advice.detachedHead=false',
  'init.defaultBranch=main',
  'http.lowSpeedLimit=1',
  'http.followRedirects=false',
  // Every pack through index-pack, which reports the bytes received as they come (the fetch budget reads them); unpack-objects, used for small packs, does not.
  'fetch.unpackLimit=1'
]

/** The oldest git with every flag used here: `init --object-format` and `fetch --no-write-fetch-head` arrived in 2.29. */
const MIN_GIT = { major: 2, minor: 29 }
const MIN_GIT_TEXT = `git ${MIN_GIT.major}.${MIN_GIT.minor} or newer`

/** `git version` output per git binary, kept for the process: several checkouts in one run ask once. */
const gitVersions = new Map<string, string>()

export class GitCommandManager {
  private constructor(
    private readonly gitPath: string,
    private readonly workDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly settings: GitSettings
  ) {}

  /** Prepares git for one checkout into `workDir` (which must exist). */
  static async create(workDir: string, settings: GitSettings): Promise<GitCommandManager> {
    let gitPath: string
    try {
      gitPath = await io.which('git', true)
    } catch {
      throw new GitError(`git was not found on PATH. Install ${MIN_GIT_TEXT} on the runner.`)
    }
    const env: NodeJS.ProcessEnv = {
      ...passThroughEnv(),
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GCM_INTERACTIVE: 'never',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GIT_CONFIG_NOSYSTEM: '1',
      // git maps /dev/null to NUL on Windows too.
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_ALLOW_PROTOCOL: [...settings.allowProtocols].join(':'),
      GIT_LFS_SKIP_SMUDGE: '1',
      GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
      GIT_NO_REPLACE_OBJECTS: '1',
      GIT_HTTP_LOW_SPEED_TIME: String(settings.stallSeconds)
    }
    const config: Array<[string, string]> = []
    if (settings.resolve) config.push(['http.curloptResolve', settings.resolve])
    if (settings.token && settings.source.origin) {
      settings.redactor.add(settings.token)
      const header = Buffer.from(`x-access-token:${settings.token}`).toString('base64')
      // Scoped to the repository's origin, and only ever sent there: git follows no redirect (HARDENING).
      config.push([`http.${settings.source.origin}/.extraheader`, `AUTHORIZATION: basic ${header}`])
    }
    // In the environment rather than `-c`: argv is visible to every user of the machine, a process's environment only to its owner.
    if (config.length) {
      env.GIT_CONFIG_COUNT = String(config.length)
      config.forEach(([key, value], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = key
        env[`GIT_CONFIG_VALUE_${i}`] = value
      })
    }
    const manager = new GitCommandManager(gitPath, workDir, env, settings)
    await manager.requireSupportedVersion()
    return manager
  }

  /** Fails with a GitError naming the version and path when this git is too old for the flags used here. */
  private async requireSupportedVersion(): Promise<void> {
    let output = gitVersions.get(this.gitPath)
    if (output === undefined) {
      // Through the hardened runner like every other call; only a completed run is kept, never a spawn failure or an abort.
      output = (await this.run(['version'])).stdout
      gitVersions.set(this.gitPath, output)
    }
    const version = checkGitVersion(output, this.gitPath)
    // Older gits ignore the key: the address was still checked, but git resolves the name again itself.
    if (this.settings.resolve && (version.major < 2 || (version.major === 2 && version.minor < 37)))
      this.settings.logger.warn(
        `git ${version.major}.${version.minor} cannot be told which address to connect to (http.curloptResolve needs git 2.37): the repository's host was checked, but git looks it up again itself.`
      )
  }

  /**
   * `git init` + `remote add`. A SHA-256 remote needs a SHA-256 repository
   * before the first fetch, so the object format is chosen up front (from the
   * commit's length, or from ls-remote for a short SHA); re-initialising is
   * allowed for that reason.
   */
  async init(objectFormat: 'sha1' | 'sha256' = 'sha1'): Promise<void> {
    await rm(path.join(this.workDir, '.git'), { recursive: true, force: true })
    await this.run(['init', '--quiet', `--object-format=${objectFormat}`, '.'])
    await this.run(['remote', 'add', 'origin', '--', this.settings.source.url])
  }

  /** `git fetch` of one commit, one level deep. Returns the result; the caller decides what a failure means. */
  fetchCommit(sha: string): Promise<ProcessResult> {
    return this.fetch(['--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', '--depth=1', 'origin', sha])
  }

  /** Fetches every branch and tag with full history: the fallback for servers that refuse unadvertised SHAs. */
  fetchAll(): Promise<ProcessResult> {
    return this.fetch(['--no-recurse-submodules', '--no-write-fetch-head', '--tags', 'origin', '+refs/heads/*:refs/remotes/origin/*'])
  }

  /**
   * `git fetch`, with git's progress read as it comes: for progress updates
   * when the logger shows them, and for the bytes received, which stop the
   * fetch once over the budget (its error is thrown). The result's stderr
   * never holds progress, so a failure reads the same with it or without.
   */
  private async fetch(args: string[]): Promise<ProcessResult> {
    const budget = this.settings.fetchBudget
    if (!this.settings.logger.progress && !budget) return this.git(['fetch', ...args])
    const stop = new AbortController()
    const before = budget?.spent ?? 0
    let received = 0
    const progress = new FetchProgress(this.settings.logger, this.settings.progressLabel ?? 'code', (bytes) => {
      received = Math.max(received, bytes)
      if (budget && before + bytes > budget.bytes && !stop.signal.aborted) stop.abort(budget.exceeded())
    })
    let ok = false
    try {
      const result = await this.git(['fetch', '--progress', ...args], { onStderr: (text) => progress.push(text), stop: stop.signal })
      ok = result.code === 0
      return { ...result, stderr: withoutProgress(result.stderr) }
    } finally {
      progress.end(ok)
      if (budget) budget.spent = before + received
    }
  }

  /** `ls-remote` of heads and tags: lets a short SHA that is a branch or tag tip resolve without history. */
  async lsRemote(): Promise<Array<{ sha: string; ref: string }>> {
    const result = await this.run(['ls-remote', '--heads', '--tags', 'origin'])
    return result.stdout
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((parts): parts is [string, string] => parts.length === 2)
      .map(([sha, ref]) => ({ sha, ref }))
  }

  /** All commits in the local object store whose id starts with `prefix`. */
  async commitsWithPrefix(prefix: string): Promise<string[]> {
    const result = await this.git(['rev-parse', '--disambiguate=' + prefix])
    const candidates = result.code === 0 ? result.stdout.split('\n').filter(Boolean) : []
    const commits: string[] = []
    for (const sha of candidates) {
      const type = await this.git(['cat-file', '-t', sha])
      if (type.stdout.trim() === 'commit') commits.push(sha)
    }
    return commits
  }

  async hasCommit(sha: string): Promise<boolean> {
    const result = await this.git(['cat-file', '-e', `${sha}^{commit}`])
    return result.code === 0
  }

  /**
   * Size and file count of the commit's tree, read before anything is written
   * to the work tree. git's listing is parsed as it streams, all of it (a
   * tree's big entries may come first and thousands of small ones after), and
   * `over` is asked after each entry: when it returns an error, git is
   * stopped at once and that error is thrown. The tree's gitlinks (mode
   * 160000: submodules) are collected on the way; each counts as one entry.
   */
  async treeSize(
    sha: string,
    over: (size: { files: number; bytes: number }) => Error | undefined
  ): Promise<{ files: number; bytes: number; gitlinks: Gitlink[] }> {
    const size = { files: 0, bytes: 0 }
    const gitlinks: Gitlink[] = []
    const stop = new AbortController()
    let partial = ''
    const onStdout = (chunk: string): void => {
      if (stop.signal.aborted) return
      const records = (partial + chunk).split('\0')
      partial = records.pop() ?? ''
      for (const record of records) {
        // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
        const tab = record.indexOf('\t')
        const meta = record.slice(0, tab).trim().split(/\s+/)
        if (meta[0] === '160000' && meta[2]) gitlinks.push({ path: record.slice(tab + 1), commit: meta[2] })
        size.files++
        const bytes = Number(meta[3])
        if (Number.isFinite(bytes)) size.bytes += bytes
        const error = over(size)
        if (error) {
          stop.abort(error)
          return
        }
      }
    }
    const args = ['ls-tree', '-r', '-l', '-z', '--full-tree', sha]
    const result = await this.git(args, { onStdout, stop: stop.signal })
    if (result.code !== 0) throw new GitError(`git ls-tree failed: ${this.describeFailure(result)}`)
    return { ...size, gitlinks }
  }

  /**
   * The `submodule.*` sections of the commit's `.gitmodules`, read from the
   * object store (never from the work tree, where it could be a link), by
   * git's own config parser, without following `include` directives. No
   * `.gitmodules` blob: none. A file git cannot parse is a GitError.
   */
  async gitmodules(sha: string): Promise<GitmodulesEntry[]> {
    const blob = `${sha}:.gitmodules`
    const type = await this.git(['cat-file', '-t', blob])
    if (type.code !== 0 || type.stdout.trim() !== 'blob') return []
    const result = await this.git(['config', '--no-includes', '--blob', blob, '--null', '--list'])
    if (result.code !== 0) throw new GitError(`.gitmodules could not be read: ${this.describeFailure(result)}`)
    const entries = new Map<string, GitmodulesEntry>()
    // Each record is "key\nvalue\0" (no "\nvalue" for a key without one); the key is section.subsection.variable,
    // section and variable in lower case, the subsection (the submodule's name) as written, dots included.
    for (const record of result.stdout.split('\0')) {
      const newline = record.indexOf('\n')
      const key = newline < 0 ? record : record.slice(0, newline)
      const value = newline < 0 ? undefined : record.slice(newline + 1)
      const m = /^submodule\.(.+)\.([a-z0-9-]+)$/s.exec(key)
      if (!m || value === undefined) continue
      const [, name = '', variable] = m
      const entry = entries.get(name) ?? { name }
      if (variable === 'path') entry.path = value
      if (variable === 'url') entry.url = value
      entries.set(name, entry)
    }
    return [...entries.values()]
  }

  /** Every blob of the commit's tree with its mode, size and path (`ls-tree -r -l`); for LFS pointer detection. */
  async treeBlobs(sha: string): Promise<TreeBlob[]> {
    const result = await this.run(['ls-tree', '-r', '-l', '-z', '--full-tree', sha])
    const blobs: TreeBlob[] = []
    for (const record of result.stdout.split('\0')) {
      const tab = record.indexOf('\t')
      if (tab < 0) continue
      const [mode = '', type, , size] = record.slice(0, tab).trim().split(/\s+/)
      if (type === 'blob') blobs.push({ mode, size: Number(size), path: record.slice(tab + 1) })
    }
    return blobs
  }

  /**
   * The value of one attribute (e.g. `filter`) for each path, as the checked-out
   * `.gitattributes` files set it. Paths go on the command line in batches
   * (after `--`): they are not secret, and this git has no `--source` yet.
   */
  async attribute(name: string, paths: readonly string[]): Promise<Map<string, string>> {
    const values = new Map<string, string>()
    for (let i = 0; i < paths.length; i += 500) {
      const result = await this.run(['check-attr', '-z', name, '--', ...paths.slice(i, i + 500)])
      const fields = result.stdout.split('\0')
      for (let f = 0; f + 2 < fields.length; f += 3) values.set(fields[f]!, fields[f + 2]!)
    }
    return values
  }

  /**
   * One key of a config file committed in the tree (`.lfsconfig`), read from
   * the blob rather than the work tree, where it could be a symlink to any
   * file of the machine; includes are not followed.
   */
  async configFromCommit(sha: string, file: string, key: string): Promise<string | undefined> {
    const result = await this.git(['config', '--blob', `${sha}:${file}`, '--get', key])
    if (result.code === 1) return undefined
    if (result.code !== 0) throw new GitError(`Could not read ${key} from ${file}: ${this.describeFailure(result)}`)
    return result.stdout.trim()
  }

  /** Writes these paths of `sha` into the work tree again, as committed (literal pathspecs, no filter). */
  async restorePaths(sha: string, paths: readonly string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += 500)
      await this.run(['checkout', '--quiet', '--force', sha, '--', ...paths.slice(i, i + 500).map((p) => `:(literal)${p}`)])
  }

  /** `git lfs version`; a GitError saying what to install when git-lfs is not there. */
  async lfsVersion(why: string): Promise<string> {
    const result = await this.git(['lfs', 'version'])
    if (result.code !== 0 || !/^git-lfs\//.test(result.stdout))
      throw new GitError(
        `git-lfs is needed (${why}) but \`git lfs\` does not run on this machine (${this.describeFailure(result)}). Install git-lfs on the runner (Debian/Ubuntu: the git-lfs package), or set lfs to false to package the pointer files.`
      )
    return result.stdout.trim()
  }

  /** Where git-lfs keeps objects: `.git/lfs/objects/<oid[0:2]>/<oid[2:4]>/<oid>`. */
  lfsObjectPath(oid: string): string {
    return path.join(this.workDir, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid)
  }

  /**
   * `git lfs checkout`: replaces pointer files in the work tree with the
   * objects already in `.git/lfs/objects`. It never touches the network (the
   * objects were fetched and verified by lfs-transfer.ts). The filter driver
   * is configured for this one call only: `git checkout` itself must never
   * run a filter.
   */
  async lfsCheckout(): Promise<void> {
    const filter = [
      'filter.lfs.process=git-lfs filter-process',
      'filter.lfs.smudge=git-lfs smudge -- %f',
      'filter.lfs.clean=git-lfs clean -- %f',
      'filter.lfs.required=true'
    ].flatMap((c) => ['-c', c])
    const result = await this.git([...filter, 'lfs', 'checkout'])
    if (result.code !== 0) throw new GitError(`git lfs checkout failed: ${this.describeFailure(result)}`)
  }

  async checkout(sha: string): Promise<void> {
    await this.run(['checkout', '--quiet', '--force', '--detach', sha])
  }

  async headCommit(): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'])).stdout.trim()
  }

  /** Committer time of HEAD, in seconds since the epoch. */
  async headCommitTime(): Promise<number> {
    return Number((await this.run(['show', '-s', '--format=%ct', 'HEAD'])).stdout.trim())
  }

  /** Runs git; a non-zero exit becomes a GitError with git's (redacted) message. */
  async run(args: string[]): Promise<ProcessResult> {
    const result = await this.git(args)
    if (result.code !== 0) throw new GitError(`git ${args[0]} failed: ${this.describeFailure(result)}`)
    return result
  }

  /** git's last meaningful lines, redacted, for an error message. */
  describeFailure(result: ProcessResult): string {
    const lines = result.stderr
      .split(/\r?\n|\r/)
      .map((l) => l.trim())
      .filter((l) => l && !/^(remote: )?(Counting|Compressing|Enumerating|Receiving|Resolving|Total|Unpacking)/.test(l))
    return this.settings.redactor.apply(lines.slice(-4).join(' / ') || `exit code ${result.code}`)
  }

  /**
   * Runs git and returns its result whatever the exit code. `stop` ends it
   * early (its reason, a JobPackagerError, is thrown), like the run's signal.
   */
  async git(args: string[], options: Pick<ProcessOptions, 'onStderr' | 'onStdout'> & { stop?: AbortSignal } = {}): Promise<ProcessResult> {
    const argv = HARDENING.flatMap((c) => ['-c', c]).concat(args)
    this.settings.logger.debug(`git ${this.settings.redactor.apply(args.join(' '))}`)
    const { stop, ...callbacks } = options
    const signals = [this.settings.signal, stop].filter((s): s is AbortSignal => s !== undefined)
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0]
    try {
      return await runProcess(this.gitPath, argv, { ...callbacks, cwd: this.workDir, env: this.env, signal })
    } catch (err) {
      if (signal?.aborted) throw err
      throw new GitError(`could not run git: ${(err as Error).message}`, { cause: err })
    }
  }
}

/**
 * Throws a GitError unless `output` (what `git version` printed) names a git
 * at least MIN_GIT. Vendor suffixes such as "2.39.5.windows.1" or
 * "2.39.5 (Apple Git-154)" are fine; output that is not "git version X.Y…" is
 * refused rather than assumed new enough.
 */
export function checkGitVersion(output: string, gitPath: string): { major: number; minor: number } {
  const firstLine = output.trim().split(/\r?\n/)[0] ?? ''
  const printed = /^git version (\S+)/.exec(firstLine)?.[1]
  const numbers = printed === undefined ? null : /^(\d{1,6})\.(\d{1,6})(?:\D|$)/.exec(printed)
  if (!printed || !numbers)
    throw new GitError(
      `Could not tell which version ${gitPath} is: "git version" printed ${describeValue(firstLine, 80)}. job-packager needs ${MIN_GIT_TEXT}.`
    )
  const major = Number(numbers[1])
  const minor = Number(numbers[2])
  if (major < MIN_GIT.major || (major === MIN_GIT.major && minor < MIN_GIT.minor))
    throw new GitError(
      `git ${printed} (${gitPath}) is too old: job-packager needs ${MIN_GIT_TEXT} (for init --object-format and fetch --no-write-fetch-head). Install a newer git on the runner, or put one first on PATH.`
    )
  return { major, minor }
}

/**
 * The parts of our environment git needs (PATH, HOME for ssh, proxies, CA
 * bundles), and nothing of the caller's other GIT_* variables, which could
 * point git at another directory, config or helper — or, like GIT_TRACE_CURL,
 * print the auth header.
 */
function passThroughEnv(): NodeJS.ProcessEnv {
  const keep =
    /^(PATH|HOME|USER|TMPDIR|LANG|SSL_CERT_FILE|SSL_CERT_DIR|GIT_SSL_CAINFO|GIT_SSL_CAPATH|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|SSH_AUTH_SOCK)$/
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => keep.test(k)))
}
