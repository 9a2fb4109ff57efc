/**
 * The core's DatasetCache on the repository's Actions cache (@actions/cache),
 * the store that outlives a GitHub-hosted runner: a dataset saved by one
 * workflow run is restored by the next, on a fresh VM, without touching the
 * data server.
 *
 * One entry per dataset, keyed by its pinned digest: `job-packager-dataset-<sha256>`.
 * No restore keys: only the exact digest will do, there is no "nearest" dataset.
 *
 * @actions/cache caches paths, not bytes: it tars the given paths relative to
 * GITHUB_WORKSPACE, and the entry's "version" (which the service matches
 * along with the key) is a hash of the path strings and the compression
 * method. So the file goes through one fixed path per digest under
 * RUNNER_TEMP, `$RUNNER_TEMP/job-packager-dataset-cache/<sha256>/dataset`,
 * which is the same on every run of the same kind of hosted runner. A runner
 * with another work folder computes another version and simply misses.
 *
 * Saving uses the client as it is (`saveCache`): what it writes is what any
 * other user of the client writes. Restoring does not, because the client's
 * restore extracts the archive with `tar -P` into the workspace, and anyone
 * who can write to this repository's cache (any workflow on a branch this one
 * reads from, under a key that is predictable for a pinned dataset) could
 * then write any file the runner's user can (cache-archive.ts says how). The
 * package exports only `restoreCache` and `saveCache`, no lower-level piece
 * (its internal modules are not in its `exports`, so neither Node nor the
 * bundler will load them, and they may change in any release). So the
 * restore is ours, built on the parts of the protocol that every released
 * client depends on and the service must keep: the Twirp call
 * `GetCacheEntryDownloadURL` (cache service v2) with the runner's token, the
 * version hash (paths, compression method, the client's salt), and a plain
 * GET of the signed URL. Then our own unpacking takes out the one file and
 * nothing else, into a private folder, and the core re-hashes it. If the
 * client ever changes how it derives versions, our restores miss (the test
 * in runner-cache.test.ts that restores what the client saved says so).
 *
 * GitHub Enterprise Server's cache (service v1) is not used: its protocol
 * differs and no local stand-in of it exists to test against.
 */
