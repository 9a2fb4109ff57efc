/**
 * Downloads every dataset of a job into `data/`, one after the other, each
 * checked (size, Content-Length, pinned digest) before it is renamed into
 * place. A pinned digest found in the dataset cache skips the network; the
 * restored bytes are re-hashed first, so a cache entry that does not match
 * is dropped (with a warning) and the dataset downloaded instead.
 *
 * Saving to the cache is a separate step (saveDatasets), which the packager
 * runs only after the pack has succeeded: a failed pack caches nothing.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger.js'
import type { OptionNamer } from '../options/names.js'
import type { Limits } from '../options/options.js'
import { redactUrl, type Redactor } from '../redact.js'
import type { DatasetSpec } from '../spec.js'
import { CacheEntryRefused, type DatasetCache } from './dataset-cache.js'
import { sha256File } from '../fs/sha256.js'
import { formatBytes } from '../units.js'
import type { DataAuth } from '../net/token-origin.js'
import { downloadFile } from './http-download.js'
import { receivedTooMuch } from './size-limits.js'

export interface DatasetResult {
  name: string
  /** The URL as given, redacted (no credentials, no query). */
  url: string
  size: number
  sha256: string
  /** Whether the spec pinned the digest (data_sha256): only pinned datasets are cached. */
  pinned: boolean
  /** Whether the bytes came from the dataset cache. */
  cached: boolean
  /** Set by saveDatasets for a pinned dataset it offered to the cache: whether the cache kept it. */
  saved?: boolean
  /** Why the cache's copy was not used although the cache had one (refused, unreadable, other bytes): also a warning in the log. */
  cacheNotUsed?: string
}

export interface DatasetsRequest {
  datasets: DatasetSpec[]
  limits: Limits
  allowHttp: boolean
  allowPrivateNetwork: boolean
  /** How the user names options, for limit and policy messages. */
  names: OptionNamer
  cache?: DatasetCache
  /** The data token and its one origin. */
  auth?: DataAuth
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
}

export async function downloadDatasets(dataDir: string, req: DatasetsRequest): Promise<DatasetResult[]> {
  await mkdir(dataDir, { recursive: true })
  const results: DatasetResult[] = []
  // Datasets arrive one after the other, so the bytes before this one are a plain sum.
  let before = 0
  const total = (bytesBefore: number): { before: number; max: number } => ({ before: bytesBefore, max: req.limits.maxTotalDatasetBytes })
  const unpinned = req.cache ? req.datasets.filter((d) => !d.sha256).map((d) => `data/${d.fileName}`) : []
  if (req.cache && unpinned.length > 0) {
    // Once, not per dataset: the reason is the same for all of them.
    req.logger.info(
      `Not cached: ${unpinned.join(', ')} (no ${req.names('data_sha256')}). The dataset cache is keyed by the pinned digest, which is also what checks a restored file; without one the bytes are downloaded every time.`
    )
  }
  for (const dataset of req.datasets) {
    const label = `data/${dataset.fileName}`
    const dest = path.join(dataDir, dataset.fileName)
    const part = path.join(dataDir, `.${dataset.fileName}.part`)
    // Recorded in job.json: redacted structurally only (userinfo, query), never by the registered secrets (redact.ts).
    const url = redactUrl(dataset.url.href)
    const pinned = dataset.sha256 !== undefined
    const restored = dataset.sha256 && req.cache ? await restoreVerified(req.cache, dataset.sha256, part, label, req) : undefined
    if (dataset.sha256 && req.cache && restored === true) {
      const size = (await stat(part)).size
      const overTotal = receivedTooMuch({ label, maxBytes: req.limits.maxDatasetBytes, totalBytes: total(before), names: req.names }, size)
      if (overTotal) throw overTotal
      await rename(part, dest)
      before += size
      req.logger.info(`${label}: ${formatBytes(size)} from the dataset cache (${req.cache.label}; sha256 ${dataset.sha256}, re-hashed)`)
      results.push({ name: dataset.fileName, url, size, sha256: dataset.sha256, pinned, cached: true })
      continue
    }
    req.logger.info(`Downloading ${req.redactor.apply(dataset.url.href)} to ${label}`)
    if (req.auth && dataset.url.origin !== req.auth.origin) {
      // Said, since a private dataset will then fail: the token only ever goes to its one origin.
      req.logger.info(
        `The data token is not sent to ${dataset.url.origin}: it is only sent to ${req.auth.origin} (${req.names('dataTokenOrigin')}).`
      )
    }
    const { bytes, sha256 } = await downloadFile({
      url: dataset.url,
      dest: part,
      label,
      expectedSha256: dataset.sha256,
      maxBytes: req.limits.maxDatasetBytes,
      totalBytes: total(before),
      idleTimeoutMs: req.limits.idleTimeoutMs,
      maxRedirects: req.limits.maxRedirects,
      allowHttp: req.allowHttp,
      allowPrivateNetwork: req.allowPrivateNetwork,
      names: req.names,
      attempts: req.limits.attempts,
      retryDelayMs: req.limits.retryDelayMs,
      auth: req.auth,
      logger: req.logger,
      redactor: req.redactor,
      signal: req.signal
    })
    await rename(part, dest)
    before += bytes
    results.push({
      name: dataset.fileName,
      url,
      size: bytes,
      sha256,
      pinned,
      cached: false,
      ...(typeof restored === 'string' ? { cacheNotUsed: restored } : {})
    })
  }
  return results
}

