/**
 * The version ranges projects declare their runtime with, asked one
 * question: "does some release of this line (Python 3.11, Node 22) satisfy
 * the declared range?" PEP 440 specifier sets (`requires-python`,
 * `python_requires`) are read by @renovatebot/pep440, npm ranges
 * (`engines.node`) by semver, and Poetry's `python` constraint, which mixes
 * the two, by whichever of them its operators belong to. A range the library
 * rejects is reported as not understood rather than guessed at, and nothing
 * parsed here is ever written into a Dockerfile: only a line from our own list
 * of known image tags is.
 */
import * as pep440 from '@renovatebot/pep440'
import semver from 'semver'

/** A declared range, as far as detection needs it. */
export interface VersionRange {
  /** True when some release of `line` ("3.11", "22") satisfies the range. */
  allows(line: string): boolean
}

/** Far longer than any real declaration; a longer text is refused before either parser sees it. */
const MAX_LENGTH = 200

/** npm's range syntax (`>=18 <21`, `^18 || ^20`, `18 - 20`, `20.x`); undefined if semver rejects it. */
export function parseNpmRange(text: string): VersionRange | undefined {
  if (text.length > MAX_LENGTH) return undefined
  const range = semver.validRange(text)
  if (range === null) return undefined
  // "22.x" is exactly the releases of the line, so intersecting with it asks whether any of them is allowed.
  return { allows: (line) => semver.intersects(range, `${line}.x`) }
}

/**
 * How many releases of a Python line a specifier set is tried against. The
 * library answers "does this version satisfy the set", not "does any release
 * of 3.11", so each line's possible final releases are listed, 3.11.0 to
 * 3.11.99: no CPython line has come near 30 patch releases. Pre-releases are
 * left out because no image tag we use is one.
 */
const PATCH_RELEASES = 100

/** PEP 440 specifier sets (`>=3.9,!=3.10.*,<3.13`, `~=3.11`, `==3.12.*`); undefined if the library rejects it. */
export function parsePep440(text: string): VersionRange | undefined {
  if (text.length > MAX_LENGTH || !pep440.validRange(text)) return undefined
  return {
    allows: (line) => {
      const releases = Array.from({ length: PATCH_RELEASES }, (_, patch) => `${line}.${patch}`)
      return pep440.filter(releases, text, { prereleases: false }).length > 0
    }
  }
}

/**
 * Poetry's `python` constraint. Poetry accepts npm-like operators (`^3.10`,
 * `~3.10`, `3.10.*`) and PEP 440 ones (`~=`, `==`, `!=`), with `,` for "and"
 * and `||` for "or". Neither library reads the mix, so this keeps the one
 * piece of syntax they lack: each `||` alternative goes to PEP 440 when it
 * uses a PEP 440-only operator (semver would read `~=3.10` as npm's `~3.10`,
 * a narrower range), else to semver with its commas as spaces.
 */
export function parsePoetryConstraint(text: string): VersionRange | undefined {
  if (text.length > MAX_LENGTH) return undefined
  const alternatives: VersionRange[] = []
  for (const raw of text.split('||')) {
    const alt = raw.trim()
    // semver reads an empty alternative as "anything"; Poetry does not accept one, so neither do we.
    if (alt === '') return undefined
    const range = /~=|==|!=/.test(alt) ? parsePep440(alt) : parseNpmRange(alt.replace(/\s*,\s*/g, ' '))
    if (!range) return undefined
    alternatives.push(range)
  }
  return { allows: (line) => alternatives.some((range) => range.allows(line)) }
}
