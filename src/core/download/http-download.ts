/**
 * Streams one URL to a file with constant memory, hashing and counting (progress) as it goes.
 * Written on node:http(s) rather than tool-cache's downloadTool, which follows
 * redirects to any scheme, has no size cap, no overall deadline and no digest
 * check (README, "Hand-written parts"). Each hop is checked: http(s) only, no
 * https→http downgrade, at most `maxRedirects`, and (unless allowed) no
 * non-public destination — checked on the resolved address.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { abortReason, DownloadError, LimitError, OutputError, throwIfAborted } from '../errors.js'
import { describeFsError } from '../fs/fs-errors.js'
import type { Logger } from '../logger.js'
import { trackProgress } from '../progress.js'
import { formatBytes } from '../units.js'
import type { Redactor } from '../redact.js'
import { defaultNamer, type OptionNamer } from '../options/names.js'
import { withRetry } from '../retry.js'
import { addressBlock, checkLiteralHost, guardedLookup, type AddressBlock } from './address-policy.js'
import { announcedTooLarge, receivedTooMuch } from './size-limits.js'

// Kept here for the modules that import it from the downloader; it lives with the progress display.

export interface DownloadRequest {
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
  /** Request headers sent to `url`'s own origin only: a redirect to another origin drops them. */
  headers?: Record<string, string>
  maxBytes: number
  /** Bytes of the job's earlier datasets, and the limit on all of them together (size-limits.ts). */
  totalBytes?: { before: number; max: number }
  idleTimeoutMs: number
  maxRedirects: number
  allowHttp: boolean
  allowPrivateNetwork: boolean
  /** How the user names options, for limit and policy messages. */
  names?: OptionNamer
  /** Replaces the non-public-address rule (tests only: every server they can reach is on loopback). */
  blockedAddress?: AddressBlock
  attempts: number
  retryDelayMs: number
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
}

export interface DownloadResult {
  bytes: number
  sha256: string
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const LOCAL_FS_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG'])
const RETRY_STATUS = (status: number): boolean => status >= 500 || status === 408 || status === 429
/** Larger writes than the 16 KiB default: about twice the download speed on loopback, still a flat 4 MiB of memory. */
const WRITE_BUFFER = 4 * 1024 * 1024

class RetryableDownloadError extends DownloadError {
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message, true)
  }
}

function names(req: DownloadRequest): OptionNamer {
  return req.names ?? defaultNamer
}

function allowPrivateHint(req: DownloadRequest): string {
  return names(req)('allowPrivateNetwork', 'true')
}

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
  let url = req.url
  const redact = (u: URL): string => req.redactor.apply(u.href)
  for (let hop = 0; ; hop++) {
    throwIfAborted(req.signal)
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && req.allowHttp)) {
      throw new DownloadError(`${redact(url)}: plain http is not allowed here (to allow it: ${names(req)('allowProtocols', 'https,http')})`)
    }
    checkLiteralHost(url.hostname, req.blockedAddress ?? addressBlock(req.allowPrivateNetwork), allowPrivateHint(req))
    const res = await get(url, req, url.origin === req.url.origin ? req.headers : undefined)
    const status = res.statusCode ?? 0
    if (REDIRECTS.has(status)) {
      res.resume()
      const location = res.headers.location
      if (!location) throw new DownloadError(`${redact(url)} answered ${status} without a Location header`)
      if (hop >= req.maxRedirects)
        throw new DownloadError(
          `${req.redactor.apply(req.url.href)}: more than ${req.maxRedirects} redirects (${names(req)('maxRedirects')})`
        )
      let next: URL
      try {
        next = new URL(location, url)
      } catch {
        throw new DownloadError(`${redact(url)} redirected to an invalid URL`)
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new DownloadError(`${redact(url)} redirected to a ${next.protocol} URL; only http(s) redirects are followed`)
      }
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new DownloadError(`${redact(url)} redirected from https down to http (${redact(next)}); refused`)
      }
      req.logger.debug(`${req.label}: ${status} redirect to ${redact(next)}`)
      url = next
      continue
    }
    if (status !== 200) {
      res.resume()
      const message = `${redact(url)} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`
      if (RETRY_STATUS(status)) throw new RetryableDownloadError(message, retryAfter(res.headers['retry-after']))
      throw new DownloadError(message)
    }
    return receive(res, url, req)
  }
}

function get(url: URL, req: DownloadRequest, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const request = client.get(url, {
      headers: { ...headers, 'accept-encoding': 'identity', 'user-agent': 'job-packager' },
      lookup: guardedLookup(req.blockedAddress ?? addressBlock(req.allowPrivateNetwork), allowPrivateHint(req)),
      signal: req.signal,
      // No connection reuse: every hop's address is looked up (and checked) afresh.
      agent: false
    })
    let response: http.IncomingMessage | undefined
    request.setTimeout(req.idleTimeoutMs, () => {
      if (response) idleTimedOut.add(response)
      request.destroy(idleError(url, req))
    })
    request.on('response', (res) => {
      response = res
      resolve(res)
    })
    request.on('error', (err) => reject(classify(err, url, req)))
  })
}

/** Requests ended by the idle timer: their response streams only report "aborted". */
const idleTimedOut = new WeakSet<http.IncomingMessage>()

function idleError(url: URL, req: DownloadRequest): RetryableDownloadError {
  return new RetryableDownloadError(
    `${req.redactor.apply(url.href)}: no data for ${(req.idleTimeoutMs / 1000).toFixed(1)} s (idle timeout, ${names(req)('idleTimeoutMs')})`
  )
}

function classify(err: unknown, url: URL, req: DownloadRequest): Error {
  if (req.signal?.aborted) return abortReason(req.signal)
  if (err instanceof DownloadError) return err
  const code = (err as NodeJS.ErrnoException).code ?? ''
  const message = `${req.redactor.apply(url.href)}: ${code || (err as Error).message}`
  if (/^(ENOTFOUND|EAI_NONAME)$/.test(code)) return new DownloadError(`${message} (host not found)`)
  if (/CERT|SSL|TLS/.test(code)) return new DownloadError(`${message} (TLS certificate problem)`)
  return new RetryableDownloadError(message)
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
    try {
      await pipeline(res, meter, createWriteStream(req.dest, { mode: 0o644, highWaterMark: WRITE_BUFFER }), { signal: req.signal })
    } catch (err) {
      if (err instanceof DownloadError || err instanceof LimitError) throw err
      if (req.signal?.aborted) throw req.signal.reason
      if (idleTimedOut.has(res)) throw idleError(url, req)
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

function retryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  // Honour the server's wish, within reason: a minute at most.
  if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0), 60) * 1000
  return undefined
}
