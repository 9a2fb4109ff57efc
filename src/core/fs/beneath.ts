/**
 * Reading a tree that someone else may be changing while we read it (a job's
 * OUTPUT_DIR, with its processes possibly still running), without ever
 * following a symlink out of it.
 *
 * A path walk (lstat, then open with O_NOFOLLOW) checks only the last
 * component: between the lstat of `d` and the open of `d/f`, `d` can be
 * swapped for a symlink to /etc (renameat2 RENAME_EXCHANGE), and the open
 * reads /etc/f. So the walk goes by directory file descriptor instead: each
 * entry is opened relative to the descriptor of its folder, with O_NOFOLLOW,
 * and its type is checked on the opened descriptor (fstat). A swap can then
 * only make an entry vanish or change type, never lead outside.
 *
 * Node has no openat(). On Linux, `/proc/self/fd/<fd>` is a "magic link" the
 * kernel resolves to the open folder itself (not to a path that could have
 * changed), so opening `/proc/self/fd/<fd>/<name>` with O_NOFOLLOW is
 * openat(fd, name, O_NOFOLLOW); `__tests__/unit/beneath.test.ts` checks this
 * (a folder renamed away and a symlink swapped in). Elsewhere there is no
 * such link, and the walk falls back to paths (the last component still not
 * followed): `run` with a container engine is Linux-only anyway.
 */
import { constants, type Stats } from 'node:fs'
import { open, opendir, type FileHandle } from 'node:fs/promises'
import path from 'node:path'

const viaProc = process.platform === 'linux'

/** An open folder: its descriptor, and the path it was reached by (for messages and the non-Linux fallback). */
export class DirHandle {
  private constructor(
    readonly handle: FileHandle,
    readonly path: string
  ) {}

  /** Opens `dir` itself (not following a symlink at its last component). */
  static async open(dir: string): Promise<DirHandle> {
    const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW)
    return new DirHandle(fh, dir)
  }

  /**
   * The path that reaches `name` in this folder and not elsewhere (for open
   * or lstat, which do not follow the last component themselves).
   */
  entryPath(name: string): string {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0'))
      throw Object.assign(new Error(`Not a name in a folder: ${JSON.stringify(name)}`), { code: 'EINVAL' })
    return viaProc ? `/proc/self/fd/${this.handle.fd}/${name}` : path.join(this.path, name)
  }

  /** The names in this folder (read through the descriptor: a rename of the folder changes nothing). */
  async names(): Promise<string[]> {
    const dir = await opendir(viaProc ? `/proc/self/fd/${this.handle.fd}` : this.path)
    const names: string[] = []
    for await (const entry of dir) names.push(entry.name)
    return names
  }

  /**
   * Opens the entry `name` of this folder as a folder, or returns what it is
   * instead: a symlink, another type, or gone (`undefined` with the reason).
   */
  async openDir(name: string): Promise<{ dir: DirHandle } | { reason: string }> {
    let fh: FileHandle
    try {
      fh = await open(this.entryPath(name), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW)
    } catch (err) {
      return { reason: reasonOf(err, 'a folder') }
    }
    return { dir: new DirHandle(fh, path.join(this.path, name)) }
  }

  /**
   * Opens the entry `name` of this folder for reading if it is a regular
   * file (checked on the descriptor), else returns why not. O_NONBLOCK: a
   * FIFO swapped in must not hang the open.
   */
  async openFile(name: string): Promise<{ file: FileHandle; stat: Stats } | { reason: string }> {
    let fh: FileHandle
    try {
      fh = await open(this.entryPath(name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY)
    } catch (err) {
      return { reason: reasonOf(err, 'a file') }
    }
    const stat = await fh.stat()
    if (!stat.isFile()) {
      await fh.close()
      // A folder here was a file when it was listed: swapped under us. Anything else is a type we never copy.
      return {
        reason: stat.isDirectory()
          ? 'it is no longer a file (it changed while it was being read)'
          : `${typeName(stat)}; only files and folders are kept`
      }
    }
    return { file: fh, stat }
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}

/** What an entry is, in words (for the "left out" list). */
export function typeName(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink'
  if (st.isDirectory()) return 'a folder'
  if (st.isFile()) return 'a file'
  if (st.isFIFO()) return 'a FIFO'
  if (st.isSocket()) return 'a socket'
  return 'a device file'
}

function reasonOf(err: unknown, expected: string): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'it vanished while it was being read'
    // O_NOFOLLOW on a symlink gives ELOOP; O_DIRECTORY on a non-folder (a symlink included) gives ENOTDIR.
    case 'ELOOP':
      return 'a symlink; only files and folders are kept'
    case 'ENOTDIR':
      return `it is no longer ${expected} (it changed while it was being read)`
    case 'ENXIO':
      return 'a socket or device; only files and folders are kept'
    default:
      return `it could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`
  }
}

/**
 * Reads the regular file at `rel` beneath `root`, following no symlink on
 * any component; `undefined` when it is not there (or not a regular file).
 */
export async function readFileBeneath(root: string, rel: string): Promise<Buffer | undefined> {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.')
  const last = parts.pop()
  if (last === undefined || last === '..' || parts.includes('..')) return undefined
  let dir: DirHandle
  try {
    dir = await DirHandle.open(root)
  } catch {
    return undefined
  }
  try {
    for (const part of parts) {
      const next: { dir: DirHandle } | { reason: string } = await dir.openDir(part)
      if (!('dir' in next)) return undefined
      await dir.close()
      dir = next.dir
    }
    const opened = await dir.openFile(last)
    if (!('file' in opened)) return undefined
    try {
      return await opened.file.readFile()
    } finally {
      await opened.file.close()
    }
  } finally {
    await dir.close()
  }
}
