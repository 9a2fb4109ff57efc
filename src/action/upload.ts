/**
 * Uploads `{job_id}.tar.gz` as a workflow artifact with @actions/artifact.
 *
 * `skipArchive: true` stores the file as it is (no zip around it), so the
 * artifact is named after the file, a download is the archive itself, and
 * the digest the service records is the archive's own sha256. That digest is
 * compared with the one the packager computed: an artifact whose bytes are
 * not the archive's is deleted and the step fails.
 *
 * Re-runs: an artifact name is unique in a workflow run, so a re-run of the
 * job (or another step with the same job id) meets the earlier artifact.
 * With `overwrite` the earlier one is deleted first; without it the conflict
 * fails the step and the message says how to choose.
 *
 * Transient failures (network resets, 5xx, 429, 408) are retried with the
 * packager's back-off policy (core/retry.ts, the attempts and retry-delay-ms
 * options), each retry logged. The client already retries 5xx and 429 of
 * its service calls itself (about five times); what it does not retry — a
 * connection reset, or the answer it gave up on — gets our attempts on top.
 * A 4xx (403, 404, 409) is never retried: it will not change. One limit of
 * the service shapes the messages: once CreateArtifact has registered a
 * name, a failure later in the same upload leaves an unfinished artifact
 * that holds the name for the rest of the run, is listed nowhere and cannot
 * be deleted; a retry then meets a 409, which is explained as such —
 * unless the earlier attempt had in fact finished (only its answer was
 * lost), which a finished artifact with the archive's sha256 shows.
 *
 * Every failure is an UploadError written for the workflow author. Upload
 * runs after the job folder and archive were written; they stay on disk
 * whatever happens here.
 */
import path from 'node:path'
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact'
import { DEFAULT_LIMITS, JobPackagerError, withRetry, type Logger } from '../core/index.js'
import { actionNamer } from './input-helper.js'

export class UploadError extends JobPackagerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('upload', message, options)
    this.name = 'UploadError'
  }
}

export interface UploadRequest {
  archivePath: string
  archiveSha256: string
  retentionDays?: number
  /** Delete an artifact of the same name in this run first. */
  overwrite?: boolean
  /** The packager's back-off policy: attempts (the first included) and the first delay, doubling. Default: the options' defaults. */
  retry?: { attempts: number; delayMs: number }
  signal?: AbortSignal
  logger: Logger
  /** For tests; the real client by default. */
  client?: ArtifactClient
}

export interface UploadedArtifact {
  id: number
  name: string
  size: number
  /** Hex sha256, equal to the archive's. */
  digest: string
  /** The artifact on the run's page, when the run's coordinates are known. */
  url?: string
  /** Id of the artifact of the same name this one replaced (overwrite). */
  replaced?: number
}

type UploadResponse = Awaited<ReturnType<ArtifactClient['uploadArtifact']>>

/** One attempt's failure: where it happened, and the client's error for classifying it. */
class AttemptFailure extends Error {
  constructor(
    readonly step: 'delete' | 'upload',
    readonly original: unknown,
    readonly attempt: number
  ) {
    super(firstLine(original))
  }
}

