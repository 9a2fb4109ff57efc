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
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import {
  int64,
  startBlobStore,
  startTwirpServer,
  str,
  TwirpError,
  type PlainAnswer,
  type TwirpHandler,
  type TwirpRequestRecord,
  type TwirpServer
} from './twirp-azurite.js'

export { makeRuntimeToken, type TwirpRequestRecord } from './twirp-azurite.js'

/** The Twirp methods of github.actions.results.api.v1.ArtifactService the client calls. */
export type ArtifactMethod = 'CreateArtifact' | 'FinalizeArtifact' | 'ListArtifacts' | 'GetSignedArtifactURL' | 'DeleteArtifact'

const METHODS: readonly ArtifactMethod[] = ['CreateArtifact', 'FinalizeArtifact', 'ListArtifacts', 'GetSignedArtifactURL', 'DeleteArtifact']

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

/** Start Azurite and the Twirp server; see {@link ArtifactBackend}. */
export async function startArtifactBackend(options: ArtifactBackendOptions = {}): Promise<ArtifactBackend> {
  const blobs = await startBlobStore(CONTAINER, {
    sasTtlMs: (options.sasTtlSeconds ?? 600) * 1000,
    startTimeoutMs: options.startTimeoutMs
  })
  const { container, sasUrl } = blobs

  const workflowRunBackendId = randomUUID()
  const workflowJobRunBackendId = randomUUID()
  const apiToken = `ghs_artifactReader${randomUUID().replace(/-/g, '')}`
  /** REST coordinates (owner/repo, run id) → the run's backend id. */
  const exposedRuns: { workflowRunBackendId: string; repository: string; runId: number }[] = [
    { workflowRunBackendId, repository: 'octo-org/octo-repo', runId: 1000000001 }
  ]
  const artifacts: StoredArtifact[] = []
  // Real ids are large and unrelated to counts; starting above 1 keeps tests from confusing the two.
  let nextId = 1001

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

  const handlers: Record<ArtifactMethod, TwirpHandler> = {
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
  function handleRest(req: IncomingMessage, url: URL): PlainAnswer {
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

  let twirp: TwirpServer<ArtifactMethod>
  try {
    twirp = await startTwirpServer({
      service: 'github.actions.results.api.v1.ArtifactService',
      methods: METHODS,
      handlers,
      other: (req, url) => (req.method === 'GET' && url.pathname.startsWith('/repos/') ? handleRest(req, url) : undefined)
    })
  } catch (err) {
    await blobs.stop()
    throw err
  }
  const resultsUrl = twirp.url

  function envFor(ids: { workflowRunBackendId?: string; workflowJobRunBackendId?: string } = {}): Record<string, string> {
    return {
      ...twirp.clientEnv(ids.workflowRunBackendId ?? workflowRunBackendId, ids.workflowJobRunBackendId ?? workflowJobRunBackendId),
      // Artifacts of another run or repository come through the REST API: this one, never the real one.
      GITHUB_API_URL: resultsUrl.replace(/\/$/, '')
    }
  }

  let closed: Promise<void> | undefined
  return {
    env: envFor(),
    workflowRunBackendId,
    workflowJobRunBackendId,
    resultsUrl,
    blobEndpoint: blobs.endpoint,
    get artifacts() {
      return artifacts.map((a) => ({ ...a }))
    },
    get requests() {
      return twirp.requests.slice()
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
      twirp.failNext(method, status, body, times)
    },
    resetNext(method, opts) {
      twirp.resetNext(method, opts)
    },
    async readArtifact(idOrName) {
      const artifact = artifacts.find((a) => (typeof idOrName === 'number' ? a.id === idOrName : a.name === idOrName))
      if (!artifact) throw new Error(`readArtifact: no artifact ${JSON.stringify(idOrName)}`)
      return container.getBlobClient(artifact.blobName).downloadToBuffer()
    },
    close() {
      closed ??= (async () => {
        await twirp.close()
        await blobs.stop()
      })()
      return closed
    }
  }
}
