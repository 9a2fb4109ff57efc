/**
 * `run`: verify the package, unpack it, build its image, run the job with
 * limits, and keep what it produced. Phases, each timed:
 *
 *   verify    verify.ts: the archive unpacked into the work folder while
 *             it is checked (a job folder is copied there first, then
 *             checked: what is run is what was checked)
 *   engine    engines/: the one asked for, or auto; refused when it cannot
 *             isolate a package the user does not trust (sandbox.ts)
 *   build     the package's Dockerfile, tag from job id + content digest;
 *             isolated unless the package is trusted
 *   run       the job as the image's non-root user resolved to numbers from
 *             the image (or 10001 when the image declares root or no user;
 *             sandbox.ts), OUTPUT_DIR a host folder, stdout and stderr
 *             captured; stopped at the timeout, at the output limit, or on
 *             cancellation; every process of the job gone before capture
 *   capture   capture.ts: logs and OUTPUT_DIR into {job_id}-result/,
 *             result.json, and {job_id}-result.tar.gz by the archive writer
 *             (tar-archive.ts), committed like a package (fs/job-output.ts)
 *
 * A job that fails is a result, not an error: its exit status is in the
 * result. Errors are for what kept the job from running (a package that
 * fails verification, no engine, a build that fails).
 */
import { randomBytes } from 'node:crypto'
import { cp, lstat, mkdir, mkdtemp, rm, chmod, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeArchive } from '../archive/tar-archive.js'
import { walkTree } from '../archive/walk.js'
import { EngineError, InterruptedError, OutputError, SpecError } from '../errors.js'
import { JobOutput } from '../fs/job-output.js'
import type { Logger } from '../logger.js'
import { inspectPackage } from '../verify.js'
import { PACKAGER_NAME, PACKAGER_VERSION } from '../../version.js'
import { captureOutput, LogSink, treeBytes, type CapturedOutput } from './capture.js'
import type { Engine, StartedJob } from './engines/engine.js'
import { resolveEngine } from './engines/index.js'
import { verifyOptionsOf } from './run-options.js'
import { hostUser } from './engines/none.js'
import { resolveJobUser, sandboxVerdict } from './sandbox.js'
import { ENGINE_NAMES, NETWORK_MODES, type RunOptions, type RunResult, type StopReason, type VerifyResult } from './types.js'

/** How often the output folder's size is measured while the job runs. */
const OUTPUT_POLL_MS = 500