export async function uploadArchive(req: UploadRequest): Promise<UploadedArtifact> {
  const name = path.basename(req.archivePath)
  const kept = `The job folder and ${req.archivePath} were written and are kept.`
  // The client would say "Unable to get the ACTIONS_RUNTIME_TOKEN env variable",
  // which does not tell the user what to do about it.
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((v) => !process.env[v])
  if (missing.length > 0) {
    throw new UploadError(
      `Cannot upload the artifact ${name}: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, which means this is not running inside a GitHub Actions job. Run inside GitHub Actions or set upload: false. ${kept}`
    )
  }
  const client = req.client ?? new DefaultArtifactClient()
  const retry = req.retry ?? { attempts: DEFAULT_LIMITS.attempts, delayMs: DEFAULT_LIMITS.retryDelayMs }
  let replaced: number | undefined
  let response: UploadResponse
  try {
    response = await withRetry(
      { attempts: retry.attempts, delayMs: retry.delayMs, signal: req.signal, logger: req.logger, what: `Upload of the artifact ${name}` },
      async (attempt) => {
        if (req.overwrite) {
          // Inside the attempt: deleting is idempotent, and a retry must not meet what an earlier attempt finished.
          const id = await deleteExisting(client, name, req.logger).catch((err: unknown) => {
            throw new AttemptFailure('delete', err, attempt)
          })
          replaced ??= id
        }
        return client
          .uploadArtifact(name, [req.archivePath], path.dirname(req.archivePath), {
            skipArchive: true,
            ...(req.retentionDays !== undefined ? { retentionDays: req.retentionDays } : {})
          })
          .catch((err: unknown) => {
            throw new AttemptFailure('upload', err, attempt)
          })
      },
      (err) => err instanceof AttemptFailure && isTransientUploadFailure(err.original)
    )
  } catch (err) {
    if (!(err instanceof AttemptFailure)) throw err
    // A retry's conflict may be the earlier attempt itself, finished after all (only its answer was lost).
    const earlier =
      err.step === 'upload' && err.attempt > 1 && isConflict(err.original) ? await finishedEarlier(client, name, req) : undefined
    if (!earlier) throw new UploadError(`${describeUploadFailure(name, err, req.overwrite ?? false)} ${kept}`, { cause: err.original })
    response = earlier
  }
  if (response.id === undefined)
    throw new UploadError(`The artifact service did not return an id for ${name}; the upload cannot be confirmed. ${kept}`)
  const digest = response.digest?.toLowerCase().replace(/^sha256:/, '')
  if (digest !== req.archiveSha256) {
    // Downstream jobs must never find an artifact that is not the archive.
    const removed = await client.deleteArtifact(name).then(
      () => 'It was deleted.',
      (err: unknown) => `Deleting it failed too (${(err as Error).message}); do not use it.`
    )
    throw new UploadError(
      `The uploaded artifact ${name} has digest ${digest ? `sha256:${digest}` : '(none reported)'}, but the archive's sha256 is ${req.archiveSha256}. ${removed} ${kept}`
    )
  }
  const url = artifactUrl(response.id)
  req.logger.info(
    `Uploaded artifact ${name} (id ${response.id}, ${response.size ?? '?'} bytes, sha256 ${digest})${replaced !== undefined ? `, replacing artifact id ${replaced}` : ''}${url ? `: ${url}` : ''}`
  )
  return { id: response.id, name, size: response.size ?? 0, digest, url, ...(replaced !== undefined ? { replaced } : {}) }
}

/**
 * After a failed attempt and a conflict on the retry: the run's finished
 * artifact of this name, when its digest is the archive's (the earlier
 * attempt completed, and only the answer to FinalizeArtifact was lost).
 */
async function finishedEarlier(client: ArtifactClient, name: string, req: UploadRequest): Promise<UploadResponse | undefined> {
  const found = await client.getArtifact(name).then(
    (r) => r.artifact,
    () => undefined
  )
  if (found?.digest?.toLowerCase().replace(/^sha256:/, '') !== req.archiveSha256) return undefined
  req.logger.info(`The earlier attempt had finished the upload after all: artifact ${name} (id ${found.id}) has the archive's sha256.`)
  return { id: found.id, size: found.size, digest: found.digest }
}

function isConflict(err: unknown): boolean {
  return /\(409\)|already exists/i.test(err instanceof Error ? err.message : String(err))
}

/** Deletes the run's artifact of this name, if there is one; its id, or undefined when there was none. */
async function deleteExisting(client: ArtifactClient, name: string, logger: Logger): Promise<number | undefined> {
  try {
    const { id } = await client.deleteArtifact(name)
    logger.info(
      `Deleted the artifact ${name} (id ${id}) already in this workflow run, to replace it (${actionNamer('overwrite', 'true')}).`
    )
    return id
  } catch (err) {
    if (err instanceof Error && err.name === 'ArtifactNotFoundError') {
      logger.info(`No artifact ${name} in this workflow run yet: nothing to replace.`)
      return undefined
    }
    throw err
  }
}

