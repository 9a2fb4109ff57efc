/**
 * The run sub-action (run/action.yml), a shell over the core's runPackage:
 * inputs → download `{job-id}.tar.gz` → runPackage (verify, build, run with
 * limits, capture) → outputs → upload `{job-id}-result.tar.gz` → job summary
 * → fail the step when the job failed (unless fail-on-job-failure: false).
 *
 * Errors are caught here, once, as in the packaging Action (action/main.ts):
 * the message alone for our own errors, the stack too for anything else.
 *
 * Order matters:
 * - the token for another run's artifacts is registered as a secret before
 *   any input is parsed;
 * - the job's outputs are set as soon as the result exists, so a failed
 *   upload still leaves later steps (`if: always()`) the exit code and paths;
 * - the summary is written before an upload error or the job's failure fails
 *   the step, for the same reason.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import { handleInterrupts, INTERRUPT_GRACE_MS, InterruptedError, JobPackagerError, runPackage, type RunResult } from '../core/index.js'
import { createActionLogger, logUntrusted, maskSecret } from '../action/action-logger.js'
import { uploadArchive, type UploadedArtifact } from '../action/upload.js'
import { downloadPackage } from './download.js'
import { getRunInputs, RUN_TOKEN_INPUT, type RunActionSettings } from './inputs.js'
import { JobLog } from './job-log.js'
import { setRunOutputs } from './outputs.js'
import { describeEnd, seconds, writeRunSummary } from './summary.js'

export async function run(): Promise<void> {
  // Until we finish on purpose the exit code says "failed": if a stream never
  // settles and Node runs out of work, the step must not pass with nothing done.
  process.exitCode = 1
  const controller = new AbortController()
  // The runner cancels a step with SIGINT, then SIGTERM: stop the job (the core stops its container or process group).
  const stopHandling = handleInterrupts({
    onInterrupt: (sig) => controller.abort(new InterruptedError(`Cancelled (${sig}); the job was stopped.`)),
    onForcedExit: (sig, why) =>
      core.error(
        why === 'again'
          ? `${sig} received again; exiting without finishing the clean-up.`
          : `The clean-up after ${sig} did not finish within ${INTERRUPT_GRACE_MS / 1000} s (something is still blocked); exiting now.`
      )
  })
  try {
    maskSecret(core.getInput(RUN_TOKEN_INPUT))
    const settings = getRunInputs()
    const result = await runWith(settings, controller.signal)
    const failed = result.exitCode !== 0 || result.stopped !== undefined
    if (failed && settings.failOnJobFailure) {
      core.setFailed(
        `The job ${result.jobId} ${describeEnd(result)}. Its result was kept (see the job summary). To let the workflow go on when a job fails, set fail-on-job-failure: false and read the exit-code output.`
      )
      return
    }
    if (failed) core.warning(`The job ${result.jobId} ${describeEnd(result)}; fail-on-job-failure is false, so this step passes.`)
    process.exitCode = 0
  } catch (err) {
    core.setFailed(messageOf(err))
  } finally {
    stopHandling()
  }
}

async function runWith(settings: RunActionSettings, signal: AbortSignal): Promise<RunResult> {
  const logger = createActionLogger()
  // The downloaded package is a copy for this step only: in the runner's temp folder, removed at the end.
  const scratch = await mkdtemp(path.join(process.env.RUNNER_TEMP || tmpdir(), 'job-packager-run-'))
  try {
    const where = settings.from ? `run ${settings.from.runId} of ${settings.from.repository}` : 'this workflow run'
    const downloaded = await logger.group('Download the package', () =>
      downloadPackage({ jobId: settings.jobId, dest: path.join(scratch, 'package'), from: settings.from, logger })
    )

    const jobLog = new JobLog(settings.run.maxLogBytes)
    let result: RunResult
    try {
      result = await runPackage(
        downloaded.archivePath,
        { ...settings.run, onOutput: (stream, chunk) => jobLog.write(stream, chunk), signal },
        logger
      )
    } finally {
      jobLog.flush()
    }
    if (result.jobId !== settings.jobId)
      // The archive's name said one id and its job.json another: the artifact was not what job-id asked for.
      logger.warn(
        `The artifact ${downloaded.artifactName} holds the job ${JSON.stringify(result.jobId)}, not ${JSON.stringify(settings.jobId)}.`
      )
    setRunOutputs({
      'exit-code': String(result.exitCode),
      stopped: result.stopped ?? '',
      'result-dir': result.resultDir,
      'result-path': result.resultArchive,
      'result-sha256': result.resultSha256
    })
    const t = result.timings
    logUntrusted(
      `The job ${result.jobId} ${describeEnd(result)}. Build ${seconds(t.buildMs)}, run ${seconds(t.runMs)}, total ${seconds(t.totalMs)}. Result: ${result.resultArchive}`
    )

    let artifact: UploadedArtifact | undefined
    let uploadError: Error | undefined
    if (settings.upload.enabled) {
      try {
        artifact = await logger.group('Upload the result', () =>
          uploadArchive({
            archivePath: result.resultArchive,
            archiveSha256: result.resultSha256,
            retentionDays: settings.upload.retentionDays,
            overwrite: settings.upload.overwrite,
            logger
          })
        )
        setRunOutputs({ 'result-artifact-id': String(artifact.id), 'result-artifact-url': artifact.url ?? '' })
      } catch (err) {
        uploadError = err instanceof Error ? err : new Error(String(err))
      }
    } else {
      logger.info('upload is false: the result was not uploaded.')
    }

    try {
      await writeRunSummary({
        result,
        source: { ...downloaded, where },
        artifact,
        artifactNote: uploadError
          ? 'upload failed (see the step log)'
          : settings.upload.enabled
            ? undefined
            : 'not uploaded (upload: false)'
      })
    } catch (err) {
      // The job ran and its result is kept; a summary that cannot be written is not worth failing for.
      logger.warn(`Could not write the job summary: ${(err as Error).message}`)
    }
    if (uploadError) throw uploadError
    return result
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** Our own errors are written for the workflow author; anything else is a bug: the stack too. */
function messageOf(err: unknown): string {
  if (err instanceof JobPackagerError) return err.message
  return `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
}
