/**
 * Walks the job folder in a fixed order and describes every entry the archive
 * will hold. The walk is the single source of truth for the archive: what it
 * does not list is not packed, and the archive's entry count is checked
 * against it.
 *
 * It refuses what must not travel: a symlink that leaves the tree (absolute,
 * or `..` past the root, by its own text or once the tree's other links are
 * followed: symlinks.ts), and FIFOs, sockets and devices, which also make
 * node-tar hang. Links are never followed on disk. Modes are normalised on disk
 * (0755 for directories and executables, 0644 for other files) so that the
 * umask of the machine that checked the code out does not change the bytes.
 */
import { createHash } from 'node:crypto'
import { chmod, lstat, readdir, readlink } from 'node:fs/promises'
import path from 'node:path'
import { UnsafeContentError } from '../errors.js'
import { sha256File } from '../fs/sha256.js'
import { checkSymlinkChains } from './symlinks.js'

export type EntryType = 'file' | 'directory' | 'symlink'

export interface TreeEntry {
  /** Relative to the job root, '/'-separated; directories have no trailing slash. */
  path: string
  type: EntryType
  /** 0o755 or 0o644 (files, directories); 0o777 for symlinks. */
  mode: number
  size: number
  /** sha256 of the content (files) or of the link target (symlinks); for files not hashed by the walk, set by the archive writer. */
  sha256?: string
  linkTarget?: string
}

/** Byte-wise order of UTF-8 paths: the same on every platform, unlike readdir's. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

export interface WalkOptions {
  exclude?: ReadonlySet<string>
  /**
   * Which files to hash now (default: all). The archive writer hashes the
   * others as it packs them, so that each byte is read from disk once; the
   * walk only needs to hash what must be known before packing starts.
   */
  hash?: boolean | ((path: string) => boolean)
  signal?: AbortSignal
  /**
   * Leave modes as they are on disk (verify reads a folder it does not own);
   * the entries still carry the normalised mode, as packing records it.
   */
  readOnly?: boolean
}

export async function walkTree(root: string, options: WalkOptions = {}): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = []
  const hashNow = typeof options.hash === 'function' ? options.hash : () => options.hash ?? true
  const visit = async (rel: string): Promise<void> => {
    options.signal?.throwIfAborted()
    const abs = path.join(root, rel)
    const names = (await readdir(abs)).sort((a, b) => comparePaths(a, b))
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name
      if (options.exclude?.has(childRel)) continue
      const childAbs = path.join(root, childRel)
      const st = await lstat(childAbs)
      if (st.isSymbolicLink()) {
        const target = await readlink(childAbs)
        checkLinkTarget(childRel, target)
        entries.push({ path: childRel, type: 'symlink', mode: 0o777, size: 0, linkTarget: target, sha256: sha256Text(target) })
      } else if (st.isDirectory()) {
        if (!options.readOnly) await chmod(childAbs, 0o755)
        entries.push({ path: childRel, type: 'directory', mode: 0o755, size: 0 })
        await visit(childRel)
      } else if (st.isFile()) {
        const mode = st.mode & 0o100 ? 0o755 : 0o644
        if (!options.readOnly && (st.mode & 0o7777) !== mode) await chmod(childAbs, mode)
        entries.push({
          path: childRel,
          type: 'file',
          mode,
          size: st.size,
          sha256: hashNow(childRel) ? await sha256File(childAbs) : undefined
        })
      } else {
        const kind = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device file'
        throw new UnsafeContentError(
          `${childRel} is ${kind}; only regular files, directories and symlinks inside the tree can be packaged.`
        )
      }
    }
  }
  await visit('')
  checkSymlinkChains(entries)
  return entries
}

/** A symlink may point anywhere inside the tree, never out of it (by its own text; symlinks.ts follows chains). */
export function checkLinkTarget(rel: string, target: string): void {
  if (path.posix.isAbsolute(target) || path.win32.isAbsolute(target)) {
    throw new UnsafeContentError(
      `${rel} is a symlink to the absolute path ${JSON.stringify(target)}; symlinks must stay inside the package.`
    )
  }
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(rel), target))
  if (resolved === '..' || resolved.startsWith('../')) {
    throw new UnsafeContentError(
      `${rel} is a symlink to ${JSON.stringify(target)}, which points outside the package; symlinks must stay inside it.`
    )
  }
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
