/**
 * Git LFS: after the checkout (and before `.git` is deleted), finds the LFS
 * pointer files of the commit and, depending on the `lfs` option, replaces
 * them with the objects they name, or keeps them and says so.
 *
 *   detect    blobs of the tree small enough to be pointers, read from the
 *             work tree and parsed (the pointer format itself), and marked
 *             `filter=lfs` by .gitattributes (git check-attr) — both, as
 *             git-lfs itself requires
 *   limits    the objects' sizes from the pointers count toward
 *             max-checkout-bytes (and max-fetch-bytes) before any request
 *   endpoint  lfs.url (or remote.origin.lfsurl) from the commit's .lfsconfig,
 *             else derived from git_url the way git-lfs derives it
 *   transfer  lfs-transfer.ts: batch API + downloads by our own client,
 *             every object checked against its size and sha256
 *   checkout  `git lfs checkout`, offline, from the verified objects
 *   verify    every file that was a pointer is hashed again in code/: the
 *             bytes packaged are the bytes the pointer names
 *
 * Nothing is dropped silently: `lfs: false`, pointer-looking files that
 * .gitattributes does not mark, and files that start like a pointer but are
 * not a valid one, are warnings (log, job.json, summary).
 */
import { lstat, open } from 'node:fs/promises'
import path from 'node:path'
import { GitError, LimitError, UnsafeContentError } from '../errors.js'
import { sha256File } from '../fs/sha256.js'
import type { Logger } from '../logger.js'
import type { OptionNamer } from '../options/names.js'
import type { Limits } from '../options/options.js'
import { redactUrl, type Redactor } from '../redact.js'
import type { GitProtocol, GitSource } from '../spec.js'
import { formatBytes } from '../units.js'
import type { GitCommandManager } from './git-command-manager.js'
import { transferLfsObjects } from './lfs-transfer.js'

export type LfsMode = 'auto' | 'true' | 'false'

/** What the caller decides; checkout.ts adds the rest (source, limits, logger). */
export interface LfsOptions {
  mode: LfsMode
  /** The token as the caller holds it, and the one origin it may go to ('' for none). */
  token?: string
  tokenOrigin: string
}

export interface LfsRequest extends LfsOptions {
  source: GitSource
  allowProtocols: ReadonlySet<GitProtocol>
  allowPrivateNetwork: boolean
  lookup?: (hostname: string) => Promise<string[]>
  limits: Limits
  names: OptionNamer
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
}

/** One LFS-tracked file of the commit, as job.json lists it. */
export interface LfsObject {
  path: string
  oid: string
  size: number
}

export interface LfsResult {
  /** The endpoint the objects came from (redacted); absent when nothing was fetched. */
  endpoint?: string
  /** true: code/ holds the objects; false: it holds the pointer files (lfs false). */
  fetched: boolean
  objects: LfsObject[]
  /** How many bytes the tree grew by (objects in place of pointers). */
  addedBytes: number
  /** What was left out, for the log (already said), job.json and the summary. */
  warnings: string[]
}

/** Pointer files are small; git-lfs reads at most this many bytes of a candidate. */
const MAX_POINTER_BYTES = 1024
/** The shortest pointer (version line, oid line, `size 0`). */
const MIN_POINTER_BYTES = 126
/** The pointer format's first line: a file that starts with it but does not parse is a malformed pointer, and is named. */
const POINTER_VERSION_LINE = 'version https://git-lfs.github.com/spec/v1\n'
/** The spec's canonical form: version first, then keys in order (extensions, oid, size), nothing else. */
const POINTER =
  /^version https:\/\/git-lfs\.github\.com\/spec\/v1\r?\n(?:ext-\d-[a-z0-9]+ sha256:[0-9a-f]{64}\r?\n)*oid sha256:([0-9a-f]{64})\r?\nsize (0|[1-9]\d{0,15})\r?\n$/

/** The oid and size of an LFS pointer, or undefined when `text` is not one. */
export function parseLfsPointer(text: string): { oid: string; size: number } | undefined {
  const m = POINTER.exec(text)
  if (!m) return undefined
  const size = Number(m[2])
  return Number.isSafeInteger(size) ? { oid: m[1]!, size } : undefined
}

/**
 * The LFS endpoint of a remote, as git-lfs derives it: `<url>.git/info/lfs`,
 * or `<url>/info/lfs` when the URL already ends in `.git`; ssh remotes are
 * reached over https on the same host. Undefined for local remotes.
 */
