/**
 * A store of datasets by sha256, so a repeated job with a pinned digest skips
 * the download. The core only knows this interface; the Action backs it with
 * the Actions cache service or the runner's tool cache (src/action/), the CLI
 * with a plain folder (`--cache-dir`).
 *
 * What a store is trusted with, and what not (docs/SECURITY.md, "Dataset
 * caches"): a store may be shared with whoever else can write to it (other
 * users of a folder, other jobs of a self-hosted runner, any workflow of the
 * repository for the Actions cache), so
 *
 * - its bytes are never trusted: the core re-hashes whatever `restore` wrote
 *   before using it (download/datasets.ts), and a mismatch costs a download,
 *   never a wrong dataset;
 * - its entries are never trusted either: an entry must be one regular file,
 *   read without following a link and without blocking (readCacheEntry
 *   below, the one rule every store that reads files goes through), and the
 *   Actions cache's archives are unpacked by our own code, which writes that
 *   one file and nothing else (src/action/cache-archive.ts);
 * - it is read under the job's deadline (`signal`).
 *
 * What re-hashing cannot undo is only what a store does before the core sees
 * the bytes, hence the second and third rule. A refused entry is thrown as
 * CacheEntryRefused: a warning naming the entry and why, then a download.
 *
 * `save` is only called once a pack has succeeded (packager.ts), for datasets
 * whose digest the spec pinned and that were downloaded in this pack.
 */
import { constants, createReadStream, createWriteStream } from 'node:fs'
import { copyFile, link, lstat, mkdir, open, realpath, rename, rm } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export interface RestoreOptions {
  /** The job's deadline and cancellation: a restore stops when it fires. */
  signal?: AbortSignal
  /** The largest dataset the job accepts: a bigger entry is refused before it is copied. */
  maxBytes?: number
}

export interface DatasetCache {
  /** What the log and the job summary call this store ("the Actions cache"). */
  readonly label: string
  /**
   * Writes the cached file with this digest to `dest`; false when it is not
   * cached (or cannot be read). Throws CacheEntryRefused for an entry that
   * breaks the rules above. The caller re-hashes `dest` before use.
   */
  restore(sha256: string, dest: string, options?: RestoreOptions): Promise<boolean>
  /**
   * Keeps a copy of `file`, whose sha256 has been checked, for later runs.
   * False when the store declined (e.g. the entry exists already); throws on
   * failure. Either way the pack stands: the caller only warns.
   */
  save(sha256: string, file: string): Promise<boolean>
  /**
   * Called when restored bytes did not match `sha256`: drop the entry if the
   * store can. Returns what the user should know about it (e.g. how to remove
   * an entry the store cannot remove itself), or undefined.
   */
  discard?(sha256: string): Promise<string | undefined>
}

/** A cache entry that is not used, and why (the message names the entry): a warning, then a download. */
export class CacheEntryRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CacheEntryRefused'
  }
}

/** What a file that is not a regular file is, in words. */
export function fileKind(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link'
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isDirectory()) return 'a directory'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * Copies the cache entry `file` to `dest` under the one rule for every cache
 * entry: a regular file, reached from `root` without a symbolic link on the
 * way, opened without following a link and without blocking, checked again
 * on the open descriptor, and read with the job's deadline in force.
 *
 * Why each step: a FIFO blocks a plain open or copy forever (and in a
 * thread-pool thread, where no signal reaches it), a device can be endless,
 * and a symbolic link would make us read, hash and log the hash of a file
 * the store's writer could not read themselves (a root-only file). So a link
 * is refused without looking at its target. `lstat` first, so that a device
 * is never even opened; O_NONBLOCK so that a FIFO swapped in after the
 * `lstat` cannot block the open; `fstat` on the descriptor, so that what is
 * read is what was checked.
 *
 * Returns false when there is no entry; throws CacheEntryRefused for an
 * entry that breaks the rule, and the read error otherwise.
 */
export async function readCacheEntry(root: string, file: string, dest: string, options: RestoreOptions = {}): Promise<boolean> {
  const { signal, maxBytes } = options
  signal?.throwIfAborted()
  let st: Stats
  try {
    st = await lstat(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false
    throw err
  }
  if (!st.isFile()) throw new CacheEntryRefused(`the entry ${file} is ${fileKind(st)}, not a regular file`)
  // A link in a folder between the store's root and the entry leads out of the store just as well.
  const [realRoot, realDir] = await Promise.all([realpath(root), realpath(path.dirname(file))])
  if (realDir !== path.join(realRoot, path.relative(root, path.dirname(file)))) {
    throw new CacheEntryRefused(`the entry ${file} is reached through a symbolic link, which leads out of the cache`)
  }
  if (maxBytes !== undefined && st.size > maxBytes) {
    throw new CacheEntryRefused(`the entry ${file} holds ${st.size} bytes, more than the ${maxBytes} a dataset may have`)
  }
  let handle
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (err) {
    // ELOOP: a link swapped in after the lstat (O_NOFOLLOW); ENXIO: a socket.
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ELOOP' || code === 'ENXIO')
      throw new CacheEntryRefused(`the entry ${file} changed into something other than a regular file while being opened`)
    throw err
  }
  try {
    const opened = await handle.stat()
    if (!opened.isFile() || opened.ino !== st.ino || opened.dev !== st.dev) {
      throw new CacheEntryRefused(
        `the entry ${file} changed while being opened (now ${opened.isFile() ? 'another file' : fileKind(opened)})`
      )
    }
    let copied = 0
    // The size was checked, but the file may grow while it is read.
    const capped = new Transform({
      transform(chunk: Buffer, _enc, done) {
        copied += chunk.length
        if (maxBytes !== undefined && copied > maxBytes)
          done(new CacheEntryRefused(`the entry ${file} grew past the ${maxBytes} bytes a dataset may have while it was read`))
        else done(null, chunk)
      }
    })
    await pipeline(createReadStream('', { fd: handle.fd, autoClose: false, highWaterMark: 1024 * 1024 }), capped, createWriteStream(dest), {
      signal
    })
    return true
  } catch (err) {
    await rm(dest, { force: true }).catch(() => {})
    throw err
  } finally {
    await handle.close()
  }
}

/** Content-addressed folder: `<dir>/<sha256>`. */
export class DirectoryDatasetCache implements DatasetCache {
  readonly label: string

  constructor(private readonly dir: string) {
    this.label = `the cache folder ${dir}`
  }

  restore(sha256: string, dest: string, options?: RestoreOptions): Promise<boolean> {
    return readCacheEntry(this.dir, path.join(this.dir, sha256), dest, options)
  }

  async save(sha256: string, file: string): Promise<boolean> {
    await mkdir(this.dir, { recursive: true })
    // An unguessable name, created exclusively: in a folder others can write
    // to, a predictable one could be a planted link that the copy would follow.
    const tmp = path.join(this.dir, `.${sha256}.${randomBytes(8).toString('hex')}.tmp`)
    try {
      // A hard link costs nothing when the cache is on the same file system.
      await link(file, tmp).catch(() => copyFile(file, tmp, constants.COPYFILE_EXCL))
      await rename(tmp, path.join(this.dir, sha256))
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {})
      throw err
    }
    return true
  }

  async discard(sha256: string): Promise<undefined> {
    await rm(path.join(this.dir, sha256), { force: true })
    return undefined
  }
}
