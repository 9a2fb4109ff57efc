/**
 * Reads the Action's inputs into one typed settings object: the raw job spec
 * (the `spec` input merged with the individual inputs), the core's
 * PackOptions, and the Action's own settings (upload, cache). Which inputs
 * exist, how each is parsed and what it defaults to all come from the option
 * registry (core/options/registry.ts); action.yml is generated from the same
 * table.
 *
 * Every problem is collected — bad input values, merge conflicts, and the
 * core's verdict on the merged spec — and thrown as one SpecError, each
 * problem named as the workflow author wrote it: the input (`commit-hash`,
 * `data-url line 2`) or the spec's field (`spec.commit_hash`).
 *
 * Merge rules for `spec` and the individual inputs ("Spec and inputs" in
 * docs/ACTION.md):
 * - the spec fields (git-url, commit-hash, data-url, data-sha256, command)
 *   and the options a spec may set (base-image, use-repo-dockerfile) decide
 *   *what* is packaged. Given in one place, that value is used. Given in both
 *   with the same value (after normalising case, line ends and one-vs-list),
 *   fine. Given in both with different values: an error naming both, because
 *   one of two disagreeing sources is a wiring mistake and silently
 *   preferring either would package the wrong thing.
 * - job-id only *names* the output. The input replaces spec.job_id: the
 *   workflow owns its artifact names (they must be unique in a run, e.g.
 *   `${{ github.run_id }}-${{ strategy.job-index }}`), whatever a caller sent.
 * - Any spec field the packager does not know is an error.
 */
import * as core from '@actions/core'
import { ATTEST_PERMISSIONS, attestUnavailable } from './provenance.js'
import {
  ALL_OPTIONS,
  CORE_OPTIONS,
  KindProblem,
  optionDef,
  ProblemCollector,
  redactUrl,
  SHELL_OPTIONS,
  SpecError,
  specFieldNames,
  splitFieldPath,
  validateJob,
  type CoreOptionKey,
  type DatasetCacheMode,
  type OptionDef,
  type OptionKey,
  type OptionNamer,
  type PackOptions,
  type ShellOptionValues
} from '../core/index.js'

/** Where a field of the merged spec came from, so errors can name the place the user has to fix. */
export type FieldSource = 'spec' | 'input'

export interface UploadSettings {
  enabled: boolean
  /** Undefined: the repository's default retention. */
  retentionDays?: number
  /** Replace an artifact of the same name in this run. */
  overwrite: boolean
}

export interface ActionSettings {
  /** The job spec to hand to packJob (already validated once, with the options). */
  spec: Record<string, unknown>
  sources: Partial<Record<string, FieldSource>>
  /** Set when the job-id input replaced a different spec.job_id (worth a log line). */
  replacedJobId?: string
  /** PackOptions from the inputs; the shell adds logger, signal and cache. */
  options: Omit<PackOptions, 'logger' | 'signal' | 'datasetCache'>
  upload: UploadSettings
  /** Where pinned datasets are kept between runs (dataset-caches.ts chooses the store). */
  datasetCache: DatasetCacheMode
  /** Write (and upload) the provenance statement; sign it when attest is set. */
  provenance: { enabled: boolean; attest: boolean; githubToken?: string }
}

/** How the Action names an option in a message: its input, or how to set it (`allow-private-network: true`). */
export const actionNamer: OptionNamer = (key, value) => {
  const input = optionDef(key)?.action?.input ?? key
  return value === undefined ? input : `${input}: ${value}`
}

/** The spec's field names and the input that can also set each: the spec fields, then the options a spec may set. */
export function fieldInputs(): Map<string, string> {
  const out = new Map<string, string>()
  for (const [, def] of ALL_OPTIONS) if (def.spec && def.action) out.set(def.spec, def.action.input)
  return out
}

function readInput(def: OptionDef<unknown>): string | string[] | undefined {
  if (!def.action) return undefined
  if (def.action.multiline) {
    // One per line: URLs may contain commas, so only new lines separate.
    const lines = core
      .getMultilineInput(def.action.input)
      .map((l) => l.trim())
      .filter(Boolean)
    return lines.length > 0 ? lines : undefined
  }
  // Empty inputs are absent (the runner cannot tell "not given" from "given empty"), unless empty is itself a value.
  const value = core.getInput(def.action.input)
  return value === '' && !def.action.emptyIsValue ? undefined : value
}

