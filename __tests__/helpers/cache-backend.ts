/**
 * A local stand-in for GitHub's cache service (v2), good enough for the real
 * `@actions/cache` client to save and restore against it.
 *
 * Built like the artifact backend (artifact-backend.ts), for the same
 * reason: the Action's cache code is only worth testing against the client's
 * real behaviour — its tar + zstd archive of the paths, the "version" it
 * derives from them, its Twirp calls, its blob upload through the Azure SDK
 * and its download of a signed URL. So the client runs unmodified and we
 * replace the two things it talks to:
 *   - the Twirp JSON CacheService at ACTIONS_RESULTS_URL
 *     (`/twirp/github.actions.results.api.v1.CacheService/<Method>`), here a
 *     small node:http server holding entries in memory;
 *   - Azure Blob Storage, here Azurite (which checks SAS signatures,
 *     permissions and expiry for real).
 *
 * The client picks this service (v2) when ACTIONS_CACHE_SERVICE_V2 is set and
 * GITHUB_SERVER_URL is not a GHES host; `env` sets both. The protocol
 * (snake_case proto field names, int64 as JSON strings, `ok: false` for a
 * miss) was read from the client's generated code under
 * node_modules/@actions/cache/lib/generated/results/api/v1/cache.js and its
 * callers in lib/cache.js. Behaviour of the real service the client depends
 * on is mirrored where observable: an entry is matched by key *and* version;
 * restore keys match by prefix, newest first; only finalized entries are
 * served; a second entry with the same key and version is a 409
 * `already_exists` (the client reports "another job may be creating this
 * cache" and saves nothing); Finalize checks the uploaded size.
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
import { makeRuntimeToken } from './artifact-backend.js'

/** The Twirp methods of github.actions.results.api.v1.CacheService the client calls. */
export type CacheMethod = 'CreateCacheEntry' | 'FinalizeCacheEntryUpload' | 'GetCacheEntryDownloadURL'

const METHODS: readonly CacheMethod[] = ['CreateCacheEntry', 'FinalizeCacheEntryUpload', 'GetCacheEntryDownloadURL']
const SERVICE_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/'

/** Azurite's fixed development account; the key is public (Microsoft documents it for the emulator). */
const DEV_ACCOUNT = 'devstoreaccount1'
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
const CONTAINER = 'actions-cache'

/** One cache entry as the backend holds it (a snapshot). */
export interface StoredCacheEntry {
  id: number
  key: string
  /** The client's hash of the cached paths, compression method and a salt. */
  version: string
  /** Size the client reported in FinalizeCacheEntryUpload (checked against the blob). 0 until finalized. */
  size: number
  finalized: boolean
  createdAt: Date
  blobName: string
}

export interface CacheRequestRecord {
  method: string
  body: unknown
  status: number
  /** True when the answer came from `failNext`. */
  injected: boolean
}

export interface CacheBackend {
  /** Environment for the cache client: pass as `runAction({ env })`. */
  readonly env: Record<string, string>
  readonly resultsUrl: string
  /** Snapshot of all entries, in creation order. */
  readonly entries: StoredCacheEntry[]
  /** Every Twirp request so far, in order. */
  readonly requests: CacheRequestRecord[]
  /** The next `times` calls to `method` answer `status` (use 4xx: the client retries 5xx with long back-off). */
  failNext(method: CacheMethod, status: number, times?: number): void
  /** The archive bytes of an entry, straight from Azurite. */
  readEntry(key: string): Promise<Buffer>
  /** Removes an entry and its blob, like `gh cache delete KEY`. */
  deleteEntry(key: string): Promise<void>
  close(): Promise<void>
}

