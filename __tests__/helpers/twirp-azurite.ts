/**
 * The plumbing the local artifact and cache services share
 * (artifact-backend.ts, cache-backend.ts): Azurite as the blob store, and a
 * node:http server speaking Twirp JSON under `/twirp/<service>/<Method>`.
 *
 * Why one module: both `@actions/artifact` and `@actions/cache` talk to the
 * same "results" service (Twirp JSON at ACTIONS_RESULTS_URL, authenticated by
 * ACTIONS_RUNTIME_TOKEN) and move bytes through Azure blob SAS URLs. What
 * they share — the token, the Twirp error mapping and request dispatch,
 * failure injection, Azurite's start and stop — is the same protocol, so it
 * is written once; each backend keeps only its own service logic.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type ContainerClient
} from '@azure/storage-blob'

/**
 * Azurite's fixed development account. The key is public (documented by
 * Microsoft for the emulator); it is not a secret.
 */
const DEV_ACCOUNT = 'devstoreaccount1'
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

/** Twirp error codes and their HTTP statuses (twirp spec v7). */
const TWIRP_CODE_STATUS: Record<string, number> = {
  canceled: 408,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  dataloss: 500
}

/** The Twirp code for an HTTP status (the first code mapped to it), for injected failures. */
export function twirpCodeFor(status: number): string {
  const exact = Object.entries(TWIRP_CODE_STATUS).find(([, s]) => s === status)
  if (exact) return exact[0]
  return status >= 500 ? 'internal' : 'unknown'
}

/** Thrown by service logic; the dispatcher answers it as a Twirp error body with the code's status. */
export class TwirpError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
  }
  get status(): number {
    return TWIRP_CODE_STATUS[this.code] ?? 500
  }
}

/** A string field of a request; `required` makes a missing or empty one an `invalid_argument`. */
export function str(body: Record<string, unknown>, field: string, required = true): string {
  const value = body[field]
  if (value === undefined || value === null || value === '') {
    if (required) throw new TwirpError('invalid_argument', `${field} is required`)
    return ''
  }
  if (typeof value !== 'string') throw new TwirpError('invalid_argument', `${field} must be a string`)
  return value
}

/** int64 fields arrive as JSON strings (protobuf JSON mapping); accept numbers too. */
export function int64(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n)) throw new TwirpError('invalid_argument', `${field} must be an int64`)
  return n
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}

/**
 * An ACTIONS_RUNTIME_TOKEN the client accepts. The client only decodes the
 * JWT (never verifies it) and needs `Actions.Results:<runId>:<jobId>` in the
 * space-separated `scp` claim; the other scopes mimic a real runner token so
 * code that splits `scp` sees a realistic value. The signature is filler.
 */
export function makeRuntimeToken(workflowRunBackendId: string, workflowJobRunBackendId: string): string {
  const now = Math.floor(Date.now() / 1000)
  const header = { typ: 'JWT', alg: 'RS256', x5t: 'job-packager-test' }
  const payload = {
    nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
    scp: [
      `Actions.ExampleScope`,
      `Actions.GenericRead:00000000-0000-0000-0000-000000000000`,
      `Actions.UploadArtifacts:00000000-0000-0000-0000-000000000000:${workflowJobRunBackendId}`,
      `Actions.Results:${workflowRunBackendId}:${workflowJobRunBackendId}`
    ].join(' '),
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vstoken.actions.githubusercontent.com',
    iat: now,
    nbf: now - 60,
    exp: now + 6 * 3600
  }
  return [base64url(JSON.stringify(header)), base64url(JSON.stringify(payload)), base64url('not-a-real-signature')].join('.')
}

/** The caller as its runtime token names it: the run and job ids of its `Actions.Results` scope. */
export interface TwirpCaller {
  run: string
  job: string
}

/** The run/job ids the Twirp server reads back from a bearer token, like the real service. */
function idsFromAuthorization(header: string | undefined): TwirpCaller {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  if (!match) throw new TwirpError('unauthenticated', 'missing bearer token')
  const parts = match[1]!.split('.') // group 1 is not optional
  let scp: string
  try {
    // Not checked: a payload that is not an object (null, say) throws here, and that is the error wanted.
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as { scp?: unknown }
    scp = typeof payload.scp === 'string' ? payload.scp : '' // the real service sends a string; anything else names no scope
  } catch {
    throw new TwirpError('unauthenticated', 'runtime token is not a JWT')
  }
  for (const scope of scp.split(' ')) {
    const [kind, run, job, ...rest] = scope.split(':')
    if (kind === 'Actions.Results' && run && job && rest.length === 0) return { run, job }
  }
  throw new TwirpError('unauthenticated', 'runtime token has no Actions.Results scope')
}