import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { copyFile, link, mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import * as cache from '@actions/cache'
import { HttpClient } from '@actions/http-client'
import { BearerCredentialHandler } from '@actions/http-client/lib/auth'
import { CacheEntryRefused, type DatasetCache, type Logger, type RestoreOptions } from '../core/index.js'
import { maskSecret } from './action-logger.js'
import { extractOneFile, type CacheCompression } from './cache-archive.js'

export const ACTIONS_CACHE_KEY_PREFIX = 'job-packager-dataset-'
const FILE_NAME = 'dataset'

export function actionsCacheKey(sha256: string): string {
  return `${ACTIONS_CACHE_KEY_PREFIX}${sha256.toLowerCase()}`
}

/** The one path an entry is saved from and restored to (part of the entry's version). */
export function actionsCachePath(runnerTemp: string, sha256: string): string {
  return path.join(runnerTemp, 'job-packager-dataset-cache', sha256.toLowerCase(), FILE_NAME)
}

/** The client's version salt and its names for the compression methods (part of every entry's version). */
const VERSION_SALT = '1.0'
const METHOD_NAME: Record<CacheCompression, string> = { zstd: 'zstd-without-long', gzip: 'gzip' }
const SERVICE = 'github.actions.results.api.v1.CacheService'
/** Headers, pax records and compression overhead around the one file. */
const ARCHIVE_OVERHEAD = 16 * 1024 * 1024

/** The entry's version, as the client computes it when it saves `paths` (see the header). */
export function actionsCacheVersion(paths: string[], compression: CacheCompression): string {
  const parts = [...paths, METHOD_NAME[compression]]
  if (process.platform === 'win32') parts.push('windows-only')
  parts.push(VERSION_SALT)
  return createHash('sha256').update(parts.join('|')).digest('hex')
}

/** The one member name the client writes for `file`: relative to the workspace, with forward slashes. */
export function actionsCacheMember(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/')
}

/** zstd when the `zstd` program answers, gzip otherwise: the client's own choice when it saves. */
async function compressionMethod(): Promise<CacheCompression> {
  const output = await new Promise<string>((resolve) =>
    execFile('zstd', ['--quiet', '--version'], (err, stdout, stderr) => resolve(err && !stdout ? '' : `${stdout}${stderr}`.trim()))
  )
  return output ? 'zstd' : 'gzip'
}

/** The cache service v2 is what this step talks to (not GitHub Enterprise Server's v1). */
function serviceIsV2(): boolean {
  let host: string
  try {
    host = new URL(process.env.GITHUB_SERVER_URL || 'https://github.com').hostname.toLowerCase()
  } catch {
    return false
  }
  const ghes = host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost')
  return !ghes && Boolean(process.env.ACTIONS_CACHE_SERVICE_V2)
}

/** The runner's ACTIONS_CACHE_MODE allows reading (unset or unknown: yes, as the client decides). */
function cacheReadable(): boolean {
  const mode = (process.env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase()
  return !['none', 'write-only'].includes(mode)
}

export class ActionsDatasetCache implements DatasetCache {
  readonly label = 'the Actions cache'

  constructor(
    private readonly runnerTemp: string,
    private readonly logger: Logger,
    /** GITHUB_WORKSPACE: the client names archive members relative to it. */
    private readonly workspace: string
  ) {}

  /**
   * The cache service (v2) is reachable from this step (the runner sets its
   * URL and the runtime token for every job), and RUNNER_TEMP gives the
   * fixed path.
   */
  static available(): boolean {
    return Boolean(process.env.RUNNER_TEMP && process.env.ACTIONS_RUNTIME_TOKEN) && cache.isFeatureAvailable() && serviceIsV2()
  }

  static fromEnvironment(logger: Logger): ActionsDatasetCache {
    return new ActionsDatasetCache(process.env.RUNNER_TEMP ?? '', logger, process.env.GITHUB_WORKSPACE ?? process.cwd())
  }

  async restore(sha256: string, dest: string, options: RestoreOptions = {}): Promise<boolean> {
    const { signal, maxBytes } = options
    const key = actionsCacheKey(sha256)
    if (!cacheReadable()) {
      this.logger.info(`Not looking up ${key}: ACTIONS_CACHE_MODE ${process.env.ACTIONS_CACHE_MODE} does not allow reading the cache.`)
      return false
    }
    const file = actionsCachePath(this.runnerTemp, sha256)
    const compression = await compressionMethod()
    const url = await this.lookUp(key, actionsCacheVersion([file], compression), signal)
    if (!url) return false
    // Private (mkdtemp is 0700) and empty: nothing in it but what we write.
    const scratch = await mkdtemp(path.join(this.runnerTemp, 'job-packager-cache-'))
    try {
      const archive = path.join(scratch, 'archive')
      await this.download(key, url, archive, maxBytes === undefined ? undefined : maxBytes + ARCHIVE_OVERHEAD, signal)
      const out = path.join(scratch, 'out')
      await mkdir(out, { mode: 0o700 })
      await extractOneFile({
        archive,
        compression,
        member: actionsCacheMember(this.workspace, file),
        dest: path.join(out, FILE_NAME),
        entry: key,
        maxBytes,
        signal
      })
      await moveFile(path.join(out, FILE_NAME), dest)
      return true
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }

  /** The entry's signed download URL, or undefined on a miss (Twirp `GetCacheEntryDownloadURL`). */
  private async lookUp(key: string, version: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const base = process.env.ACTIONS_RESULTS_URL ?? ''
    const client = new HttpClient('job-packager', [new BearerCredentialHandler(process.env.ACTIONS_RUNTIME_TOKEN ?? '')], {
      socketTimeout: 30_000,
      allowRetries: false
    })
    try {
      const res = await untilAborted(
        client.post(new URL(`/twirp/${SERVICE}/GetCacheEntryDownloadURL`, base).href, JSON.stringify({ key, restore_keys: [], version }), {
          'Content-Type': 'application/json'
        }),
        signal,
        () => client.dispose()
      )
      const text = await untilAborted(res.readBody(), signal, () => res.message.destroy())
      const status = res.message.statusCode ?? 0
      let body: { ok?: boolean; signed_download_url?: string; matched_key?: string; msg?: string }
      try {
        body = JSON.parse(text) as typeof body
      } catch {
        throw new Error(`the cache service answered ${status} with a body that is not JSON`)
      }
      if (status < 200 || status > 299) throw new Error(`the cache service answered ${status}${body.msg ? `: ${body.msg}` : ''}`)
      if (!body.ok || !body.signed_download_url) return undefined
      if (body.matched_key !== undefined && body.matched_key !== key) {
        throw new Error(`the cache service answered with the entry ${JSON.stringify(body.matched_key)} for ${key}`)
      }
      // Like the client: a signed URL is a credential, keep it out of the log.
      const sig = new URL(body.signed_download_url).searchParams.get('sig')
      if (sig) maskSecret(sig)
      return body.signed_download_url
    } finally {
      client.dispose()
    }
  }

  /** A plain GET of the signed URL into `archive`, at most `maxBytes`. */
  private async download(
    key: string,
    url: string,
    archive: string,
    maxBytes: number | undefined,
    signal: AbortSignal | undefined
  ): Promise<void> {
    const client = new HttpClient('job-packager', [], { socketTimeout: 30_000, allowRetries: false })
    try {
      const res = await untilAborted(client.get(url), signal, () => client.dispose())
      const status = res.message.statusCode ?? 0
      if (status !== 200) {
        res.message.resume()
        throw new Error(`downloading the Actions cache entry ${key} failed with HTTP ${status}`)
      }
      let bytes = 0
      const capped = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length
          if (maxBytes !== undefined && bytes > maxBytes)
            done(new CacheEntryRefused(`the Actions cache entry ${key} is larger than ${maxBytes} bytes, more than a dataset may take`))
          else done(null, chunk)
        }
      })
      await pipeline(res.message, capped, createWriteStream(archive, { flags: 'wx', mode: 0o600 }), { signal })
    } finally {
      client.dispose()
    }
  }

  async save(sha256: string, file: string): Promise<boolean> {
    const key = actionsCacheKey(sha256)
    const staged = actionsCachePath(this.runnerTemp, sha256)
    const folder = path.dirname(staged)
    await rm(folder, { recursive: true, force: true })
    await mkdir(folder, { recursive: true })
    try {
      // A hard link costs nothing when RUNNER_TEMP and the output share a file system.
      await link(file, staged).catch(() => copyFile(file, staged))
      const id = await cache.saveCache([staged], key)
      return id !== -1
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  }

  /** The runtime token cannot delete entries: say how to. */
  discard(sha256: string): Promise<string> {
    const key = actionsCacheKey(sha256)
    return Promise.resolve(
      `The entry stays in the repository's Actions cache under key ${key} until it is evicted, and blocks saving the right bytes under that key: delete it (gh cache delete ${key}, or the repository's Actions → Caches page).`
    )
  }
}

/** `work`, or the abort signal's reason as soon as it fires (then `cancel` stops the work). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, cancel: () => void): Promise<T> {
  if (!signal) return work
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cancel()
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
    await copyFile(from, to)
    await rm(from, { force: true })
  }
}
