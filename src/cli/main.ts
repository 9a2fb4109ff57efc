/**
 * The CLI shell over the packager: parses flags (and an optional spec file)
 * into a spec and options, runs packJob, and reports. Errors are caught here,
 * once: exit 2 for invalid input, 1 for any other failure, 130/143 when
 * interrupted by SIGINT/SIGTERM (after cleaning up).
 */
import { readFile } from 'node:fs/promises'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import {
  DirectoryDatasetCache,
  formatBytes,
  parseByteSize,
  InterruptedError,
  JobPackagerError,
  packJob,
  SpecError,
  type GitProtocol,
  type Limits,
  type PackOptions,
  type PackResult
} from '../core/index.js'
import { PACKAGER_NAME, PACKAGER_VERSION } from '../version.js'
import { createCliLogger } from './cli-logger.js'

export const TOKEN_ENV = 'JOB_PACKAGER_TOKEN'

const HELP = `Usage: ${PACKAGER_NAME} pack [options]

Packages a git commit, its datasets and a command into jobs/{job_id}/ and
jobs/{job_id}.tar.gz (entries under {job_id}/), ready for:
  tar -xzf jobs/{job_id}.tar.gz && cd {job_id} && docker build -t job . && docker run --rm job

The job spec (flags override the fields of --spec):
  --spec FILE            JSON spec: {"git_url", "commit_hash", "data_url", "command",
                         "job_id", "data_sha256"}; "-" reads standard input
  --git-url URL          repository (https:// by default; see --allow-protocols)
  --commit SHA           commit: 40 or 64 hex digits, or an unambiguous prefix (>= 7)
  --data-url URL         dataset URL; repeat for several, omit for a code-only job
  --data-sha256 HEX      pinned sha256 of the dataset at the same position; repeatable
  --command CMD          shell command run in code/ (see run.sh)
  --job-id ID            1-64 of [A-Za-z0-9._-], not starting with . or -; default: random UUID

Output:
  --out DIR              output folder (default: jobs)
  --json                 print the result as JSON on stdout
  --quiet                only warnings and errors on stderr
  --verbose              also debug lines (git commands, redirects)

Policy and limits:
  --allow-protocols LIST comma-separated of https,http,ssh,file (default: https)
  --allow-private-network  allow datasets on loopback/private/link-local addresses
  --max-dataset-bytes N  per dataset (default 5G; suffixes K, M, G, T)
  --max-checkout-bytes N size of the checked-out tree (default 2G)
  --max-checkout-files N files in the checked-out tree (default 200000)
  --timeout SECONDS      whole run (default 3600)
  --idle-timeout SECONDS a transfer with no data this long fails (default 60)
  --max-redirects N      per download (default 5)
  --attempts N           tries per network operation (default 3)
  --retry-delay-ms N     first back-off delay, doubling (default 1000)
  --compression-level N  gzip level 1-9 (default 6)
  --base-image REF       BASE_IMAGE of the Dockerfile instead of the detected one
                         (tag or digest, never latest)
  --use-repo-dockerfile  build with the repository's own Dockerfile, if it has one at its
                         root (docker build -t job code), instead of generating one
  --cache-dir DIR        reuse datasets with a pinned sha256 from this folder

Environment:
  ${TOKEN_ENV}     token for a private git host over https (never a flag)

Exit status: 0 packaged, 2 invalid input, 1 failure, 130/143 interrupted.`

const OPTIONS = {
  spec: { type: 'string' },
  'git-url': { type: 'string' },
  commit: { type: 'string' },
  'commit-hash': { type: 'string' },
  'data-url': { type: 'string', multiple: true },
  'data-sha256': { type: 'string', multiple: true },
  command: { type: 'string' },
  'job-id': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'allow-protocols': { type: 'string' },
  'allow-private-network': { type: 'boolean' },
  'max-dataset-bytes': { type: 'string' },
  'max-checkout-bytes': { type: 'string' },
  'max-checkout-files': { type: 'string' },
  timeout: { type: 'string' },
  'idle-timeout': { type: 'string' },
  'max-redirects': { type: 'string' },
  attempts: { type: 'string' },
  'retry-delay-ms': { type: 'string' },
  'compression-level': { type: 'string' },
  'base-image': { type: 'string' },
  'use-repo-dockerfile': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} satisfies ParseArgsConfig['options']

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values']