/** Keep proxies away from loopback: the Azure SDK (unlike @actions/http-client) does not bypass it by itself. */
function noProxyWithLoopback(): string {
  const existing = process.env.NO_PROXY ?? process.env.no_proxy ?? ''
  const entries = existing
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const host of ['127.0.0.1', 'localhost']) if (!entries.includes(host)) entries.push(host)
  return entries.join(',')
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Start Azurite as a child process on a free port and wait for it to say
 * where it listens. It runs on `process.execPath` (the Node running the
 * tests) because Azurite 3.35.0 is the last line known to work on Node 20,
 * and with its cwd in a temp dir so a stray debug log or db file can never
 * land in the repository.
 */
async function startAzurite(timeoutMs: number): Promise<{ child: ChildProcess; url: string; dir: string }> {
  const require = createRequire(import.meta.url)
  const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js')
  const dir = await mkdtemp(path.join(tmpdir(), 'azurite-'))
  const env = { ...process.env }
  // Jest's --experimental-vm-modules is meaningless for Azurite and only adds warnings.
  delete env.NODE_OPTIONS
  const child = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--silent',
      '--disableTelemetry',
      '--skipApiVersionCheck'
      // No --location: Azurite refuses it together with --inMemoryPersistence.
    ],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stdout = ''
  let stderr = ''
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Azurite did not report a port within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`)),
        timeoutMs
      )
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        const m = /successfully listens on (http:\/\/\S+)/.exec(stdout)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!.replace(/\/$/, '')) // group 1 is not optional
        }
      })
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`Azurite exited early (code ${code}, signal ${signal}).\nstdout: ${stdout}\nstderr: ${stderr}`))
      })
    })
    // Keep draining the pipes so Azurite can never block on a full pipe.
    child.stdout.resume()
    child.stderr.resume()
    return { child, url, dir }
  } catch (err) {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

/** Stop one child by its PID: SIGTERM, then SIGKILL if it lingers. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** One blob container in a private Azurite, and signed URLs into it. */
export interface BlobStore {
  /** Azurite blob endpoint (`http://127.0.0.1:PORT/devstoreaccount1`). */
  readonly endpoint: string
  readonly container: ContainerClient
  /** A signed URL for one blob; `contentDisposition` asks Azurite to send that header (SAS `rscd`). */
  readonly sasUrl: (blobName: string, permissions: string, contentDisposition?: string) => string
  /** Stop Azurite and remove its temp dir. */
  stop(): Promise<void>
}

export interface BlobStoreOptions {
  /** Lifetime of handed-out SAS URLs. */
  sasTtlMs?: number
  /** How long to wait for Azurite to report its port. */
  startTimeoutMs?: number
}

/** Start Azurite and create `containerName` in it. */
export async function startBlobStore(containerName: string, options: BlobStoreOptions = {}): Promise<BlobStore> {
  const sasTtlMs = options.sasTtlMs ?? 600_000
  const azurite = await startAzurite(options.startTimeoutMs ?? 30000)
  const stop = async (): Promise<void> => {
    await stopChild(azurite.child)
    await rm(azurite.dir, { recursive: true, force: true })
  }
  const endpoint = `${azurite.url}/${DEV_ACCOUNT}`
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY)
  let container: ContainerClient
  try {
    container = new BlobServiceClient(endpoint, credential).getContainerClient(containerName)
    await container.createIfNotExists()
  } catch (err) {
    await stop()
    throw err
  }
  return {
    endpoint,
    container,
    sasUrl(blobName, permissions, contentDisposition) {
      const sas = generateBlobSASQueryParameters(
        {
          containerName,
          blobName,
          permissions: BlobSASPermissions.parse(permissions),
          // No startsOn: Azurite runs on this host, so there is no clock skew to allow for.
          expiresOn: new Date(Date.now() + sasTtlMs),
          contentDisposition
        },
        credential
      ).toString()
      return `${container.getBlobClient(blobName).url}?${sas}`
    },
    stop
  }
}

/** One request the Twirp server received, for asserting what the code under test asked for. */
export interface TwirpRequestRecord {
  method: string
  body: unknown
  status: number
  /** True when the answer came from `failNext` or `resetNext` (status 0: the connection was reset) rather than the service logic. */
  injected: boolean
}

/** A handler returns the response body, or a promise of it when it has to talk to Azurite first. */
export type TwirpHandler = (body: Record<string, unknown>, caller: TwirpCaller) => unknown

/** An answer to a request outside the Twirp service (e.g. a REST route): a JSON or text body, or a redirect. */
export interface PlainAnswer {
  status: number
  body?: unknown
  location?: string
}

export interface TwirpServerOptions<M extends string> {
  /** Fully qualified service name, e.g. `github.actions.results.api.v1.CacheService`. */
  service: string
  methods: readonly M[]
  handlers: Record<M, TwirpHandler>
  /**
   * Requests outside the Twirp service: return an answer to take the
   * request, undefined to leave it to the Twirp dispatch. Recorded as
   * `METHOD /path?query`.
   */
  other?(req: IncomingMessage, url: URL): PlainAnswer | undefined
}

