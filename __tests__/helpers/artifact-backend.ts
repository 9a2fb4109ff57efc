/**
 * A local stand-in for GitHub's artifact service, good enough for the real
 * `@actions/artifact` client (v6, "v4 artifacts") to upload, list, download
 * and delete against it.
 *
 * Why not mock the client instead: the Action's artifact code is only worth
 * testing against the client's real behaviour (its request shapes, retries,
 * digest computation, blob upload through the Azure SDK, download by signed
 * URL). So the client runs unmodified, and we replace the two things it talks
 * to:
 *   - the Twirp JSON "results" service at ACTIONS_RESULTS_URL, here a small
 *     node:http server holding artifact records in memory;
 *   - Azure Blob Storage, here Azurite (a real blob server, which checks SAS
 *     signatures, permissions and expiry for real).
 *
 * The protocol (paths, snake_case proto field names, int64 as JSON strings,
 * Twirp error bodies) was read from the client's generated code under
 * node_modules/@actions/artifact/lib. Behaviour of the real service that the
 * client depends on is mirrored where it is observable: a duplicate name in
 * a run is a 409 `already_exists`, unknown artifacts are 404 `not_found`,
 * only finalized artifacts are listed.
 *
 * Artifacts of another run or repository are not reached through the Twirp
 * service but through the REST API (GITHUB_API_URL, with a token): the client
 * (`findBy`) lists a run's artifacts by name and asks for an artifact's
 * download, which answers with a redirect to a signed blob URL. The same
 * server answers those two routes for the runs a test exposes
 * (`exposeRun`), and only for the token it hands out (`apiToken`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
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

/** The Twirp methods of github.actions.results.api.v1.ArtifactService the client calls. */
export type ArtifactMethod = 'CreateArtifact' | 'FinalizeArtifact' | 'ListArtifacts' | 'GetSignedArtifactURL' | 'DeleteArtifact'

const METHODS: readonly ArtifactMethod[] = ['CreateArtifact', 'FinalizeArtifact', 'ListArtifacts', 'GetSignedArtifactURL', 'DeleteArtifact']

const SERVICE_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'

/**
 * Azurite's fixed development account. The key is public (documented by
 * Microsoft for the emulator); it is not a secret.
 */
const DEV_ACCOUNT = 'devstoreaccount1'
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
const CONTAINER = 'actions-results'

/** One artifact as the backend holds it (a snapshot: mutating it changes nothing). */
export interface StoredArtifact {
  /** The "database id" the client reports as `id`. */
  id: number
  name: string
  /** Size the client reported in FinalizeArtifact (checked against the blob). 0 until finalized. */
  size: number
  /** `sha256:<hex>` the client sent in FinalizeArtifact, if any. */
  digest?: string
  /** MIME type the client sent in CreateArtifact (from the file extension, or application/zip). */
  mimeType?: string
  /** Set when the client asked for a retention period. */
  expiresAt?: Date
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  createdAt: Date
  /** False between CreateArtifact and a successful FinalizeArtifact. */
  finalized: boolean
  /** Blob path inside the Azurite container. */
  blobName: string
}

/** One request the Twirp server received, for asserting what the code under test asked for. */
export interface TwirpRequestRecord {
  method: string
  body: unknown
  status: number
  /** True when the answer came from `failNext` or `resetNext` (status 0: the connection was reset) rather than the service logic. */
  injected: boolean
}