export async function run(argv: string[]): Promise<void> {
  // Until we finish on purpose the exit code says "failed": if a stream never
  // settles and Node runs out of work, it must not exit 0 with nothing done.
  process.exitCode = 1
  let values: Values
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }))
  } catch (err) {
    fail(2, `${(err as Error).message}\nRun '${PACKAGER_NAME} --help' for usage.`)
    return
  }
  if (values.help || positionals[0] === 'help') {
    process.stdout.write(`${HELP}\n`)
    process.exitCode = 0
    return
  }
  if (values.version) {
    process.stdout.write(`${PACKAGER_VERSION}\n`)
    process.exitCode = 0
    return
  }
  if (positionals.length !== 1 || positionals[0] !== 'pack') {
    fail(
      2,
      `Expected the command "pack"${positionals.length ? `, got ${JSON.stringify(positionals.join(' '))}` : ''}.\nRun '${PACKAGER_NAME} --help' for usage.`
    )
    return
  }

  const logger = createCliLogger({ quiet: values.quiet ?? false, verbose: values.verbose ?? false })
  const controller = new AbortController()
  let interruptedBy: NodeJS.Signals | undefined
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interruptedBy) {
      // A second signal while cleaning up: the user wants out now.
      process.stderr.write(`error: ${sig} received again; exiting without finishing the clean-up.\n`)
      process.exit(sig === 'SIGINT' ? 130 : 143)
    }
    interruptedBy = sig
    logger.warn(`${sig} received: stopping and removing partial output…`)
    controller.abort(new InterruptedError(`Interrupted by ${sig}; no job folder or archive was left behind.`))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const spec = await buildSpec(values)
    const options = buildOptions(values)
    const result = await packJob(spec, { ...options, logger, signal: controller.signal, token: process.env[TOKEN_ENV] || undefined })
    process.stdout.write(values.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : describe(result))
    process.exitCode = 0
  } catch (err) {
    if (interruptedBy) fail(interruptedBy === 'SIGINT' ? 130 : 143, messageOf(err))
    else fail(err instanceof SpecError ? 2 : 1, messageOf(err))
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

function messageOf(err: unknown): string {
  if (err instanceof JobPackagerError) return err.message
  // Not one of ours: a bug or an unexpected system error. Say so, with the detail.
  return `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
}

function fail(code: number, message: string): void {
  process.stderr.write(`error: ${message}\n`)
  process.exitCode = code
}

async function buildSpec(values: Values): Promise<Record<string, unknown>> {
  let spec: Record<string, unknown> = {}
  if (values.spec !== undefined) {
    let text: string
    try {
      text = values.spec === '-' ? await readStdin() : await readFile(values.spec, 'utf8')
    } catch (err) {
      throw new SpecError(
        '--spec',
        `cannot read ${JSON.stringify(values.spec)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        'a readable JSON file, or - for standard input'
      )
    }
    try {
      spec = JSON.parse(text) as Record<string, unknown>
    } catch (err) {
      throw new SpecError('--spec', `is not valid JSON (${(err as Error).message})`, "a JSON object like the seed service's request body")
    }
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
      throw new SpecError('--spec', 'is not a JSON object', 'a JSON object')
  }
  if (values.commit !== undefined && values['commit-hash'] !== undefined)
    throw new SpecError('--commit', 'given twice (--commit and --commit-hash)', 'one of them')
  const flags: Record<string, unknown> = {
    git_url: values['git-url'],
    commit_hash: values.commit ?? values['commit-hash'],
    data_url: values['data-url'],
    data_sha256: values['data-sha256'],
    command: values.command,
    job_id: values['job-id']
  }
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) spec[key] = value
  return spec
}

function buildOptions(values: Values): Omit<PackOptions, 'logger' | 'signal' | 'token'> {
  const int = (flag: keyof Values, scale = 1): number | undefined => {
    const raw = values[flag]
    if (raw === undefined) return undefined
    const n = Number(raw)
    if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n * scale))
      throw new SpecError(`--${flag}`, `${JSON.stringify(raw)} is not a whole number`, 'a whole number')
    return n * scale
  }
  const bytes = (flag: 'max-dataset-bytes' | 'max-checkout-bytes'): number | undefined =>
    values[flag] === undefined ? undefined : parseByteSize(values[flag]!, `--${flag}`)
  const limits: Partial<Limits> = {
    maxDatasetBytes: bytes('max-dataset-bytes'),
    maxCheckoutBytes: bytes('max-checkout-bytes'),
    maxCheckoutFiles: int('max-checkout-files'),
    timeoutMs: int('timeout', 1000),
    idleTimeoutMs: int('idle-timeout', 1000),
    maxRedirects: int('max-redirects'),
    attempts: int('attempts'),
    retryDelayMs: int('retry-delay-ms')
  }
  return {
    outDir: values.out,
    allowProtocols: values['allow-protocols']
      ?.split(',')
      .map((p) => p.trim().toLowerCase() as GitProtocol)
      .filter(Boolean),
    allowPrivateNetwork: values['allow-private-network'] ?? false,
    limits,
    compressionLevel: int('compression-level'),
    baseImage: values['base-image'],
    useRepoDockerfile: values['use-repo-dockerfile'] ?? false,
    datasetCache: values['cache-dir'] ? new DirectoryDatasetCache(values['cache-dir']) : undefined
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export function toJson(result: PackResult): Record<string, unknown> {
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
    timings_ms: result.timings
  }
}

function describe(result: PackResult): string {
  const lines = [
    `job_id          ${result.jobId}`,
    `job folder      ${result.jobDir}`,
    `archive         ${result.archivePath} (${formatBytes(result.archiveBytes)})`,
    `archive sha256  ${result.archiveSha256}`,
    `content digest  ${result.contentDigest}`,
    `commit          ${result.commit} (${result.commitTime})`,
    ...result.datasets.map((d) => `dataset         data/${d.name} (${formatBytes(d.size)}, sha256 ${d.sha256})`)
  ]
  return `${lines.join('\n')}\n`
}
