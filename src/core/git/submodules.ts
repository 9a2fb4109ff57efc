/**
 * Submodules: the gitlinks of the checked-out tree (mode 160000 entries),
 * matched by path with the `submodule.*` sections of the commit's
 * `.gitmodules`, and — when the `submodules` option asks for them — each
 * fetched into its folder at exactly the commit the gitlink records.
 *
 * Why it is done here rather than by `git submodule update`:
 * - every URL is checked before git runs for it, by the same rules as
 *   `git_url` (spec.ts: transport allow-list, no options, no helper transports
 *   like `ext::`, no credentials, no bare local paths; then the address
 *   policy, net/git-address.ts). `.gitmodules` is the repository's content,
 *   which we do not trust; git's own submodule code would resolve and fetch
 *   URLs before we could look at them;
 * - each fetch takes the top level's path (checkout.ts: one commit by id,
 *   the full fetch when the server refuses, retries, the hardening flags),
 *   and the token goes only to the token origin (net/token-origin.ts);
 * - the limits count the whole tree: one fetch budget and one file and byte
 *   count for the repository and all of its submodules.
 *
 * Nothing is dropped silently: a submodule that is not fetched (submodules
 * false, or nested below `true`) is left an empty folder, as git leaves it,
 * and named in a warning that reaches the log, the Action's summary and
 * job.json (`warnings`); job.json lists every submodule (`source.submodules`).
 */
import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'
import { GitError, LimitError, SpecError } from '../errors.js'
import { tokenForRepository } from '../net/token-origin.js'
import { describeValue, redactUrl } from '../redact.js'
import { parseGitUrl, type GitSource } from '../spec.js'
import type { CheckoutRequest, TreeTotals } from './checkout.js'
import { checkoutTree, fetchRepository } from './checkout.js'
import type { FetchBudget, GitCommandManager, Gitlink, GitmodulesEntry } from './git-command-manager.js'
import { resolveLfs, type LfsResult } from './lfs.js'
import type { Logger } from '../logger.js'

/** The values of the `submodules` option (options/registry.ts). */
export type SubmoduleMode = 'false' | 'true' | 'recursive'

export interface SubmoduleOptions {
  mode: SubmoduleMode
  /** Deepest nesting fetched with `recursive` (1: the repository's own submodules). */
  maxDepth: number
  /** The caller's token and its one origin: a submodule gets the token only when it is on that origin. */
  token?: string
  tokenOrigin: string
}

/** One submodule, as job.json lists it. */
export interface SubmoduleRecord {
  /** Path under code/, '/'-separated (a nested one's path includes its parents'). */
  path: string
  /** The URL, made absolute and redacted; absent when `.gitmodules` has none for it. */
  url?: string
  /** The commit its gitlink records. */
  commit: string
  /** true: its files are in code/; false: left an empty folder (a warning says why). */
  included: boolean
  /** Its own Git LFS files, when it has any (fetched under the same rules as the top level's). */
  lfs?: LfsResult
}

/** What the job shares across every repository it fetches. */
export interface SharedCheckout {
  budget: FetchBudget
  totals: TreeTotals
}

const NO_SUBMODULES: SubmoduleOptions = { mode: 'false', maxDepth: 1, tokenOrigin: '' }

/**
 * Handles the gitlinks of the top-level tree (already checked out in
 * `codeDir` by `git`, at `sha`), and recursively those of each fetched
 * submodule. Must run before any `.git` is removed.
 */
