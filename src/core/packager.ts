/**
 * The packager: the one function both shells call. It runs named phases in
 * order, each taking the values the earlier ones returned:
 *
 *   validate   spec + options, every problem at once      (spec.ts, options/)
 *   open       the output transaction                      (fs/job-output.ts)
 *   fetch      code/ ‖ data/, concurrently                 (git/checkout.ts ‖ download/datasets.ts)
 *   detect     what the code declares                       (detect/)
 *   render     run.sh, Dockerfile, .dockerignore            (render/)
 *   archive    walk; pack in one pass, hashing as it        (archive/, render/manifest.ts)
 *              reads; files.sha256 and job.json written when reached
 *   commit     rename into place                            (fs/job-output.ts)
 *   cache      pinned datasets downloaded this time are      (download/datasets.ts)
 *              offered to the dataset cache: only now, so a
 *              failed pack caches nothing; a failed save warns
 *
 * Any failure discards the transaction: no job folder, no archive, no
 * temporary files.
 */
import { chmod, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { contentDigest } from './archive/content-digest.js'
import { FILE_LIST, renderFileList } from './archive/file-list.js'
import { writeArchive, type ArchiveResult } from './archive/tar-archive.js'
import { comparePaths, walkTree, type TreeEntry } from './archive/walk.js'
import { describeFrozen, detectEnvironment, summarizeEnvironment, type Environment } from './detect/index.js'
import { downloadDatasets, saveDatasets, type DatasetResult } from './download/datasets.js'
import { JobPackagerError, LimitError, OutputError, ProblemCollector, SpecError } from './errors.js'
import { asDiskFull, DiskFullError } from './fs/disk-full.js'
import { describeFsError } from './fs/fs-errors.js'
import { JobOutput } from './fs/job-output.js'
import { checkoutCommit, type CheckoutResult } from './git/checkout.js'
import type { LfsResult } from './git/lfs.js'
import type { SubmoduleRecord } from './git/submodules.js'
import { tokenForRepository } from './net/token-origin.js'
import { pinBaseImage, withBaseImagePin } from './oci/pin.js'
import { silentLogger, type Logger } from './logger.js'
import { optionConflicts, resolveOptions, type PackOptions, type ResolvedOptions } from './options/options.js'
import type { CoreOptionKey } from './options/registry.js'
import { trackProgress } from './progress.js'
import { recordedUrlHoldsSecret, Redactor, redactUrl } from './redact.js'
import { environmentManifest, renderDockerfile } from './render/dockerfile.js'
import { renderDockerignore } from './render/dockerignore.js'
import { buildManifest, renderManifest, type Manifest, type ManifestEnvironment, type ManifestLfs } from './render/manifest.js'
import { renderRunScript } from './render/run-script.js'
import { parseJobSpec, type JobSpec, type RawJobSpec } from './spec.js'

export interface PackResult {
  jobId: string
  jobDir: string
  archivePath: string
  archiveSha256: string
  archiveBytes: number
  contentDigest: string
  commit: string
  commitTime: string
  /** 'shallow' when the one commit was fetched by id; 'full' when the server forced the history fallback. */
  fetch: 'shallow' | 'full'
  datasets: DatasetResult[]
  /** Every submodule of the commit: fetched into code/, or left empty (then named in `warnings`). */
  submodules: SubmoduleRecord[]
  /** What was left out of the package, one sentence each (also in the log and job.json). */
  warnings: string[]
  manifest: Manifest
  /** Milliseconds per phase, for the benchmark and the logs. */
  timings: { checkout: number; download: number; render: number; archive: number; total: number }
}

/** What a run needs besides the spec: the resolved options, and the logger every phase reports to. */
interface Run {
  settings: ResolvedOptions
  logger: Logger
  redactor: Redactor
  signal: AbortSignal
}

interface Fetched {
  checkout: CheckoutResult
  checkoutMs: number
  datasets: DatasetResult[]
  downloadMs: number
}

/**
 * Checks the spec and the options together, without touching the network or
 * the disk, and reports every problem of both in one SpecError.
 */
export function validateJob(rawSpec: unknown, options: PackOptions = {}): { spec: JobSpec; settings: ResolvedOptions } {
  const problems = new ProblemCollector()
  const resolved = problems.check(() => resolveOptions(options))
  for (const conflict of resolved ? optionConflicts(resolved) : []) problems.add(conflict)
  // The spec's transports are checked against the caller's policy, or the default one if that was itself invalid.
  const policy = resolved ?? resolveOptions({ names: options.names })
  const spec = problems.check(() =>
    parseJobSpec(rawSpec, {
      allowProtocols: new Set(policy.allowProtocols),
      names: policy.names,
      maxDatasets: policy.maxDatasets,
      maxCommandBytes: policy.maxCommandBytes
    })
  )
  if (resolved && spec) {
    // Recorded URLs are redacted structurally only (redact.ts): a secret in a URL's path would be published, so it is refused here.
    const urls: Array<[string, string]> = [
      ['git_url', spec.git.url],
      ...spec.datasets.map((d, i): [string, string] => [spec.datasets.length > 1 ? `data_url[${i}]` : 'data_url', d.url.href])
    ]
    for (const [field, url] of urls) {
      for (const key of ['token', 'dataToken'] as const) {
        if (recordedUrlHoldsSecret(url, [resolved[key]]))
          problems.add({
            field,
            problem: `holds the value of ${resolved.names(key)} in its address, which job.json and the provenance statement would record`,
            accepted: `a URL without the secret (${resolved.names(key)} is sent as a header, only to its origin)`
          })
      }
    }
  }
  problems.throwIfAny()
  // Both are defined: any problem would have thrown above.
  const settings = { ...resolved! }
  // Options a spec may set apply where the caller did not set them: the caller (a flag, an input) wins.
  for (const [key, value] of Object.entries(spec!.options) as Array<[CoreOptionKey, unknown]>) {
    if (options[key] === undefined && value !== undefined) Object.assign(settings, { [key]: value })
  }
  return { spec: spec!, settings }
}

/** Packages one job. Throws JobPackagerError (SpecError for bad input) and leaves nothing behind on failure. */
export async function packJob(rawSpec: RawJobSpec | Record<string, unknown>, options: PackOptions = {}): Promise<PackResult> {
  const started = Date.now()
  const { spec, settings } = validateJob(rawSpec, options)
  const logger = options.logger ?? silentLogger
  const redactor = new Redactor()
  redactor.add(settings.token)
  redactor.add(settings.dataToken)

  // One signal for the caller's cancellation and the overall deadline.
  const deadline = AbortSignal.timeout(settings.timeoutMs)
  const deadlineError = new LimitError(
    `The job took longer than the time limit of ${Math.round(settings.timeoutMs / 1000)} s (${settings.names('timeoutMs')}) and was stopped; nothing was written.`
  )
  const outer = new AbortController()
  const onDeadline = (): void => outer.abort(deadlineError)
  const onCancel = (): void => outer.abort(options.signal?.reason)
  deadline.addEventListener('abort', onDeadline, { once: true })
  options.signal?.addEventListener('abort', onCancel, { once: true })
  if (options.signal?.aborted) onCancel()
  const run: Run = { settings, logger, redactor, signal: outer.signal }

  const output = await JobOutput.open(settings.outDir, spec.jobId, logger)
  try {
    logger.info(`Job ${spec.jobId}: ${redactor.apply(spec.git.url)} at ${spec.commit.value}, ${spec.datasets.length} dataset(s)`)
    const fetched = await logger.group('Fetch code and data', () => fetchPhase(output.stagingDir, spec, run, options))

    const renderStart = Date.now()
    const environment = await logger.group('Detect the environment; render run.sh and Dockerfile', async () => {
      const detected = await detectPhase(path.join(output.stagingDir, 'code'), run)
      return renderPhase(output.stagingDir, spec, fetched, detected, run)
    })
    const renderMs = Date.now() - renderStart

    const archiveStart = Date.now()
    const packed = await logger.group('Write the archive', () =>
      archivePhase(output.stagingDir, output.archiveTemp, spec, fetched, environment, run)
    )
    run.signal.throwIfAborted()
    await output.commit()
    const archiveMs = Date.now() - archiveStart
    const cache = options.datasetCache
    if (cache && fetched.datasets.some((d) => d.pinned && !d.cached)) {
      await logger.group('Save datasets to the dataset cache', () =>
        saveDatasets({ dataDir: path.join(output.jobDir, 'data'), datasets: fetched.datasets, cache, logger })
      )
    }
    return {
      jobId: spec.jobId,
      jobDir: output.jobDir,
      archivePath: output.archivePath,
      archiveSha256: packed.archive.sha256,
      archiveBytes: packed.archive.bytes,
      contentDigest: packed.digest,
      commit: fetched.checkout.commit,
      commitTime: packed.manifest.source.commit_time,
      fetch: fetched.checkout.fetch,
      datasets: fetched.datasets,
      submodules: fetched.checkout.submodules,
      warnings: packed.manifest.warnings,
      manifest: packed.manifest,
      timings: {
        checkout: fetched.checkoutMs,
        download: fetched.downloadMs,
        render: renderMs,
        archive: archiveMs,
        total: Date.now() - started
      }
    }
  } catch (err) {
    if (run.signal.aborted && !(err instanceof SpecError)) throw run.signal.reason ?? err
    // Whichever step the disk filled in, the user reads that it is full, and where.
    const full = await asDiskFull(err, output.outDir)
    // Named by the output folder the user chose, not the hidden staging folder inside it.
    throw full instanceof DiskFullError && full.folder !== output.outDir
      ? new DiskFullError(output.outDir, full.detail, { cause: err })
      : full
  } finally {
    await output.discard()
    deadline.removeEventListener('abort', onDeadline)
    options.signal?.removeEventListener('abort', onCancel)
  }
}

/** The token, when the repository is on its one origin; withholding it is said, since a private repository will then fail. */
function repositoryToken(spec: JobSpec, run: Run): string | undefined {
  const { token, tokenOrigin, names } = run.settings
  const decision = tokenForRepository(spec.git, token, tokenOrigin)
  if (decision.withheldFrom) {
    run.logger.info(
      tokenOrigin
        ? `The token is not sent to ${decision.withheldFrom}: it is only sent to ${tokenOrigin} (${names('tokenOrigin')}).`
        : `The token is not sent to ${decision.withheldFrom}: ${names('tokenOrigin')} is empty.`
    )
  }
  return decision.token
}

/**
 * Checkout and downloads run at the same time (the network is usually the
 * bottleneck of both). If either fails, the other is cancelled, and both are
 * awaited before the error goes up, so nothing is still writing into the
 * staging folder while it is being removed.
 */
async function fetchPhase(stagingDir: string, spec: JobSpec, run: Run, options: PackOptions): Promise<Fetched> {
  const { settings, logger, redactor } = run
  const inner = new AbortController()
  const signal = AbortSignal.any([run.signal, inner.signal])
  const timed = async <T>(p: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const start = Date.now()
    try {
      return { value: await p(), ms: Date.now() - start }
    } catch (caught) {
      // Judged now, while the other branch's partial file still holds its room (see fs/disk-full.ts).
      const err = await asDiskFull(caught, stagingDir)
      inner.abort(err)
      throw err
    }
  }
  const allowProtocols = new Set(settings.allowProtocols)
  const [checkout, datasets] = await Promise.allSettled([
    timed(() =>
      checkoutCommit(path.join(stagingDir, 'code'), {
        git: spec.git,
        commit: spec.commit,
        allowProtocols,
        token: repositoryToken(spec, run),
        lfs: { mode: settings.lfs, token: settings.token, tokenOrigin: settings.tokenOrigin },
        allowPrivateNetwork: settings.allowPrivateNetwork,
        limits: settings.limits,
        names: settings.names,
        logger,
        redactor,
        signal,
        submodules: {
          mode: settings.submodules,
          maxDepth: settings.limits.maxSubmoduleDepth,
          token: settings.token,
          tokenOrigin: settings.tokenOrigin
        }
      })
    ),
    timed(() =>
      downloadDatasets(path.join(stagingDir, 'data'), {
        datasets: spec.datasets,
        limits: settings.limits,
        allowHttp: allowProtocols.has('http'),
        allowPrivateNetwork: settings.allowPrivateNetwork,
        names: settings.names,
        cache: options.datasetCache,
        auth: settings.dataToken && settings.dataTokenOrigin ? { token: settings.dataToken, origin: settings.dataTokenOrigin } : undefined,
        logger,
        redactor,
        signal
      })
    )
  ])
  if (checkout.status === 'rejected' || datasets.status === 'rejected') {
    // The first real failure wins over the cancellation it caused in the other branch.
    const failed = checkout.status === 'rejected' ? checkout : (datasets as PromiseRejectedResult)
    throw inner.signal.aborted ? inner.signal.reason : failed.reason
  }
  return { checkout: checkout.value.value, checkoutMs: checkout.value.ms, datasets: datasets.value.value, downloadMs: datasets.value.ms }
}

/** Reads the checked-out code only; what it found and why goes to the log (and, via render, job.json). */
async function detectPhase(codeDir: string, run: Run): Promise<Environment> {
  const { settings } = run
  const env = await detectEnvironment(codeDir, {
    useRepoDockerfile: settings.useRepoDockerfile,
    gpu: settings.gpu,
    baseImageGiven: settings.baseImage !== undefined,
    names: settings.names,
    rSnapshotUrl: settings.rSnapshotUrl
  })
  run.logger.info(`Environment: ${summarizeEnvironment(env)}`)
  for (const note of env.notes) run.logger.info(`  ${note}`)
  for (const warning of env.warnings) run.logger.warn(warning)
  return env
}

/** Writes run.sh and, unless the repository's own Dockerfile is used, the Dockerfile and .dockerignore. */
async function renderPhase(stagingDir: string, spec: JobSpec, fetched: Fetched, env: Environment, run: Run): Promise<ManifestEnvironment> {
  const { settings, logger } = run
  await writeNew(
    path.join(stagingDir, 'run.sh'),
    renderRunScript({ command: spec.command, dataFiles: fetched.datasets.map((d) => d.name), start: env.start }),
    0o755
  )
  const baseImageFrom = settings.baseImage ? 'base-image option' : 'detection'
  const baseImage = settings.baseImage ?? env.baseImage
  if (env.dockerfile === 'repository') {
    if (settings.baseImage) {
      logger.warn(
        `${settings.names('baseImage')} has no effect on the repository's own Dockerfile (pass --build-arg to docker build if it declares an ARG for its base).`
      )
    }
    if (settings.gpu !== 'auto' && settings.gpu !== 'off') {
      logger.warn(`${settings.names('gpu', settings.gpu)} has no effect on the repository's own Dockerfile, which chooses its own base.`)
    }
    logger.info("Build with the repository's Dockerfile: docker build -t job code")
    logger.info("The repository's Dockerfile chooses its own base image; it is not pinned here.")
    return logFrozen(environmentManifest(env, baseImage, baseImageFrom), logger)
  }
  // Detection always names a base image for a generated Dockerfile; only the repository's own has none.
  const pin = await pinBaseImage({
    image: baseImage ?? '',
    mode: settings.pinBaseImage,
    allowHttp: settings.allowProtocols.includes('http'),
    allowPrivateNetwork: settings.allowPrivateNetwork,
    idleTimeoutMs: settings.limits.idleTimeoutMs,
    maxRedirects: settings.limits.maxRedirects,
    attempts: settings.limits.attempts,
    retryDelayMs: settings.limits.retryDelayMs,
    names: settings.names,
    logger,
    redactor: run.redactor,
    signal: run.signal
  })
  if (pin.warning) logger.warn(pin.warning)
  if (pin.note) logger.info(pin.note)
  const from = pin.reference
  const dockerfile = renderDockerfile({
    environment: env,
    baseImage: from,
    baseImageFrom,
    commit: fetched.checkout.commit,
    created: new Date(fetched.checkout.commitTime * 1000).toISOString(),
    sourceUrl: spec.git.protocol === 'https' || spec.git.protocol === 'http' ? spec.git.url : undefined,
    pinnedFrom: pin.record.status === 'pinned' ? pin.record.requested : undefined
  })
  await writeNew(path.join(stagingDir, 'Dockerfile'), dockerfile, 0o644)
  await writeNew(path.join(stagingDir, '.dockerignore'), renderDockerignore(), 0o644)
  logger.info(`Base image ${from}${settings.baseImage ? ` (${settings.names('baseImage')}; detected ${env.baseImage ?? 'none'})` : ''}`)
  // A base that floats is one of the things the verdict counts.
  const baseFloats =
    pin.record.status === 'floats' ? [{ kind: 'base-image' as const, name: from, why: pin.record.reason ?? 'no digest' }] : []
  return logFrozen(withBaseImagePin(environmentManifest(env, from, baseImageFrom, baseFloats), pin), logger)
}

/** The verdict, and what floats, in the log too (job.json has every entry). */
function logFrozen(environment: ManifestEnvironment, logger: Logger): ManifestEnvironment {
  if (environment.frozen) logger.info(`Environment ${describeFrozen(environment.frozen)}`)
  return environment
}

/**
 * One pass over the bytes: the walk hashes only what comes after the file
 * list in the archive (run.sh); everything before it (code/, data/) is hashed
 * by the archive writer while it packs. files.sha256 (each file's hash) and
 * job.json (which names the content digest) are written when the writer
 * reaches them; neither is covered by the digest.
 */
async function archivePhase(
  stagingDir: string,
  archiveTemp: string,
  spec: JobSpec,
  fetched: Fetched,
  environment: ManifestEnvironment,
  run: Run
): Promise<{ manifest: Manifest; digest: string; archive: ArchiveResult }> {
  const { settings, logger, signal } = run
  // mkdtemp made the staging folder 0700; it becomes the package's top folder.
  await chmod(stagingDir, 0o755)
  // files.sha256 sorts before job.json and after code/ and data/: both are written once the writer has hashed what precedes them.
  const entries = await walkTree(stagingDir, {
    exclude: new Set(['job.json', FILE_LIST]),
    hash: (rel) => comparePaths(rel, FILE_LIST) > 0,
    signal
  })
  const jobJson: TreeEntry = { path: 'job.json', type: 'file', mode: 0o644, size: 0 }
  const fileList: TreeEntry = { path: FILE_LIST, type: 'file', mode: 0o644, size: 0 }
  const all: TreeEntry[] = [...entries, fileList, jobJson].sort((a, b) => comparePaths(a.path, b.path))
  let digest = ''
  let manifest: Manifest | undefined
  const commitTime = new Date(fetched.checkout.commitTime * 1000)

  const writeManifest = async (): Promise<void> => {
    // The downloads hashed the datasets as they arrived; the bytes just packed must be the same ones.
    for (const d of fetched.datasets) {
      const packed = entries.find((e) => e.path === `data/${d.name}`)
      if (packed?.sha256 !== d.sha256) {
        throw new OutputError(
          `data/${d.name} changed on disk after it was downloaded (sha256 ${packed?.sha256 ?? 'missing'}, downloaded ${d.sha256}); nothing was kept.`
        )
      }
    }
    digest = contentDigest(entries)
    manifest = buildManifest({
      job_id: spec.jobId,
      spec: {
        git_url: redactUrl(spec.git.url),
        commit_hash: spec.commit.value,
        // Recorded URLs are redacted structurally only: a registered secret must never rewrite the record (redact.ts).
        data_url: spec.datasets.map((d) => redactUrl(d.url.href)),
        command: spec.command
      },
      source: {
        git_url: redactUrl(spec.git.url),
        commit: fetched.checkout.commit,
        commit_time: commitTime.toISOString(),
        submodules: fetched.checkout.submodules.map(({ path, url, commit, included, lfs }) => ({
          path,
          ...(url === undefined ? {} : { url }),
          commit,
          included,
          ...(lfs?.objects.length ? { lfs: lfsManifest(lfs) } : {})
        })),
        ...(fetched.checkout.lfs?.objects.length ? { lfs: lfsManifest(fetched.checkout.lfs) } : {})
      },
      datasets: fetched.datasets.map(({ name, url, size, sha256 }) => ({ name, url, size, sha256 })),
      environment,
      content_digest: digest,
      files: entries.filter((e) => e.type !== 'directory').length,
      warnings: [...fetched.checkout.warnings]
    })
    const text = renderManifest(manifest)
    await writeNew(path.join(stagingDir, 'job.json'), text, 0o644)
    jobJson.size = Buffer.byteLength(text)
  }

  const progress = trackProgress(logger, {
    phase: 'archive',
    label: `${spec.jobId}.tar.gz`,
    unit: 'bytes',
    total: all.reduce((n, e) => n + e.size, 0)
  })
  const archive = await writeArchive({
    onProgress: (bytes) => progress.update(bytes),
    root: stagingDir,
    entries: all,
    prefix: spec.jobId,
    mtime: commitTime,
    level: settings.compressionLevel,
    dest: archiveTemp,
    signal,
    beforeEntry: async (entry, hashed) => {
      if (entry === fileList) {
        await hashed()
        // Names each file's hash, so that verify can say which file changed (the digest alone cannot).
        const text = renderFileList(entries)
        await writeNew(path.join(stagingDir, FILE_LIST), text, 0o644)
        fileList.size = Buffer.byteLength(text)
      } else if (entry === jobJson) {
        await hashed()
        await writeManifest()
      }
    }
  }).catch((err: unknown) => {
    progress.fail()
    if (err instanceof JobPackagerError || signal.aborted) throw err
    throw new OutputError(`Could not write the archive: ${describeFsError(err)}.`, { cause: err })
  })
  progress.finish()
  if (!manifest) throw new OutputError('The archive was written without job.json; it was not kept.')
  logger.info(`${archive.entries} entries, ${archive.bytes} bytes, sha256 ${archive.sha256}; content digest ${digest}`)
  return { manifest, digest, archive }
}

/** job.json's record of the LFS files: objects only when the commit has LFS files (not for unmarked look-alikes alone). */
function lfsManifest(lfs: LfsResult): ManifestLfs {
  return { fetched: lfs.fetched, ...(lfs.endpoint ? { endpoint: lfs.endpoint } : {}), objects: lfs.objects }
}

/** Creates a file that must not exist yet: O_EXCL also refuses to write through a symlink planted in the way. */
async function writeNew(file: string, content: string, mode: number): Promise<void> {
  await writeFile(file, content, { flag: 'wx', mode })
}
