/**
 * One HTTP request under the rules every request of ours follows, whoever
 * makes it (a dataset download, the container registry client):
 *
 * - the scheme is https, or http only when allow-protocols includes it;
 * - the destination passes the address policy (download/address-policy.ts),
 *   checked on the address actually connected to, at every hop;
 * - redirects are followed by hand, each hop checked again: http(s) only,
 *   never from https down to http, at most `maxRedirects`;
 * - no connection reuse (every hop's address is looked up and checked
 *   afresh), an idle timeout, and the caller's abort signal.
 *
 * Headers are asked for per hop, so that a credential (a registry's bearer
 * token) goes only to the origin it belongs to, never to the host a redirect
 * points at. What the caller does with the final response (stream it to a
 * file, read a small body) is its own business.
 */
import http from 'node:http'
import https from 'node:https'
import { abortReason, DownloadError, throwIfAborted } from '../errors.js'
import type { Logger } from '../logger.js'
import { defaultNamer, type OptionNamer } from '../options/names.js'
import type { Redactor } from '../redact.js'
import {
  addressBlock,
  checkLiteralHost,
  DATASET_SUBJECT,
  guardedLookup,
  type AddressBlock,
  type NetSubject
} from '../download/address-policy.js'

/** The network rules a request is made under. */
export interface NetPolicy {
  idleTimeoutMs: number
  maxRedirects: number
  allowHttp: boolean
  allowPrivateNetwork: boolean
  /** How the user names options, for limit and policy messages. */
  names?: OptionNamer
  /** What is being fetched, for refusals (default: a dataset); see address-policy.ts, `NetSubject`. */
  subject?: NetSubject
  /** Replaces the non-public-address rule (tests only: every server they can reach is on loopback). */
  blockedAddress?: AddressBlock
  /**
   * CA certificates (PEM) trusted instead of Node's own (tests of in-process
   * clients only: NODE_EXTRA_CA_CERTS is read at start-up, so a child process
   * gets the test CA through its environment instead).
   */
  ca?: string | Buffer
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
}

export interface OpenRequest extends NetPolicy {
  url: URL
  /** Shown in debug lines (e.g. `data/hw_200.csv`). */
  label: string
  method?: 'GET' | 'HEAD'
  /**
   * Headers for the next request, given every hop so far (the first request
   * included, the next one last): called per hop, so a credential can be
   * kept to its own origin by the one rule of net/token-origin.ts.
   */
  headers?: (hops: readonly URL[]) => Record<string, string>
}

export interface OpenedResponse {
  res: http.IncomingMessage
  /** Where the response came from, after redirects. */
  url: URL
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
export const RETRY_STATUS = (status: number): boolean => status >= 500 || status === 408 || status === 429

/** A failure worth another attempt (network error, 5xx, 408, 429, a broken or stalled transfer). */
export class RetryableDownloadError extends DownloadError {
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message, true)
  }
}

export function policyNames(req: NetPolicy): OptionNamer {
  return req.names ?? defaultNamer
}

function subjectOf(req: NetPolicy): NetSubject {
  return req.subject ?? DATASET_SUBJECT
}

function allowPrivateHint(req: NetPolicy): string {
  return policyNames(req)('allowPrivateNetwork', 'true')
}

/**
 * Sends the request and follows redirects, checking every hop; resolves with
 * the first response that is not a redirect, whatever its status (the body
 * not yet read: the caller reads it or calls `res.resume()`).
 */
