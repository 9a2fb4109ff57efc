/**
 * Reads the Action's inputs into one typed settings object: the raw job spec
 * (the `spec` input merged with the individual inputs), the core's
 * PackOptions, and the Action's own settings (token, upload, cache).
 *
 * Only syntax is checked here (numbers, booleans, JSON, merge conflicts);
 * the job spec itself is validated by the core, which names the bad field.
 * Every error is a SpecError whose field is the input's name as the user
 * wrote it in `with:`.
 *
 * Merge rules for `spec` and the individual inputs ("Spec and inputs" in
 * docs/ACTION.md):
 * - git-url, commit-hash, data-url, data-sha256, command decide *what* is
 *   packaged. Given in one place, that value is used. Given in both with the
 *   same value (after normalising case, line ends and one-vs-list), fine.
 *   Given in both with different values: an error naming both, because one
 *   of two disagreeing sources is a wiring mistake and silently preferring
 *   either would package the wrong thing.
 * - job-id only *names* the output. The input replaces spec.job_id: the
 *   workflow owns its artifact names (they must be unique in a run, e.g.
 *   `${{ github.run_id }}-${{ strategy.job-index }}`), whatever a caller sent.
 * - Any spec field the packager does not know is an error.
 */
import * as core from '@actions/core'
import { GIT_PROTOCOLS, redactUrl, SPEC_FIELDS, SpecError, type GitProtocol, type Limits, type PackOptions } from '../core/index.js'
import { parseByteSize } from '../core/index.js'

/** The spec fields, and the input that can also set each. */
export const FIELD_INPUTS = {
  git_url: 'git-url',
  commit_hash: 'commit-hash',
  data_url: 'data-url',
  data_sha256: 'data-sha256',
  command: 'command',
  job_id: 'job-id'
} as const satisfies Record<(typeof SPEC_FIELDS)[number], string>

export type SpecField = keyof typeof FIELD_INPUTS

/** Where a field of the merged spec came from, so errors can name the place the user has to fix. */
export type FieldSource = 'spec' | 'input'

export interface UploadSettings {
  enabled: boolean
  /** Undefined: the repository's default retention. */
  retentionDays?: number
}

export interface ActionSettings {
  /** The job spec to hand to packJob; validated there. */
  spec: Record<string, unknown>
  sources: Partial<Record<SpecField, FieldSource>>
  /** Set when the job-id input replaced a different spec.job_id (worth a log line). */
  replacedJobId?: string
  /** PackOptions from the inputs; the shell adds logger, signal, token and cache. */
  options: Omit<PackOptions, 'logger' | 'signal' | 'token' | 'datasetCache'>
  /** The token input as given (empty: none). */
  token: string
  /** The one origin the token may be sent to; undefined: never. */
  tokenOrigin?: string
  upload: UploadSettings
  /** Use the runner's tool cache for pinned datasets. */
  datasetCache: boolean
}

export function getInputs(): ActionSettings {
  const { spec, sources, replacedJobId } = mergeSpec(parseSpecInput(core.getInput('spec')), readFieldInputs())
  const limits: Partial<Limits> = {
    maxDatasetBytes: optionalSize('max-dataset-bytes'),
    maxCheckoutBytes: optionalSize('max-checkout-bytes'),
    maxCheckoutFiles: optionalInt('max-checkout-files'),
    timeoutMs: optionalInt('timeout', { scale: 1000 }),
    idleTimeoutMs: optionalInt('idle-timeout', { scale: 1000 }),
    maxRedirects: optionalInt('max-redirects'),
    attempts: optionalInt('attempts', { min: 1 }),
    retryDelayMs: optionalInt('retry-delay-ms')
  }
  // Left out rather than undefined, so the core's defaults apply and logs stay short.
  for (const key of Object.keys(limits) as (keyof Limits)[]) if (limits[key] === undefined) delete limits[key]
  return {
    spec,
    sources,
    replacedJobId,
    options: {
      outDir: core.getInput('output-dir') || 'jobs',
      allowProtocols: parseProtocols(core.getInput('allow-protocols')),
      allowPrivateNetwork: booleanInput('allow-private-network', false),
      limits,
      compressionLevel: optionalInt('compression-level', { min: 1, max: 9 }),
      baseImage: core.getInput('base-image') || undefined,
      useRepoDockerfile: booleanInput('use-repo-dockerfile', false)
    },
    token: core.getInput('token'),
    tokenOrigin: parseOrigin(core.getInput('token-origin')),
    upload: {
      enabled: booleanInput('upload', true),
      retentionDays: optionalInt('retention-days', { min: 1 })
    },
    datasetCache: booleanInput('dataset-cache', true)
  }
}

