/**
 * Options of a packaging run other than the job spec itself: where to write,
 * which transports and destinations are allowed, and the limits. Every limit
 * has a documented default (README "Limits") and can be overridden by both
 * shells.
 */
import type { Logger } from './logger.js'
import type { GitProtocol } from './spec.js'
import type { DatasetCache } from './download/dataset-cache.js'

export interface Limits {
  /** Largest single dataset, in bytes. */
  maxDatasetBytes: number
  /** Largest checked-out tree (sum of file sizes), in bytes. */
  maxCheckoutBytes: number
  /** Most files in the checked-out tree. */
  maxCheckoutFiles: number
  /** Deadline for the whole run, in milliseconds. */
  timeoutMs: number
  /** A download that receives nothing for this long is abandoned (then retried). */
  idleTimeoutMs: number
  /** Redirect hops followed per download. */
  maxRedirects: number
  /** Attempts per network operation (git fetch, each download), the first included. */
  attempts: number
  /** First back-off delay between attempts; doubles each time. */
  retryDelayMs: number
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxDatasetBytes: 5 * 1024 ** 3,
  maxCheckoutBytes: 2 * 1024 ** 3,
  maxCheckoutFiles: 200_000,
  timeoutMs: 60 * 60 * 1000,
  idleTimeoutMs: 60 * 1000,
  maxRedirects: 5,
  attempts: 3,
  retryDelayMs: 1000
})

export interface PackOptions {
  /** Folder that receives `{job_id}/` and `{job_id}.tar.gz`. Default `jobs`. */
  outDir?: string
  /** Git transports allowed for git_url (and http for data_url). Default: https only. */
  allowProtocols?: Iterable<GitProtocol>
  /**
   * Allow datasets from loopback, private, link-local and other non-public
   * addresses. Off by default: on a self-hosted runner a job spec must not be
   * able to reach the cloud metadata endpoint or the office network.
   */
  allowPrivateNetwork?: boolean
  limits?: Partial<Limits>
  /** Token for the git host (http(s) remotes only). Never logged, never stored. */
  token?: string
  /** gzip level 1–9 for the archive. Default 6. */
  compressionLevel?: number
  /**
   * Base image written as the Dockerfile's default `BASE_IMAGE`, instead of
   * the detected one (see detect/). Still overridable at build time with
   * `--build-arg BASE_IMAGE=...`.
   */
  baseImage?: string
  /**
   * When the repository has a Dockerfile at its root, use it as-is (build
   * context code/) instead of generating one. Default false.
   */
  useRepoDockerfile?: boolean
  /** Reuse datasets by sha256 (only for datasets with a pinned digest). */
  datasetCache?: DatasetCache
  logger?: Logger
  /** Cancels the run; everything written so far is removed. */
  signal?: AbortSignal
}
