/**
 * `job-packager verify` and `job-packager run`: their arguments (the one
 * operand, the package, and the registry's run options), and what they
 * print. main.ts owns the signals and the error handling, as for pack.
 */
import {
  formatBytes,
  KindProblem,
  optionDef,
  ProblemCollector,
  RUN_OPTIONS,
  runOptionsFrom,
  verifyOptionsOf,
  runPackage,
  verifyPackage,
  type Logger,
  type OptionKey,
  type RunOptionValues,
  type RunResult,
  type VerifyResult
} from '../core/index.js'
import { PACKAGER_NAME } from '../version.js'
import type { CliArgs } from './args.js'

export interface PackageInvocation {
  command: 'verify' | 'run'
  source: string
  options: Partial<RunOptionValues>
}

/** The operand and the options, every problem at once (one SpecError). */
export function readPackageInvocation(args: CliArgs, command: 'verify' | 'run'): PackageInvocation {
  const problems = new ProblemCollector()
  for (const p of args.problems) problems.add(p)
  if (args.operands.length === 0) {
    problems.add({ field: `${PACKAGER_NAME} ${command}`, problem: 'no package given', accepted: `${PACKAGER_NAME} ${command} ARCHIVE|DIR` })
  } else if (args.operands.length > 1) {
    problems.add({
      field: `${PACKAGER_NAME} ${command}`,
      problem: `unexpected argument ${JSON.stringify(args.operands[1])}`,
      accepted: `one package: ${PACKAGER_NAME} ${command} ARCHIVE|DIR`
    })
  }
  const options: Partial<RunOptionValues> = {}
  for (const [key, list] of args.given) {
    if (!(key in RUN_OPTIONS)) continue
    const def = optionDef(key)!
    try {
      const values = key === 'buildArgs' ? list : list.slice(-1)
      const parsed = values.map((v) => ({ v, value: def.kind.parse(v.text) }))
      Object.assign(options, { [key]: key === 'buildArgs' ? parsed.map((p) => p.value) : parsed[0]!.value })
    } catch (err) {
      if (!(err instanceof KindProblem)) throw err
      problems.add({ field: list.at(-1)!.as, problem: err.problem, accepted: err.accepted })
    }
  }
  problems.throwIfAny()
  return { command, source: args.operands[0]!, options }
}

/** True when the flag was given (shell options: json, quiet, verbose). */
export function flagSet(args: CliArgs, key: OptionKey): boolean {
  return args.given.get(key)?.at(-1)?.text === 'true'
}

export async function verifyCommand(inv: PackageInvocation, logger: Logger, signal: AbortSignal): Promise<VerifyResult> {
  return verifyPackage(inv.source, { ...verifyOptionsOf(runOptionsFrom(inv.options)), signal }, logger)
}

export async function runCommand(inv: PackageInvocation, logger: Logger, signal: AbortSignal, json: boolean): Promise<RunResult> {
  return runPackage(
    inv.source,
    {
      ...runOptionsFrom(inv.options),
      // The job's own output, live: on stdout as `docker run` shows it, or on stderr when stdout carries --json.
      onOutput: (stream, chunk) => void (json || stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
      signal
    },
    logger
  )
}

/** The exit status of `run`: the job's own, 124 when it was stopped at a limit. */
export function runExitCode(result: RunResult): number {
  if (result.stopped === 'timeout' || result.stopped === 'output-limit') return 124
  return result.exitCode
}

export function verifyJson(r: VerifyResult): Record<string, unknown> {
  return {
    job_id: r.jobId,
    source: r.source,
    source_kind: r.sourceKind,
    archive_sha256: r.archiveSha256 ?? null,
    archive_sha256_checked: r.archiveSha256Checked,
    content_digest: r.contentDigest,
    files: r.files,
    statement: r.statement ?? null
  }
}

export function describeVerify(r: VerifyResult): string {
  const lines = [
    `verified        ${r.source}`,
    `job_id          ${r.jobId}`,
    `content digest  ${r.contentDigest} (${r.files} files and symlinks, all match)`,
    r.archiveSha256 === undefined
      ? undefined
      : `archive sha256  ${r.archiveSha256}${r.archiveSha256Checked ? ' (matches --sha256)' : ' (not checked: no --sha256 given)'}`,
    r.statement === undefined ? undefined : `provenance      ${r.statement} (names this package)`
  ]
  return `${lines.filter((l) => l !== undefined).join('\n')}\n`
}

export function runJson(r: RunResult): Record<string, unknown> {
  return {
    job_id: r.jobId,
    exit_code: r.exitCode,
    timed_out: r.timedOut,
    stopped: r.stopped ?? null,
    engine: r.engine,
    image_id: r.imageId ?? null,
    image_tag: r.imageTag ?? null,
    user: r.user,
    content_digest: r.contentDigest,
    timings_ms: r.timings,
    result_dir: r.resultDir,
    result_archive: r.resultArchive,
    result_sha256: r.resultSha256,
    output: r.output,
    truncated: r.truncated,
    warnings: r.warnings
  }
}

export function describeRun(r: RunResult): string {
  const status =
    r.stopped === 'timeout'
      ? `stopped at the time limit (status ${r.exitCode})`
      : r.stopped === 'output-limit'
        ? `stopped: it wrote more than the output limit (status ${r.exitCode})`
        : r.stopped === 'signal'
          ? `stopped by a signal (status ${r.exitCode})`
          : String(r.exitCode)
  const cut = Object.entries(r.truncated)
    .filter(([, v]) => v)
    .map(([k]) => k)
  const lines = [
    '',
    `job_id          ${r.jobId}`,
    `exit code       ${status}`,
    `engine          ${r.engine.name} ${r.engine.version}${r.imageId ? `, image ${r.imageTag ?? ''} ${r.imageId.slice(0, 19)}` : ''}`,
    `timings         verify ${secs(r.timings.verifyMs)}, build ${secs(r.timings.buildMs)}, run ${secs(r.timings.runMs)}`,
    `output          ${r.output.files} files, ${formatBytes(r.output.bytes)}${cut.length ? ` (cut: ${cut.join(', ')}; see result.json)` : ''}`,
    `results         ${r.resultDir}`,
    `result archive  ${r.resultArchive} (sha256 ${r.resultSha256})`,
    ...r.warnings.map((w) => `warning         ${w}`)
  ]
  return `${lines.join('\n')}\n`
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
