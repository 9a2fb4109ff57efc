/**
 * Uploads `{job_id}.tar.gz` as a workflow artifact with @actions/artifact.
 *
 * `skipArchive: true` stores the file as it is (no zip around it), so the
 * artifact is named after the file, a download is the archive itself, and
 * the digest the service records is the archive's own sha256. That digest is
 * compared with the one the packager computed: an artifact whose bytes are
 * not the archive's is deleted and the step fails.
 *
 * Every failure is an UploadError written for the workflow author. Upload
 * runs after the job folder and archive were written; they stay on disk
 * whatever happens here.
 */
import path from 'node:path'
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact'
import { JobPackagerError, type Logger } from '../core/index.js'

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
  let response: Awaited<ReturnType<ArtifactClient['uploadArtifact']>>
  try {
    response = await client.uploadArtifact(name, [req.archivePath], path.dirname(req.archivePath), {
      skipArchive: true,
      ...(req.retentionDays !== undefined ? { retentionDays: req.retentionDays } : {})
    })
  } catch (err) {
    throw new UploadError(`${describeUploadFailure(name, err)} ${kept}`, { cause: err })
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
  req.logger.info(`Uploaded artifact ${name} (id ${response.id}, ${response.size ?? '?'} bytes, sha256 ${digest})${url ? `: ${url}` : ''}`)
  return { id: response.id, name, size: response.size ?? 0, digest, url }
}

/** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}/artifacts/${id}`, when all three are set. */
export function artifactUrl(id: number): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: runId } = process.env
  if (!server || !repo || !runId) return undefined
  return `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${runId}/artifacts/${id}`
}

function describeUploadFailure(name: string, err: unknown): string {
  const detail = (err instanceof Error ? err.message : String(err)).trim().replace(/\.$/, '')
  if (/\(409\)|already exists/i.test(detail)) {
    return `Cannot upload the artifact ${name}: an artifact with this name already exists in this workflow run. Job ids name the artifact and must be unique per run (e.g. job-id: \${{ github.run_id }}-\${{ strategy.job-index }}). The service said: ${detail}.`
  }
  if (err instanceof Error && err.name === 'GHESNotSupportedError') {
    return `Cannot upload the artifact ${name}: this artifact service (GitHub Enterprise Server) does not support the artifact API this action uses. Set upload: false and publish the archive with a step of your own.`
  }
  return `Uploading the artifact ${name} failed: ${detail}.`
}
