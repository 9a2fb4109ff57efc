/**
 * Just enough of two version-range languages to answer one question: "does
 * some release of this line (Python 3.11, Node 22) satisfy the project's
 * declared range?" — PEP 440 specifiers for `requires-python`, and npm's
 * semver ranges for `engines.node` (Poetry's `python = "^3.10"` uses the same
 * operators). Anything outside the subset is reported as not understood rather
 * than guessed at, and nothing parsed here is ever written into a Dockerfile:
 * only a version from our own list of known image tags is.
 *
 * Versions are [major, minor, patch]; missing parts are 0. A range is a
 * predicate plus the versions it mentions, so `someIn` can check only the
 * points where the answer can change (the start of the line and every bound)
 * instead of enumerating releases.
 */

export type Version = readonly [number, number, number]

export interface VersionRange {
  test(v: Version): boolean
  /** Every version at which `test` may switch from false to true. */
  points: Version[]
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/** True when some version v with from <= v < to satisfies the range. */
export function someIn(range: VersionRange, from: Version, to: Version): boolean {
  const samples = [from, ...range.points].filter((p) => compareVersions(p, from) >= 0 && compareVersions(p, to) < 0)
  return samples.some((p) => range.test(p))
}

const NUM = /^(0|[1-9]\d{0,5})$/

// ---------------------------------------------------------------------------
// npm semver ranges (engines.node) and Poetry constraints
// ---------------------------------------------------------------------------

interface Interval {
  lo?: Version // inclusive
  hi?: Version // exclusive
}

const COMPARATOR = /^(<=|>=|~>|\^|~|<|>|=)?v?([0-9xX*]+(?:\.[0-9xX*]+){0,2})(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

/** Parses `>=18 <21`, `^20.11`, `20.x || 22`, `18 - 20`, `>=3.9,<3.13`; undefined if any part is not understood. */
export function parseSemverRange(text: string): VersionRange | undefined {
  if (text.length > 200) return undefined
  const alternatives: Interval[][] = []
  const points: Version[] = []
  for (const raw of text.split('||')) {
    const alt = raw.trim().replace(/\s*,\s*/g, ' ')
    const intervals: Interval[] = []
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(alt)
    if (hyphen) {
      const a = parsePartial(hyphen[1]!)
      const b = parsePartial(hyphen[2]!)
      if (!a || !b) return undefined
      intervals.push({ lo: a.count === 0 ? undefined : a.v, hi: b.count === 0 ? undefined : bump(b.v, b.count) })
    } else if (alt !== '') {
      // "> = 18" is not valid, but ">= 18" is common: glue an operator to the version after it.
      const tokens = alt.replace(/(<=|>=|~>|[<>=^~])\s+/g, '$1').split(/\s+/)
      for (const token of tokens) {
        const m = COMPARATOR.exec(token)
        if (!m) return undefined
        const part = parsePartial(m[2]!)
        if (!part) return undefined
        const interval = desugar(m[1] ?? '', part.v, part.count)
        if (!interval) return undefined
        intervals.push(interval)
      }
    }
    for (const i of intervals) if (i.lo) points.push(i.lo)
    alternatives.push(intervals)
  }
  if (alternatives.length === 0) return undefined
  const inside = (v: Version, i: Interval): boolean => (!i.lo || compareVersions(v, i.lo) >= 0) && (!i.hi || compareVersions(v, i.hi) < 0)
  return { test: (v) => alternatives.some((alt) => alt.every((i) => inside(v, i))), points }
}

/** `20` → ([20,0,0], 1); `20.x` → ([20,0,0], 1); `*` → ([0,0,0], 0). */
function parsePartial(text: string): { v: Version; count: number } | undefined {
  const parts = text.replace(/^v/, '').split('.')
  if (parts.length > 3) return undefined
  const nums: number[] = []
  for (const p of parts) {
    if (/^[xX*]$/.test(p)) break
    if (!NUM.test(p)) return undefined
    nums.push(Number(p))
  }
  return { v: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], count: nums.length }
}

/** The first version after everything `v` with `count` given parts covers: 20 → 21.0.0, 20.1 → 20.2.0, 20.1.2 → 20.1.3. */
function bump(v: Version, count: number): Version {
  if (count <= 1) return [v[0] + 1, 0, 0]
  if (count === 2) return [v[0], v[1] + 1, 0]
  return [v[0], v[1], v[2] + 1]
}

function desugar(op: string, v: Version, count: number): Interval | undefined {
  if (count === 0) return op === '<' || op === '>' ? { hi: [0, 0, 0] } : {}
  switch (op) {
    case '':
    case '=':
      return { lo: v, hi: bump(v, count) }
    case '>=':
      return { lo: v }
    case '>':
      return { lo: bump(v, count) }
    case '<':
      return { hi: v }
    case '<=':
      return { hi: bump(v, count) }
    case '~':
    case '~>':
      return { lo: v, hi: count === 1 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0] }
    case '^':
      if (v[0] > 0 || count === 1) return { lo: v, hi: [v[0] + 1, 0, 0] }
      if (v[1] > 0 || count === 2) return { lo: v, hi: [0, v[1] + 1, 0] }
      return { lo: v, hi: [0, 0, v[2] + 1] }
    default:
      return undefined
  }
}

// ---------------------------------------------------------------------------
// PEP 440 specifiers (requires-python, python_requires)
// ---------------------------------------------------------------------------

const PEP440_CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*v?(\d{1,6}(?:\.\d{1,6}){0,2})(\.\*)?$/

/** Parses `>=3.10`, `>=3.9,<3.13`, `~=3.11`, `==3.12.*`, `!=3.10.0`; undefined if any clause is not understood. */
export function parsePep440(text: string): VersionRange | undefined {
  if (text.length > 200) return undefined
  const clauses = text.split(',').map((c) => c.trim())
  if (clauses.length === 0 || clauses.some((c) => c === '')) return undefined
  const tests: Array<(v: Version) => boolean> = []
  const points: Version[] = []
  for (const clause of clauses) {
    const m = PEP440_CLAUSE.exec(clause)
    if (!m) return undefined
    const op = m[1]!
    const nums = m[2]!.split('.').map(Number)
    const wildcard = m[3] !== undefined
    if (wildcard && op !== '==' && op !== '!=') return undefined
    if (op === '~=' && nums.length < 2) return undefined
    const v: Version = [nums[0]!, nums[1] ?? 0, nums[2] ?? 0]
    const prefixOf = (n: number) => (x: Version) => x.slice(0, n).every((part, i) => part === nums[i])
    points.push(v, bump(v, 3), bump(v, 2), bump(v, 1))
    switch (op) {
      case '==':
      case '===':
        tests.push(wildcard ? prefixOf(nums.length) : (x) => compareVersions(x, v) === 0)
        break
      case '!=': {
        const eq = wildcard ? prefixOf(nums.length) : (x: Version) => compareVersions(x, v) === 0
        tests.push((x) => !eq(x))
        break
      }
      case '>=':
        tests.push((x) => compareVersions(x, v) >= 0)
        break
      case '>':
        tests.push((x) => compareVersions(x, v) > 0)
        break
      case '<=':
        tests.push((x) => compareVersions(x, v) <= 0)
        break
      case '<':
        tests.push((x) => compareVersions(x, v) < 0)
        break
      case '~=': {
        const prefix = prefixOf(nums.length - 1)
        tests.push((x) => compareVersions(x, v) >= 0 && prefix(x))
        break
      }
    }
  }
  return { test: (x) => tests.every((t) => t(x)), points }
}
