/**
 * Checks out exactly one commit into `code/`, fetching as little as possible:
 * the commit alone, one level deep, over protocol v2. Falls back to fetching
 * branches and tags with history when the server refuses an unadvertised SHA
 * (protocol v0 servers without allowAnySHA1InWant), and resolves short SHAs
 * unambiguously, against the history. Submodules are found in the
 * checked-out tree and, when asked for, fetched into it by the same path
 * (submodules.ts). Afterwards every `.git` is deleted: the package carries the
 * tree, not the history.
 */
import { mkdir, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { GitError, LimitError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { OptionNamer } from '../options/names.js'
import type { Limits } from '../options/options.js'
import type { ProcessResult } from '../process.js'
import type { Redactor } from '../redact.js'
import { withRetry } from '../retry.js'
import type { CommitRef, GitProtocol, GitSource } from '../spec.js'
import { checkGitAddress } from '../net/git-address.js'
import { clampCommitTime } from './commit-time.js'
import { GitCommandManager, type FetchBudget, type Gitlink } from './git-command-manager.js'
import { resolveLfs, type LfsOptions, type LfsResult } from './lfs.js'
import { checkoutSubmodules, type SubmoduleOptions, type SubmoduleRecord } from './submodules.js'

export interface CheckoutRequest {
  git: GitSource
  commit: CommitRef
  allowProtocols: ReadonlySet<GitProtocol>
  token?: string
  /** Off: an http(s) remote on a loopback, private or reserved address is refused (net/git-address.ts). */
  allowPrivateNetwork: boolean
  /** Replaces the DNS lookup of the remote's host (tests: a name only they resolve, to show the pin). */
  lookup?: (hostname: string) => Promise<string[]>
  limits: Limits
  /** Git LFS pointers: fetch their objects or keep them (git/lfs.ts). Default: auto, with no token. */
  lfs?: LfsOptions
  /** How the user names options, for limit messages. */
  names: OptionNamer
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
  /** Which submodules to fetch, and what they need for it (default: none, each one reported). */
  submodules?: SubmoduleOptions
}

export interface CheckoutResult {
  /** The full commit id checked out. */
  commit: string
  /** Committer time, seconds since the epoch. */
  commitTime: number
  /** 'shallow': the one commit was fetched; 'full': the fallback fetched history. */
  fetch: 'shallow' | 'full'
  /** Files and bytes of the whole tree, submodules included. */
  files: number
  bytes: number
  /** Every submodule found, fetched or left empty, in path order. */
  submodules: SubmoduleRecord[]
  /** The commit's Git LFS files, when it has any. */
  lfs?: LfsResult
  /** What was left out (submodules left empty, LFS pointers kept), one sentence each; also logged as warnings. */
  warnings: string[]
}

/** One repository to fetch one commit of: the top level, or a submodule. */
export interface RepositoryFetch {
  /** The folder that becomes its work tree (created if missing). */
  dir: string
  source: GitSource
  commit: CommitRef
  token?: string
  /** Shared by every fetch of the job. */
  budget: FetchBudget
  /** How messages name it: "git_url", or "submodule lib/x". */
  role: string
  /** Progress label: "code", "code/lib/x". */
  label: string
  /** The message when the server does not have the commit. */
  notFound: (sha: string, where: string) => string
}

/** Files and bytes checked out so far in this job, for the limits that count the whole tree. */
export interface TreeTotals {
  files: number
  bytes: number
}

/** Failures worth another attempt: the network, not the request. */
const TRANSIENT =
  /RPC failed|early EOF|unexpected disconnect|hung up unexpectedly|Connection reset|Connection refused|Connection timed out|timed out|Operation too slow|Could not resolve host|Failed to connect|returned error: (5\d\d|408|429)|HTTP\/2 stream|SSL_ERROR|gnutls/i
const AUTH =
  /Authentication failed|could not read Username|could not read Password|returned error: 40[13]|terminal prompts disabled|Permission denied \(publickey/i
const REDIRECT = /returned error: (30[1278])/
const NOT_FOUND = /returned error: 404|Repository not found|does not appear to be a git repository|repository '.*' not found/i

class GitFetchError extends GitError {
  constructor(
    message: string,
    readonly result: ProcessResult
  ) {
    super(message)
  }
}

export async function checkoutCommit(codeDir: string, req: CheckoutRequest): Promise<CheckoutResult> {
  const budget: FetchBudget = {
    bytes: req.limits.maxFetchBytes,
    spent: 0,
    exceeded: () =>
      new LimitError(
        `The git fetches received more than ${req.limits.maxFetchBytes} bytes, the limit (${req.names('maxFetchBytes')}), and were stopped.`
      )
  }
  const { git, sha, mode } = await fetchRepository(req, {
    dir: codeDir,
    source: req.git,
    commit: req.commit,
    token: req.token,
    budget,
    role: 'git_url',
    label: 'code',
    notFound: (commit, where) =>
      `Commit ${commit} was not found in ${where}: it is not on any branch or tag the server offers. Check commit_hash, and that the commit was pushed.`
  })
  const totals: TreeTotals = { files: 0, bytes: 0 }
  const tree = await checkoutTree(git, sha, req, totals, "The commit's tree")
  const committed = await git.headCommitTime()
  const commitTime = clampCommitTime(committed)
  if (commitTime !== committed) {
    req.logger.warn(
      `The commit's committer time (${committed} s since 1970) cannot be recorded; the package uses ${new Date(commitTime * 1000).toISOString()} instead (tar mtimes, job.json, the Dockerfile label).`
    )
  }
  req.logger.info(`Checked out ${sha} (${tree.files} files, ${tree.bytes} bytes, ${mode} fetch)`)
  // Before .git goes: git-lfs keeps its objects there, and reads the pointers' attributes from the object store.
  const lfs = await resolveLfs(git, codeDir, sha, totals, {
    mode: 'auto',
    tokenOrigin: '',
    ...req.lfs,
    source: req.git,
    allowProtocols: req.allowProtocols,
    allowPrivateNetwork: req.allowPrivateNetwork,
    lookup: req.lookup,
    limits: req.limits,
    names: req.names,
    logger: req.logger,
    redactor: req.redactor,
    signal: req.signal
  })
  // The submodules' limits count the LFS objects that replaced the pointers.
  totals.bytes += lfs?.addedBytes ?? 0
  // Before any .git goes: the submodules' URLs come from the object store, and nested ones from theirs.
  const sub = await checkoutSubmodules(codeDir, git, sha, tree.gitlinks, req, { budget, totals })
  await removeGitDirs(codeDir)
  return {
    commit: sha,
    commitTime,
    fetch: mode,
    files: totals.files,
    bytes: totals.bytes,
    submodules: sub.submodules,
    ...(lfs ? { lfs } : {}),
    warnings: [...(lfs?.warnings ?? []), ...sub.warnings]
  }
}

/**
 * Fetches one commit of one repository into `target.dir`: the address
 * check (and pin), git prepared with the hardening, the token only when
 * given, the one-commit fetch with retries, and the full fetch when the
 * server will not hand the commit out by id. Returns git for that folder,
 * with the commit in its object store but nothing checked out.
 */
export async function fetchRepository(
  req: CheckoutRequest,
  target: RepositoryFetch
): Promise<{ git: GitCommandManager; sha: string; mode: 'shallow' | 'full' }> {
  const pin = await checkGitAddress({
    source: target.source,
    allowPrivateNetwork: req.allowPrivateNetwork,
    names: req.names,
    lookup: req.lookup,
    role: target.role
  })
  await mkdir(target.dir, { recursive: true })
  const git = await GitCommandManager.create(target.dir, {
    source: target.source,
    allowProtocols: req.allowProtocols,
    token: target.token,
    resolve: pin.resolve,
    fetchBudget: target.budget,
    progressLabel: target.label,
    stallSeconds: Math.max(1, Math.round(req.limits.idleTimeoutMs / 1000)),
    logger: req.logger,
    redactor: req.redactor,
    signal: req.signal
  })
  const where = req.redactor.apply(target.source.url)
  const fetchOnce = async (what: string, fetch: () => Promise<ProcessResult>): Promise<ProcessResult> =>
    withRetry(
      { attempts: req.limits.attempts, delayMs: req.limits.retryDelayMs, signal: req.signal, logger: req.logger, what },
      async () => {
        const result = await fetch()
        if (result.code !== 0) throw new GitFetchError(git.describeFailure(result), result)
        return result
      },
      (err) => err instanceof GitFetchError && TRANSIENT.test(err.result.stderr) && !AUTH.test(err.result.stderr)
    ).catch((err: unknown) => {
      if (!(err instanceof GitFetchError)) throw err
      const stderr = err.result.stderr
      if (AUTH.test(stderr))
        throw new GitError(
          `Authentication to ${where} failed: the repository is private or does not exist. Provide a token with read access (the Action's "token" input, or JOB_PACKAGER_TOKEN for the CLI). git said: ${err.message}`
        )
      if (NOT_FOUND.test(stderr)) throw new GitError(`Repository ${where} was not found. git said: ${err.message}`)
      const redirect = REDIRECT.exec(stderr)
      if (redirect) throw redirectRefused(where, redirect[1]!, target.role)
      return err.result
    })

  let sha: string
  let mode: 'shallow' | 'full' = 'shallow'
  const full = async (why = 'the server would not hand out the commit by id'): Promise<void> => {
    mode = 'full'
    req.logger.info(`Fetching branches and tags with history (${why}).`)
    const result = await fetchOnce('git fetch (full)', () => git.fetchAll())
    if (result.code !== 0) throw new GitError(`Could not fetch ${where}: ${git.describeFailure(result)}`)
  }

  if (target.commit.full) {
    sha = target.commit.value
    await git.init(sha.length === 64 ? 'sha256' : 'sha1')
    req.logger.info(`Fetching commit ${sha} from ${where} (depth 1)`)
    const result = await fetchOnce('git fetch', () => git.fetchCommit(sha))
    if (result.code !== 0) {
      // Refused (REFUSED) or simply absent: only history can tell which.
      req.logger.info(`The one-commit fetch failed (${git.describeFailure(result)}).`)
      await full()
      if (!(await git.hasCommit(sha))) throw new GitError(target.notFound(sha, where))
    }
  } else {
    sha = await resolveShortSha(git, target.commit.value, full, where, target.role)
  }
  return { git, sha, mode }
}

/**
 * Checks the size of the commit's tree against the limits, counting what the
 * job has checked out before (`totals`, updated), then checks it out and
 * makes sure HEAD is that commit. `what` starts the limit messages.
 */
export async function checkoutTree(
  git: GitCommandManager,
  sha: string,
  req: Pick<CheckoutRequest, 'limits' | 'names'>,
  totals: TreeTotals,
  what: string
): Promise<{ files: number; bytes: number; gitlinks: Gitlink[] }> {
  // Check the tree's size before writing it out: a small pack can expand to a huge tree. git is stopped at the first entry over a limit.
  const size = await git.treeSize(sha, ({ files, bytes }) => {
    if (totals.files + files > req.limits.maxCheckoutFiles)
      return new LimitError(`${what} has more than ${req.limits.maxCheckoutFiles} files, the limit (${req.names('maxCheckoutFiles')}).`)
    if (totals.bytes + bytes > req.limits.maxCheckoutBytes)
      return new LimitError(`${what} holds more than ${req.limits.maxCheckoutBytes} bytes, the limit (${req.names('maxCheckoutBytes')}).`)
    return undefined
  })
  totals.files += size.files
  totals.bytes += size.bytes
  await git.checkout(sha)
  const head = await git.headCommit()
  if (head !== sha) throw new GitError(`Checked out ${head}, but ${sha} was requested.`)
  return size
}

/**
 * A short SHA is resolved against the history of every branch and tag: only
 * there can it be shown to match exactly one commit. A branch or tag tip that
 * matches proves nothing (an older commit may share the prefix), so it is
 * never taken on sight. Two or more matching commits is an error that lists
 * them: we never guess.
 */
async function resolveShortSha(
  git: GitCommandManager,
  prefix: string,
  fetchFull: (why: string) => Promise<void>,
  where: string,
  role: string
): Promise<string> {
  await git.init('sha1')
  // Only to learn the object format: a SHA-256 remote needs a SHA-256 repository before the fetch.
  const refs = await git.lsRemote().catch((err: unknown) => {
    const msg = (err as Error).message
    const redirect = REDIRECT.exec(msg)
    if (redirect) throw redirectRefused(where, redirect[1]!, role)
    if (AUTH.test(msg))
      throw new GitError(
        `Authentication to ${where} failed: the repository is private or does not exist. Provide a token with read access.`
      )
    throw err
  })
  if (refs.some((r) => r.sha.length === 64)) await git.init('sha256')
  await fetchFull(`only the history can show that ${prefix} names exactly one commit`)
  const commits = await git.commitsWithPrefix(prefix)
  if (commits.length === 0) throw new GitError(`No commit starting with ${prefix} was found in ${where}. Check commit_hash.`)
  if (commits.length > 1) {
    const shown = distinguishingPrefixes(commits)
    throw new GitError(
      `commit_hash ${prefix} is ambiguous in ${where}: it matches ${commits.length} commits (${shown.slice(0, 10).join(', ')}${commits.length > 10 ? ', …' : ''}). Give more hex digits, or the full commit id.`
    )
  }
  return commits[0]!
}

/** git follows no redirect (see git-command-manager.ts): say so, rather than "could not fetch". */
function redirectRefused(where: string, status: string, role: string): GitError {
  return new GitError(
    role === 'git_url'
      ? `${where} answered with a redirect (HTTP ${status}), which is not followed: the token and the private-network check apply to git_url's own host only. Use the address it redirects to as git_url.`
      : `${where} (${role}) answered with a redirect (HTTP ${status}), which is not followed: the token and the private-network check apply to the URL's own host only. Use the address it redirects to in .gitmodules.`
  )
}

/**
 * Deletes every `.git` at the top and anywhere below: folders (the
 * repository's and each submodule's, vendored repositories) and files (a
 * submodule work tree can have a `.git` file pointing at its repository).
 */
export async function removeGitDirs(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.name === '.git') await rm(full, { recursive: true, force: true })
    else if (entry.isDirectory()) await removeGitDirs(full)
  }
}

/** The commits shortened to one length at which they all differ (at least 12 digits), sorted. */
function distinguishingPrefixes(commits: readonly string[]): string[] {
  const sorted = [...commits].sort()
  let length = 12
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!]
    let common = 0
    while (common < a.length && a[common] === b[common]) common++
    length = Math.max(length, common + 1)
  }
  return sorted.map((c) => c.slice(0, length))
}