const TWIRP_CODE_STATUS: Record<string, number> = {
  invalid_argument: 400,
  malformed: 400,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  failed_precondition: 412,
  internal: 500
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

function str(body: Record<string, unknown>, field: string): string {
  const value = body[field]
  if (typeof value !== 'string' || value === '') throw new TwirpError('invalid_argument', `${field} is required`)
  return value
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The Azure SDK does not bypass a proxy for loopback by itself. */
function noProxyWithLoopback(): string {
  const entries = (process.env.NO_PROXY ?? process.env.no_proxy ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const host of ['127.0.0.1', 'localhost']) if (!entries.includes(host)) entries.push(host)
  return entries.join(',')
}

/** Azurite on a free loopback port (see TESTING-NOTES: 3.35.0 on Node 20, telemetry off). */
async function startAzurite(): Promise<{ child: ChildProcess; url: string; dir: string }> {
  const require = createRequire(import.meta.url)
  const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js')
  const dir = await mkdtemp(path.join(tmpdir(), 'azurite-cache-'))
  const env = { ...process.env }
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
    ],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let out = ''
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not report a port within 30 s: ${out}`)), 30000)
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk
        const m = /successfully listens on (http:\/\/\S+)/.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!.replace(/\/$/, '')) // group 1 is not optional
        }
      })
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`Azurite exited early (code ${code}): ${out}`))
      })
    })
    child.stdout.resume()
    child.stderr.resume()
    return { child, url, dir }
  } catch (err) {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

export async function startCacheBackend(): Promise<CacheBackend> {
  const azurite = await startAzurite()
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY)
  let container: ContainerClient
  try {
    container = new BlobServiceClient(`${azurite.url}/${DEV_ACCOUNT}`, credential).getContainerClient(CONTAINER)
    await container.createIfNotExists()
  } catch (err) {
    await stopChild(azurite.child)
    await rm(azurite.dir, { recursive: true, force: true })
    throw err
  }

  const entries: StoredCacheEntry[] = []
  const requests: CacheRequestRecord[] = []
  const failures = new Map<string, number[]>()
  let nextId = 5001

  function sasUrl(blobName: string, permissions: string): string {
    const sas = generateBlobSASQueryParameters(
      { containerName: CONTAINER, blobName, permissions: BlobSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 600_000) },
      credential
    ).toString()
    return `${container.getBlobClient(blobName).url}?${sas}`
  }

  const handlers: Record<CacheMethod, (body: Record<string, unknown>) => unknown> = {
    CreateCacheEntry(body) {
      const key = str(body, 'key')
      const version = str(body, 'version')
      if (entries.some((e) => e.key === key && e.version === version)) {
        throw new TwirpError('already_exists', 'cache entry with the same key, version, and scope already exists')
      }
      const id = nextId++
      const blobName = `${id}/cache.tzst`
      entries.push({ id, key, version, size: 0, finalized: false, createdAt: new Date(), blobName })
      return { ok: true, signed_upload_url: sasUrl(blobName, 'cw') }
    },

    async FinalizeCacheEntryUpload(body) {
      const key = str(body, 'key')
      const version = str(body, 'version')
      const size = Number(body.size_bytes ?? NaN)
      const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized)
      if (!entry) throw new TwirpError('not_found', `no pending cache entry ${key}`)
      let blobSize: number
      try {
        blobSize = (await container.getBlobClient(entry.blobName).getProperties()).contentLength ?? 0
      } catch {
        throw new TwirpError('failed_precondition', `nothing was uploaded for cache entry ${key}`)
      }
      if (blobSize !== size) throw new TwirpError('invalid_argument', `size_bytes ${size} does not match the ${blobSize} bytes uploaded`)
      entry.size = size
      entry.finalized = true
      return { ok: true, entry_id: String(entry.id) }
    },

    GetCacheEntryDownloadURL(body) {
      const key = str(body, 'key')
      const version = str(body, 'version')
      const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.filter((k): k is string => typeof k === 'string') : []
      const usable = entries.filter((e) => e.finalized && e.version === version)
      const newest = (match: (e: StoredCacheEntry) => boolean): StoredCacheEntry | undefined =>
        usable.filter(match).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0]
      let found = newest((e) => e.key === key)
      for (const prefix of restoreKeys) found ??= newest((e) => e.key.startsWith(prefix))
      // A miss is not an error: `ok` false (omitted from the JSON, as the real service's proto3 does).
      if (!found) return {}
      return { ok: true, signed_download_url: sasUrl(found.blobName, 'r'), matched_key: found.key }
    }
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
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
    try {
      if (req.method !== 'POST' || !(METHODS as readonly string[]).includes(method)) {
        throw new TwirpError('bad_route', `no handler for ${req.method} ${url.pathname}`)
      }
      if (!/^Bearer\s+\S+\.\S+\.\S+$/i.test(req.headers.authorization ?? ''))
        throw new TwirpError('unauthenticated', 'missing runtime token')
      try {
        parsed = JSON.parse(raw)
      } catch {
        throw new TwirpError('malformed', 'request body is not JSON')
      }
      const queued = failures.get(method)
      const status = queued?.shift()
      if (status !== undefined) {
        record(status, true)
        send(res, status, { code: 'failed_precondition', msg: `injected failure (${status}) for ${method}` })
        return
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new TwirpError('malformed', 'body must be an object')
      const result = await handlers[method as CacheMethod](parsed as Record<string, unknown>)
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

  const findFinalized = (key: string): StoredCacheEntry => {
    const entry = entries.find((e) => e.key === key && e.finalized)
    if (!entry) throw new Error(`no finalized cache entry ${key}`)
    return entry
  }

  let closed: Promise<void> | undefined
  return {
    env: {
      ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('cache-run', 'cache-job'),
      ACTIONS_RESULTS_URL: resultsUrl,
      ACTIONS_CACHE_SERVICE_V2: 'True',
      // Anything else could be taken for GHES, where the client falls back to the v1 service.
      GITHUB_SERVER_URL: 'https://github.com',
      NO_PROXY: noProxyWithLoopback(),
      no_proxy: noProxyWithLoopback()
    },
    resultsUrl,
    get entries() {
      return entries.map((e) => ({ ...e }))
    },
    get requests() {
      return requests.slice()
    },
    failNext(method, status, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array<number>(times).fill(status)])
    },
    async readEntry(key) {
      return container.getBlobClient(findFinalized(key).blobName).downloadToBuffer()
    },
    async deleteEntry(key) {
      const entry = findFinalized(key)
      await container.getBlobClient(entry.blobName).deleteIfExists()
      entries.splice(
        entries.findIndex((e) => e.id === entry.id),
        1
      )
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
