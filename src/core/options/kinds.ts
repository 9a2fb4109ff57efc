/**
 * Value kinds of the option registry: how a value written by a user (a CLI
 * flag's text, an Action input's text, a JSON value in a spec) becomes the
 * typed value the core uses, and how a value handed over by a library caller
 * is checked. Each kind says what it accepts in words, so every refusal can
 * say it too.
 *
 * A kind throws `KindProblem` (what is wrong, what is accepted) and never
 * names the option: the caller knows under which name the user wrote it.
 */
import { SpecError } from '../errors.js'
import { describeValue } from '../redact.js'
import { parseByteSize } from '../units.js'

export class KindProblem extends Error {
  constructor(
    readonly problem: string,
    readonly accepted: string
  ) {
    super(problem)
    this.name = 'KindProblem'
  }
}

export interface Kind<T> {
  /** Placeholder in help text (`N`, `SIZE`, `LIST`); booleans have none. */
  readonly metavar?: string
  /** What is accepted, in words, for error messages and docs. */
  readonly accepted: string
  /** Text from a flag or an input. */
  parse(text: string): T
  /** A value from a JSON spec: the kind's JSON form, or its text form. */
  fromJson(value: unknown): T
  /** A value from a library caller, already in the core's units. */
  check(value: unknown): T
  /** The value as a user would write it (docs, defaults). */
  format(value: T): string
}

/** A JSON value with the same checks as text: JSON strings go through `parse`. */
function viaText<T>(kind: Omit<Kind<T>, 'fromJson'>, json: (value: unknown) => T | undefined): Kind<T> {
  return {
    ...kind,
    fromJson(value) {
      if (typeof value === 'string') return kind.parse(value)
      const v = json(value)
      if (v === undefined) throw new KindProblem(`${describeJson(value)} has the wrong type`, kind.accepted)
      return v
    }
  }
}

function describeJson(value: unknown): string {
  return typeof value === 'string' ? describeValue(value, 80) : (JSON.stringify(value) ?? String(value)).slice(0, 80)
}

export function booleanKind(): Kind<boolean> {
  const accepted = 'true or false'
  // YAML 1.2 core booleans, the forms @actions/core's getBooleanInput takes.
  const parse = (text: string): boolean => {
    const t = text.trim()
    if (['true', 'True', 'TRUE'].includes(t)) return true
    if (['false', 'False', 'FALSE'].includes(t)) return false
    throw new KindProblem(`${describeValue(text, 80)} is not a boolean`, accepted)
  }
  return viaText<boolean>(
    {
      accepted,
      parse,
      check: (v) => {
        if (typeof v !== 'boolean') throw new KindProblem(`${describeJson(v)} is not a boolean`, accepted)
        return v
      },
      format: String
    },
    (v) => (typeof v === 'boolean' ? v : undefined)
  )
}

interface Range {
  min: number
  max?: number
}

function rangeText({ min, max }: Range, unit = ''): string {
  return max === undefined ? `a whole number${unit} of at least ${min}` : `a whole number${unit} from ${min} to ${max}`
}

function checkWhole(n: number, range: Range, shown: string, accepted: string): number {
  if (!Number.isSafeInteger(n)) throw new KindProblem(`${shown} is not a whole number`, accepted)
  if (n < range.min || (range.max !== undefined && n > range.max)) throw new KindProblem(`${shown} is out of range`, accepted)
  return n
}

/**
 * A whole number. `scale` converts the user's unit into the core's (seconds
 * into milliseconds): users write `--timeout 60`, the core gets 60000.
 */
export function integerKind(range: Range, opts: { unit?: string; scale?: number; metavar?: string } = {}): Kind<number> {
  const scale = opts.scale ?? 1
  const accepted = rangeText(range, opts.unit ? ` of ${opts.unit}` : '')
  const fromUser = (n: number, shown: string): number => checkWhole(n, range, shown, accepted) * scale
  return viaText(
    {
      metavar: opts.metavar ?? 'N',
      accepted,
      parse: (text) => {
        const t = text.trim()
        if (!/^\d+$/.test(t)) throw new KindProblem(`${describeValue(text, 80)} is not a whole number`, accepted)
        return fromUser(Number(t), describeValue(text, 80))
      },
      check: (v) => {
        if (typeof v !== 'number') throw new KindProblem(`${describeJson(v)} is not a number`, accepted)
        const coreRange = { min: range.min * scale, max: range.max === undefined ? undefined : range.max * scale }
        return checkWhole(v, coreRange, String(v), scale === 1 ? accepted : `${rangeText(coreRange)} (milliseconds)`)
      },
      format: (v) => String(v / scale)
    },
    (v) => (typeof v === 'number' ? fromUser(v, String(v)) : undefined)
  )
}

/** A size in bytes: `1048576`, `500M`, `5G` (powers of 1024). */
export function sizeKind(range: Range): Kind<number> {
  const accepted = `a number of bytes, optionally with K, M, G or T (powers of 1024), e.g. 500M; at least ${range.min}`
  const inRange = (n: number, shown: string): number => checkWhole(n, range, shown, accepted)
  return viaText(
    {
      metavar: 'SIZE',
      accepted,
      parse: (text) => {
        let n: number
        try {
          n = parseByteSize(text)
        } catch {
          throw new KindProblem(`${describeValue(text, 80)} is not a size`, accepted)
        }
        return inRange(n, describeValue(text, 80))
      },
      check: (v) => {
        if (typeof v !== 'number') throw new KindProblem(`${describeJson(v)} is not a number of bytes`, accepted)
        return inRange(v, String(v))
      },
      format: formatSize
    },
    (v) => (typeof v === 'number' ? inRange(v, String(v)) : undefined)
  )
}

