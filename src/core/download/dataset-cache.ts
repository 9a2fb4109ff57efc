/**
 * A store of datasets by sha256, so a repeated job with a pinned digest skips
 * the download. The core only knows this interface; the Action backs it with
 * @actions/tool-cache, the CLI with a plain folder (`--cache-dir`).
 */
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { sha256File } from '../fs/sha256.js'

export interface DatasetCache {
  /** Copies the cached file with this digest to `dest`; false when it is not cached. */
  restore(sha256: string, dest: string): Promise<boolean>
  /** Keeps a copy of `file`, whose sha256 has been checked, for later runs. */
  save(sha256: string, file: string): Promise<void>
}

/** Content-addressed folder: `<dir>/<sha256>`. Entries are re-hashed on restore, so a corrupted cache cannot poison a job. */
export class DirectoryDatasetCache implements DatasetCache {
  constructor(private readonly dir: string) {}

  async restore(sha256: string, dest: string): Promise<boolean> {
    const src = path.join(this.dir, sha256)
    try {
      if ((await sha256File(src)) !== sha256) {
        await rm(src, { force: true })
        return false
      }
      await copyFile(src, dest)
      return true
    } catch {
      return false
    }
  }

  async save(sha256: string, file: string): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const tmp = path.join(this.dir, `.${sha256}.${process.pid}.tmp`)
    // A hard link costs nothing when the cache is on the same file system.
    await link(file, tmp).catch(() => copyFile(file, tmp))
    await rename(tmp, path.join(this.dir, sha256))
  }
}