export interface ArtifactBackend {
  /**
   * Environment for the artifact client in the default job: merge into
   * `process.env` (in-process) or pass as `runAction({ env })`.
   */
  readonly env: Record<string, string>
  readonly workflowRunBackendId: string
  readonly workflowJobRunBackendId: string
  /** Origin of the Twirp server, with trailing slash, as ACTIONS_RESULTS_URL. */
  readonly resultsUrl: string
  /** Azurite blob endpoint (`http://127.0.0.1:PORT/devstoreaccount1`). */
  readonly blobEndpoint: string
  /** Snapshot of all artifacts, finalized or not, in creation order. */
  readonly artifacts: StoredArtifact[]
  /** Every Twirp request so far, in order (REST requests too, as `GET /repos/…`). */
  readonly requests: TwirpRequestRecord[]
  /** Base of the REST API (GITHUB_API_URL) for artifacts of other runs and repositories, without trailing slash. */
  readonly apiUrl: string
  /** The only token the REST API accepts (what a workflow passes as a token with `actions: read`). */
  readonly apiToken: string
  /**
   * Make a run reachable through the REST API as `repository` (owner/name)
   * and numeric `runId`. The default run is exposed as octo-org/octo-repo,
   * run 1000000001 (what runAction sets as GITHUB_REPOSITORY / GITHUB_RUN_ID).
   * Exposing a run again moves it.
   */
  exposeRun(run: { workflowRunBackendId: string; repository: string; runId: number }): void
  /**
   * Environment for another job (same run by default) or another run: the
   * token carries the ids, so this is how a test plays a different job.
   */
  envFor(ids?: { workflowRunBackendId?: string; workflowJobRunBackendId?: string }): Record<string, string>
  /**
   * Make the next `times` calls to `method` answer `status` with `body`
   * instead of running the service logic. `body` defaults to a Twirp error
   * JSON matching the status; a string is sent verbatim as text/plain (to
   * test non-JSON answers). Use 4xx: the client retries 5xx/429 and
   * non-JSON answers ~5 times with backoff (tens of seconds).
   */
  failNext(method: ArtifactMethod, status: number, body?: unknown, times?: number): void
  /**
   * Make the next `times` calls to `method` end in a connection reset: the
   * request is read and the socket destroyed without an answer (the client
   * sees ECONNRESET). By default nothing is done; with `afterHandling` the
   * service does its work first (the call took effect, only the answer is
   * lost). Unlike a 5xx, the client does not retry a reset itself (it
   * throws its NetworkError at once), so a test of the caller's own retry
   * stays quick. Queued with failNext's answers, in order.
   */
  resetNext(method: ArtifactMethod, opts?: { times?: number; afterHandling?: boolean }): void
  /** Bytes of an artifact's blob, read straight from Azurite (bypasses the service). */
  readArtifact(idOrName: number | string): Promise<Buffer>
  /** Stop the Twirp server and Azurite. Safe to call twice. */
  close(): Promise<void>
}

export interface ArtifactBackendOptions {
  /** Lifetime of handed-out SAS URLs. Short by default so stale URLs fail like real ones. */
  sasTtlSeconds?: number
  /** How long to wait for Azurite to report its port. */
  startTimeoutMs?: number
}

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

function twirpCodeFor(status: number): string {
  const exact = Object.entries(TWIRP_CODE_STATUS).find(([, s]) => s === status)
  if (exact) return exact[0]
  return status >= 500 ? 'internal' : 'unknown'
}

class TwirpError extends Error {
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

/** The run/job ids the Twirp server reads back from a bearer token, like the real service. */
function idsFromAuthorization(header: string | undefined): { run: string; job: string } {
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

function str(body: Record<string, unknown>, field: string, required = true): string {
  const value = body[field]
  if (value === undefined || value === null || value === '') {
    if (required) throw new TwirpError('invalid_argument', `${field} is required`)
    return ''
  }
  if (typeof value !== 'string') throw new TwirpError('invalid_argument', `${field} must be a string`)
  return value
}

/** int64 fields arrive as JSON strings (protobuf JSON mapping); accept numbers too. */
function int64(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n)) throw new TwirpError('invalid_argument', `${field} must be an int64`)
  return n
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

/** Start Azurite and the Twirp server; see {@link ArtifactBackend}. */
export async function startArtifactBackend(options: ArtifactBackendOptions = {}): Promise<ArtifactBackend> {
  const sasTtlMs = (options.sasTtlSeconds ?? 600) * 1000
  const azurite = await startAzurite(options.startTimeoutMs ?? 30000)
  const blobEndpoint = `${azurite.url}/${DEV_ACCOUNT}`
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY)
  let container: ContainerClient
  try {
    container = new BlobServiceClient(blobEndpoint, credential).getContainerClient(CONTAINER)
    await container.createIfNotExists()
  } catch (err) {
    await stopChild(azurite.child)
    await rm(azurite.dir, { recursive: true, force: true })
    throw err
  }