export interface TwirpServer<M extends string> {
  /** Origin with trailing slash, as ACTIONS_RESULTS_URL. */
  readonly url: string
  /**
   * Environment for a client of this server, playing job `job` of run `run`
   * (the runtime token carries both): merge into `process.env` or pass as
   * `runAction({ env })`.
   */
  clientEnv(run: string, job: string): Record<string, string>
  /** Every request so far, in order (the live array). */
  readonly requests: TwirpRequestRecord[]
  /**
   * The next `times` calls to `method` answer `status` with `body` (by
   * default a Twirp error body whose code matches the status; a string is
   * sent as text/plain) instead of running the service logic.
   */
  failNext(method: M, status: number, body?: unknown, times?: number): void
  /**
   * The next `times` calls to `method` end in a connection reset, before the
   * service logic runs or, with `afterHandling`, after it (the call took
   * effect, only the answer is lost). Queued with failNext's answers, in order.
   */
  resetNext(method: M, opts?: { times?: number; afterHandling?: boolean }): void
  close(): Promise<void>
}

/**
 * A Twirp JSON server on a free loopback port. It checks what the real
 * service would (POST to a known method, a JSON body, a runtime token with
 * an `Actions.Results` scope) and answers a TwirpError as a Twirp error body.
 * Queued failures stand in for the service logic, so they answer before the
 * token is read.
 */
export async function startTwirpServer<M extends string>(options: TwirpServerOptions<M>): Promise<TwirpServer<M>> {
  const prefix = `/twirp/${options.service}/`
  const methods: readonly string[] = options.methods
  const requests: TwirpRequestRecord[] = []
  // status 0: a connection reset (resetNext), before or after the service logic ran.
  const failures = new Map<string, { status: number; body: unknown; afterHandling?: boolean }[]>()

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json',
      'Content-Length': Buffer.byteLength(text)
    })
    res.end(text)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const method = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : ''
    const raw = await readBody(req)
    let parsed: unknown = raw
    const record = (status: number, injected: boolean): void => {
      requests.push({ method: method || url.pathname, body: parsed, status, injected })
    }
    const answer = options.other?.(req, url)
    if (answer) {
      requests.push({ method: `${req.method} ${url.pathname}${url.search}`, body: undefined, status: answer.status, injected: false })
      if (answer.location !== undefined) {
        res.writeHead(answer.status, { Location: answer.location, 'Content-Length': 0 })
        res.end()
      } else send(res, answer.status, answer.body)
      return
    }
    try {
      if (req.method !== 'POST' || !methods.includes(method)) {
        throw new TwirpError('bad_route', `no handler for ${req.method} ${url.pathname}`)
      }
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        throw new TwirpError('bad_route', `unexpected Content-Type: ${req.headers['content-type'] ?? '(none)'}`)
      }
      try {
        parsed = JSON.parse(raw)
      } catch {
        throw new TwirpError('malformed', 'request body is not JSON')
      }
      const queued = failures.get(method)
      const injected = queued?.shift()
      if (injected && queued!.length === 0) failures.delete(method)
      if (injected && !injected.afterHandling) {
        record(injected.status, true)
        if (injected.status === 0) {
          req.socket.destroy()
          return
        }
        send(res, injected.status, injected.body)
        return
      }
      const caller = idsFromAuthorization(req.headers.authorization)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new TwirpError('malformed', 'request body must be a JSON object')
      }
      const result = await options.handlers[method as M](parsed as Record<string, unknown>, caller)
      if (injected) {
        // The call took effect; only its answer is lost.
        record(0, true)
        req.socket.destroy()
        return
      }
      record(200, false)
      send(res, 200, result)
    } catch (err) {
      const e = err instanceof TwirpError ? err : new TwirpError('internal', err instanceof Error ? err.message : String(err))
      record(e.status, false)
      send(res, e.status, { code: e.code, msg: e.message })
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { code: 'internal', msg: String(err) })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })

  const queue = (name: string, method: M, entries: { status: number; body: unknown; afterHandling?: boolean }[]): void => {
    if (!methods.includes(method)) throw new Error(`${name}: unknown method ${method}`)
    failures.set(method, [...(failures.get(method) ?? []), ...entries])
  }

  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return {
    url: origin,
    clientEnv(run, job) {
      return {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(run, job),
        ACTIONS_RESULTS_URL: origin,
        // Both clients take anything else for GHES: the artifact client refuses
        // it, the cache client falls back to its v1 service. Pin a value they
        // accept so a GHES CI host's own GITHUB_SERVER_URL cannot leak in.
        GITHUB_SERVER_URL: 'https://github.com',
        NO_PROXY: noProxyWithLoopback(),
        no_proxy: noProxyWithLoopback()
      }
    },
    requests,
    failNext(method, status, body, times = 1) {
      const answer = body ?? { code: twirpCodeFor(status), msg: `injected failure (${status}) for ${method}` }
      queue(
        'failNext',
        method,
        Array.from({ length: times }, () => ({ status, body: answer }))
      )
    },
    resetNext(method, { times = 1, afterHandling = false } = {}) {
      queue(
        'resetNext',
        method,
        Array.from({ length: times }, () => ({ status: 0, body: undefined, afterHandling }))
      )
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
