/**
 * The job spec: what to package (`git_url`, `commit_hash`, `data_url`,
 * `command`, plus `job_id`, `data_sha256` and the few options a spec may set,
 * see options/registry.ts), its validated form, and the parser that turns one
 * into the other. Validation runs before any network or disk work; every
 * field is checked and every refusal reported at once, each naming the field,
 * showing the (redacted) value and saying what is accepted.
 */
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { ProblemCollector, SpecError } from './errors.js'
import type { GitProtocol } from './net/protocols.js'
import { formatSize, KindProblem } from './options/kinds.js'
import { defaultNamer, type OptionNamer } from './options/names.js'
import { CORE_OPTIONS, type CoreOptionKey, type CoreOptionValues, type OptionDef } from './options/registry.js'
import { describeValue } from './redact.js'

/** A dataset entry as a user may write it. */
export type RawDataset = string | { url: string; sha256?: string }

/** The spec as it arrives: one JSON object (the original service's request body, extended). */
export interface RawJobSpec {
  git_url: string
  commit_hash: string
  /** One URL, a list of URLs, or a list of `{url, sha256}` objects; absent for a code-only job. */
  data_url?: RawDataset | RawDataset[] | null
  /** Pinned sha256 digests, matching `data_url` by position (an alternative to `{url, sha256}`). */
  data_sha256?: string | string[] | null
  command: string
  job_id?: string | null
  /** false, true or "recursive" (or the words as strings). */
  submodules?: boolean | string | null
  base_image?: string | null
  /** auto, cuda, off, or a CUDA image reference. */
  gpu?: string | null
  use_repo_dockerfile?: boolean | string | null
  lfs?: boolean | string | null
}

/** The spec's own fields; options a spec may set (base_image, …) come from the registry. */
export const SPEC_FIELDS = ['git_url', 'commit_hash', 'data_url', 'data_sha256', 'command', 'job_id'] as const

/** Options a spec may set, by their name in the spec. */
export function specOptionFields(): Map<string, CoreOptionKey> {
  const out = new Map<string, CoreOptionKey>()
  for (const [key, def] of Object.entries(CORE_OPTIONS) as Array<[CoreOptionKey, OptionDef<unknown>]>) if (def.spec) out.set(def.spec, key)
  return out
}

/**
 * A field name as the core writes it in a problem (`data_url[1]`): the spec's
 * name and the list position, if any. Undefined for anything else (an option
 * key, "spec"). The shells use it to say where the user wrote the value.
 */
export function splitFieldPath(field: string): { name: string; index?: number } | undefined {
  const m = /^([a-z][a-z0-9_]*)(?:\[(\d+)\])?$/.exec(field)
  if (!m?.[1]) return undefined
  return m[2] === undefined ? { name: m[1] } : { name: m[1], index: Number(m[2]) }
}

/** Every name a spec may use. */
export function specFieldNames(): string[] {
  return [...SPEC_FIELDS, ...specOptionFields().keys()]
}

export { GIT_PROTOCOLS, type GitProtocol } from './net/protocols.js'

export interface GitSource {
  /** What git is given as the remote URL (validated). */
  url: string
  protocol: GitProtocol
  /** `scheme://host[:port]` for http(s) remotes: where an auth header may be sent. */
  origin?: string
}

export interface CommitRef {
  /** Lower-case hex as given. */
  value: string
  /** 40 (SHA-1) or 64 (SHA-256) hex digits: fetched directly. Otherwise a prefix to resolve. */
  full: boolean
}

export interface DatasetSpec {
  url: URL
  sha256?: string
  /** The file name under data/, derived from the URL path and made unique. */
  fileName: string
}

export interface JobSpec {
  jobId: string
  git: GitSource
  commit: CommitRef
  datasets: DatasetSpec[]
  /** The command exactly as given, with CRLF line ends turned into LF. */
  command: string
  /** Options the spec set (base_image, …), checked; the caller's own options win over these. */
  options: Partial<CoreOptionValues>
}

