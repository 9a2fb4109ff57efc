/**
 * Streams one URL to a file with constant memory, hashing and counting (progress) as it goes.
 * Written on node:http(s) rather than tool-cache's downloadTool, which follows
 * redirects to any scheme, has no size cap, no overall deadline and no digest
 * check (README, "Hand-written parts"). Each hop is checked: http(s) only, no
 * https→http downgrade, at most `maxRedirects`, and (unless allowed) no
 * non-public destination — checked on the resolved address.
 *
 * A data token, when the caller has one, goes as `Authorization: Bearer` to
 * its one origin only, and to no hop after a redirect has left that origin
 * (net/token-origin.ts): presigned object-store URLs, the usual target of
 * such a redirect, work without it (and refuse a request that has both).
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type http from 'node:http'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DownloadError, LimitError, OutputError } from '../errors.js'
import { describeFsError } from '../fs/fs-errors.js'
import { trackProgress } from '../progress.js'
import { formatBytes } from '../units.js'
import { withRetry } from '../retry.js'
import {
  endedByIdleTimeout,
  idleError,
  openUrl,
  retryAfter,
  RETRY_STATUS,
  policyNames,
  RetryableDownloadError,
  type NetPolicy
} from '../net/http-request.js'
import { credentialForHops, dataTokenForHop, type DataAuth } from '../net/token-origin.js'
import { announcedTooLarge, receivedTooMuch } from './size-limits.js'

export interface DownloadRequest extends NetPolicy {
  url: URL
  /** Where the bytes go; written as `<dest>.part` and renamed by the caller's rename step on success. */
  dest: string
  /** Shown in log lines (e.g. `data/hw_200.csv`). */
  label: string
  expectedSha256?: string
  /** Said after a sha256 mismatch: what the expected digest came from. Default: the spec's pin. */
  mismatchHint?: string
  /** The body must be exactly this many bytes (a Git LFS object's size from its pointer). */
  exactBytes?: number
  /** Request headers for `url`'s own origin, sent only while every hop stayed on it (net/token-origin.ts). */
  headers?: Record<string, string>
  maxBytes: number
  /** Bytes of the job's earlier datasets, and the limit on all of them together (size-limits.ts). */
  totalBytes?: { before: number; max: number }
  attempts: number
  retryDelayMs: number
  /** The data token and its one origin; never sent anywhere else (see dataTokenForHop). */
  auth?: DataAuth
}

export interface DownloadResult {
  bytes: number
  sha256: string
}

const LOCAL_FS_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG'])
/** Larger writes than the 16 KiB default: about twice the download speed on loopback, still a flat 4 MiB of memory. */
const WRITE_BUFFER = 4 * 1024 * 1024

export async function downloadFile(req: DownloadRequest): Promise<DownloadResult> {
  const shown = req.redactor.apply(req.url.href)
  return withRetry(
    { attempts: req.attempts, delayMs: req.retryDelayMs, signal: req.signal, logger: req.logger, what: `Download of ${shown}` },
    () => downloadOnce(req),
    (err) => err instanceof DownloadError && err.retryable,
    (err) => (err instanceof RetryableDownloadError ? err.retryAfterMs : undefined)
  ).catch(async (err: unknown) => {
    await rm(req.dest, { force: true })
    throw err
  })
}

async function downloadOnce(req: DownloadRequest): Promise<DownloadResult> {
  // Every hop is checked by openUrl (net/http-request.ts): scheme, address, redirect count.
  // It asks for each hop's headers with the hops so far, and the one credential rule (net/token-origin.ts) decides what goes.
  let hops: readonly URL[] = []
  let sent = false
  const { res, url } = await openUrl({
    ...req,
    headers: (sofar) => {
      hops = sofar
      const token = dataTokenForHop(req.auth, sofar)
      if (sent && token === undefined)
        req.logger.debug(`${req.label}: redirected to another origin; the data token is not sent there, nor to any later hop`)
      sent = token !== undefined
      // The caller's headers (a Git LFS server's own, or the git token for an href on its origin) are bound to the
      // URL's origin by the same rule: a redirect elsewhere drops them for good, even one that comes back.
      const own = credentialForHops(req.headers && { value: req.headers, origin: req.url.origin }, sofar)
      return {
        ...own,
        'accept-encoding': 'identity',
        ...(token !== undefined ? { authorization: `Bearer ${token}` } : {})
      }
    }
  })
  const status = res.statusCode ?? 0
  if (status !== 200) {
    res.resume()
    // The status text is the server's: redacted like everything else it could echo.
    const message = req.redactor.apply(`${url.href} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`)
    if (RETRY_STATUS(status)) throw new RetryableDownloadError(message, retryAfter(res.headers['retry-after']))
    if (status === 401 || status === 403) throw new DownloadError(`${message}. ${credentialHint(req, url, hops, sent)}`)
    throw new DownloadError(message)
  }
  return receive(res, url, req)
}

