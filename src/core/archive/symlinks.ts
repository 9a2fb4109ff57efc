/**
 * Where the symlinks of a tree lead, taken together. Checking each link on its
 * own, by its text, is not enough: with `d1/…/d8/up -> ../../../../../../../..`
 * (the tree's root: fine on its own) and
 * `d1/…/d8/esc -> up/../../…/etc/passwd` (lexically `d1/…/d8/etc/passwd`:
 * also fine on its own), `cat esc` reads the host's /etc/passwd, because the
 * kernel resolves `up` first and then climbs from the root.
 *
 * So every link is also resolved the way the kernel resolves it, component by
 * component, through the tree's other links (following chains), from where
 * the link sits; a `..` above the tree's root is an escape. A component that
 * does not exist or is not a directory is passed through as if it were a
 * directory (the kernel would stop there; treating it as a directory is the
 * stricter reading, and equals the lexical one). Chains deeper than
 * MAX_LINK_DEPTH and loops are refused: they can never be proved to stay
 * inside, and no legitimate tree needs them.
 *
 * The tree is the package: the job folder, and the archive once unpacked. It
 * holds only what the walk listed, and nothing else can be created in it by
 * unpacking, so resolving through the listed entries is resolving through
 * what will be on disk.
 */
import { UnsafeContentError } from '../errors.js'

/** Links followed in one resolution; Linux gives up (ELOOP) after 40 as well. */
export const MAX_LINK_DEPTH = 40

export interface LinkEntry {
  /** Relative to the tree's root, '/'-separated. */
  path: string
  type: 'file' | 'directory' | 'symlink'
  linkTarget?: string
}

/** Throws UnsafeContentError naming the first symlink (in the entries' order) that resolves outside the tree, or loops. */
interface Resolution {
  /** Where the link leads, as path components from the root. */
  at: string[]
  /** The links followed on the way, for messages. */
  via: LinkEntry[]
}

export function checkSymlinkChains(entries: readonly LinkEntry[]): void {
  const byPath = new Map(entries.map((e) => [e.path, e]))
  // A link's resolution does not depend on who follows it: each is worked out once.
  const resolved = new Map<string, Resolution>()
  // The links being resolved, outermost first: a loop shows up as a repeat.
  const chain: LinkEntry[] = []

  const resolveLink = (link: LinkEntry): Resolution => {
    const done = resolved.get(link.path)
    if (done) return done
    const loopAt = chain.indexOf(link)
    if (loopAt >= 0) {
      const loop = [...chain.slice(loopAt), link].map((l) => l.path).join(' -> ')
      throw new UnsafeContentError(
        `${chain[0]!.path} is a symlink that leads into a loop of symlinks (${loop}); a loop cannot be packaged. Symlinks must resolve to a place inside the package.`
      )
    }
    if (chain.length >= MAX_LINK_DEPTH) {
      throw new UnsafeContentError(
        `${chain[0]!.path} is a symlink that leads through more than ${MAX_LINK_DEPTH} symlinks in a row; such a chain cannot be packaged. Symlinks must resolve to a place inside the package.`
      )
    }
    chain.push(link)
    const at = link.path.split('/').slice(0, -1)
    const followed: LinkEntry[] = []
    for (const part of (link.linkTarget ?? '').split('/')) {
      if (part === '' || part === '.') continue
      if (part === '..') {
        if (at.length === 0) throw escapes(link, followed)
        at.pop()
        continue
      }
      at.push(part)
      const entry = byPath.get(at.join('/'))
      if (entry?.type === 'symlink') {
        const inner = resolveLink(entry)
        at.splice(0, at.length, ...inner.at)
        for (const l of [entry, ...inner.via]) if (!followed.includes(l)) followed.push(l)
      }
    }
    chain.pop()
    const result = { at, via: followed }
    resolved.set(link.path, result)
    return result
  }

  for (const entry of entries) if (entry.type === 'symlink') resolveLink(entry)
}

function escapes(link: LinkEntry, followed: readonly LinkEntry[]): UnsafeContentError {
  const via =
    followed.length === 0
      ? ''
      : ` once ${followed.map((l) => `${l.path} (-> ${JSON.stringify(l.linkTarget)})`).join(', ')} ${followed.length === 1 ? 'is' : 'are'} followed`
  return new UnsafeContentError(
    `${link.path} is a symlink to ${JSON.stringify(link.linkTarget)}, which points outside the package${via}; symlinks must stay inside it.`
  )
}
