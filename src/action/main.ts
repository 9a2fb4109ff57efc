/**
 * The Action shell over the packager: inputs → packJob → outputs → artifact
 * upload → job summary. Errors are caught here, once, and reported with
 * core.setFailed: the message alone for the packager's own errors (they are
 * written for the workflow author and never hold a secret), the stack too for
 * anything else, which is a bug.
 *
 * Order matters:
 * - the tokens (git and data) are registered as secrets before any input is
 *   even parsed;
 * - the packaging outputs are set as soon as the archive exists, so a failed
 *   upload still leaves later steps (`if: failure()`) the job's paths;
 * - the summary is written before an upload error fails the step, for the
 *   same reason.
 */
import path from 'node:path'
import * as core from '@actions/core'
import {
  buildProvenance,
  DEFAULT_LIMITS,
  handleInterrupts,
  INTERRUPT_GRACE_MS,
  InterruptedError,
  JobPackagerError,
  packJob,
  sha256File,
  writeProvenance,
  type PackResult
} from '../core/index.js'
import { createActionLogger, logUntrusted, maskSecret } from './action-logger.js'
import { getInputs, type ActionSettings } from './input-helper.js'
import { attestStatement, githubBuildContext, type Attestation } from './provenance.js'
import { setOutputs } from './outputs.js'
import { writeSummary } from './summary.js'
import { selectDatasetCache } from './dataset-caches.js'
import { uploadArchive, type UploadedArtifact } from './upload.js'

export async function run(): Promise<void> {
  // Until we finish on purpose the exit code says "failed": if a stream never
  // settles and Node runs out of work, the step must not pass with nothing done.
  process.exitCode = 1
  const controller = new AbortController()
  // The runner cancels a step with SIGINT, then SIGTERM: stop and let the core clean up.
  const stopHandling = handleInterrupts({
    onInterrupt: (sig) => controller.abort(new InterruptedError(`Cancelled (${sig}); no job folder or archive was left behind.`)),
    onForcedExit: (sig, why) =>
      core.error(
        why === 'again'
          ? `${sig} received again; exiting without finishing the clean-up.`
          : `The clean-up after ${sig} did not finish within ${INTERRUPT_GRACE_MS / 1000} s (something is still blocked); exiting now.`
      )
  })
  try {
    maskSecret(core.getInput('token'))
    maskSecret(core.getInput('github-token'))
    maskSecret(core.getInput('data-token'))
    await runWith(getInputs(), controller.signal)
    process.exitCode = 0
  } catch (err) {
    core.setFailed(messageOf(err))
  } finally {
    stopHandling()
  }
}

async function runWith(settings: ActionSettings, signal: AbortSignal): Promise<void> {
  const logger = createActionLogger()
  if (settings.replacedJobId !== undefined) logger.info(`The job-id input replaces spec.job_id ${JSON.stringify(settings.replacedJobId)}.`)
  if (typeof settings.spec.command === 'string') logUntrusted(`Command:\n${settings.spec.command}`)

  const datasetCache = selectDatasetCache(settings.datasetCache, logger)
  const startedOn = new Date()
  const result = await packJob(settings.spec, { ...settings.options, datasetCache, logger, signal })
  setPackOutputs(result)
  const statement = settings.provenance.enabled
    ? buildProvenance(
        { archiveName: path.basename(result.archivePath), archiveSha256: result.archiveSha256, manifest: result.manifest },
        githubBuildContext(startedOn, new Date())
      )
    : undefined
  const statementPath = statement ? await writeProvenance(result.archivePath, statement) : undefined
  if (statementPath) {
    setOutputs({ 'provenance-path': statementPath })
    logger.info(
      `Wrote the provenance statement ${path.basename(statementPath)} (subject ${path.basename(result.archivePath)}, sha256 ${result.archiveSha256}).`
    )
  }

  const uploadSettings = {
    retentionDays: settings.upload.retentionDays,
    overwrite: settings.upload.overwrite,
    // The same back-off policy as the downloads and the git fetch.
    retry: {
      attempts: settings.options.attempts ?? DEFAULT_LIMITS.attempts,
      delayMs: settings.options.retryDelayMs ?? DEFAULT_LIMITS.retryDelayMs
    },
    signal,
    logger
  }
  let artifact: UploadedArtifact | undefined
  let uploadError: Error | undefined
  if (settings.upload.enabled) {
    try {
      artifact = await logger.group('Upload the artifact', () =>
        uploadArchive({ ...uploadSettings, archivePath: result.archivePath, archiveSha256: result.archiveSha256 })
      )
      setOutputs({ 'artifact-id': String(artifact.id), 'artifact-url': artifact.url ?? '', 'artifact-digest': artifact.digest })
      if (statementPath) {
        // A second artifact, so the archive stays a direct download and the statement can be fetched on its own.
        const uploaded = await logger.group('Upload the provenance statement', async () =>
          uploadArchive({ ...uploadSettings, archivePath: statementPath, archiveSha256: await sha256File(statementPath) })
        )
        setOutputs({ 'provenance-artifact-id': String(uploaded.id) })
      }
    } catch (err) {
      uploadError = err instanceof Error ? err : new Error(String(err))
    }
  } else {
    logger.info('upload is false: the archive was not uploaded.')
  }

  let attestation: Attestation | undefined
  let attestError: Error | undefined
  if (statement && settings.provenance.attest && !uploadError) {
    try {
      attestation = await logger.group('Sign the provenance (attestation)', () =>
        attestStatement(statement, settings.provenance.githubToken ?? '')
      )
      setOutputs({ 'attestation-id': attestation.id ?? '', 'attestation-url': attestation.url ?? '' })
      logger.info(`Attestation ${attestation.id ?? '(no id returned)'}${attestation.url ? `: ${attestation.url}` : ''}`)
    } catch (err) {
      attestError = err instanceof Error ? err : new Error(String(err))
    }
  }

  try {
    await writeSummary({
      result,
      command: typeof settings.spec.command === 'string' ? settings.spec.command : '',
      artifact,
      datasetCache: datasetCache?.label,
      artifactNote: uploadError ? 'upload failed (see the step log)' : settings.upload.enabled ? undefined : 'not uploaded (upload: false)',
      provenance: statementPath
        ? {
            file: path.basename(statementPath),
            attestationUrl: attestation?.url,
            attestNote: attestError ? 'signing failed (see the step log)' : undefined
          }
        : undefined
    })
  } catch (err) {
    // The job is packaged; a summary that cannot be written is not worth failing for.
    logger.warn(`Could not write the job summary: ${(err as Error).message}`)
  }
  if (uploadError) throw uploadError
  if (attestError) throw attestError
}

function setPackOutputs(result: PackResult): void {
  setOutputs({
    'job-id': result.jobId,
    'job-dir': result.jobDir,
    'archive-path': result.archivePath,
    'archive-sha256': result.archiveSha256,
    'content-digest': result.contentDigest,
    commit: result.commit
  })
}

/**
 * The packager's own errors are written for the workflow author (and input
 * errors already name the inputs: getInputs validated the spec with the
 * options before anything ran). Anything else is a bug: the stack too.
 */
function messageOf(err: unknown): string {
  if (err instanceof JobPackagerError) return err.message
  return `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
}