/**
 * What to do about a 401/403: the server wants credentials (or other ones).
 * Names the options the way the user sets them; never shows the token.
 */
function credentialHint(req: DownloadRequest, url: URL, hops: readonly URL[], sent: boolean): string {
  const n = policyNames(req)
  if (sent) return `The server refused the data token: check that ${n('dataToken')} is valid and grants access to this file.`
  if (!req.auth) {
    return `A private dataset needs a token: set ${n('dataToken')} and ${n('dataTokenOrigin', url.origin)} (it is sent only to that origin).`
  }
  if (hops[0]?.origin !== req.auth.origin) {
    return `The data token was not sent: ${url.origin} is not ${n('dataTokenOrigin')} (${req.auth.origin}), the only origin it goes to.`
  }
  return `The data token was not sent: the download was redirected away from ${req.auth.origin} (${n('dataTokenOrigin')}), and the token never follows a redirect to another origin.`
}

async function receive(res: http.IncomingMessage, url: URL, req: DownloadRequest): Promise<DownloadResult> {
  const declared = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length'])
  const tooLarge = declared === undefined ? undefined : (wrongSize(req, url, declared, 'announces') ?? announcedTooLarge(req, declared))
  if (tooLarge) {
    res.destroy()
    throw tooLarge
  }
  const hash = createHash('sha256')
  let bytes = 0
  const progress = trackProgress(req.logger, {
    phase: 'download',
    label: req.redactor.apply(req.label),
    unit: 'bytes',
    total: declared !== undefined && Number.isFinite(declared) ? declared : undefined
  })
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      bytes += chunk.length
      const tooMuch =
        (req.exactBytes !== undefined && bytes > req.exactBytes ? wrongSize(req, url, bytes, 'sent at least') : undefined) ??
        receivedTooMuch(req, bytes)
      if (tooMuch) {
        done(tooMuch)
        return
      }
      hash.update(chunk)
      progress.update(bytes)
      done(null, chunk)
    }
  })
  try {
    const out = createWriteStream(req.dest, { mode: 0o644, highWaterMark: WRITE_BUFFER })
    try {
      await pipeline(res, meter, out, { signal: req.signal })
    } catch (err) {
      // The pipeline can fail (a limit, on the first chunk) while the file is still being opened; the open then
      // completes afterwards and would create the file after the caller removed it. Wait until it is closed.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()))
      if (err instanceof DownloadError || err instanceof LimitError) throw err
      if (req.signal?.aborted) throw req.signal.reason
      if (endedByIdleTimeout(res)) throw idleError(url, req)
      // The disk, not the network: no point in retrying.
      if (LOCAL_FS_ERRORS.has((err as NodeJS.ErrnoException).code ?? '')) {
        throw new OutputError(`Could not write ${req.label}: ${describeFsError(err)}.`, { cause: err })
      }
      throw new RetryableDownloadError(
        `${req.redactor.apply(url.href)}: the connection broke after ${bytes}${declared !== undefined ? ` of ${declared}` : ''} bytes`
      )
    }
    if (declared !== undefined && bytes !== declared) {
      throw new RetryableDownloadError(
        `${req.redactor.apply(url.href)}: received ${bytes} bytes but Content-Length said ${declared} (truncated body)`
      )
    }
    const short = wrongSize(req, url, bytes, 'sent')
    if (short) throw short
    const sha256 = hash.digest('hex')
    if (req.expectedSha256 && sha256 !== req.expectedSha256) {
      throw new DownloadError(
        `${req.label}: sha256 mismatch: expected ${req.expectedSha256}, got ${sha256}. ${req.mismatchHint ?? 'The file on the server is not the one the spec pinned.'}`
      )
    }
    progress.finish()
    req.logger.info(`${req.label}: ${formatBytes(bytes)}, sha256 ${sha256}`)
    return { bytes, sha256 }
  } finally {
    progress.fail()
  }
}

/** A body whose size is not the one required (exactBytes), if it is not. Not retried: the server is wrong, not the network. */
function wrongSize(req: DownloadRequest, url: URL, bytes: number, verb: string): DownloadError | undefined {
  if (req.exactBytes === undefined || bytes === req.exactBytes) return undefined
  return new DownloadError(
    `${req.label}: ${req.redactor.apply(url.href)} ${verb} ${bytes} bytes, but ${req.exactBytes} are expected. ${req.mismatchHint ?? ''}`.trim()
  )
}