export function deriveLfsEndpoint(source: GitSource): URL | undefined {
  let base: string
  if (source.protocol === 'http' || source.protocol === 'https') base = source.url
  else if (source.protocol === 'ssh') {
    const scp = /^(?:[^@/]+@)?([^:/]+):(.*)$/.exec(source.url)
    if (source.url.startsWith('ssh://')) {
      const u = new URL(source.url)
      base = `https://${u.hostname}${u.pathname}`
    } else if (scp) base = `https://${scp[1]}/${scp[2]!.replace(/^\/+/, '')}`
    else return undefined
  } else return undefined
  const url = new URL(base)
  url.search = ''
  url.hash = ''
  const trimmed = url.pathname.replace(/\/+$/, '')
  url.pathname = trimmed.endsWith('.git') ? `${trimmed}/info/lfs` : `${trimmed}.git/info/lfs`
  return url
}

/**
 * Runs after `git checkout` of `sha` into `codeDir`, while `.git` is still
 * there. Returns undefined when the commit has no LFS pointers (and lfs is
 * not true).
 */
export async function resolveLfs(
  git: GitCommandManager,
  codeDir: string,
  sha: string,
  tree: { bytes: number },
  req: LfsRequest
): Promise<LfsResult | undefined> {
  if (req.mode === 'true') await git.lfsVersion('lfs is true')
  const { pointers, unmarked, malformed, lfsconfig } = await findPointers(git, codeDir, sha)
  const warnings: string[] = []
  const warn = (text: string): void => {
    req.logger.warn(text)
    warnings.push(text)
  }
  if (malformed.length)
    warn(
      `${malformed.length} file(s) start like Git LFS pointers but are not valid ones (the oid must be "sha256:" and 64 lower-case hex digits, the keys in the pointer format's order), so git-lfs would not fetch them either; they are packaged as they are: ${listPaths(malformed)}.`
    )
  if (unmarked.length)
    warn(
      `${unmarked.length} file(s) look like Git LFS pointers but .gitattributes does not mark them filter=lfs, so git-lfs would not fetch them either; they are packaged as they are: ${listPaths(unmarked)}.`
    )
  if (pointers.length === 0) {
    if (req.mode === 'true') req.logger.info('Git LFS: the commit has no LFS pointer files; nothing to fetch.')
    return warnings.length ? { fetched: false, objects: [], addedBytes: 0, warnings } : undefined
  }
  const objects = pointers.map(({ path, oid, size }) => ({ path, oid, size }))
  const objectBytes = pointers.reduce((n, p) => n + p.size, 0)
  if (req.mode === 'false') {
    warn(
      `Git LFS is off (${req.names('lfs', 'false')}): ${pointers.length} LFS file(s) are packaged as pointer files, without their ${formatBytes(objectBytes)} of content: ${listPaths(pointers.map((p) => p.path))}.`
    )
    return { fetched: false, objects, addedBytes: 0, warnings }
  }

  // The sizes the pointers promise, before anything is requested.
  const unique = new Map(pointers.map((p) => [p.oid, p]))
  const fetchBytes = [...unique.values()].reduce((n, p) => n + p.size, 0)
  const total = tree.bytes - pointers.reduce((n, p) => n + p.pointerBytes, 0) + objectBytes
  if (total > req.limits.maxCheckoutBytes)
    throw new LimitError(
      `The commit's tree with its ${pointers.length} Git LFS object(s) would hold ${total} bytes (${objectBytes} of them LFS content), more than the limit of ${req.limits.maxCheckoutBytes} (${req.names('maxCheckoutBytes')}); nothing was downloaded. To package the pointer files instead: ${req.names('lfs', 'false')}.`
    )
  if (fetchBytes > req.limits.maxFetchBytes)
    throw new LimitError(
      `The commit's Git LFS objects hold ${fetchBytes} bytes, more than one fetch may download (${req.limits.maxFetchBytes}, ${req.names('maxFetchBytes')}); nothing was downloaded.`
    )

  await git.lfsVersion(`the commit has ${pointers.length} LFS pointer file(s) and lfs is ${req.mode}`)
  const endpoint = await lfsEndpoint(git, sha, lfsconfig, req)
  req.logger.info(
    `Git LFS: fetching ${unique.size} object(s), ${formatBytes(fetchBytes)}, for ${pointers.length} file(s) from ${req.redactor.apply(endpoint.href)}`
  )
  await transferLfsObjects(
    [...unique.values()].map(({ oid, size, path }) => ({ oid, size, path })),
    {
      endpoint,
      objectPath: (oid) => git.lfsObjectPath(oid),
      tempDir: path.join(codeDir, '.git', 'lfs', 'incoming'),
      token: req.token,
      tokenOrigin: req.tokenOrigin,
      allowHttp: req.allowProtocols.has('http'),
      allowPrivateNetwork: req.allowPrivateNetwork,
      lookup: req.lookup,
      limits: req.limits,
      names: req.names,
      logger: req.logger,
      redactor: req.redactor,
      signal: req.signal
    }
  )
  await git.lfsCheckout()
  // git lfs checkout replaces every pointer-looking file; a clone smudges only those marked filter=lfs, and so do we.
  if (unmarked.length) await git.restorePaths(sha, unmarked)
  // git-lfs placed the files; what is packaged is checked here, byte for byte.
  for (const pointer of pointers) {
    const file = path.join(codeDir, pointer.path)
    const stat = await lstat(file).catch(() => undefined)
    if (!stat?.isFile() || stat.size !== pointer.size || (await sha256File(file)) !== pointer.oid)
      throw new UnsafeContentError(
        `code/${pointer.path} does not hold the Git LFS object its pointer names (sha256 ${pointer.oid}, ${pointer.size} bytes) after git lfs checkout; nothing was kept.`
      )
  }
  for (const file of unmarked) {
    const text = await readSmallFile(path.join(codeDir, file))
    if (text === undefined || !parseLfsPointer(text))
      throw new UnsafeContentError(
        `code/${file} should have stayed as committed (it is not marked filter=lfs) but changed during git lfs checkout; nothing was kept.`
      )
  }
  req.logger.info(`Git LFS: ${pointers.length} file(s) in place and verified (${formatBytes(objectBytes)})`)
  // Recorded in job.json: redacted structurally only, never by the registered secrets (redact.ts).
  return { endpoint: redactUrl(endpoint.href), fetched: true, objects, addedBytes: total - tree.bytes, warnings }
}