export interface SpecPolicy {
  /** Git transports the caller allows. `https` only by default. */
  allowProtocols: ReadonlySet<GitProtocol>
  /** How the caller's user names options, so a refusal can say which one would allow the thing. */
  names?: OptionNamer
  /** Most datasets a spec may list (default: the registry's). */
  maxDatasets?: number
  /** Largest command, in bytes of UTF-8 (default: the registry's). */
  maxCommandBytes?: number
}

const HEX = /^[0-9a-f]+$/
const JOB_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i

/** Validates a raw spec. Throws one SpecError naming every bad field. */
export function parseJobSpec(raw: unknown, policy: SpecPolicy): JobSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError(
      'spec',
      'expected a JSON object',
      `an object with git_url, commit_hash, command and optional ${optionalFieldsText()}`
    )
  }
  const spec = raw as Record<string, unknown>
  const known = specFieldNames()
  const problems = new ProblemCollector()
  const unknown = Object.keys(spec).filter((k) => !known.includes(k))
  if (unknown.length > 0) {
    problems.add({
      field: 'spec',
      problem: `has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => describeValue(k, 40)).join(', ')}`,
      accepted: known.join(', ')
    })
  }
  const jobId = problems.check(() => parseJobId(spec.job_id))
  const git = problems.check(() => parseGitUrl(requireString(spec, 'git_url'), policy))
  const commit = problems.check(() => parseCommit(requireString(spec, 'commit_hash')))
  const datasets = problems.check(() => parseDatasets(spec.data_url, spec.data_sha256, policy))
  const command = problems.check(() => parseCommand(spec.command, policy))
  const options = parseSpecOptions(spec, problems)
  problems.throwIfAny()
  // Every check passed: none of these is undefined.
  return { jobId: jobId!, git: git!, commit: commit!, datasets: datasets!, command: command!, options }
}

function optionalFieldsText(): string {
  return specFieldNames()
    .filter((f) => !['git_url', 'commit_hash', 'command'].includes(f))
    .join(', ')
}

/** The options a spec may set, each checked by its kind; absent and null mean "not set". */
function parseSpecOptions(spec: Record<string, unknown>, problems: ProblemCollector): Partial<CoreOptionValues> {
  const options: Partial<Record<CoreOptionKey, unknown>> = {}
  for (const [field, key] of specOptionFields()) {
    const value = spec[field]
    if (value === undefined || value === null || value === '') continue
    try {
      options[key] = (CORE_OPTIONS[key] as OptionDef<unknown>).kind.fromJson(value)
    } catch (err) {
      if (!(err instanceof KindProblem)) throw err
      problems.add({ field, problem: err.problem, accepted: err.accepted })
    }
  }
  return options as Partial<CoreOptionValues>
}

function requireString(spec: Record<string, unknown>, field: string): string {
  const value = spec[field]
  if (value === undefined || value === null || value === '') {
    throw new SpecError(field, 'missing', acceptedFor(field))
  }
  if (typeof value !== 'string') throw new SpecError(field, `expected a string, got ${typeof value}`, acceptedFor(field))
  return value
}

function acceptedFor(field: string): string {
  switch (field) {
    case 'git_url':
      return 'an https:// repository URL (http://, ssh:// or user@host:path, and file:// or local paths only when allowed by an option)'
    case 'commit_hash':
      return 'a commit SHA: 40 or 64 hex digits, or an unambiguous prefix of at least 7'
    case 'command':
      return 'a non-empty shell command line (several lines allowed, no NUL character)'
    default:
      return 'a string'
  }
}

export function parseJobId(value: unknown): string {
  if (value === undefined || value === null || value === '') return randomUUID()
  const accepted = "1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'"
  if (typeof value !== 'string') throw new SpecError('job_id', `expected a string, got ${typeof value}`, accepted)
  if (!JOB_ID.test(value)) throw new SpecError('job_id', `${describeValue(value, 80)} is not a safe name`, accepted)
  return value
}

