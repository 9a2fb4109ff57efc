/**
 * The only place that runs git. Every call goes through `git()` below, which
 * pins a hardened environment:
 * - no prompts (a missing credential fails at once instead of hanging);
 * - no system or global config (a runner's `insteadOf`, credential helpers or
 *   filters must not change what we fetch), no hooks, no submodules, no LFS;
 * - a transport allow-list (GIT_ALLOW_PROTOCOL), so even a URL that slipped
 *   past validation cannot reach `ext::` or a local path;
 * - the token, if any, as an `http.<origin>.extraheader` in a 0600 config file
 *   outside the work tree that git includes through GIT_CONFIG_* variables —
 *   never in argv, a URL or the repository's own config — deleted afterwards.
 * Before any of that is used, `create` checks that this git is new enough for
 * the flags below (once per git binary per process).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as io from '@actions/io'
import { GitError, OutputError } from '../errors.js'
import { describeFsError } from '../fs/fs-errors.js'
import type { Logger } from '../logger.js'
import { runProcess, type ProcessOptions, type ProcessResult } from '../process.js'
import { describeValue, type Redactor } from '../redact.js'
import type { GitProtocol, GitSource } from '../spec.js'
import { FetchProgress, withoutProgress } from './fetch-progress.js'

export interface GitSettings {
  source: GitSource
  allowProtocols: ReadonlySet<GitProtocol>
  token?: string
  /** Seconds below 1 byte/s after which git gives up on a stalled transfer. */
  stallSeconds: number
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
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
  'http.lowSpeedLimit=1'
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
    private readonly settings: GitSettings,
    private readonly secretDir: string
  ) {}

  /** Prepares git for one checkout into `workDir` (which must exist). Call `dispose()` afterwards. */
  static async create(workDir: string, settings: GitSettings): Promise<GitCommandManager> {
    let gitPath: string
    try {
      gitPath = await io.which('git', true)
    } catch {
      throw new GitError(`git was not found on PATH. Install ${MIN_GIT_TEXT} on the runner.`)
    }
    const secretDir = await makeSecretDir()
    const emptyConfig = path.join(secretDir, 'global.gitconfig')
    const env: NodeJS.ProcessEnv = {
      ...passThroughEnv(),
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GCM_INTERACTIVE: 'never',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: emptyConfig,
      GIT_ALLOW_PROTOCOL: [...settings.allowProtocols].join(':'),
      GIT_LFS_SKIP_SMUDGE: '1',
      GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
      GIT_NO_REPLACE_OBJECTS: '1',
      GIT_HTTP_LOW_SPEED_TIME: String(settings.stallSeconds)
    }
    const manager = new GitCommandManager(gitPath, workDir, env, settings, secretDir)
    try {
      await writeSecret(emptyConfig, '')
      if (settings.token && settings.source.origin) {
        settings.redactor.add(settings.token)
        const header = Buffer.from(`x-access-token:${settings.token}`).toString('base64')
        const authConfig = path.join(secretDir, 'auth.gitconfig')
        // Scoped to the repository's origin: a redirect to another host does not get it.
        await writeSecret(authConfig, `[http "${settings.source.origin}/"]\n\textraheader = AUTHORIZATION: basic ${header}\n`)
        env.GIT_CONFIG_COUNT = '1'
        env.GIT_CONFIG_KEY_0 = 'include.path'
        env.GIT_CONFIG_VALUE_0 = authConfig
      }
      await manager.requireSupportedVersion()
    } catch (err) {
      await manager.dispose()
      throw err
    }
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
    checkGitVersion(output, this.gitPath)
  }

  /** Removes the auth config. Safe to call more than once. */
  async dispose(): Promise<void> {
    await rm(this.secretDir, { recursive: true, force: true })
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
   * `git fetch`, with git's progress turned into progress updates when the
   * logger shows progress. The result's stderr never holds progress, so a
   * failure reads the same with it or without.
   */
  private async fetch(args: string[]): Promise<ProcessResult> {
    if (!this.settings.logger.progress) return this.git(['fetch', ...args])
    const progress = new FetchProgress(this.settings.logger)
    let ok = false
    try {
      const result = await this.git(['fetch', '--progress', ...args], { onStderr: (text) => progress.push(text) })
      ok = result.code === 0
      return { ...result, stderr: withoutProgress(result.stderr) }
    } finally {
      progress.end(ok)
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

  /** Size and file count of the commit's tree, read before anything is written to the work tree. */
  async treeSize(sha: string): Promise<{ files: number; bytes: number }> {
    const result = await this.run(['ls-tree', '-r', '-l', '-z', '--full-tree', sha])
    let files = 0
    let bytes = 0
    for (const record of result.stdout.split('\0')) {
      if (!record) continue
      // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
      const meta = record.slice(0, record.indexOf('\t')).trim().split(/\s+/)
      files++
      const size = Number(meta[3])
      if (Number.isFinite(size)) bytes += size
    }
    return { files, bytes }
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

  /** Runs git and returns its result whatever the exit code. */
  async git(args: string[], options: Pick<ProcessOptions, 'onStderr'> = {}): Promise<ProcessResult> {
    const argv = HARDENING.flatMap((c) => ['-c', c]).concat(args)
    this.settings.logger.debug(`git ${this.settings.redactor.apply(args.join(' '))}`)
    try {
      return await runProcess(this.gitPath, argv, { ...options, cwd: this.workDir, env: this.env, signal: this.settings.signal })
    } catch (err) {
      if (this.settings.signal?.aborted) throw err
      throw new GitError(`could not run git: ${(err as Error).message}`, { cause: err })
    }
  }
}

/**
 * The private folder for git's config files (and the token's), in the
 * system's temporary folder: never in the tree. A TMPDIR that cannot be used
 * is the runner's problem, said as such rather than as a stack trace.
 */
async function makeSecretDir(): Promise<string> {
  const tmp = os.tmpdir()
  try {
    return await mkdtemp(path.join(tmp, 'job-packager-git-'))
  } catch (err) {
    throw new OutputError(
      `Could not create a private folder for git's settings in the temporary folder ${tmp} (TMPDIR, else /tmp): ${describeFsError(err)}. Point TMPDIR at a writable folder.`,
      { cause: err }
    )
  }
}

async function writeSecret(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    throw new OutputError(`Could not write git's settings to ${file}: ${describeFsError(err)}. Point TMPDIR at a writable folder.`, {
      cause: err
    })
  }
}

/**
 * Throws a GitError unless `output` (what `git version` printed) names a git
 * at least MIN_GIT. Vendor suffixes such as "2.39.5.windows.1" or
 * "2.39.5 (Apple Git-154)" are fine; output that is not "git version X.Y…" is
 * refused rather than assumed new enough.
 */
export function checkGitVersion(output: string, gitPath: string): void {
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