export async function runPackage(source: string, options: RunOptions, logger: Logger): Promise<RunResult> {
  checkOptions(options)
  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  const signal = options.signal ?? new AbortController().signal
  const resultsDir = path.resolve(options.resultsDir)
  if (options.workDir) await mkdir(options.workDir, { recursive: true })
  const work = await mkdtemp(path.join(options.workDir ? path.resolve(options.workDir) : os.tmpdir(), 'job-packager-run-'))
  const warnings: string[] = []
  let removeContainer: (() => Promise<void>) | undefined
  const warn = (w: string): void => {
    warnings.push(w)
    logger.warn(w)
  }
  try {
    // verify (and unpack)
    const verifyStart = Date.now()
    const pkg = await logger.group('Verify the package', () => unpack(source, work, options, logger))
    const { result: verified, root } = pkg
    const jobId = verified.jobId
    const verifyMs = Date.now() - verifyStart
    const resultName = `${jobId}-result`
    for (const p of [path.join(resultsDir, resultName), path.join(resultsDir, `${resultName}.tar.gz`)]) {
      if (await lstat(p).catch(() => undefined)) {
        throw new OutputError(
          `${p} already exists: the results of an earlier run of ${jobId}. Remove them, or choose another results folder.`
        )
      }
    }

    const engine = await resolveEngine(options.engine)
    logger.info(`Engine: ${engine.name} ${engine.version}${options.engine === 'auto' ? ' (auto)' : ''}`)
    if (engine.name === 'none') {
      warn('Engine none: the job runs directly on this machine as this user, without a container or any isolation; only for trusted jobs.')
    }
    const trusted = options.trustPackage ?? false
    const sandbox = sandboxVerdict(engine.name, engine.isolation, trusted)
    if (sandbox.verdict === 'refused') {
      throw new EngineError(
        `The ${engine.name} engine cannot isolate this package: ${sandbox.why}. Under chroot isolation the package's build steps run as root and can leave their chroot, act on this machine as root and reach servers on its loopback. Nothing was built. Install an OCI runtime (apt-get install runc, or crun) and leave BUILDAH_ISOLATION unset, or use docker or podman; or, only if you trust this package, pass --trust-package (the run action's input trust-package: true).`
      )
    }
    if (sandbox.verdict === 'isolated') logger.info(`The package is untrusted: ${engine.name} builds and runs it isolated`)
    else if (engine.name === 'buildah') {
      warn(
        `The package is trusted (--trust-package): buildah builds and runs it as it is configured${sandbox.isolation.kind === 'weak' ? ` (${sandbox.isolation.why})` : ''}, the build on this machine's network, not isolated from this machine.`
      )
    } else if (engine.name !== 'none') logger.info(`The package is trusted (--trust-package); ${engine.name} isolates every package alike.`)
    const isolated = sandbox.verdict === 'isolated'
    const unenforced = [
      options.memory !== undefined && !engine.enforces.memory ? `memory ${options.memory}` : undefined,
      options.cpus !== undefined && !engine.enforces.cpus ? `cpus ${options.cpus}` : undefined,
      options.network === 'none' && !engine.enforces.network ? 'network none' : undefined
    ].filter((x) => x !== undefined)
    if (unenforced.length > 0)
      warn(
        `The ${engine.name} engine cannot enforce ${unenforced.join(', ')}: the job runs without ${unenforced.length > 1 ? 'these limits' : 'this limit'}.`
      )
    if (options.gpus && engine.name === 'none')
      warn(`Engine none: --gpus ${options.gpus} has no effect; the job sees whatever GPUs this machine has.`)

    const env = verified.manifest.environment
    // A package built for a GPU still runs without one (the job then sees no GPU): say how to give it one.
    if (env?.gpu?.selected && options.gpus === undefined && engine.name !== 'none') {
      warn(
        `This job was packaged on a CUDA base (${env.gpu.reason}), but no GPU was asked for: the job sees none. To give it one: --gpus all (docker and podman).`
      )
    }

    // build
    const mountPackage = env?.build_context === 'code'
    const tag = imageTag(jobId, verified.contentDigest)
    const buildStart = Date.now()
    let imageId: string | undefined
    if (engine.name !== 'none') {
      const built = await logger.group(`Build the image ${tag}`, () =>
        engine.build({
          context: mountPackage ? path.join(root, 'code') : root,
          dockerfile: path.join(root, env?.dockerfile ?? 'Dockerfile'),
          tag,
          buildArgs: options.buildArgs ?? [],
          onOutput: (chunk) => {
            for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logger.debug(line)
          },
          signal,
          isolated
        })
      )
      imageId = built.imageId
      logger.info(`Built ${tag} (${imageId})`)
    }
    const buildMs = Date.now() - buildStart
    if (signal.aborted) throw new InterruptedError('Interrupted while the image was being built; the job did not run.')

    // run
    const name = `job-packager-${safeName(jobId)}-${randomBytes(4).toString('hex')}`
    let user: string
    let runAs = ''
    // The working container (buildah) is removed however the run ends, a refused user included.
    removeContainer = async () => engine.cleanup?.(name)
    if (engine.name === 'none') user = hostUser()
    else {
      // Numbers, from the image's own account files: a uid 0 under any spelling never reaches the engine.
      const image = await engine.imageUser(tag, name)
      const resolved = resolveJobUser(image.declared, image.accounts, trusted)
      if ('refused' in resolved) throw new EngineError(`The job cannot run: ${resolved.refused}`)
      runAs = `${resolved.user.uid}:${resolved.user.gid}`
      user = runAs
      if (resolved.replaced) {
        const declared = image.declared.trim()
        warn(`The image declares ${declared ? `USER ${declared}` : 'no USER'} (root); the job runs as ${runAs} instead.`)
      }
    }
    const outputDir = path.join(work, 'output')
    await mkdir(outputDir)
    // Writable by the image's user whatever its uid (and under a user namespace's mapping); the folder is ours alone.
    await chmod(outputDir, 0o777)
    const logsDir = path.join(work, 'logs')
    await mkdir(logsDir)
    const stdout = new LogSink(path.join(logsDir, 'stdout.log'), options.maxLogBytes)
    const stderr = new LogSink(path.join(logsDir, 'stderr.log'), options.maxLogBytes)
    const runStart = Date.now()
    const finishedJob = await logger.group(`Run ${jobId} (${engine.name})`, () =>
      runJob(engine, {
        name,
        image: tag,
        root,
        mountPackage,
        outputDir,
        user: runAs,
        isolated,
        options,
        signal,
        stdout,
        stderr,
        logger
      })
    )
    const runMs = Date.now() - runStart
    const stdoutLog = stdout.close()
    const stderrLog = stderr.close()
    const { exitCode, stopped } = finishedJob
    logger.info(
      stopped
        ? `The job was stopped (${stopReasonText(stopped, options)}); status ${exitCode}`
        : `The job exited with status ${exitCode} after ${(runMs / 1000).toFixed(1)} s`
    )

    // capture
    const captureStart = Date.now()
    const out = await JobOutput.open(resultsDir, resultName, logger)
    try {
      const captured = await captureOutput(outputDir, path.join(out.stagingDir, 'output'), options.maxOutputBytes)
      if (stopped === 'output-limit') captured.truncated = true
      if (captured.truncated)
        warn(
          `The job wrote more than the output limit of ${options.maxOutputBytes} bytes; ${captured.omitted.length} file(s) were left out (see result.json).`
        )
      for (const o of captured.omitted.filter((x) => !x.reason.startsWith('over the'))) warn(`output/${o.path} was left out: ${o.reason}.`)
      await cp(path.join(logsDir, 'stdout.log'), path.join(out.stagingDir, 'stdout.log'))
      await cp(path.join(logsDir, 'stderr.log'), path.join(out.stagingDir, 'stderr.log'))
      for (const [n, s] of [
        ['stdout', stdout],
        ['stderr', stderr]
      ] as const) {
        if (s.truncated) warn(`The job's ${n} was ${s.bytes} bytes; the first ${s.kept} are kept (the log limit).`)
      }
      const finishedAt = new Date().toISOString()
      const captureMs = Date.now() - captureStart
      const timings = { verifyMs, buildMs, runMs, captureMs, totalMs: Date.now() - started }
      const resultJson = {
        job_id: jobId,
        schema: 'job-packager/result@1',
        packager: { name: PACKAGER_NAME, version: PACKAGER_VERSION },
        package: packageJson(verified),
        exit_code: exitCode,
        stopped: stopped ?? null,
        timed_out: stopped === 'timeout',
        engine: { name: engine.name, version: engine.version, isolated },
        trusted_package: trusted,
        image: engine.name === 'none' ? null : { id: imageId ?? null, tag, build_args: options.buildArgs ?? [] },
        user,
        limits: {
          timeout_s: options.timeoutMs / 1000,
          memory: options.memory ?? null,
          cpus: options.cpus ?? null,
          network: options.network,
          gpus: options.gpus ?? null,
          max_output_bytes: options.maxOutputBytes,
          max_log_bytes: options.maxLogBytes,
          not_enforced: unenforced
        },
        host: { name: os.hostname(), platform: process.platform, arch: process.arch, kernel: os.release() },
        started_at: startedAt,
        finished_at: finishedAt,
        timings_ms: { verify: verifyMs, build: buildMs, run: runMs, capture: captureMs },
        logs: {
          stdout: logJson('stdout.log', stdout, stdoutLog.sha256),
          stderr: logJson('stderr.log', stderr, stderrLog.sha256)
        },
        output: outputJson(captured),
        warnings
      }
      await writeFile(path.join(out.stagingDir, 'result.json'), `${JSON.stringify(resultJson, null, 2)}\n`, { flag: 'wx', mode: 0o644 })
      await chmod(out.stagingDir, 0o755)
      // No signal: a cancelled run still keeps its (partial) results, saying it was stopped.
      const entries = await walkTree(out.stagingDir)
      const archive = await writeArchive({
        root: out.stagingDir,
        entries,
        prefix: resultName,
        mtime: new Date(verified.manifest.source.commit_time),
        level: 6,
        dest: out.archiveTemp
      })
      await out.commit()
      logger.info(`Results: ${out.jobDir} and ${out.archivePath} (sha256 ${archive.sha256})`)
      return {
        jobId,
        exitCode,
        timedOut: stopped === 'timeout',
        stopped,
        engine: { name: engine.name, version: engine.version },
        isolated,
        imageId,
        imageTag: engine.name === 'none' ? undefined : tag,
        user,
        contentDigest: verified.contentDigest,
        timings,
        resultDir: out.jobDir,
        resultArchive: out.archivePath,
        resultSha256: archive.sha256,
        stdoutTail: stdout.tail(),
        stderrTail: stderr.tail(),
        truncated: { stdout: stdout.truncated, stderr: stderr.truncated, output: captured.truncated },
        output: { bytes: captured.bytes, files: captured.files },
        warnings
      }
    } finally {
      await out.discard()
    }
  } finally {
    await removeContainer?.().catch(() => undefined)
    await rm(work, { recursive: true, force: true }).catch(() => undefined)
  }
}

