/**
 * The core's DatasetCache on the runner's tool cache (RUNNER_TOOL_CACHE):
 * a pinned dataset is kept as tool `job-packager-dataset`, version
 * `0.0.0-sha256-<hex>`, so a self-hosted runner packaging the same data again
 * skips the download. (On GitHub-hosted runners the tool cache lives only as
 * long as the job's VM, so the gain is within one job.)
 *
 * The version must be valid semver for @actions/tool-cache to find it again
 * by exact version. A bare hex digest is not always valid (a prerelease
 * identifier of only digits may not start with 0), so the digest goes into
 * one alphanumeric prerelease identifier behind a `sha256-` prefix.
 *
 * The core re-hashes every restored file (the tool cache is a shared folder
 * on a long-lived machine) and calls `discard` on a mismatch, which removes
 * the entry: a truncated or altered entry costs one download, never a wrong
 * dataset, and the next successful pack stores it again.
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import * as tc from '@actions/tool-cache'
import { readCacheEntry, type DatasetCache, type Logger, type RestoreOptions } from '../core/index.js'

export const DATASET_TOOL = 'job-packager-dataset'
/** The bytes are the same on every architecture: one entry serves all. */
export const DATASET_ARCH = 'noarch'
const FILE_NAME = 'dataset'

export function datasetVersion(sha256: string): string {
  return `0.0.0-sha256-${sha256.toLowerCase()}`
}

export class ToolCacheDatasetCache implements DatasetCache {
  readonly label = "the runner's tool cache"

  constructor(private readonly logger: Logger) {}

  /** Only on a runner: @actions/tool-cache needs RUNNER_TOOL_CACHE. */
  static available(): boolean {
    return Boolean(process.env.RUNNER_TOOL_CACHE)
  }

  /**
   * The entry goes through the core's one rule for cache entries
   * (readCacheEntry): on a self-hosted runner every job can write to the tool
   * cache, so the file may be a FIFO, a device or a link to a file this job
   * may read and its writer may not.
   */
  async restore(sha256: string, dest: string, options?: RestoreOptions): Promise<boolean> {
    const dir = tc.find(DATASET_TOOL, datasetVersion(sha256), DATASET_ARCH)
    if (!dir) return false
    const root = process.env.RUNNER_TOOL_CACHE ?? path.dirname(path.dirname(path.dirname(dir)))
    const found = await readCacheEntry(root, path.join(dir, FILE_NAME), dest, options)
    if (!found) this.logger.debug(`Tool cache entry ${dir} holds no ${FILE_NAME} file.`)
    return found
  }

  async save(sha256: string, file: string): Promise<boolean> {
    await tc.cacheFile(file, FILE_NAME, DATASET_TOOL, datasetVersion(sha256), DATASET_ARCH)
    return true
  }

  async discard(sha256: string): Promise<undefined> {
    const dir = tc.find(DATASET_TOOL, datasetVersion(sha256), DATASET_ARCH)
    if (dir) await Promise.all([rm(dir, { recursive: true, force: true }), rm(`${dir}.complete`, { force: true })])
    return undefined
  }
}
