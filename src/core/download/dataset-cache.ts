/**
 * A store of datasets by sha256, so a repeated job with a pinned digest skips
 * the download. The core only knows this interface; the Action backs it with
 * the Actions cache service or the runner's tool cache (src/action/), the CLI
 * with a plain folder (`--cache-dir`).
 *
 * A store is never trusted with the bytes: the core re-hashes whatever
 * `restore` wrote before using it (download/datasets.ts), and a mismatch costs
 * a download, never a wrong dataset. So a store only moves bytes; it does not
 * have to check them, and a store shared with other jobs (a runner's folder,
 * a repository's cache that other workflows write to) cannot poison a job.
 *
 * `save` is only called once a pack has succeeded (packager.ts), for datasets
 * whose digest the spec pinned and that were downloaded in this pack.
 */
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'

export interface DatasetCache {
  /** What the log and the job summary call this store ("the Actions cache"). */
  readonly label: string
  /**
   * Writes the cached file with this digest to `dest`; false when it is not
   * cached (or cannot be read). The caller re-hashes `dest` before use.
   */
  restore(sha256: string, dest: string): Promise<boolean>
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

/** Content-addressed folder: `<dir>/<sha256>`. */
export class DirectoryDatasetCache implements DatasetCache {
  readonly label: string

  constructor(private readonly dir: string) {
    this.label = `the cache folder ${dir}`
  }

  async restore(sha256: string, dest: string): Promise<boolean> {
    try {
      await copyFile(path.join(this.dir, sha256), dest)
      return true
    } catch {
      await rm(dest, { force: true }).catch(() => {})
      return false
    }
  }

  async save(sha256: string, file: string): Promise<boolean> {
    await mkdir(this.dir, { recursive: true })
    const tmp = path.join(this.dir, `.${sha256}.${process.pid}.tmp`)
    // A hard link costs nothing when the cache is on the same file system.
    await link(file, tmp).catch(() => copyFile(file, tmp))
    await rename(tmp, path.join(this.dir, sha256))
    return true
  }

  async discard(sha256: string): Promise<undefined> {
    await rm(path.join(this.dir, sha256), { force: true })
    return undefined
  }
}