export async function checkoutSubmodules(
  codeDir: string,
  git: GitCommandManager,
  sha: string,
  gitlinks: readonly Gitlink[],
  req: CheckoutRequest,
  shared: SharedCheckout
): Promise<{ submodules: SubmoduleRecord[]; warnings: string[] }> {
  const opts = req.submodules ?? NO_SUBMODULES
  const out = { submodules: [] as SubmoduleRecord[], warnings: [] as string[] }
  await visit({ dir: codeDir, prefix: '', git, sha, gitlinks, source: req.git, depth: 1 })
  return out

  async function visit(repo: {
    dir: string
    prefix: string
    git: GitCommandManager
    sha: string
    gitlinks: readonly Gitlink[]
    source: GitSource
    depth: number
  }): Promise<void> {
    if (repo.gitlinks.length === 0) return
    const fetching = opts.mode === 'recursive' || (opts.mode === 'true' && repo.depth === 1)
    let entries: GitmodulesEntry[]
    try {
      entries = await repo.git.gitmodules(repo.sha)
    } catch (err) {
      // Without fetching, an unreadable .gitmodules only costs the URLs in the warnings.
      if (fetching) throw new GitError(`${where(repo.prefix)}: ${(err as Error).message}`, { cause: err })
      entries = []
    }
    for (const link of repo.gitlinks) {
      const full = repo.prefix ? `${repo.prefix}/${link.path}` : link.path
      const entry = entries.find((e) => e.path !== undefined && e.path.replace(/\/+$/, '') === link.path)
      const rawUrl = entry?.url
      if (!fetching) {
        const url = rawUrl === undefined ? undefined : redactUrl(tryResolve(repo.source.url, rawUrl))
        out.submodules.push({ path: full, url, commit: link.commit, included: false })
        const why =
          opts.mode === 'false'
            ? `${req.names('submodules')} is false (to include it: ${req.names('submodules', repo.depth === 1 ? 'true' : 'recursive')})`
            : `it is nested in submodule ${repo.prefix} and ${req.names('submodules')} is true, one level (to include it: ${req.names('submodules', 'recursive')})`
        const warning = `Submodule ${full} (${url === undefined ? 'no url in .gitmodules' : describeValue(url)} at ${link.commit}) was left empty: ${why}.`
        req.logger.warn(warning)
        out.warnings.push(warning)
        continue
      }
      if (repo.depth > opts.maxDepth)
        throw new LimitError(
          `Submodule ${full} is nested ${repo.depth} deep, more than the limit of ${opts.maxDepth} (${req.names('maxSubmoduleDepth')}).`
        )
      if (rawUrl === undefined)
        throw new GitError(
          `Submodule ${full} (commit ${link.commit}) has no url in .gitmodules${repo.prefix ? ` of submodule ${repo.prefix}` : ''}, so it cannot be fetched. Add its [submodule] section to .gitmodules, or set ${req.names('submodules', 'false')} to package it empty.`
        )
      const source = submoduleSource(full, repo.source, rawUrl, req)
      const dir = await emptySubmoduleDir(repo.dir, link.path, full)
      const shown = req.redactor.apply(source.url)
      req.logger.info(`Submodule ${full}: ${shown} at ${link.commit}`)
      const fetched = await named(full, () =>
        fetchRepository(req, {
          dir,
          source,
          commit: { value: link.commit, full: true },
          token: submoduleToken(source, full),
          budget: shared.budget,
          role: `submodule ${full}`,
          label: `code/${full}`,
          notFound: (commit, at) =>
            `Submodule ${full}: commit ${commit}, which its gitlink records, was not found in ${at}: it is not on any branch or tag the server offers. Push that commit to the submodule's repository, or point the gitlink at a commit that is there.`
        })
      )
      const tree = await named(full, () =>
        checkoutTree(fetched.git, link.commit, req, shared.totals, `The tree with its submodules (at ${full})`)
      )
      req.logger.info(`Checked out submodule ${full} at ${link.commit} (${tree.files} files, ${tree.bytes} bytes, ${fetched.mode} fetch)`)
      // Its own LFS files, by the same rules as the top level's: its endpoint comes from its URL or its .lfsconfig, the
      // token only to the token origin, sizes counted with the whole tree. Its warnings name it.
      const prefixed = (text: string): string => `Submodule ${full}: ${text}`
      const logger = Object.assign(Object.create(req.logger) as Logger, { warn: (text: string) => req.logger.warn(prefixed(text)) })
      const lfs = await named(full, () =>
        resolveLfs(fetched.git, dir, link.commit, shared.totals, {
          mode: 'auto',
          tokenOrigin: '',
          ...req.lfs,
          source,
          allowProtocols: req.allowProtocols,
          allowPrivateNetwork: req.allowPrivateNetwork,
          lookup: req.lookup,
          limits: req.limits,
          names: req.names,
          logger,
          redactor: req.redactor,
          signal: req.signal
        })
      )
      shared.totals.bytes += lfs?.addedBytes ?? 0
      if (lfs) out.warnings.push(...lfs.warnings.map(prefixed))
      out.submodules.push({ path: full, url: redactUrl(source.url), commit: link.commit, included: true, ...(lfs ? { lfs } : {}) })
      await visit({ dir, prefix: full, git: fetched.git, sha: link.commit, gitlinks: tree.gitlinks, source, depth: repo.depth + 1 })
    }
  }

  /** The token only for a submodule on the token origin; held back (and said) otherwise. */
  function submoduleToken(source: GitSource, full: string): string | undefined {
    const decision = tokenForRepository(source, opts.token, opts.tokenOrigin)
    if (decision.withheldFrom)
      req.logger.info(
        opts.tokenOrigin
          ? `The token is not sent to ${decision.withheldFrom} (submodule ${full}): it is only sent to ${opts.tokenOrigin} (${req.names('tokenOrigin')}).`
          : `The token is not sent to ${decision.withheldFrom} (submodule ${full}): ${req.names('tokenOrigin')} is empty.`
      )
    return decision.token
  }
}