  const workflowRunBackendId = randomUUID()
  const workflowJobRunBackendId = randomUUID()
  const apiToken = `ghs_artifactReader${randomUUID().replace(/-/g, '')}`
  /** REST coordinates (owner/repo, run id) → the run's backend id. */
  const exposedRuns: { workflowRunBackendId: string; repository: string; runId: number }[] = [
    { workflowRunBackendId, repository: 'octo-org/octo-repo', runId: 1000000001 }
  ]
  const artifacts: StoredArtifact[] = []
  const requests: TwirpRequestRecord[] = []
  // status 0: a connection reset (resetNext), before or after the service logic ran.
  const failures = new Map<string, { status: number; body: unknown; afterHandling?: boolean }[]>()
  // Real ids are large and unrelated to counts; starting above 1 keeps tests from confusing the two.
  let nextId = 1001

  function sasUrl(blobName: string, permissions: string, contentDisposition?: string): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        // No startsOn: Azurite runs on this host, so there is no clock skew to allow for.
        expiresOn: new Date(Date.now() + sasTtlMs),
        contentDisposition
      },
      credential
    ).toString()
    return `${container.getBlobClient(blobName).url}?${sas}`
  }

  /**
   * A read-only signed URL for an artifact's blob. The client names a non-zip
   * download after Content-Disposition (else "artifact"), so ask Azurite to
   * send one via the SAS `rscd` override. Zipped artifacts (named without
   * extension) download as NAME.zip.
   */
  function downloadUrl(artifact: StoredArtifact): string {
    const fileName = artifact.mimeType === 'application/zip' && !/\.zip$/i.test(artifact.name) ? `${artifact.name}.zip` : artifact.name
    const disposition = `attachment; filename="${fileName.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
    return sasUrl(artifact.blobName, 'r', disposition)
  }

  function findFinalized(run: string, name: string): StoredArtifact {
    const found = artifacts.find((a) => a.workflowRunBackendId === run && a.name === name && a.finalized)
    if (!found) throw new TwirpError('not_found', `artifact not found: ${name}`)
    return found
  }

  /** The caller may only act on its own run, which its token names. */
  function checkRun(tokenRun: string, requestRun: string): void {
    if (tokenRun !== requestRun) {
      throw new TwirpError('permission_denied', 'workflow_run_backend_id does not match the runtime token')
    }
  }

  // A handler returns the response body, or a promise of it when it has to talk to Azurite first.
  const handlers: Record<ArtifactMethod, (body: Record<string, unknown>, ids: { run: string; job: string }) => unknown> = {
    CreateArtifact(body, ids) {
      const run = str(body, 'workflow_run_backend_id')
      const job = str(body, 'workflow_job_run_backend_id')
      const name = str(body, 'name')
      checkRun(ids.run, run)
      if (job !== ids.job) throw new TwirpError('permission_denied', 'workflow_job_run_backend_id does not match the runtime token')
      if (artifacts.some((a) => a.workflowRunBackendId === run && a.name === name)) {
        // Same wording as the real service, which the client surfaces as
        // "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: ...".
        throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run')
      }
      const id = nextId++
      const mimeType = typeof body.mime_type === 'string' ? body.mime_type : undefined
      const expiresAt = typeof body.expires_at === 'string' ? new Date(body.expires_at) : undefined
      const blobName = `${run}/${id}/${name}`
      artifacts.push({
        id,
        name,
        size: 0,
        mimeType,
        expiresAt,
        workflowRunBackendId: run,
        workflowJobRunBackendId: job,
        createdAt: new Date(),
        finalized: false,
        blobName
      })
      return { ok: true, signed_upload_url: sasUrl(blobName, 'w') }
    },

    async FinalizeArtifact(body, ids) {
      const run = str(body, 'workflow_run_backend_id')
      const job = str(body, 'workflow_job_run_backend_id')
      const name = str(body, 'name')
      checkRun(ids.run, run)
      const size = int64(body, 'size') ?? 0
      const artifact = artifacts.find((a) => a.workflowRunBackendId === run && a.workflowJobRunBackendId === job && a.name === name)
      if (!artifact) throw new TwirpError('not_found', `artifact not found: ${name}`)
      if (artifact.finalized) throw new TwirpError('failed_precondition', `artifact already finalized: ${name}`)
      // Checking the blob catches an upload that silently went nowhere, which
      // the client's own byte count (from progress events) would not reveal.
      let blobSize: number
      try {
        blobSize = (await container.getBlobClient(artifact.blobName).getProperties()).contentLength ?? 0
      } catch {
        throw new TwirpError('failed_precondition', `no content was uploaded for artifact ${name}`)
      }
      if (blobSize !== size) {
        throw new TwirpError('invalid_argument', `size ${size} does not match the ${blobSize} bytes uploaded for artifact ${name}`)
      }
      artifact.size = size
      // `hash` is a google.protobuf.StringValue, which JSON-encodes as a bare string.
      if (typeof body.hash === 'string') artifact.digest = body.hash
      artifact.finalized = true
      return { ok: true, artifact_id: String(artifact.id) }
    },

    ListArtifacts(body, ids) {
      const run = str(body, 'workflow_run_backend_id')
      checkRun(ids.run, run)
      const nameFilter = typeof body.name_filter === 'string' ? body.name_filter : undefined
      const idFilter = int64(body, 'id_filter')
      // Listing covers the whole run (every job), and only finalized artifacts.
      const listed = artifacts.filter(
        (a) =>
          a.workflowRunBackendId === run &&
          a.finalized &&
          (nameFilter === undefined || a.name === nameFilter) &&
          (idFilter === undefined || a.id === idFilter)
      )
      return {
        artifacts: listed.map((a) => ({
          workflow_run_backend_id: a.workflowRunBackendId,
          workflow_job_run_backend_id: a.workflowJobRunBackendId,
          database_id: String(a.id),
          name: a.name,
          size: String(a.size),
          created_at: a.createdAt.toISOString(),
          ...(a.digest ? { digest: a.digest } : {})
        }))
      }
    },

    GetSignedArtifactURL(body, ids) {
      const run = str(body, 'workflow_run_backend_id')
      checkRun(ids.run, run)
      return { signed_url: downloadUrl(findFinalized(run, str(body, 'name'))) }
    },

    async DeleteArtifact(body, ids) {
      const run = str(body, 'workflow_run_backend_id')
      checkRun(ids.run, run)
      const artifact = findFinalized(run, str(body, 'name'))
      await container.getBlobClient(artifact.blobName).deleteIfExists()
      artifacts.splice(artifacts.indexOf(artifact), 1)
      return { ok: true, artifact_id: String(artifact.id) }
    }
  }

  /**
   * The two REST routes the client's `findBy` path uses (GET, JSON, GitHub's
   * field names). A missing or wrong token is a 401 and an unknown
   * repository or run a 404, as for a token without access on GitHub.
   */
  function handleRest(req: IncomingMessage, url: URL): { status: number; body?: unknown; location?: string } {
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')
    if (auth?.[1] !== apiToken) return { status: 401, body: { message: 'Bad credentials', status: '401' } }
    const notFound = { status: 404, body: { message: 'Not Found', status: '404' } }
    const list = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname)
    if (list) {
      const run = exposedRuns.find((r) => r.repository === `${list[1]}/${list[2]}` && r.runId === Number(list[3]))
      if (!run) return notFound
      const name = url.searchParams.get('name')
      const found = artifacts.filter(
        (a) => a.workflowRunBackendId === run.workflowRunBackendId && a.finalized && (name === null || a.name === name)
      )
      return {
        status: 200,
        body: {
          total_count: found.length,
          artifacts: found.map((a) => ({
            id: a.id,
            name: a.name,
            size_in_bytes: a.size,
            expired: false,
            created_at: a.createdAt.toISOString(),
            ...(a.expiresAt ? { expires_at: a.expiresAt.toISOString() } : {}),
            ...(a.digest ? { digest: a.digest } : {}),
            workflow_run: { id: run.runId }
          }))
        }
      }
    }
    const download = /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)\/zip$/.exec(url.pathname)
    if (download) {
      const artifact = artifacts.find((a) => a.id === Number(download[3]) && a.finalized)
      const run = artifact && exposedRuns.find((r) => r.workflowRunBackendId === artifact.workflowRunBackendId)
      if (!artifact || run?.repository !== `${download[1]}/${download[2]}`) return notFound
      return { status: 302, location: downloadUrl(artifact) }
    }
    return notFound
  }

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
    const method = url.pathname.startsWith(SERVICE_PREFIX) ? url.pathname.slice(SERVICE_PREFIX.length) : ''
    const raw = await readBody(req)
    let parsed: unknown = raw
    const record = (status: number, injected: boolean): void => {
      requests.push({ method: method || url.pathname, body: parsed, status, injected })
    }
    if (req.method === 'GET' && url.pathname.startsWith('/repos/')) {
      const answer = handleRest(req, url)
      requests.push({ method: `GET ${url.pathname}${url.search}`, body: undefined, status: answer.status, injected: false })
      if (answer.location !== undefined) {
        res.writeHead(answer.status, { Location: answer.location, 'Content-Length': 0 })
        res.end()
      } else send(res, answer.status, answer.body)
      return
    }
    try {
      if (req.method !== 'POST' || !(METHODS as readonly string[]).includes(method)) {
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
      const ids = idsFromAuthorization(req.headers.authorization)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new TwirpError('malformed', 'request body must be a JSON object')
      }
      const result = await handlers[method as ArtifactMethod](parsed as Record<string, unknown>, ids)
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
  } catch (err) {
    await stopChild(azurite.child)
    await rm(azurite.dir, { recursive: true, force: true })
    throw err
  }
  const resultsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

  function envFor(ids: { workflowRunBackendId?: string; workflowJobRunBackendId?: string } = {}): Record<string, string> {
    return {
      ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(
        ids.workflowRunBackendId ?? workflowRunBackendId,
        ids.workflowJobRunBackendId ?? workflowJobRunBackendId
      ),
      ACTIONS_RESULTS_URL: resultsUrl,
      // Artifacts of another run or repository come through the REST API: this one, never the real one.
      GITHUB_API_URL: resultsUrl.replace(/\/$/, ''),
      // The client refuses anything that looks like GHES; pin a value it
      // accepts so a GHES CI host's own GITHUB_SERVER_URL cannot leak in.
      GITHUB_SERVER_URL: 'https://github.com',
      NO_PROXY: noProxyWithLoopback(),
      no_proxy: noProxyWithLoopback()
    }
  }

  let closed: Promise<void> | undefined
  return {
    env: envFor(),
    workflowRunBackendId,
    workflowJobRunBackendId,
    resultsUrl,
    blobEndpoint,
    get artifacts() {
      return artifacts.map((a) => ({ ...a }))
    },
    get requests() {
      return requests.slice()
    },
    envFor,
    apiUrl: resultsUrl.replace(/\/$/, ''),
    apiToken,
    exposeRun(run) {
      // A run has one repository and one id: exposing it again moves it, and whatever held those coordinates goes.
      for (let i = exposedRuns.length - 1; i >= 0; i--) {
        const r = exposedRuns[i]!
        if (r.workflowRunBackendId === run.workflowRunBackendId || (r.repository === run.repository && r.runId === run.runId))
          exposedRuns.splice(i, 1)
      }
      exposedRuns.push({ ...run })
    },
    failNext(method, status, body, times = 1) {
      if (!METHODS.includes(method)) throw new Error(`failNext: unknown method ${method}`)
      const answer = body ?? { code: twirpCodeFor(status), msg: `injected failure (${status}) for ${method}` }
      const queue = failures.get(method) ?? []
      for (let i = 0; i < times; i++) queue.push({ status, body: answer })
      failures.set(method, queue)
    },
    resetNext(method, { times = 1, afterHandling = false } = {}) {
      if (!METHODS.includes(method)) throw new Error(`resetNext: unknown method ${method}`)
      const queue = failures.get(method) ?? []
      for (let i = 0; i < times; i++) queue.push({ status: 0, body: undefined, afterHandling })
      failures.set(method, queue)
    },
    async readArtifact(idOrName) {
      const artifact = artifacts.find((a) => (typeof idOrName === 'number' ? a.id === idOrName : a.name === idOrName))
      if (!artifact) throw new Error(`readArtifact: no artifact ${JSON.stringify(idOrName)}`)
      return container.getBlobClient(artifact.blobName).downloadToBuffer()
    },
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        await stopChild(azurite.child)
        await rm(azurite.dir, { recursive: true, force: true })
      })()
      return closed
    }
  }
}
