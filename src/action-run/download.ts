/**
 * Fetches a package, `{job_id}.tar.gz`, from the workflow's artifacts with
 * @actions/artifact: by name from this run (the runtime token the runner
 * gives every step), or from another run — of this repository or another —
 * through the REST API with a token that may read its Actions artifacts
 * (`findBy`), the two ways actions/download-artifact finds one.
 *
 * What arrives is checked twice over: the client hashes the bytes it
 * downloads and compares them with the digest the artifact service recorded
 * at upload (the packager's own archive sha256, see action/upload.ts), and
 * the core later verifies the package's content against its job.json (and an
 * expected sha256, when the workflow passes one). An artifact without a
 * recorded digest (uploaded by an older client) is accepted with a warning:
 * the core's verification still runs.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { DefaultArtifactClient, type ArtifactClient, type FindOptions } from '@actions/artifact'
import { JobPackagerError, type Logger } from '../core/index.js'

export class DownloadError extends JobPackagerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('download', message, options)
    this.name = 'DownloadError'
  }
}

/** Where the artifact lives when it is not in this run. */
export interface OtherRun {
  /** The numeric run id (`github.run_id` of that run). */
  runId: number
  /** owner/name. */
  repository: string
  /** A token that may read that repository's Actions artifacts. */
  token: string
}

export interface DownloadRequest {
  jobId: string
  /** Empty folder that receives the archive. */
  dest: string
  /** Undefined: this workflow run. */
  from?: OtherRun
  logger: Logger
  /** For tests; the real client by default. */
  client?: ArtifactClient
}

export interface DownloadedPackage {
  archivePath: string
  artifactId: number
  artifactName: string
  /** Hex sha256 the artifact service recorded, when it has one. */
  digest?: string
  size: number
}

export async function downloadPackage(req: DownloadRequest): Promise<DownloadedPackage> {
  const name = `${req.jobId}.tar.gz`
  const where = req.from ? `run ${req.from.runId} of ${req.from.repository}` : 'this workflow run'
  if (!req.from) {
    // The client would say "Unable to get the ACTIONS_RUNTIME_TOKEN env variable", which does not say what to do.
    const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((v) => !process.env[v])
    if (missing.length > 0)
      throw new DownloadError(
        `Cannot download the artifact ${name}: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, which means this is not running inside a GitHub Actions job.`
      )
  }
  const findBy: FindOptions['findBy'] | undefined = req.from
    ? {
        token: req.from.token,
        workflowRunId: req.from.runId,
        repositoryOwner: req.from.repository.split('/')[0] ?? '',
        repositoryName: req.from.repository.split('/')[1] ?? ''
      }
    : undefined
  const client = req.client ?? new DefaultArtifactClient()

  let artifact: Awaited<ReturnType<ArtifactClient['getArtifact']>>['artifact']
  try {
    artifact = (await client.getArtifact(name, findBy ? { findBy } : undefined)).artifact
  } catch (err) {
    throw new DownloadError(describeFindFailure(name, where, err, req.from !== undefined), { cause: err })
  }
  const digest = artifact.digest?.toLowerCase().replace(/^sha256:/, '') || undefined
  if (!digest)
    req.logger.warn(
      `The artifact ${name} (id ${artifact.id}) has no recorded digest, so its download cannot be checked against it; the package's own verification still runs.`
    )

  let mismatch: boolean
  try {
    const res = await client.downloadArtifact(artifact.id, {
      path: req.dest,
      ...(digest ? { expectedHash: `sha256:${digest}` } : {}),
      ...(findBy ? { findBy } : {})
    })
    mismatch = res.digestMismatch === true
  } catch (err) {
    throw new DownloadError(`Downloading the artifact ${name} (id ${artifact.id}) from ${where} failed: ${detailOf(err)}.`, { cause: err })
  }
  if (mismatch)
    throw new DownloadError(
      `The downloaded artifact ${name} (id ${artifact.id}) does not have the sha256 the artifact service recorded for it (${digest}): it was changed or cut short on the way. Nothing was run.`
    )

  // A raw upload (what the packager does) arrives as the file itself; a zipped one is unpacked, and must hold it.
  const archivePath = path.join(req.dest, name)
  const present = await readdir(req.dest, { recursive: true }).then((names) => names.map(String))
  if (!present.includes(name)) {
    const listed = present.length === 0 ? 'nothing' : present.slice(0, 10).join(', ') + (present.length > 10 ? ', …' : '')
    throw new DownloadError(
      `The artifact ${name} (id ${artifact.id}) from ${where} did not contain ${name} (it held ${listed}). Upload the package as the packager does (one file, not zipped), or name the artifact after the archive inside it.`
    )
  }
  req.logger.info(
    `Downloaded artifact ${name} (id ${artifact.id}, ${artifact.size} bytes${digest ? `, sha256 ${digest}` : ''}) from ${where}.`
  )
  return { archivePath, artifactId: artifact.id, artifactName: name, digest, size: artifact.size }
}

function detailOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().replace(/\s+/g, ' ').replace(/\.$/, '')
}

function describeFindFailure(name: string, where: string, err: unknown, otherRun: boolean): string {
  const detail = detailOf(err)
  if (err instanceof Error && err.name === 'ArtifactNotFoundError') {
    const hint = otherRun
      ? 'Check run-id and repository, that the artifact has not expired, and that the token may read the Actions artifacts of that repository (actions: read).'
      : 'The package job must have finished its upload before this job starts (needs: …), and job-id must be the job id it packaged; from another run, give run-id (and repository, token).'
    return `No artifact named ${name} in ${where}. ${hint}`
  }
  if (err instanceof Error && err.name === 'GHESNotSupportedError')
    return `Cannot download the artifact ${name}: this artifact service (GitHub Enterprise Server) does not support the artifact API this action uses.`
  if (/\b401\b|Bad credentials/i.test(detail))
    return `Cannot list the artifacts of ${where}: the token was refused (${detail}). Pass a token that may read that repository's Actions artifacts.`
  return `Finding the artifact ${name} in ${where} failed: ${detail}.`
}