/** The token to hand to the core: only when the repository is on the token's origin. */
export function tokenForRepository(settings: Pick<ActionSettings, 'token' | 'tokenOrigin' | 'spec'>): {
  token?: string
  withheldFrom?: string
} {
  if (!settings.token) return {}
  const gitUrl = settings.spec.git_url
  let origin: string | undefined
  try {
    if (typeof gitUrl === 'string' && /^https?:\/\//i.test(gitUrl)) origin = new URL(gitUrl).origin
  } catch {
    // Not a URL: the core refuses it with a proper message; no token either way.
  }
  // ssh and local remotes never use the token (the core only sends it over http(s)).
  if (origin === undefined) return {}
  if (settings.tokenOrigin !== undefined && origin === settings.tokenOrigin) return { token: settings.token }
  return { withheldFrom: origin }
}

// ---------------------------------------------------------------------------
// spec + individual inputs
// ---------------------------------------------------------------------------

export function parseSpecInput(text: string): Record<string, unknown> {
  // toJSON() of a missing client_payload is "null": the same as no spec.
  if (text === '' || text === 'null') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new SpecError(
      'spec',
      `is not valid JSON (${(err as Error).message})`,
      "a JSON object like the seed service's request body, e.g. ${{ toJSON(github.event.client_payload) }}"
    )
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SpecError(
      'spec',
      `is ${Array.isArray(value) ? 'a JSON list' : `JSON ${typeof value}`}, not an object`,
      'a JSON object with git_url, commit_hash, command and optional data_url, data_sha256, job_id'
    )
  }
  const spec = value as Record<string, unknown>
  const unknown = Object.keys(spec).filter((k) => !(k in FIELD_INPUTS))
  if (unknown.length > 0) {
    const names = unknown.map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)).join(', ')
    throw new SpecError('spec', `has unknown field${unknown.length > 1 ? 's' : ''} ${names}`, `only ${SPEC_FIELDS.join(', ')}`)
  }
  return spec
}

/** The individual inputs that can set a spec field; empty inputs are absent (the runner cannot tell them apart). */
function readFieldInputs(): Partial<Record<SpecField, unknown>> {
  const given: Partial<Record<SpecField, unknown>> = {}
  for (const [field, input] of Object.entries(FIELD_INPUTS) as [SpecField, string][]) {
    if (field === 'data_url' || field === 'data_sha256') {
      // One per line: URLs may contain commas, so only new lines separate.
      const lines = core
        .getMultilineInput(input)
        .map((l) => l.trim())
        .filter(Boolean)
      if (lines.length > 0) given[field] = lines
    } else {
      const value = core.getInput(input)
      if (value !== '') given[field] = value
    }
  }
  return given
}

export function mergeSpec(
  spec: Record<string, unknown>,
  inputs: Partial<Record<SpecField, unknown>>
): { spec: Record<string, unknown>; sources: Partial<Record<SpecField, FieldSource>>; replacedJobId?: string } {
  const merged: Record<string, unknown> = {}
  const sources: Partial<Record<SpecField, FieldSource>> = {}
  let replacedJobId: string | undefined
  for (const field of Object.keys(FIELD_INPUTS) as SpecField[]) {
    const fromSpec = absent(spec[field]) ? undefined : spec[field]
    const fromInput = inputs[field]
    if (fromSpec === undefined && fromInput === undefined) continue
    if (fromInput === undefined) {
      merged[field] = fromSpec
      sources[field] = 'spec'
    } else if (fromSpec === undefined) {
      merged[field] = fromInput
      sources[field] = 'input'
    } else if (field === 'job_id') {
      merged[field] = fromInput
      sources[field] = 'input'
      if (fromSpec !== fromInput) replacedJobId = typeof fromSpec === 'string' ? fromSpec : JSON.stringify(fromSpec)
    } else if (comparable(field, fromSpec) === comparable(field, fromInput)) {
      // Same value twice: keep the spec's form (it may carry {url, sha256} objects).
      merged[field] = fromSpec
      sources[field] = 'spec'
    } else {
      throw new SpecError(
        FIELD_INPUTS[field],
        `conflicts with spec.${field}: the input says ${show(fromInput)}, the spec says ${show(fromSpec)}`,
        `the field in one place only (the spec or the ${FIELD_INPUTS[field]} input), or the same value in both`
      )
    }
  }
  return { spec: merged, sources, replacedJobId }
}

function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

/** A canonical string for "is this the same value", per field. */
function comparable(field: SpecField, value: unknown): string {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])
  switch (field) {
    case 'commit_hash':
      return typeof value === 'string' ? value.trim().toLowerCase() : JSON.stringify(value)
    case 'command':
      return typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : JSON.stringify(value)
    case 'data_url':
      // "u", ["u"] and [{"url": "u"}] name the same dataset list.
      return JSON.stringify(list(value).map((e) => (e && typeof e === 'object' && !Array.isArray(e) ? (e as { url?: unknown }).url : e)))
    case 'data_sha256':
      return JSON.stringify(
        list(value).map((e) =>
          typeof e === 'string'
            ? e
                .trim()
                .toLowerCase()
                .replace(/^sha256:/, '')
            : e
        )
      )
    default:
      return typeof value === 'string' ? value.trim() : JSON.stringify(value)
  }
}