/**
 * Restores a dataset from the cache into `part` and re-hashes it there, where
 * it will be used: true only when the bytes are the pinned ones; false when
 * the cache has no entry; otherwise why its entry was not used (refused,
 * unreadable, other bytes), which is also a warning. On a mismatch (the
 * entry is corrupt, or was written by someone else under this key) the file
 * is removed and the store asked to drop the entry.
 */
async function restoreVerified(
  cache: DatasetCache,
  sha256: string,
  part: string,
  label: string,
  req: DatasetsRequest
): Promise<boolean | string> {
  let restored: boolean
  try {
    restored = await cache.restore(sha256, part, { signal: req.signal, maxBytes: req.limits.maxDatasetBytes })
  } catch (err) {
    // The deadline or a cancellation: the job stops, it does not fall back to the network.
    req.signal?.throwIfAborted()
    await rm(part, { force: true })
    // A cache is an optimisation: failing to read it, or refusing what it holds, costs a download, not the job.
    const what = err instanceof CacheEntryRefused ? 'Did not restore' : 'Could not restore'
    req.logger.warn(`${what} ${label} from ${cache.label}: ${(err as Error).message}; downloading it instead.`)
    return (err as Error).message
  }
  if (!restored) {
    await rm(part, { force: true })
    req.logger.debug(`${label}: not in ${cache.label}`)
    return false
  }
  req.signal?.throwIfAborted()
  const actual = await sha256File(part)
  if (actual === sha256) return true
  await rm(part, { force: true })
  const advice = await cache.discard?.(sha256).catch((err: unknown) => `It could not be removed: ${(err as Error).message}.`)
  req.logger.warn(
    `${label}: the copy in ${cache.label} has sha256 ${actual}, not the pinned ${sha256}; it was not used, and the dataset is downloaded instead.${advice ? ` ${advice}` : ''}`
  )
  return `it has sha256 ${actual}, not the pinned one`
}

export interface SaveDatasetsRequest {
  /** The job's `data/` folder, after the pack succeeded. */
  dataDir: string
  datasets: DatasetResult[]
  cache: DatasetCache
  logger: Logger
}

/**
 * Offers every downloaded, pinned dataset to the cache. Called only after a
 * successful pack; a failure to save is a warning and never fails the pack.
 * Sets `saved` on each dataset offered.
 */
export async function saveDatasets(req: SaveDatasetsRequest): Promise<void> {
  for (const dataset of req.datasets) {
    if (dataset.cached || !dataset.pinned) continue
    const label = `data/${dataset.name}`
    try {
      dataset.saved = await req.cache.save(dataset.sha256, path.join(req.dataDir, dataset.name))
      if (dataset.saved) req.logger.info(`${label}: saved to ${req.cache.label} (sha256 ${dataset.sha256})`)
      else req.logger.warn(`${label} was not saved to ${req.cache.label} (see the message above); the next run downloads it again.`)
    } catch (err) {
      dataset.saved = false
      req.logger.warn(
        `Could not save ${label} to ${req.cache.label}: ${(err as Error).message}. The job is packaged; the next run downloads it again.`
      )
    }
  }
}
