/**
 * Downloads every dataset of a job into `data/`, one after the other, each
 * checked (size, Content-Length, pinned digest) before it is renamed into
 * place. A pinned digest found in the dataset cache skips the network.
 */
import { mkdir, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger.js'
import type { OptionNamer } from '../options/names.js'
import type { Limits } from '../options/options.js'
import type { Redactor } from '../redact.js'
import type { DatasetSpec } from '../spec.js'
import type { DatasetCache } from './dataset-cache.js'
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
  /** Whether the bytes came from the dataset cache. */
  cached: boolean
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
  for (const dataset of req.datasets) {
    const label = `data/${dataset.fileName}`
    const dest = path.join(dataDir, dataset.fileName)
    const part = path.join(dataDir, `.${dataset.fileName}.part`)
    const url = req.redactor.apply(dataset.url.href)
    if (dataset.sha256 && req.cache && (await req.cache.restore(dataset.sha256, part))) {
      const size = (await stat(part)).size
      const overTotal = receivedTooMuch({ label, maxBytes: req.limits.maxDatasetBytes, totalBytes: total(before), names: req.names }, size)
      if (overTotal) throw overTotal
      await rename(part, dest)
      before += size
      req.logger.info(`${label}: ${formatBytes(size)} from the dataset cache (sha256 ${dataset.sha256})`)
      results.push({ name: dataset.fileName, url, size, sha256: dataset.sha256, cached: true })
      continue
    }
    req.logger.info(`Downloading ${url} to ${label}`)
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
    if (dataset.sha256 && req.cache)
      await req.cache
        .save(sha256, dest)
        .catch((err: unknown) => req.logger.warn(`Could not save ${label} to the dataset cache: ${(err as Error).message}`))
    results.push({ name: dataset.fileName, url, size: bytes, sha256, cached: false })
  }
  return results
}
