/**
 * A local stand-in for GitHub's cache service (v2), good enough for the real
 * `@actions/cache` client to save and restore against it.
 *
 * Built like the artifact backend (artifact-backend.ts), on the same
 * Twirp + Azurite plumbing (twirp-azurite.ts), for the same reason: the Action's cache code is only worth testing against the client's
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
import {
  startBlobStore,
  startTwirpServer,
  str,
  TwirpError,
  type TwirpHandler,
  type TwirpRequestRecord,
  type TwirpServer
} from './twirp-azurite.js'

/** The Twirp methods of github.actions.results.api.v1.CacheService the client calls. */
export type CacheMethod = 'CreateCacheEntry' | 'FinalizeCacheEntryUpload' | 'GetCacheEntryDownloadURL'

const METHODS: readonly CacheMethod[] = ['CreateCacheEntry', 'FinalizeCacheEntryUpload', 'GetCacheEntryDownloadURL']
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

/** One Twirp request the backend received; `injected` when the answer came from `failNext`. */
export type CacheRequestRecord = TwirpRequestRecord

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
  /** Removes an entry and its blob, like `gh cache delete KEY` (and any unfinished upload under the key). */
  deleteEntry(key: string): Promise<void>
  /**
   * Stores `archive` as a finalized entry under `key` and `version`, as
   * anyone holding a runtime token with write access can (CreateCacheEntry
   * takes any version, the upload any bytes): how a crafted entry gets in.
   */
  putEntry(key: string, version: string, archive: Buffer): Promise<void>
  close(): Promise<void>
}

export async function startCacheBackend(): Promise<CacheBackend> {
  const blobs = await startBlobStore(CONTAINER)
  const { container, sasUrl } = blobs

  const entries: StoredCacheEntry[] = []
  let nextId = 5001

  const handlers: Record<CacheMethod, TwirpHandler> = {
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

  let twirp: TwirpServer<CacheMethod>
  try {
    twirp = await startTwirpServer({ service: 'github.actions.results.api.v1.CacheService', methods: METHODS, handlers })
  } catch (err) {
    await blobs.stop()
    throw err
  }
  const resultsUrl = twirp.url

  const findFinalized = (key: string): StoredCacheEntry => {
    const entry = entries.find((e) => e.key === key && e.finalized)
    if (!entry) throw new Error(`no finalized cache entry ${key}`)
    return entry
  }

  let closed: Promise<void> | undefined
  return {
    env: { ...twirp.clientEnv('cache-run', 'cache-job'), ACTIONS_CACHE_SERVICE_V2: 'True' },
    resultsUrl,
    get entries() {
      return entries.map((e) => ({ ...e }))
    },
    get requests() {
      return twirp.requests.slice()
    },
    failNext(method, status, times = 1) {
      twirp.failNext(method, status, undefined, times)
    },
    async readEntry(key) {
      return container.getBlobClient(findFinalized(key).blobName).downloadToBuffer()
    },
    async deleteEntry(key) {
      if (!entries.some((e) => e.key === key)) throw new Error(`no cache entry ${key}`)
      // Every entry under the key, an unfinished upload's too (as the service drops those by itself).
      for (const entry of entries.filter((e) => e.key === key)) {
        await container.getBlobClient(entry.blobName).deleteIfExists()
        entries.splice(
          entries.findIndex((e) => e.id === entry.id),
          1
        )
      }
    },
    async putEntry(key, version, archive) {
      const id = nextId++
      const blobName = `${id}/cache.tzst`
      await container.getBlockBlobClient(blobName).uploadData(archive)
      entries.push({ id, key, version, size: archive.length, finalized: true, createdAt: new Date(), blobName })
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