interface Pointer extends LfsObject {
  pointerBytes: number
}

/**
 * Pointer files of the commit, pointer-looking files that .gitattributes does
 * not mark filter=lfs, and files that start like a pointer but are not one
 * (an upper-case or short oid: git-lfs leaves those as they are too, so they
 * would be packaged silently in place of content).
 */
async function findPointers(
  git: GitCommandManager,
  codeDir: string,
  sha: string
): Promise<{ pointers: Pointer[]; unmarked: string[]; malformed: string[]; lfsconfig: boolean }> {
  const blobs = await git.treeBlobs(sha)
  const candidates: Pointer[] = []
  const malformed: string[] = []
  for (const blob of blobs) {
    if ((blob.mode !== '100644' && blob.mode !== '100755') || !(blob.size >= POINTER_VERSION_LINE.length && blob.size <= MAX_POINTER_BYTES))
      continue
    const text = await readSmallFile(path.join(codeDir, blob.path))
    const parsed = text === undefined || blob.size < MIN_POINTER_BYTES ? undefined : parseLfsPointer(text)
    if (parsed) candidates.push({ path: blob.path, ...parsed, pointerBytes: blob.size })
    else if (text?.replace(/\r\n/, '\n').startsWith(POINTER_VERSION_LINE)) malformed.push(blob.path)
  }
  const lfsconfig = blobs.some((b) => b.path === '.lfsconfig' && b.mode !== '120000')
  if (candidates.length === 0) return { pointers: [], unmarked: [], malformed, lfsconfig }
  const filters = await git.attribute(
    'filter',
    candidates.map((c) => c.path)
  )
  const pointers = candidates.filter((c) => filters.get(c.path) === 'lfs')
  const unmarked = candidates.filter((c) => filters.get(c.path) !== 'lfs').map((c) => c.path)
  return { pointers, unmarked, malformed, lfsconfig }
}

/** A regular file's first MAX_POINTER_BYTES as text; undefined for anything else (a symlink planted in the work tree). */
async function readSmallFile(file: string): Promise<string | undefined> {
  const stat = await lstat(file).catch(() => undefined)
  if (!stat?.isFile()) return undefined
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(MAX_POINTER_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, MAX_POINTER_BYTES, 0)
    return buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    await handle.close()
  }
}

/** lfs.url / remote.origin.lfsurl from the commit's .lfsconfig, else the endpoint git-lfs would derive from git_url. */
async function lfsEndpoint(git: GitCommandManager, sha: string, lfsconfig: boolean, req: LfsRequest): Promise<URL> {
  const configured = lfsconfig
    ? ((await git.configFromCommit(sha, '.lfsconfig', 'remote.origin.lfsurl')) ??
      (await git.configFromCommit(sha, '.lfsconfig', 'lfs.url')))
    : undefined
  if (configured !== undefined) {
    try {
      const url = new URL(configured)
      req.logger.info(`Git LFS endpoint from .lfsconfig: ${req.redactor.apply(url.href)}`)
      return url
    } catch {
      throw new GitError(`.lfsconfig names the Git LFS endpoint ${JSON.stringify(req.redactor.apply(configured))}, which is not a URL.`)
    }
  }
  const derived = deriveLfsEndpoint(req.source)
  if (!derived)
    throw new GitError(
      `The commit has Git LFS pointer files, but no LFS endpoint can be derived from a ${req.source.protocol} git_url and .lfsconfig names none. Set lfs.url in .lfsconfig, or ${req.names('lfs', 'false')} to package the pointer files.`
    )
  return derived
}

/** Up to ten paths, for one log line. */
function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, 10).map((p) => JSON.stringify(p))
  return `${shown.join(', ')}${paths.length > 10 ? `, and ${paths.length - 10} more` : ''}`
}