/** The package, verified, in the work folder: an archive is unpacked there; a folder is copied there and the copy verified. */
async function unpack(source: string, work: string, options: RunOptions, logger: Logger): Promise<{ result: VerifyResult; root: string }> {
  const dest = path.join(work, 'package')
  await mkdir(dest)
  const st = await lstat(path.resolve(source)).catch(() => undefined)
  if (st?.isDirectory()) {
    const copy = path.join(dest, path.basename(path.resolve(source)))
    // The copy is what is verified and run: the folder given cannot change between the two.
    logger.info(`Copying the job folder ${path.resolve(source)} into the work folder; the copy is verified and run`)
    // verbatimSymlinks: links are copied as links (and then checked), never followed.
    await cp(path.resolve(source), copy, { recursive: true, verbatimSymlinks: true, errorOnExist: true })
    const inspected = await inspectPackage(copy, { ...verifyOptionsOf(options), signal: options.signal }, logger)
    return { result: { ...inspected.result, source: path.resolve(source) }, root: copy }
  }
  const inspected = await inspectPackage(source, { ...verifyOptionsOf(options), signal: options.signal, dest }, logger)
  return { result: inspected.result, root: inspected.root! }
}

interface JobRun {
  name: string
  image: string
  root: string
  mountPackage: boolean
  outputDir: string
  user: string
  isolated: boolean
  options: RunOptions
  signal: AbortSignal
  stdout: LogSink
  stderr: LogSink
  logger: Logger
}