export async function openUrl(req: OpenRequest): Promise<OpenedResponse> {
  let url = req.url
  const redact = (u: URL): string => req.redactor.apply(u.href)
  const hops: URL[] = []
  for (let hop = 0; ; hop++) {
    throwIfAborted(req.signal)
    if (url.protocol === 'http:' && !req.allowHttp) {
      throw new DownloadError(
        `${redact(url)}: plain http is not allowed for ${subjectOf(req).name} (to allow it: ${policyNames(req)('allowProtocols', 'https,http')})`
      )
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new DownloadError(
        `${redact(url)}: a ${url.protocol} URL is not fetched for ${subjectOf(req).name}; only https (and http when allowed)`
      )
    }
    checkLiteralHost(url.hostname, req.blockedAddress ?? addressBlock(req.allowPrivateNetwork), allowPrivateHint(req), subjectOf(req))
    hops.push(url)
    const res = await send(url, req, hops)
    const status = res.statusCode ?? 0
    if (!REDIRECTS.has(status)) return { res, url }
    res.resume()
    const location = res.headers.location
    if (!location) throw new DownloadError(`${redact(url)} answered ${status} without a Location header`)
    if (hop >= req.maxRedirects)
      throw new DownloadError(`${redact(req.url)}: more than ${req.maxRedirects} redirects (${policyNames(req)('maxRedirects')})`)
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
  }
}

function send(url: URL, req: OpenRequest, hops: readonly URL[]): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const request = client.request(url, {
      method: req.method ?? 'GET',
      headers: { 'user-agent': 'job-packager', ...req.headers?.(hops) },
      lookup: guardedLookup(req.blockedAddress ?? addressBlock(req.allowPrivateNetwork), allowPrivateHint(req), subjectOf(req)),
      signal: req.signal,
      ...(req.ca !== undefined && url.protocol === 'https:' ? { ca: req.ca } : {}),
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
    request.end()
  })
}

/** Requests ended by the idle timer: their response streams only report "aborted". */
const idleTimedOut = new WeakSet<http.IncomingMessage>()

/** True when the response's stream broke because nothing arrived for the idle timeout. */
export function endedByIdleTimeout(res: http.IncomingMessage): boolean {
  return idleTimedOut.has(res)
}

export function idleError(url: URL, req: NetPolicy): RetryableDownloadError {
  return new RetryableDownloadError(
    `${req.redactor.apply(url.href)}: no data for ${(req.idleTimeoutMs / 1000).toFixed(1)} s (idle timeout, ${policyNames(req)('idleTimeoutMs')})`
  )
}

function classify(err: unknown, url: URL, req: NetPolicy): Error {
  if (req.signal?.aborted) return abortReason(req.signal)
  if (err instanceof DownloadError) return err
  const code = (err as NodeJS.ErrnoException).code ?? ''
  const message = `${req.redactor.apply(url.href)}: ${code || (err as Error).message}`
  if (/^(ENOTFOUND|EAI_NONAME)$/.test(code)) return new DownloadError(`${message} (host not found)`)
  if (/CERT|SSL|TLS/.test(code)) return new DownloadError(`${message} (TLS certificate problem)`)
  return new RetryableDownloadError(message)
}

/** The Retry-After header, in milliseconds, within reason (a minute at most). */
export function retryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0), 60) * 1000
  return undefined
}

/**
 * Reads a small body whole, refusing more than `maxBytes` (declared or
 * received): for JSON answers, never for datasets.
 */
export async function readSmallBody(res: http.IncomingMessage, url: URL, maxBytes: number, req: NetPolicy): Promise<Buffer> {
  const shown = req.redactor.apply(url.href)
  const declared = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length'])
  if (declared !== undefined && declared > maxBytes) {
    res.destroy()
    throw new DownloadError(`${shown}: the answer is ${declared} bytes, more than the ${maxBytes} expected at most`)
  }
  const chunks: Buffer[] = []
  let bytes = 0
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length
      if (bytes > maxBytes) {
        res.destroy()
        throw new DownloadError(`${shown}: the answer is more than the ${maxBytes} bytes expected at most`)
      }
      chunks.push(chunk)
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err
    if (req.signal?.aborted) throw abortReason(req.signal)
    if (endedByIdleTimeout(res)) throw idleError(url, req)
    throw new RetryableDownloadError(`${shown}: the connection broke after ${bytes} bytes`)
  }
  if (declared !== undefined && bytes !== declared) {
    throw new RetryableDownloadError(`${shown}: received ${bytes} bytes but Content-Length said ${declared} (truncated body)`)
  }
  return Buffer.concat(chunks)
}
