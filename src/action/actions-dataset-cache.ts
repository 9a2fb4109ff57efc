/**
 * The core's DatasetCache on the repository's Actions cache (@actions/cache),
 * the store that outlives a GitHub-hosted runner: a dataset saved by one
 * workflow run is restored by the next, on a fresh VM, without touching the
 * data server.
 *
 * One entry per dataset, keyed by its pinned digest: `job-packager-dataset-<sha256>`.
 * No restore keys: only the exact digest will do, there is no "nearest" dataset.
 *
 * @actions/cache caches paths, not bytes: it tars the given paths relative to
 * GITHUB_WORKSPACE and extracts them to the same place, and the entry's
 * "version" (which the service matches along with the key) is a hash of the
 * path strings and the compression method. So the file goes through one fixed
 * path per digest under RUNNER_TEMP, `$RUNNER_TEMP/job-packager-dataset-cache/<sha256>/dataset`,
 * which is the same on every run of the same kind of hosted runner. A runner
 * with another work folder computes another version and simply misses.
 *
 * This class only moves bytes. The core re-hashes the restored file before
 * using it (download/datasets.ts): anyone who can write to the repository's
 * cache could store other bytes under this key, and re-hashing is what makes
 * that harmless (docs/SECURITY.md). The client itself never throws for a
 * service or network failure: it warns and reports a miss (restore) or -1
 * (save), which is what a cache should do.
 */
import { existsSync } from 'node:fs'
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import * as cache from '@actions/cache'
import type { DatasetCache, Logger } from '../core/index.js'

export const ACTIONS_CACHE_KEY_PREFIX = 'job-packager-dataset-'
const FILE_NAME = 'dataset'

export function actionsCacheKey(sha256: string): string {
  return `${ACTIONS_CACHE_KEY_PREFIX}${sha256.toLowerCase()}`
}

/** The one path an entry is saved from and restored to (part of the entry's version). */
export function actionsCachePath(runnerTemp: string, sha256: string): string {
  return path.join(runnerTemp, 'job-packager-dataset-cache', sha256.toLowerCase(), FILE_NAME)
}

export class ActionsDatasetCache implements DatasetCache {
  readonly label = 'the Actions cache'

  constructor(
    private readonly runnerTemp: string,
    private readonly logger: Logger
  ) {}

  /**
   * The cache service is reachable from this step (the runner sets its URL and
   * the runtime token for every job), and RUNNER_TEMP gives the fixed path.
   */
  static available(): boolean {
    return Boolean(process.env.RUNNER_TEMP && process.env.ACTIONS_RUNTIME_TOKEN) && cache.isFeatureAvailable()
  }

  static fromEnvironment(logger: Logger): ActionsDatasetCache {
    return new ActionsDatasetCache(process.env.RUNNER_TEMP ?? '', logger)
  }

  async restore(sha256: string, dest: string): Promise<boolean> {
    const key = actionsCacheKey(sha256)
    const file = actionsCachePath(this.runnerTemp, sha256)
    const folder = path.dirname(file)
    await rm(folder, { recursive: true, force: true })
    try {
      const hit = await cache.restoreCache([file], key)
      if (hit === undefined) return false
      if (!existsSync(file)) {
        this.logger.warn(
          `The Actions cache entry ${key} restored no file at ${file}; it was saved from another path layout and is not used.`
        )
        return false
      }
      await moveFile(file, dest)
      return true
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  }

  async save(sha256: string, file: string): Promise<boolean> {
    const key = actionsCacheKey(sha256)
    const staged = actionsCachePath(this.runnerTemp, sha256)
    const folder = path.dirname(staged)
    await rm(folder, { recursive: true, force: true })
    await mkdir(folder, { recursive: true })
    try {
      // A hard link costs nothing when RUNNER_TEMP and the output share a file system.
      await link(file, staged).catch(() => copyFile(file, staged))
      const id = await cache.saveCache([staged], key)
      return id !== -1
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  }

  /** The runtime token cannot delete entries: say how to. */
  discard(sha256: string): Promise<string> {
    const key = actionsCacheKey(sha256)
    return Promise.resolve(
      `The entry stays in the repository's Actions cache under key ${key} until it is evicted, and blocks saving the right bytes under that key: delete it (gh cache delete ${key}, or the repository's Actions → Caches page).`
    )
  }
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
    await copyFile(from, to)
    await rm(from, { force: true })
  }
}