export function getInputs(): ActionSettings {
  const problems = new ProblemCollector()

  // Options (core and shell): each input through its kind, named by the input on failure.
  const core_: Partial<Record<CoreOptionKey, unknown>> = {}
  const shell: Partial<Record<string, unknown>> = {}
  const specInputs: Partial<Record<string, unknown>> = {}
  for (const [key, def] of ALL_OPTIONS) {
    if (!def.action || key === 'spec') continue
    const raw = readInput(def)
    if (raw === undefined) continue
    if (def.spec) {
      // Merged with the spec input below; a spec option is also checked by its kind there.
      specInputs[def.spec] = raw
      continue
    }
    try {
      const value = def.kind.parse(typeof raw === 'string' ? raw : raw.join('\n'))
      if (key in SHELL_OPTIONS) shell[key] = value
      else core_[key as CoreOptionKey] = value
    } catch (err) {
      if (!(err instanceof KindProblem)) throw err
      problems.add({ field: def.action.input, problem: def.secret ? 'is not valid' : err.problem, accepted: err.accepted })
    }
  }

  const fromSpec = problems.check(() => parseSpecInput(core.getInput('spec')))
  const merged = problems.check(() => mergeSpec(fromSpec ?? {}, specInputs))
  const spec = merged?.spec ?? {}
  const sources = merged?.sources ?? {}

  const options: ActionSettings['options'] = { ...(core_ as PackOptions), names: actionNamer }
  // The spec itself, with the options it will run under: every problem of both, named for the workflow.
  // (Not when the spec input itself is unusable: its fields would only be reported as missing.)
  if (fromSpec !== undefined && merged !== undefined) {
    try {
      validateJob(spec, options)
    } catch (err) {
      if (!(err instanceof SpecError)) throw err
      for (const p of err.relabel((field) => inputLabel(field, sources)).problems) problems.add(p)
    }
  }
  const s = shell as Partial<ShellOptionValues>
  const provenance = s.provenance ?? SHELL_OPTIONS.provenance.default
  const attest = s.attest ?? SHELL_OPTIONS.attest.default
  if (attest) {
    // Found now, not after the job is packaged and uploaded.
    if (!provenance)
      problems.add({
        field: 'attest',
        problem: 'is true but provenance is false',
        accepted: 'provenance: true (the default) to sign, or attest: false'
      })
    const why = attestUnavailable()
    if (why) problems.add({ field: 'attest', problem: why, accepted: `${ATTEST_PERMISSIONS}, or attest: false` })
  }
  problems.throwIfAny()
  return {
    spec,
    sources,
    replacedJobId: merged?.replacedJobId,
    options,
    upload: {
      enabled: s.upload ?? SHELL_OPTIONS.upload.default,
      retentionDays: s.retentionDays,
      overwrite: s.overwrite ?? SHELL_OPTIONS.overwrite.default
    },
    datasetCache: s.datasetCache ?? SHELL_OPTIONS.datasetCache.default,
    provenance: { enabled: provenance, attest, githubToken: s.githubToken }
  }
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
      'a JSON object with the job spec, e.g. ${{ toJSON(github.event.client_payload) }}'
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
  const known = specFieldNames()
  const unknown = Object.keys(spec).filter((k) => !known.includes(k))
  if (unknown.length > 0) {
    const names = unknown.map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)).join(', ')
    throw new SpecError('spec', `has unknown field${unknown.length > 1 ? 's' : ''} ${names}`, `only ${known.join(', ')}`)
  }
  return spec
}

export function mergeSpec(
  spec: Record<string, unknown>,
  inputs: Partial<Record<string, unknown>>
): { spec: Record<string, unknown>; sources: Partial<Record<string, FieldSource>>; replacedJobId?: string } {
  const merged: Record<string, unknown> = {}
  const sources: Partial<Record<string, FieldSource>> = {}
  const problems = new ProblemCollector()
  let replacedJobId: string | undefined
  for (const [field, input] of fieldInputs()) {
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
      problems.add({
        field: input,
        problem: `conflicts with spec.${field}: the input says ${show(fromInput)}, the spec says ${show(fromSpec)}`,
        accepted: `the field in one place only (the spec or the ${input} input), or the same value in both`
      })
    }
  }
  problems.throwIfAny()
  return { spec: merged, sources, replacedJobId }
}

function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

/** A canonical string for "is this the same value", per field. */
function comparable(field: string, value: unknown): string {
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
// Errors from the core, in the Action's vocabulary
// ---------------------------------------------------------------------------

/**
 * The core names spec fields the way a spec does (`commit_hash`,
 * `data_url[1]`); a workflow author has to find the value in `with:`
 * instead. Returns the name of what to fix: the input (`commit-hash`,
 * `data-url line 2`) or the spec's field (`spec.commit_hash`). Options the
 * core names through actionNamer are already inputs.
 */
export function inputLabel(field: string, sources: Partial<Record<string, FieldSource>>): string {
  const path = splitFieldPath(field)
  const base = path?.name
  const input = base === undefined ? undefined : fieldInputs().get(base)
  if (base !== undefined && input !== undefined) {
    const index = path?.index
    const named = `${input}${index === undefined ? '' : ` line ${index + 1}`}`
    const source = sources[base]
    // Given nowhere (e.g. missing): either place would do.
    return source === 'input' ? named : source === 'spec' ? `spec.${field}` : `${named} (or spec.${field})`
  }
  // A PackOptions key that reached here unnamed (a library default namer): its input.
  if (field in CORE_OPTIONS) return actionNamer(field as OptionKey)
  return field
}