function where(prefix: string): string {
  return prefix ? `.gitmodules of submodule ${prefix}` : 'The repository'
}

/** Runs one step of a submodule's checkout; git's errors are prefixed with the submodule's path. */
async function named<T>(full: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (err) {
    // Unless the message names it already (the address check says "for submodule x").
    if (err instanceof GitError && !err.message.toLowerCase().includes(`submodule ${full.toLowerCase()}`))
      throw new GitError(`Submodule ${full}: ${err.message}`, { cause: err })
    throw err
  }
}

/**
 * A submodule's URL, made absolute and checked like `git_url`, before git
 * runs for it. A refusal is a GitError naming the submodule and its URL
 * (redacted), with what would be accepted.
 */
export function submoduleSource(
  full: string,
  parent: GitSource,
  rawUrl: string,
  req: Pick<CheckoutRequest, 'allowProtocols' | 'names'>
): GitSource {
  const refuse = (problem: string, accepted: string): never => {
    throw new GitError(`Submodule ${full} (url ${describeValue(rawUrl)} in .gitmodules) is refused: ${problem}. Accepted: ${accepted}.`)
  }
  let url: string
  try {
    url = resolveSubmoduleUrl(parent.url, rawUrl)
  } catch (err) {
    return refuse((err as Error).message, 'a URL relative to the repository that stays on its host (../other.git), or an absolute URL')
  }
  // git would read a bare name ("lib", "host/x") as a path relative to wherever it runs: never meant, never allowed.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('/') && !/^(?:[^@/:\s]+@)?[^@/:\s]+:/.test(url))
    return refuse(
      `${describeValue(url)} is neither an absolute URL nor relative to the repository (./ or ../)`,
      'an absolute URL, or one starting with ./ or ../'
    )
  try {
    return parseGitUrl(url, { allowProtocols: req.allowProtocols, names: req.names })
  } catch (err) {
    if (!(err instanceof SpecError)) throw err
    return refuse(url === rawUrl ? err.problem : `${err.problem} (resolved against the repository's URL)`, err.accepted)
  }
}

/**
 * git's rule for a submodule URL starting with `./` or `../`: it is relative
 * to the superproject's remote URL, taken as a folder (`./x` is below the
 * repository, `../x` beside it). Each `../` removes one path segment; one
 * that would climb over the host (or the root) is refused. Any other URL is
 * returned as written.
 */
export function resolveSubmoduleUrl(base: string, url: string): string {
  if (!url.startsWith('./') && !url.startsWith('../')) return url
  let prefix = ''
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(base)
  const scp = /^(?:[^@/:\s]+@)?[^@/:\s]+:/.exec(base)
  if (scheme) prefix = scheme[0]
  else if (scp && !base.startsWith('/') && !base.startsWith('.')) prefix = scp[0]
  const rest = base.slice(prefix.length)
  const rooted = rest.startsWith('/') || (prefix !== '' && !prefix.endsWith(':'))
  const segments = rest.split('/').filter(Boolean)
  let relative = url
  for (;;) {
    if (relative.startsWith('./')) relative = relative.slice(2)
    else if (relative.startsWith('../')) {
      if (segments.length === 0) throw new Error(`its ../ climbs above the root of ${describeValue(redactUrl(base))}`)
      segments.pop()
      relative = relative.slice(3)
    } else break
  }
  const joined = [...segments, relative].filter(Boolean).join('/')
  return `${prefix}${rooted ? '/' : ''}${joined}`
}

/** The absolute URL when it can be resolved, else the text as written (for warnings only). */
function tryResolve(base: string, url: string): string {
  try {
    return resolveSubmoduleUrl(base, url)
  } catch {
    return url
  }
}

/**
 * The folder git left for the gitlink: every part of the path below the
 * repository must be a real folder (never a link, which would send the
 * submodule's files elsewhere), and the last one empty.
 */
async function emptySubmoduleDir(repoDir: string, rel: string, full: string): Promise<string> {
  let dir = repoDir
  for (const part of rel.split('/')) {
    dir = path.join(dir, part)
    const st = await lstat(dir).catch(() => undefined)
    if (!st?.isDirectory())
      throw new GitError(
        `Submodule ${full}: ${st?.isSymbolicLink() ? 'its path goes through a symbolic link' : 'its folder is missing'} after checkout.`
      )
  }
  if ((await readdir(dir)).length > 0) throw new GitError(`Submodule ${full}: its folder is not empty after checkout.`)
  return dir
}
