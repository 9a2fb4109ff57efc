/**
 * The packager: runs the pipeline in order, and is the one function both
 * shells call.
 *
 *   validate spec and options            (no network, no disk)
 *   open the output transaction          (fs/job-output.ts)
 *   checkout code/  ‖  download data/    (git/checkout.ts ‖ download/datasets.ts, concurrently)
 *   detect the environment; render       (detect/, render/)
 *   run.sh, Dockerfile, .dockerignore
 *   walk; pack in one pass, hashing as   (archive/walk.ts, archive/tar-archive.ts,
 *   it reads; job.json when reached      archive/content-digest.ts, render/manifest.ts)
 *   commit: rename into place            (fs/job-output.ts)
 *
 * Any failure discards the transaction: no job folder, no archive, no
 * temporary files.
 */
import { chmod, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { contentDigest } from './archive/content-digest.js'
import { writeArchive } from './archive/tar-archive.js'
import { comparePaths, walkTree, type TreeEntry } from './archive/walk.js'
import { downloadDatasets, type DatasetResult } from './download/datasets.js'
import { JobPackagerError, LimitError, OutputError, SpecError } from './errors.js'
import { describeFsError, JobOutput } from './fs/job-output.js'
import { checkoutCommit, type CheckoutResult } from './git/checkout.js'
import { silentLogger, type Logger } from './logger.js'
import { DEFAULT_LIMITS, type Limits, type PackOptions } from './options.js'
import { trackProgress } from './progress.js'
import { Redactor, redactUrl } from './redact.js'
import { detectEnvironment, summarizeEnvironment } from './detect/index.js'
import { environmentManifest, parseBaseImage, renderDockerfile } from './render/dockerfile.js'
import { renderDockerignore } from './render/dockerignore.js'
import { buildManifest, renderManifest, type Manifest, type ManifestEnvironment } from './render/manifest.js'
import { renderRunScript } from './render/run-script.js'
import { GIT_PROTOCOLS, parseJobSpec, type GitProtocol, type JobSpec, type RawJobSpec } from './spec.js'

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
  manifest: Manifest
  /** Milliseconds per phase, for the benchmark and the logs. */
  timings: { checkout: number; download: number; render: number; archive: number; total: number }
}

interface Settings {
  outDir: string
  allowProtocols: ReadonlySet<GitProtocol>
  allowPrivateNetwork: boolean
  limits: Limits
  compressionLevel: number
  /** The base-image option, validated; undefined: use the detected one. */
  baseImage?: string
  useRepoDockerfile: boolean
  logger: Logger
}

/** Validates everything that can be validated without touching the network or the disk. */
export function resolveSettings(options: PackOptions): Settings {
  const protocols = new Set<GitProtocol>(options.allowProtocols ?? ['https'])
  for (const p of protocols) {
    if (!GIT_PROTOCOLS.includes(p))
      throw new SpecError('allow_protocols', `${JSON.stringify(p)} is not a transport we know`, GIT_PROTOCOLS.join(', '))
  }
  const limits: Limits = { ...DEFAULT_LIMITS }
  for (const [key, value] of Object.entries(options.limits ?? {})) {
    if (!(key in DEFAULT_LIMITS)) throw new SpecError(`limits.${key}`, 'is not a limit', Object.keys(DEFAULT_LIMITS).join(', '))
    if (value === undefined) continue
    const min = key === 'attempts' ? 1 : 0
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw new SpecError(
        `limits.${key}`,
        `${JSON.stringify(value)} is not a whole number of at least ${min}`,
        `a whole number of at least ${min}`
      )
    }
    limits[key as keyof Limits] = value
  }
  const level = options.compressionLevel ?? 6
  if (!Number.isInteger(level) || level < 1 || level > 9) {
    throw new SpecError('compression_level', `${JSON.stringify(level)} is out of range`, 'a whole number from 1 (fastest) to 9 (smallest)')
  }
  return {
    outDir: options.outDir ?? 'jobs',
    allowProtocols: protocols,
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    limits,
    compressionLevel: level,
    baseImage: options.baseImage ? parseBaseImage(options.baseImage) : undefined,
    useRepoDockerfile: options.useRepoDockerfile ?? false,
    logger: options.logger ?? silentLogger
  }
}