/** Starts the job and waits for it, stopping it at the first of: the timeout, the output limit, the signal. */
async function runJob(engine: Engine, r: JobRun): Promise<{ exitCode: number; stopped?: StopReason }> {
  const { options } = r
  const job: StartedJob = await engine.start(
    {
      image: r.image,
      packageRoot: r.root,
      mountPackage: r.mountPackage,
      outputDir: r.outputDir,
      user: r.user,
      isolated: r.isolated,
      network: options.network,
      memory: engine.enforces.memory ? options.memory : undefined,
      cpus: engine.enforces.cpus ? options.cpus : undefined,
      gpus: options.gpus && engine.name !== 'none' ? options.gpus : undefined,
      name: r.name,
      onStdout: (chunk) => {
        r.stdout.write(chunk)
        options.onOutput?.('stdout', chunk)
      },
      onStderr: (chunk) => {
        r.stderr.write(chunk)
        options.onOutput?.('stderr', chunk)
      }
    },
    r.logger
  )
  let stopped: StopReason | undefined
  const stop = (reason: StopReason): void => {
    if (stopped) return
    stopped = reason
    r.logger.warn(`Stopping the job: ${stopReasonText(reason, options)}.`)
    void job.stop()
  }
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs)
  const onAbort = (): void => stop('signal')
  r.signal.addEventListener('abort', onAbort, { once: true })
  if (r.signal.aborted) onAbort()
  let polling = false
  const poll = setInterval(() => {
    if (polling || stopped) return
    polling = true
    void treeBytes(r.outputDir)
      .then((bytes) => {
        if (bytes > options.maxOutputBytes) stop('output-limit')
      })
      .finally(() => (polling = false))
  }, OUTPUT_POLL_MS)
  try {
    const exitCode = await job.done
    // A job that wrote past the limit and exited before the next poll is over the limit all the same.
    if (!stopped && (await treeBytes(r.outputDir)) > options.maxOutputBytes) stopped = 'output-limit'
    return { exitCode, stopped }
  } catch (err) {
    // The engine's own words (processes that survived the job, a refused start) stand as they are.
    if (err instanceof EngineError) throw err
    throw new EngineError(`The job could not be started with ${engine.name}: ${(err as Error).message}`, { cause: err })
  } finally {
    clearTimeout(timer)
    clearInterval(poll)
    r.signal.removeEventListener('abort', onAbort)
  }
}