/** The shortest exact spelling of a byte count: 5368709120 → "5G". */
export function formatSize(n: number): string {
  for (const [suffix, unit] of [
    ['T', 1024 ** 4],
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024]
  ] as const) {
    if (n >= unit && n % unit === 0) return `${n / unit}${suffix}`
  }
  return String(n)
}

/** One of a fixed set of words. */
export function enumKind<const V extends string>(values: readonly V[]): Kind<V> {
  const accepted = `one of ${values.join(', ')}`
  const parse = (text: string): V => {
    const t = text.trim().toLowerCase()
    const found = values.find((v) => v === t)
    if (found === undefined) throw new KindProblem(`${describeValue(text, 80)} is not one of the choices`, accepted)
    return found
  }
  return viaText(
    {
      metavar: values.join('|'),
      accepted,
      parse,
      check: (v) => (typeof v === 'string' ? parse(v) : parse(String(v))),
      format: (v) => v
    },
    // JSON true/false for an enum that has them as words (e.g. lfs: true).
    (v) => (typeof v === 'boolean' ? parse(String(v)) : undefined)
  )
}

/** A set of words from a fixed list: `https,http` (commas or spaces), or a JSON list. */
export function enumListKind<const V extends string>(values: readonly V[]): Kind<V[]> {
  const accepted = `a comma-separated list of ${values.join(', ')}`
  const fromList = (items: unknown[]): V[] => {
    const out: V[] = []
    for (const item of items) {
      const word = typeof item === 'string' ? item.trim().toLowerCase() : item
      const found = values.find((v) => v === word)
      if (found === undefined) throw new KindProblem(`${describeJson(item)} is not one of ${values.join(', ')}`, accepted)
      if (!out.includes(found)) out.push(found)
    }
    if (out.length === 0) throw new KindProblem('is empty', accepted)
    return out
  }
  return viaText(
    {
      metavar: 'LIST',
      accepted,
      parse: (text) => fromList(text.split(/[\s,]+/).filter(Boolean)),
      check: (v) => {
        if (!Array.isArray(v)) throw new KindProblem(`${describeJson(v)} is not a list`, accepted)
        return fromList(v)
      },
      format: (v) => v.join(',')
    },
    (v) => (Array.isArray(v) ? fromList(v) : undefined)
  )
}

/**
 * Free text, checked by `validate` (which may normalise it). Empty text means
 * "not given" and never reaches a kind: the shells drop empty values first.
 */
export function textKind(metavar: string, accepted: string, validate: (text: string) => string = (t) => t): Kind<string> {
  const run = (text: string): string => {
    try {
      return validate(text)
    } catch (err) {
      if (err instanceof KindProblem) throw err
      // Validators shared with the core's own checks (e.g. parseBaseImage) throw SpecErrors.
      if (err instanceof SpecError) throw new KindProblem(err.problem, err.accepted)
      throw new KindProblem(`${describeValue(text, 80)} ${err instanceof Error ? err.message : String(err)}`, accepted)
    }
  }
  return viaText(
    {
      metavar,
      accepted,
      parse: run,
      check: (v) => {
        if (typeof v !== 'string') throw new KindProblem(`${describeJson(v)} is not a string`, accepted)
        return run(v)
      },
      format: (v) => v
    },
    () => undefined
  )
}

/**
 * `scheme://host[:port]` of an http(s) URL; the empty string stays empty and
 * means "nowhere" (for token-origin: never send the token).
 */
export function originKind(): Kind<string> {
  return textKind('ORIGIN', 'an http(s) origin, scheme://host[:port], e.g. https://github.com; or empty for none', (text) => {
    if (text === '') return ''
    let url: URL
    try {
      url = new URL(text.trim())
    } catch {
      throw new Error('is not a URL')
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('is not an http(s) URL')
    if (url.username || url.password) throw new Error('has credentials in it')
    return url.origin
  })
}

/** A positive decimal number with at most three decimals (`1.5` CPUs), within `range`. */
export function decimalKind(range: { min: number; max: number }, metavar = 'N'): Kind<number> {
  const accepted = `a number from ${range.min} to ${range.max}, up to three decimals (e.g. 1.5)`
  const inRange = (n: number, shown: string): number => {
    if (!Number.isFinite(n) || n < range.min || n > range.max) throw new KindProblem(`${shown} is out of range`, accepted)
    return n
  }
  const parse = (text: string): number => {
    const t = text.trim()
    if (!/^\d+(?:\.\d{1,3})?$/.test(t)) throw new KindProblem(`${describeValue(text, 80)} is not a number`, accepted)
    return inRange(Number(t), t)
  }
  return viaText(
    {
      metavar,
      accepted,
      parse,
      check: (v) => {
        if (typeof v !== 'number') throw new KindProblem(`${describeJson(v)} is not a number`, accepted)
        return inRange(v, String(v))
      },
      format: (v) => String(v)
    },
    (v) => (typeof v === 'number' ? inRange(v, String(v)) : undefined)
  )
}
