/** What the CLI prints on stdout: the result as text or JSON, and (with --json) an error as JSON. */
import { describeFrozen, formatBytes, JobPackagerError, SpecError, type PackResult } from '../core/index.js'

export function resultJson(result: PackResult): Record<string, unknown> {
  return {
    job_id: result.jobId,
    job_dir: result.jobDir,
    archive_path: result.archivePath,
    archive_sha256: result.archiveSha256,
    archive_bytes: result.archiveBytes,
    content_digest: result.contentDigest,
    commit: result.commit,
    commit_time: result.commitTime,
    fetch: result.fetch,
    datasets: result.datasets.map(({ name, url, size, sha256, cached }) => ({ name, url, size, sha256, cached })),
    // The verdict and what floats, as job.json's environment.frozen has them (the files used are there too).
    ...(result.manifest.environment?.frozen
      ? { frozen: { verdict: result.manifest.environment.frozen.verdict, floats: result.manifest.environment.frozen.floats } }
      : {}),
    timings_ms: result.timings
  }
}

/**
 * The error as a script wants it: `kind` (errors.ts's ErrorKind, or
 * "unexpected"), the exit code, the message, and for invalid input every
 * problem with the flag or field it names.
 */
export function errorJson(err: unknown, message: string, exitCode: number): { error: Record<string, unknown> } {
  const kind = err instanceof JobPackagerError ? err.kind : 'unexpected'
  const error: Record<string, unknown> = { kind, exit_code: exitCode, message }
  if (err instanceof SpecError) error.problems = err.problems.map(({ field, problem, accepted }) => ({ field, problem, accepted }))
  return { error }
}

export function describeResult(result: PackResult): string {
  const lines = [
    `job_id          ${result.jobId}`,
    `job folder      ${result.jobDir}`,
    `archive         ${result.archivePath} (${formatBytes(result.archiveBytes)})`,
    `archive sha256  ${result.archiveSha256}`,
    `content digest  ${result.contentDigest}`,
    `commit          ${result.commit} (${result.commitTime})`,
    ...result.datasets.map((d) => `dataset         data/${d.name} (${formatBytes(d.size)}, sha256 ${d.sha256})`),
    ...(result.manifest.environment?.frozen ? [`environment     ${describeFrozen(result.manifest.environment.frozen)}`] : [])
  ]
  return `${lines.join('\n')}\n`
}