/** Packages one job. Throws JobPackagerError (SpecError for bad input) and leaves nothing behind on failure. */
export async function packJob(rawSpec: RawJobSpec | Record<string, unknown>, options: PackOptions = {}): Promise<PackResult> {
  const started = Date.now()
  const settings = resolveSettings(options)
  const spec = parseJobSpec(rawSpec, { allowProtocols: settings.allowProtocols })
  const { logger, limits } = settings
  const redactor = new Redactor()
  redactor.add(options.token)

  // One signal for the caller's cancellation and the overall deadline.
  const deadline = AbortSignal.timeout(limits.timeoutMs)
  const deadlineError = new LimitError(
    `The job took longer than the time limit of ${Math.round(limits.timeoutMs / 1000)} s (option timeout) and was stopped; nothing was written.`
  )
  const outer = new AbortController()
  const onDeadline = (): void => outer.abort(deadlineError)
  const onCancel = (): void => outer.abort(options.signal?.reason)
  deadline.addEventListener('abort', onDeadline, { once: true })
  options.signal?.addEventListener('abort', onCancel, { once: true })
  if (options.signal?.aborted) onCancel()
  const signal = outer.signal

  const output = await JobOutput.open(settings.outDir, spec.jobId)
  try {
    logger.info(`Job ${spec.jobId}: ${redactor.apply(spec.git.url)} at ${spec.commit.value}, ${spec.datasets.length} dataset(s)`)
    const fetched = await logger.group('Fetch code and data', () =>
      fetchSources(output.stagingDir, spec, settings, options, redactor, signal)
    )

    const renderStart = Date.now()
    const environment: ManifestEnvironment = await logger.group('Render run.sh and Dockerfile', async () => {
      await writeNew(
        path.join(output.stagingDir, 'run.sh'),
        renderRunScript({ command: spec.command, dataFiles: fetched.datasets.map((d) => d.name) }),
        0o755
      )
      // Detection reads the checked-out code only (detect/); what it found and why goes to the log and job.json.
      const env = await detectEnvironment(path.join(output.stagingDir, 'code'), { useRepoDockerfile: settings.useRepoDockerfile })
      const baseImage = settings.baseImage ?? env.baseImage
      const baseImageFrom = settings.baseImage ? 'base-image option' : 'detection'
      logger.info(`Environment: ${summarizeEnvironment(env)}`)
      for (const note of env.notes) logger.info(`  ${note}`)
      for (const warning of env.warnings) logger.warn(warning)
      if (env.dockerfile === 'repository') {
        if (settings.baseImage)
          logger.warn(
            "The base-image option has no effect on the repository's own Dockerfile (pass --build-arg to docker build if it declares an ARG for its base)."
          )
        logger.info("Build with the repository's Dockerfile: docker build -t job code")
      } else {
        const dockerfile = renderDockerfile({
          environment: env,
          baseImage: baseImage!,
          baseImageFrom,
          commit: fetched.checkout.commit,
          created: new Date(fetched.checkout.commitTime * 1000).toISOString(),
          sourceUrl: spec.git.protocol === 'https' || spec.git.protocol === 'http' ? spec.git.url : undefined
        })
        await writeNew(path.join(output.stagingDir, 'Dockerfile'), dockerfile, 0o644)
        await writeNew(path.join(output.stagingDir, '.dockerignore'), renderDockerignore(), 0o644)
        logger.info(`Base image ${baseImage}${settings.baseImage ? ` (base-image option; detected ${env.baseImage})` : ''}`)
      }
      return environmentManifest(env, baseImage, baseImageFrom)
    })
    const renderMs = Date.now() - renderStart

    const archiveStart = Date.now()
    // mkdtemp made the staging folder 0700; it becomes the package's top folder.
    await chmod(output.stagingDir, 0o755)
    const result = await logger.group('Write the archive', async () => {
      // One pass over the bytes: the walk hashes only what comes after
      // job.json in the archive (run.sh); everything before it (code/, data/)
      // is hashed by the archive writer while it packs, and job.json — which
      // names the content digest — is written when the writer reaches it.
      const entries = await walkTree(output.stagingDir, {
        exclude: new Set(['job.json']),
        hash: (rel) => comparePaths(rel, 'job.json') > 0,
        signal
      })
      const jobJson: TreeEntry = { path: 'job.json', type: 'file', mode: 0o644, size: 0 }
      const all: TreeEntry[] = [...entries, jobJson].sort((a, b) => comparePaths(a.path, b.path))
      let digest = ''
      let manifest: Manifest | undefined
      const writeManifest = async (): Promise<void> => {
        // The downloads hashed the datasets as they arrived; the bytes just packed must be the same ones.
        for (const d of fetched.datasets) {
          const packed = entries.find((e) => e.path === `data/${d.name}`)
          if (packed?.sha256 !== d.sha256)
            throw new OutputError(
              `data/${d.name} changed on disk after it was downloaded (sha256 ${packed?.sha256 ?? 'missing'}, downloaded ${d.sha256}); nothing was kept.`
            )
        }
        digest = contentDigest(entries)
        manifest = buildManifest({
          job_id: spec.jobId,
          spec: {
            git_url: redactUrl(spec.git.url),
            commit_hash: spec.commit.value,
            data_url: spec.datasets.map((d) => redactor.apply(d.url.href)),
            command: spec.command
          },
          source: {
            git_url: redactUrl(spec.git.url),
            commit: fetched.checkout.commit,
            commit_time: new Date(fetched.checkout.commitTime * 1000).toISOString()
          },
          datasets: fetched.datasets.map(({ name, url, size, sha256 }) => ({ name, url, size, sha256 })),
          environment,
          content_digest: digest,
          files: entries.filter((e) => e.type !== 'directory').length
        })
        const text = renderManifest(manifest)
        await writeNew(path.join(output.stagingDir, 'job.json'), text, 0o644)
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
        root: output.stagingDir,
        entries: all,
        prefix: spec.jobId,
        mtime: new Date(fetched.checkout.commitTime * 1000),
        level: settings.compressionLevel,
        dest: output.archiveTemp,
        signal,
        beforeEntry: async (entry, hashed) => {
          if (entry !== jobJson) return
          await hashed()
          await writeManifest()
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
    })
    signal.throwIfAborted()
    await output.commit()
    const archiveMs = Date.now() - archiveStart
    return {
      jobId: spec.jobId,
      jobDir: output.jobDir,
      archivePath: output.archivePath,
      archiveSha256: result.archive.sha256,
      archiveBytes: result.archive.bytes,
      contentDigest: result.digest,
      commit: fetched.checkout.commit,
      commitTime: result.manifest.source.commit_time,
      fetch: fetched.checkout.fetch,
      datasets: fetched.datasets,
      manifest: result.manifest,
      timings: {
        checkout: fetched.checkoutMs,
        download: fetched.downloadMs,
        render: renderMs,
        archive: archiveMs,
        total: Date.now() - started
      }
    }
  } catch (err) {
    throw signal.aborted && !(err instanceof SpecError) ? (signal.reason ?? err) : err
  } finally {
    await output.discard()
    deadline.removeEventListener('abort', onDeadline)
    options.signal?.removeEventListener('abort', onCancel)
  }
}

/**
 * Checkout and downloads run at the same time (the network is usually the
 * bottleneck of both). If either fails, the other is cancelled, and both are
 * awaited before the error goes up, so nothing is still writing into the
 * staging folder while it is being removed.
 */
async function fetchSources(
  stagingDir: string,
  spec: JobSpec,
  settings: Settings,
  options: PackOptions,
  redactor: Redactor,
  outer: AbortSignal
) {
  const inner = new AbortController()
  const signal = AbortSignal.any([outer, inner.signal])
  const timed = async <T>(p: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const start = Date.now()
    try {
      return { value: await p(), ms: Date.now() - start }
    } catch (err) {
      inner.abort(err)
      throw err
    }
  }
  const [checkout, datasets] = await Promise.allSettled([
    timed(() =>
      checkoutCommit(path.join(stagingDir, 'code'), {
        git: spec.git,
        commit: spec.commit,
        allowProtocols: settings.allowProtocols,
        token: options.token,
        limits: settings.limits,
        logger: settings.logger,
        redactor,
        signal
      })
    ),
    timed(() =>
      downloadDatasets(path.join(stagingDir, 'data'), {
        datasets: spec.datasets,
        limits: settings.limits,
        allowHttp: settings.allowProtocols.has('http'),
        allowPrivateNetwork: settings.allowPrivateNetwork,
        cache: options.datasetCache,
        logger: settings.logger,
        redactor,
        signal
      })
    )
  ])
  // The first real failure wins over the cancellation it caused in the other branch.
  const failures = [checkout, datasets].filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failures.length > 0) {
    const first = inner.signal.aborted ? inner.signal.reason : failures[0]!.reason
    throw first
  }
  const c = (checkout as PromiseFulfilledResult<{ value: CheckoutResult; ms: number }>).value
  const d = (datasets as PromiseFulfilledResult<{ value: DatasetResult[]; ms: number }>).value
  return { checkout: c.value, checkoutMs: c.ms, datasets: d.value, downloadMs: d.ms }
}

/** Creates a file that must not exist yet: O_EXCL also refuses to write through a symlink planted in the way. */
async function writeNew(file: string, content: string, mode: number): Promise<void> {
  await writeFile(file, content, { flag: 'wx', mode })
}