export function parseCommit(value: string): CommitRef {
  const v = value.trim().toLowerCase()
  const accepted = acceptedFor('commit_hash')
  if (!HEX.test(v)) {
    const why = v.startsWith('-')
      ? 'looks like an option'
      : /^(refs\/|heads\/|tags\/)|^(head|main|master)$/i.test(v) || /[~^:@{}]/.test(v)
        ? 'refs, branch names and revision expressions are not accepted'
        : 'contains characters other than hex digits'
    throw new SpecError('commit_hash', `${describeValue(value, 80)} ${why}`, accepted)
  }
  if (v.length === 40 || v.length === 64) return { value: v, full: true }
  if (v.length < 7 || v.length > 64) throw new SpecError('commit_hash', `${describeValue(value, 80)} has ${v.length} hex digits`, accepted)
  return { value: v, full: false }
}

export function parseCommand(value: unknown, policy: Pick<SpecPolicy, 'names' | 'maxCommandBytes'> = {}): string {
  const accepted = acceptedFor('command')
  if (value === undefined || value === null) throw new SpecError('command', 'missing', accepted)
  if (typeof value !== 'string') throw new SpecError('command', `expected a string, got ${typeof value}`, accepted)
  if (value.includes('\u0000')) throw new SpecError('command', 'contains a NUL character, which no shell can run', accepted)
  const command = value.replace(/\r\n/g, '\n')
  if (command.trim() === '') throw new SpecError('command', 'is empty', accepted)
  // Counted as stored: in run.sh and job.json, and in the Action's environment (see the option's default).
  const max = policy.maxCommandBytes ?? CORE_OPTIONS.maxCommandBytes.default
  const bytes = Buffer.byteLength(command)
  if (bytes > max) {
    const names = policy.names ?? defaultNamer
    throw new SpecError(
      'command',
      `is ${bytes} bytes long, more than the limit of ${formatSize(max)} (${names('maxCommandBytes')})`,
      `a command of at most ${formatSize(max)} bytes; put a longer program in a script in the repository, or raise the limit (${names('maxCommandBytes', formatSize(bytes))})`
    )
  }
  return command
}

/**
 * Git remote URLs. git itself runs with a protocol allow-list as a second line
 * of defence (see git-command-manager.ts); this is the first: anything git
 * could read as an option, a helper transport (`ext::`, `fd::`) or a local
 * path is refused unless the caller allowed that transport.
 */
export function parseGitUrl(value: string, policy: SpecPolicy): GitSource {
  const accepted = acceptedFor('git_url')
  const shown = describeValue(value)
  const refuse = (why: string): never => {
    throw new SpecError('git_url', `${shown} ${why}`, accepted)
  }
  if (value !== value.trim()) refuse('has leading or trailing white space')
  if (CONTROL.test(value)) refuse('contains control characters')
  if (ENCODED_CONTROL.test(value)) refuse('contains percent-encoded control characters')
  if (value.startsWith('-')) refuse('looks like a command-line option')
  if (/^[a-z][a-z0-9+.-]*::/i.test(value)) refuse('uses a git remote helper transport (like ext:: or fd::), which is never allowed')
  const allow = (protocol: GitProtocol): void => {
    if (!policy.allowProtocols.has(protocol)) {
      refuse(
        `uses the ${protocol} transport, which is not allowed here (allowed: ${[...policy.allowProtocols].join(', ')}; to allow it: ${allowing(policy, protocol)})`
      )
    }
  }

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase()
  if (scheme === undefined) {
    // scp-like `user@host:path`: git treats it as ssh when a colon comes before any slash.
    const scp = /^(?:([^@/:\s]+)@)?([^@/:\s]+):(.*)$/.exec(value)
    if (scp && !value.startsWith('/') && !value.startsWith('.')) {
      // A user name starting with "-" starts the whole value, refused above as an option.
      const [, , host, repoPath] = scp
      if (host!.startsWith('-')) refuse('has a host that starts with "-"')
      if (!repoPath || repoPath.startsWith('-')) refuse('has a path that is empty or starts with "-"')
      allow('ssh')
      return { url: value, protocol: 'ssh' }
    }
    // Anything else is a local path.
    allow('file')
    return { url: path.resolve(value), protocol: 'file' }
  }

  let url: URL
  try {
    url = new URL(value)
  } catch {
    return refuse('is not a valid URL')
  }
  const isSsh = scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git'
  // ssh://git@host/ names a login, not a secret; a password never belongs in the URL.
  if (url.password || (url.username && !isSsh))
    refuse('has credentials in it; pass a token through the token input or environment variable instead')
  if (url.hash) refuse('has a #fragment')
  switch (scheme) {
    case 'https':
    case 'http': {
      allow(scheme)
      if (url.search) refuse('has a ?query string')
      if (!url.hostname) refuse('has no host')
      if (url.pathname === '/' || url.pathname === '') refuse('has no repository path')
      return { url: url.href, protocol: scheme, origin: url.origin }
    }
    case 'ssh':
    case 'git+ssh':
    case 'ssh+git': {
      allow('ssh')
      // git hands "user@host" to ssh as one argument: a user name starting with "-" would be read as an option
      // (-oProxyCommand=…). git refuses it too; we say so before git runs. Percent-encoding does not hide it.
      if (safeDecode(url.username).startsWith('-')) refuse('has a user name that starts with "-"')
      if (!url.hostname || url.hostname.startsWith('-')) refuse('has a host that is empty or starts with "-"')
      if (url.pathname.startsWith('/-')) refuse('has a path that starts with "-"')
      return { url: value, protocol: 'ssh' }
    }
    case 'file':
      allow('file')
      if (url.hostname && url.hostname !== 'localhost') refuse('names a remote host in a file:// URL')
      return { url: url.href, protocol: 'file' }
    default:
      return refuse(`uses the unsupported scheme "${scheme}:"`)
  }
}