/** A user value for an error message: no URL secrets, bounded, control characters visible (JSON). */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  const redacted = redactUrl(text)
  return redacted.length > 200 ? `${redacted.slice(0, 200)}… (${redacted.length} characters)` : redacted
}

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

/** YAML 1.2 core-schema booleans, like core.getBooleanInput, but failing with the input's name. */
export function booleanInput(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name)
  if (raw === '') return fallback
  if (['true', 'True', 'TRUE'].includes(raw)) return true
  if (['false', 'False', 'FALSE'].includes(raw)) return false
  throw new SpecError(name, `${JSON.stringify(raw)} is not a boolean`, 'true or false')
}

export function optionalInt(name: string, opts: { min?: number; max?: number; scale?: number } = {}): number | undefined {
  const raw = core.getInput(name)
  if (raw === '') return undefined
  const min = opts.min ?? 0
  const n = Number(raw)
  const range = opts.max !== undefined ? `from ${min} to ${opts.max}` : `of at least ${min}`
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n * (opts.scale ?? 1)) || n < min || (opts.max !== undefined && n > opts.max)) {
    throw new SpecError(name, `${JSON.stringify(raw)} is not a whole number ${range}`, `a whole number ${range}`)
  }
  return n * (opts.scale ?? 1)
}

function optionalSize(name: string): number | undefined {
  const raw = core.getInput(name)
  return raw === '' ? undefined : parseByteSize(raw, name)
}

export function parseProtocols(raw: string): GitProtocol[] | undefined {
  if (raw === '') return undefined
  const list = raw
    .split(/[\s,]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
  for (const p of list) {
    if (!(GIT_PROTOCOLS as readonly string[]).includes(p)) {
      throw new SpecError(
        'allow-protocols',
        `${JSON.stringify(p)} is not a transport we know`,
        `a comma-separated list of ${GIT_PROTOCOLS.join(', ')}`
      )
    }
  }
  return list as GitProtocol[]
}

function parseOrigin(raw: string): string | undefined {
  if (raw === '') return undefined
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new SpecError(
      'token-origin',
      `${JSON.stringify(redactUrl(raw))} is not an http(s) origin`,
      'scheme://host[:port], e.g. https://github.com, or empty to never send the token'
    )
  }
  return url.origin
}

// ---------------------------------------------------------------------------
// Errors from the core, in the Action's vocabulary
// ---------------------------------------------------------------------------

/** Core option fields and the inputs that set them. */
const OPTION_INPUTS: Record<string, string> = {
  base_image: 'base-image',
  allow_protocols: 'allow-protocols',
  compression_level: 'compression-level',
  'limits.maxDatasetBytes': 'max-dataset-bytes',
  'limits.maxCheckoutBytes': 'max-checkout-bytes',
  'limits.maxCheckoutFiles': 'max-checkout-files',
  'limits.timeoutMs': 'timeout',
  'limits.idleTimeoutMs': 'idle-timeout',
  'limits.maxRedirects': 'max-redirects',
  'limits.attempts': 'attempts',
  'limits.retryDelayMs': 'retry-delay-ms'
}

/**
 * The core names spec fields the way the seed does (`commit_hash`,
 * `data_url[1]`); a workflow author has to find the value in `with:`
 * instead. Returns the name of what to fix: the input (`commit-hash`,
 * `data-url line 2`) or the spec's field (`spec.commit_hash`).
 */
export function inputLabel(field: string, sources: Partial<Record<SpecField, FieldSource>>): string {
  const m = /^([a-z][a-z0-9_]*)(?:\[(\d+)\])?$/.exec(field)
  const base = m?.[1]
  if (base && base in FIELD_INPUTS) {
    const index = m[2] === undefined ? undefined : Number(m[2])
    const input = `${FIELD_INPUTS[base as SpecField]}${index === undefined ? '' : ` line ${index + 1}`}`
    const source = sources[base as SpecField]
    // Given nowhere (e.g. missing): either place would do.
    return source === 'input' ? input : source === 'spec' ? `spec.${field}` : `${input} (or spec.${field})`
  }
  return OPTION_INPUTS[field] ?? field
}

/** The same error with the field named as the user wrote it (an input, or a field of `spec`). */
export function relabelSpecError(err: SpecError, sources: Partial<Record<SpecField, FieldSource>>): SpecError {
  const label = inputLabel(err.field, sources)
  return label === err.field ? err : err.withField(label)
}