/** Connection-level failures worth another attempt. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN'
])

/**
 * Whether an error from the artifact client is worth another attempt: a
 * network failure (the client's NetworkError — an object with a code from
 * the blob upload, only a message from a service call — or a socket error), a 5xx, 429 or 408 (the service's answer as the client words it,
 * "Failed request: (503) …", or an Azure RestError's statusCode), the
 * client giving up on answers it retries itself, or a stalled blob upload.
 * Anything else — 4xx such as 403, 404 and 409, a missing file — is not.
 */
export function isTransientUploadFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown }
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true
  if (typeof statusCode === 'number' && statusCode > 0) return statusCode >= 500 || statusCode === 429 || statusCode === 408
  const m = err.message
  // The client's service calls rewrap its NetworkError in a plain Error ("Failed to CreateArtifact: Unable to make
  // request: ECONNRESET"): the code survives only in the text.
  const unable = /Unable to make request: ([A-Z_]+)/.exec(m)
  if (unable?.[1] !== undefined && TRANSIENT_CODES.has(unable[1])) return true
  if (/\((?:5\d\d|429|408)\)/.test(m)) return true
  if (/Failed to make request after \d+ attempts/.test(m)) return true
  return /Upload progress stalled/i.test(m)
}

/** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}/artifacts/${id}`, when all three are set. */
export function artifactUrl(id: number): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: runId } = process.env
  if (!server || !repo || !runId) return undefined
  return `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${runId}/artifacts/${id}`
}

function describeUploadFailure(name: string, failure: AttemptFailure, overwrite: boolean): string {
  const err = failure.original
  const detail = (err instanceof Error ? err.message : String(err)).trim().replace(/\.$/, '')
  const tries = failure.attempt > 1 ? ` (attempt ${failure.attempt})` : ''
  if (failure.step === 'delete') {
    return `Cannot replace the artifact ${name} (${actionNamer('overwrite', 'true')}): deleting the one already in this workflow run failed${tries}: ${detail}.`
  }
  if (isConflict(err)) {
    if (failure.attempt > 1 || overwrite) {
      // Nothing finished holds the name (overwrite deleted it, or the first attempt created nothing that was finished):
      // an unfinished upload does, which the service lists nowhere and keeps for the rest of the run.
      return `Cannot upload the artifact ${name}${tries}: the name is held by an unfinished upload in this workflow run${failure.attempt > 1 ? ' (the earlier attempt failed after the artifact service had registered the name)' : ' (one that failed after the artifact service had registered the name, or a step uploading the same name right now)'}. The service keeps such a name for the rest of the run and lists no artifact under it, so ${actionNamer('overwrite')} cannot delete it: use another job-id (e.g. add \${{ github.run_attempt }}). The service said: ${detail}.`
    }
    return `Cannot upload the artifact ${name}: an artifact with this name already exists in this workflow run (a re-run of this job, or another step with the same job-id). To replace it, set ${actionNamer('overwrite', 'true')}; to keep both, give each its own job-id: job ids name the artifact and must be unique per run (e.g. job-id: \${{ github.run_id }}-\${{ strategy.job-index }}). The service said: ${detail}.`
  }
  if (err instanceof Error && err.name === 'GHESNotSupportedError') {
    return `Cannot upload the artifact ${name}: this artifact service (GitHub Enterprise Server) does not support the artifact API this action uses. Set upload: false and publish the archive with a step of your own.`
  }
  const transient = isTransientUploadFailure(err)
  return `Uploading the artifact ${name} failed${transient && failure.attempt > 1 ? ` after ${failure.attempt} attempts (${actionNamer('attempts')})` : tries}: ${detail}.`
}

/** The first line of an error's message (the client's NetworkError adds a paragraph of advice). */
function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim()
}