function stopReasonText(reason: StopReason, options: RunOptions): string {
  if (reason === 'timeout') return `it ran longer than the time limit of ${options.timeoutMs / 1000} s`
  if (reason === 'output-limit') return `it wrote more than the output limit of ${options.maxOutputBytes} bytes into OUTPUT_DIR`
  return 'the run was cancelled'
}

/** Lower case, and only what an image name component allows. */
function safeName(jobId: string): string {
  return (
    jobId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'job'
  )
}

/** `localhost/job-packager/{job id}:{12 hex of the content digest}`: the same package gets the same tag. */
export function imageTag(jobId: string, digest: string): string {
  return `localhost/job-packager/${safeName(jobId)}:${digest.replace(/^sha256:/, '').slice(0, 12)}`
}

function packageJson(v: VerifyResult): Record<string, unknown> {
  return {
    source: v.source,
    source_kind: v.sourceKind,
    archive_sha256: v.archiveSha256 ?? null,
    archive_sha256_checked: v.archiveSha256Checked,
    content_digest: v.contentDigest,
    files: v.files,
    commit: v.manifest.source.commit,
    command: v.manifest.spec.command
  }
}

function logJson(file: string, sink: LogSink, sha256: string): Record<string, unknown> {
  return { file, bytes: sink.bytes, kept_bytes: sink.kept, truncated: sink.truncated, sha256 }
}

function outputJson(c: CapturedOutput): Record<string, unknown> {
  return { folder: 'output', files: c.files, bytes: c.bytes, truncated: c.truncated, omitted: c.omitted }
}

/** What a library caller may get wrong; the shells have checked their users' values already, with the registry's kinds. */
function checkOptions(o: RunOptions): void {
  const bad = (field: string, problem: string, accepted: string): never => {
    throw new SpecError(field, problem, accepted)
  }
  if (!ENGINE_NAMES.includes(o.engine)) bad('engine', `${JSON.stringify(o.engine)} is not an engine`, ENGINE_NAMES.join(', '))
  if (!NETWORK_MODES.includes(o.network)) bad('network', `${JSON.stringify(o.network)} is not a network mode`, NETWORK_MODES.join(', '))
  if (!(o.timeoutMs > 0)) bad('timeoutMs', 'must be positive', 'milliseconds, more than 0')
  if (!(o.maxOutputBytes > 0)) bad('maxOutputBytes', 'must be positive', 'bytes, more than 0')
  if (!(o.maxLogBytes > 0)) bad('maxLogBytes', 'must be positive', 'bytes, more than 0')
  if (!o.resultsDir) bad('resultsDir', 'is empty', 'a folder path')
}