function parseDatasets(dataUrl: unknown, dataSha: unknown, policy: SpecPolicy): DatasetSpec[] {
  const entries: RawDataset[] =
    dataUrl === undefined || dataUrl === null || dataUrl === ''
      ? []
      : Array.isArray(dataUrl)
        ? (dataUrl as RawDataset[])
        : [dataUrl as RawDataset]
  const shas: unknown[] = dataSha === undefined || dataSha === null || dataSha === '' ? [] : Array.isArray(dataSha) ? dataSha : [dataSha]
  const acceptedUrl = 'an http(s) URL (http:// only when allowed by an option), or a list of them, or a list of {"url", "sha256"} objects'
  const problems = new ProblemCollector()
  if (shas.length > entries.length) {
    problems.add({
      field: 'data_sha256',
      problem: `has ${shas.length} digests for ${entries.length} URL(s)`,
      accepted: 'one sha256 per data_url, in the same order'
    })
  }
  const maxDatasets = policy.maxDatasets ?? CORE_OPTIONS.maxDatasets.default
  if (entries.length > maxDatasets) {
    const names = policy.names ?? defaultNamer
    problems.add({
      field: 'data_url',
      problem: `lists ${entries.length} datasets, more than the limit of ${maxDatasets} (${names('maxDatasets')})`,
      accepted: `at most ${maxDatasets} datasets; put many small files into one archive, or raise the limit (${names('maxDatasets', String(entries.length))})`
    })
  }
  const used = new Set<string>()
  // Each entry on its own, so that every bad one is reported.
  const datasets = entries.map((entry, i) => problems.check(() => parseDataset(entry, i)))
  problems.throwIfAny()
  return datasets.filter((d): d is DatasetSpec => d !== undefined)

  function parseDataset(entry: RawDataset, i: number): DatasetSpec {
    const field = entries.length > 1 ? `data_url[${i}]` : 'data_url'
    let urlText: unknown
    let sha: unknown = shas[i]
    if (typeof entry === 'string') urlText = entry
    else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const extra = Object.keys(entry).filter((k) => k !== 'url' && k !== 'sha256')
      if (extra.length) throw new SpecError(field, `unknown key ${describeValue(extra[0]!, 40)}`, '"url" and "sha256"')
      urlText = entry.url
      if (entry.sha256 !== undefined) {
        if (sha !== undefined && sha !== '') throw new SpecError(field, 'has a sha256 both inline and in data_sha256', 'one of the two')
        sha = entry.sha256
      }
    } else throw new SpecError(field, `expected a URL string or object, got ${Array.isArray(entry) ? 'a list' : typeof entry}`, acceptedUrl)
    if (typeof urlText !== 'string' || urlText === '') throw new SpecError(field, 'missing URL', acceptedUrl)
    const url = parseDataUrl(urlText, field, policy, acceptedUrl)
    const sha256 = parseSha256(sha, entries.length > 1 ? `data_sha256[${i}]` : 'data_sha256')
    const fileName = uniqueName(dataFileName(url), used)
    return { url, sha256, fileName }
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** How the user would allow one more transport, in their shell's words. */
function allowing(policy: SpecPolicy, protocol: GitProtocol): string {
  return (policy.names ?? defaultNamer)('allowProtocols', [...policy.allowProtocols, protocol].join(','))
}

function parseDataUrl(text: string, field: string, policy: SpecPolicy, accepted: string): URL {
  const refuse = (why: string): never => {
    throw new SpecError(field, `${describeValue(text)} ${why}`, accepted)
  }
  if (text !== text.trim()) refuse('has leading or trailing white space')
  if (CONTROL.test(text)) refuse('contains control characters')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return refuse('is not a valid absolute URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse(`uses the scheme "${url.protocol}"`)
  if (url.protocol === 'http:' && !policy.allowProtocols.has('http'))
    refuse(`uses plain http://, which is not allowed here (to allow it: ${allowing(policy, 'http')})`)
  if (url.username || url.password) refuse('has credentials in it')
  if (!url.hostname) refuse('has no host')
  url.hash = ''
  return url
}

export function parseSha256(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const accepted = '64 hex digits, optionally prefixed with "sha256:"'
  if (typeof value !== 'string') throw new SpecError(field, `expected a string, got ${typeof value}`, accepted)
  const hex = value
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '')
  if (hex.length !== 64 || !HEX.test(hex)) throw new SpecError(field, `${describeValue(value, 80)} is not a sha256 digest`, accepted)
  return hex
}

/**
 * The dataset's file name: the URL path's last segment, decoded and made safe
 * so it can only ever name a file directly inside data/. Content-Disposition
 * is never consulted: the server does not choose where we write.
 *
 * Besides separators and control characters, bidirectional-text controls are
 * replaced: U+202E makes "report\u202Egpj.exe" read as "reportexe.jpg" in a log,
 * a terminal or the job summary. A long name is cut on a character boundary,
 * never inside one: a cut UTF-8 sequence or surrogate pair would become U+FFFD
 * on disk, and the file would no longer have the name the manifest gives it.
 */
export function dataFileName(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? ''
  let name: string
  try {
    name = decodeURIComponent(segment)
  } catch {
    name = segment
  }
  name = name
    .replace(UNSAFE_IN_NAME, '_')
    .replace(/^[.\s-]+/, '')
    .trim()
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    const ext = cutUtf8(path.extname(name), MAX_EXT_BYTES)
    name = cutUtf8(name.slice(0, name.length - path.extname(name).length), MAX_NAME_BYTES - Buffer.byteLength(ext)) + ext
  }
  return name === '' ? 'dataset' : name
}

/**
 * Path separators, characters other systems refuse in names, C0/C1 controls, line and paragraph separators, bidi
 * controls, and lone surrogates (no file system name can hold one; `u` makes the class skip proper pairs).
 */
// eslint-disable-next-line no-control-regex -- control characters must not reach a file name
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff/\\:*?"<>|]/gu
const MAX_NAME_BYTES = 200
const MAX_EXT_BYTES = 20

/** The longest start of `text` that fits in `maxBytes` of UTF-8 and ends on a user-perceived character boundary. */
function cutUtf8(text: string, maxBytes: number): string {
  let out = ''
  let bytes = 0
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    bytes += Buffer.byteLength(segment)
    if (bytes > maxBytes) break
    out += segment
  }
  return out
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name
  const ext = path.extname(name)
  const stem = ext ? name.slice(0, -ext.length) : name
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`
  used.add(candidate.toLowerCase())
  return candidate
}
