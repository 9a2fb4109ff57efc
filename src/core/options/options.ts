/**
 * PackOptions: everything about a packaging run other than the job spec. The
 * option values' names and types come from the registry (registry.ts);
 * what only a library caller can hand over (a logger, a cache, a signal, how
 * its user names options) is declared here.
 *
 * `resolveOptions` checks every value a caller gave (all problems at once),
 * and fills in the registry's defaults.
 */
import { ProblemCollector, type Problem } from '../errors.js'
import type { DatasetCache } from '../download/dataset-cache.js'
import type { Logger } from '../logger.js'
import { KindProblem } from './kinds.js'
import { defaultNamer, type OptionNamer } from './names.js'
import { CORE_OPTIONS, type CoreOptionKey, type CoreOptionValues, type OptionDef } from './registry.js'

export interface PackOptions extends Partial<CoreOptionValues> {
  /** Reuse datasets by sha256 (only for datasets with a pinned digest). */
  datasetCache?: DatasetCache
  logger?: Logger
  /** Cancels the run; everything written so far is removed. */
  signal?: AbortSignal
  /**
   * How the caller's user names options (a CLI flag, an Action input), for
   * messages like "more than the limit (--max-checkout-bytes)". Default: the
   * PackOptions key.
   */
  names?: OptionNamer
}

/** The limits, as the modules that enforce them take them. */
export type Limits = Pick<
  CoreOptionValues,
  | 'maxDatasetBytes'
  | 'maxTotalDatasetBytes'
  | 'maxDatasets'
  | 'maxCommandBytes'
  | 'maxCheckoutBytes'
  | 'maxFetchBytes'
  | 'maxCheckoutFiles'
  | 'maxSubmoduleDepth'
  | 'timeoutMs'
  | 'idleTimeoutMs'
  | 'maxRedirects'
  | 'attempts'
  | 'retryDelayMs'
>

const LIMIT_KEYS = [
  'maxDatasetBytes',
  'maxTotalDatasetBytes',
  'maxDatasets',
  'maxCommandBytes',
  'maxCheckoutBytes',
  'maxFetchBytes',
  'maxCheckoutFiles',
  'maxSubmoduleDepth',
  'timeoutMs',
  'idleTimeoutMs',
  'maxRedirects',
  'attempts',
  'retryDelayMs'
] as const satisfies ReadonlyArray<keyof Limits>

/** Options with every default filled in; the optional ones (no default) may still be undefined. */
export type ResolvedOptions = Omit<CoreOptionValues, 'baseImage' | 'token' | 'tokenOrigin' | 'dataToken' | 'dataTokenOrigin'> &
  Pick<Partial<CoreOptionValues>, 'baseImage' | 'token' | 'dataToken' | 'dataTokenOrigin'> & {
    /** Where the token may go: empty string for nowhere. */
    tokenOrigin: string
    limits: Limits
    names: OptionNamer
  }

function defaultOf<K extends CoreOptionKey>(key: K): CoreOptionValues[K] | undefined {
  const def = CORE_OPTIONS[key] as OptionDef<CoreOptionValues[K]>
  return def.default
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(
  Object.fromEntries(LIMIT_KEYS.map((k) => [k, defaultOf(k)])) as unknown as Limits
)

/**
 * The token's one origin when the caller names none: the GitHub server the
 * workflow runs against, else github.com. The same rule as the Action's
 * token-origin input default (`${{ github.server_url }}`).
 */
export function defaultTokenOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const server = env.GITHUB_SERVER_URL
  if (server) {
    try {
      return new URL(server).origin
    } catch {
      // Not a URL: fall through to the public server rather than guess.
    }
  }
  return 'https://github.com'
}

/** Checks every option the caller set and fills in the defaults. Throws one SpecError naming every bad option. */
export function resolveOptions(options: PackOptions): ResolvedOptions {
  const names = options.names ?? defaultNamer
  const problems = new ProblemCollector()
  const values: Partial<Record<CoreOptionKey, unknown>> = {}
  for (const [key, def] of Object.entries(CORE_OPTIONS) as Array<[CoreOptionKey, OptionDef<unknown>]>) {
    const given: unknown = options[key]
    if (given === undefined) {
      values[key] = def.default
      continue
    }
    try {
      values[key] = def.kind.check(given)
    } catch (err) {
      if (!(err instanceof KindProblem)) throw err
      problems.add({ field: names(key), problem: def.secret ? 'is not valid' : err.problem, accepted: err.accepted })
    }
  }
  problems.throwIfAny()
  const v = values as CoreOptionValues
  return {
    ...v,
    baseImage: v.baseImage || undefined,
    token: v.token || undefined,
    dataToken: v.dataToken || undefined,
    dataTokenOrigin: v.dataTokenOrigin || undefined,
    tokenOrigin: options.tokenOrigin === undefined ? defaultTokenOrigin() : v.tokenOrigin,
    limits: Object.fromEntries(LIMIT_KEYS.map((k) => [k, v[k]])) as unknown as Limits,
    names
  }
}

/**
 * Problems of options that are each valid but not together. Separate from
 * resolveOptions so that, reported with the spec's problems, they do not
 * make the spec be judged by the default policy instead of the caller's.
 */
export function optionConflicts(settings: ResolvedOptions): Problem[] {
  const problems: Problem[] = []
  // The data token has no default origin: the spec (possibly from outside) chooses the dataset URLs, so an origin
  // derived from them would let the spec choose who receives the token.
  if (settings.dataToken && !settings.dataTokenOrigin) {
    problems.push({
      field: settings.names('dataTokenOrigin'),
      problem: `is not set, but ${settings.names('dataToken')} is`,
      accepted: 'the one origin (scheme://host[:port]) the data token may be sent to, e.g. https://data.example.org'
    })
  }
  return problems
}
