/** What the CLI prints on stdout: the result as text or JSON, and (with --json) an error as JSON. */
import { describeFrozen, formatBytes, JobPackagerError, runsOnGpu, SpecError, VerificationError, type PackResult } from '../core/index.js'

export function resultJson(result: PackResult, provenancePath?: string): Record<string, unknown> {
  return {
    job_id: result.jobId,
    job_dir: result.jobDir,
    archive_path: result.archivePath,
    archive_sha256: result.archiveSha256,
    archive_bytes: result.archiveBytes,
    ...(provenancePath ? { provenance_path: provenancePath } : {}),
    content_digest: result.contentDigest,
    commit: result.commit,
    commit_time: result.commitTime,
    fetch: result.fetch,
    datasets: result.datasets.map(({ name, url, size, sha256, cached }) => ({ name, url, size, sha256, cached })),
    submodules: result.manifest.source.submodules,
    ...(result.manifest.source.lfs ? { lfs: result.manifest.source.lfs } : {}),
    warnings: result.warnings,
    ...baseImageJson(result),
    ...(result.manifest.environment?.gpu ? { gpu: result.manifest.environment.gpu } : {}),
    // The verdict and what floats, as job.json's environment.frozen has them (the files used are there too).
    ...(result.manifest.environment?.frozen
      ? { frozen: { verdict: result.manifest.environment.frozen.verdict, floats: result.manifest.environment.frozen.floats } }
      : {}),
    timings_ms: result.timings
  }
}

/**
 * The error as a script wants it: `kind` (errors.ts's ErrorKind, or
 * "unexpected"), the exit code, the message, for invalid input every
 * problem with the flag or field it names, and for a package that failed
 * verification the path it names (relative to the package's top folder).
 */
export function errorJson(err: unknown, message: string, exitCode: number): { error: Record<string, unknown> } {
  const kind = err instanceof JobPackagerError ? err.kind : 'unexpected'
  const error: Record<string, unknown> = { kind, exit_code: exitCode, message }
  if (err instanceof SpecError) error.problems = err.problems.map(({ field, problem, accepted }) => ({ field, problem, accepted }))
  if (err instanceof VerificationError) error.path = err.path
  return { error }
}

export function describeResult(result: PackResult, provenancePath?: string): string {
  const lines = [
    `job_id          ${result.jobId}`,
    `job folder      ${result.jobDir}`,
    `archive         ${result.archivePath} (${formatBytes(result.archiveBytes)})`,
    `archive sha256  ${result.archiveSha256}`,
    ...(provenancePath ? [`provenance      ${provenancePath}`] : []),
    `content digest  ${result.contentDigest}`,
    `commit          ${result.commit} (${result.commitTime})`,
    ...result.datasets.map((d) => `dataset         data/${d.name} (${formatBytes(d.size)}, sha256 ${d.sha256})`),
    ...result.submodules.map((s) => `submodule       code/${s.path} at ${s.commit}${s.included ? '' : ' (left empty)'}`),
    ...(result.manifest.source.lfs
      ? [
          `git lfs         ${result.manifest.source.lfs.objects.length} file(s), ${result.manifest.source.lfs.fetched ? 'fetched and verified' : 'kept as pointers'}`
        ]
      : []),
    ...result.warnings.map((w) => `left out        ${w}`),
    ...baseImageLine(result),
    ...gpuLine(result),
    ...(result.manifest.environment?.frozen ? [`environment     ${describeFrozen(result.manifest.environment.frozen)}`] : [])
  ]
  return `${lines.join('\n')}\n`
}

/** The base image the Dockerfile builds on, and whether it is pinned by digest (absent with the repository's own Dockerfile). */
function baseImageLine(result: PackResult): string[] {
  const env = result.manifest.environment
  const pin = env?.base_image_pin
  if (!env?.base_image || !pin) return []
  const how =
    pin.status === 'pinned'
      ? `pinned by digest${pin.multi_arch ? ', multi-platform index' : ''}`
      : pin.status === 'given'
        ? 'digest as given'
        : `FLOATS: tag without digest (${pin.reason ?? 'not resolved'})`
  return [`base image      ${env.base_image} (${how})`]
}

/** Whether the base is a CUDA image and how to run on a GPU; nothing for a job that does not use CUDA. */
function gpuLine(result: PackResult): string[] {
  const gpu = result.manifest.environment?.gpu
  if (!gpu || !runsOnGpu(gpu)) return []
  const base = gpu.selected
    ? `CUDA base ${gpu.base ?? ''} (${gpu.reason})`
    : `${gpu.detected.join(', ')} use CUDA; no CUDA base (${gpu.reason})`
  return [`gpu             ${base}; run with docker run --rm --gpus all`]
}

function baseImageJson(result: PackResult): Record<string, unknown> {
  const env = result.manifest.environment
  if (!env?.base_image || !env.base_image_pin) return {}
  return { base_image: { reference: env.base_image, ...env.base_image_pin } }
}
