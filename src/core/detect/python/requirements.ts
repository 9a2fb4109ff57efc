/**
 * requirements*.txt: what a pip requirements file pins. A file whose every
 * requirement carries `--hash` is a lock (pip's hash-checking mode, forced
 * with `--require-hashes`, also refuses any dependency the file does not
 * list); otherwise each requirement without an exact `==` pin floats, and so
 * do the dependencies the file does not list.
 */
import type { Float } from '../install.js'

export interface RequirementsScan {
  /** Requirement lines (options such as --index-url are not counted). */
  entries: number
  /** Some line needs the rest of the code (-r, -c, -e, a path, file:, --find-links to a folder). */
  local: boolean
  /** Every requirement line has a --hash: pip can install it in hash-checking mode. */
  hashed: boolean
  /** Names of requirements without an exact `==`/`===` pin (a direct URL without a hash counts as unpinned). */
  unpinned: string[]
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/
/** `==1.2.3` or `===x` alone (no wildcard, no second clause) is a pin. */
const EXACT = /^\s*(?:\[[^\]]*\])?\s*===?\s*[A-Za-z0-9.+!_-]+\s*$/

/**
 * Counts the requirements and says whether any line needs the rest of the
 * code to be there: `-r`/`-c` of another file, `-e`, a local path or a
 * `file:` URL, or `--find-links` to a folder. Such a file is installed after
 * the code is copied; otherwise before, so its layer is reused when only the
 * code changes.
 */
export function scanRequirements(text: string): RequirementsScan {
  let entries = 0
  let local = false
  let withHash = 0
  const unpinned: string[] = []
  // Backslash-newline joins lines (pip does the same).
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)
  for (const raw of lines) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line === '') continue
    if (/^(-r|--requirement|-c|--constraint|-e|--editable)\b/.test(line)) {
      local = true
      entries++
      if (/^(-e|--editable)\b/.test(line)) unpinned.push(line.split(/\s+/).slice(1).join(' ') || line)
      continue
    }
    const findLinks = /^(?:-f|--find-links)(?:\s+|=)(\S+)/.exec(line)
    if (findLinks) {
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(findLinks[1]!) || /^file:/i.test(findLinks[1]!)) local = true
      continue
    }
    if (line.startsWith('-')) continue // other options: --index-url, --no-index, --pre, …
    entries++
    const hashed = /(^|\s)--hash[=\s]/.test(line)
    if (hashed) withHash++
    const requirement = line.split(/\s--/)[0]!.trim()
    const first = line.split(/[\s;]/)[0]!
    const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(first) && !/^file:/i.test(first)
    const path = !remote && (/^file:/i.test(first) || /^(\.|\/|~)/.test(first) || /\.(whl|tar\.gz|zip)$/i.test(first))
    if (path || /@\s*file:/i.test(line)) local = true
    const name = NAME.exec(requirement)?.[1]
    const spec = requirement.slice(name?.length ?? 0).split(';')[0]!
    const direct = spec.includes('@')
    if (!name || remote || path) unpinned.push(first)
    else if (direct ? !hashed : !EXACT.test(spec)) unpinned.push(name)
  }
  return { entries, local, hashed: entries > 0 && withHash === entries, unpinned }
}

/** The floats of a requirements file that is not a hashed lock. */
export function requirementFloats(file: string, scan: RequirementsScan): Float[] {
  const floats: Float[] = scan.unpinned.map((name) => ({
    kind: 'requirement' as const,
    ecosystem: 'python' as const,
    name,
    from: file,
    why: 'no exact == pin: pip chooses the version at build time'
  }))
  if (scan.entries > 0)
    floats.push({
      kind: 'unlisted-dependencies',
      ecosystem: 'python',
      name: file,
      from: file,
      why: 'without --hash lines pip also installs dependencies the file does not list, at versions chosen at build time'
    })
  return floats
}
