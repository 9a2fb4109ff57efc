/**
 * The network half of Git LFS: the batch API request and the object
 * downloads, made by our own HTTP client rather than git-lfs's.
 *
 * Why not let git-lfs fetch: its HTTP client follows whatever `href` the
 * batch API answers with, on any host, and resolves names itself. Our
 * address policy, protocol allow-list, redirect rules and size limits could
 * see none of that. So git-lfs only ever runs offline (lfs.ts: `git lfs
 * checkout` from objects already on disk), and every request goes through
 * here:
 * - the endpoint and every `href` must use an allowed transport (https; http
 *   only when allowed), carry no credentials in the URL, and resolve to
 *   addresses the private-network rule accepts — checked before the first
 *   byte is requested, and again on the address each socket connects to
 *   (`guardedLookup`, so a DNS answer that changes in between is refused);
 * - the batch request follows no redirect (like git); object downloads
 *   follow redirects by the dataset rules (http-download.ts);
 * - the token goes by the one credential rule (net/token-origin.ts): to the
 *   endpoint only when its origin is the token origin (the batch request
 *   follows no redirect, so that is its only hop), and to an `href` only on
 *   that origin, when the server gave no Authorization of its own, and only
 *   while every redirect hop of the download stayed there; headers the
 *   server hands out for an `href` are bound to that href's origin the same
 *   way;
 * - the server's headers are never registered as secrets: a value the server
 *   chooses would otherwise be masked wherever it occurs, and could blank
 *   out what job.json records (redaction of what is recorded is structural
 *   only, redact.ts);
 * - every object is streamed to disk and checked against the pointer's size
 *   and sha256 as it arrives.
 */
import dns from 'node:dns/promises'
import { mkdir, rename } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import path from 'node:path'
import { abortReason, GitError, JobPackagerError } from '../errors.js'
import { addressBlock, guardedLookup, isNonPublicAddress, type AddressBlock } from '../download/address-policy.js'
import { credentialForHops, type BoundCredential } from '../net/token-origin.js'
import { downloadFile } from '../download/http-download.js'
import type { Logger } from '../logger.js'
import type { OptionNamer } from '../options/names.js'
import type { Limits } from '../options/options.js'
import type { Redactor } from '../redact.js'
import { withRetry } from '../retry.js'

export interface LfsTransferRequest {
  endpoint: URL
  /** Where each object goes once verified (git-lfs's object store). */
  objectPath: (oid: string) => string
  /** For partial downloads, removed with `.git`. */
  tempDir: string
  /** The token, and the one origin it may be sent to ('' for none). */
  token?: string
  tokenOrigin: string
  allowHttp: boolean
  allowPrivateNetwork: boolean
  /** DNS lookup of every address of a name (tests may replace it). */
  lookup?: (hostname: string) => Promise<string[]>
  /** Replaces the non-public-address rule for object downloads (tests only, as in NetPolicy). */
  blockedAddress?: AddressBlock
  limits: Limits
  names: OptionNamer
  logger: Logger
  redactor: Redactor
  signal?: AbortSignal
}

export interface LfsWanted {
  oid: string
  size: number
  /** A path that uses the object, for messages. */
  path: string
}

interface DownloadAction {
  href: string
  header?: Record<string, string>
}

/** Objects per batch request: the batch API's customary page size. */
const BATCH_SIZE = 100
/** A batch answer lists at most BATCH_SIZE objects with a URL and a few headers each. */
const MAX_BATCH_RESPONSE = 8 * 1024 * 1024
const LFS_JSON = 'application/vnd.git-lfs+json'

class RetryableBatchError extends GitError {}

/** Fetches every object into the object store, verified. Throws on the first failure. */
export async function transferLfsObjects(objects: readonly LfsWanted[], req: LfsTransferRequest): Promise<void> {
  await checkLfsUrl(req.endpoint, 'the Git LFS endpoint', req)
  // The batch request follows no redirect: the endpoint is its only hop.
  const endpointToken = credentialForHops(tokenOf(req), [req.endpoint])
  if (req.token && !endpointToken)
    req.logger.info(
      `The token is not sent to the Git LFS endpoint ${req.endpoint.origin}: it is only sent to ${req.tokenOrigin || 'no origin'} (${req.names('tokenOrigin')}).`
    )
  await mkdir(req.tempDir, { recursive: true })
  for (let i = 0; i < objects.length; i += BATCH_SIZE) {
    const page = objects.slice(i, i + BATCH_SIZE)
    const actions = await batch(page, endpointToken, req)
    // Every href is checked before any object is downloaded.
    for (const object of page) await checkLfsUrl(new URL(actions.get(object.oid)!.href), `the Git LFS object of code/${object.path}`, req)
    for (const object of page) await downloadObject(object, actions.get(object.oid)!, req)
  }
}

async function downloadObject(object: LfsWanted, action: DownloadAction, req: LfsTransferRequest): Promise<void> {
  const url = new URL(action.href)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(action.header ?? {})) {
    // The server's own headers for its own URL (often a signed Authorization).
    if (typeof value === 'string' && /^[A-Za-z0-9-]+$/.test(name) && !/[\r\n]/.test(value)) headers[name.toLowerCase()] = value
  }
  // The token for an href on its origin; downloadFile then sends these headers only while every hop stays on the href's origin.
  const token = headers.authorization ? undefined : credentialForHops(tokenOf(req), [url])
  if (token !== undefined) headers.authorization = basicToken(token)
  const part = path.join(req.tempDir, `${object.oid}.part`)
  req.logger.info(`Downloading Git LFS object ${object.oid.slice(0, 12)} (${object.size} bytes) for code/${object.path}`)
  await downloadFile({
    url,
    dest: part,
    label: `code/${object.path} (Git LFS)`,
    subject: { name: `the Git LFS object of code/${object.path}`, rule: 'Git LFS objects must come from public addresses' },
    blockedAddress: req.blockedAddress,
    expectedSha256: object.oid,
    exactBytes: object.size,
    mismatchHint: 'The server did not send the object the LFS pointer names; refused.',
    headers,
    maxBytes: object.size,
    idleTimeoutMs: req.limits.idleTimeoutMs,
    maxRedirects: req.limits.maxRedirects,
    allowHttp: req.allowHttp,
    allowPrivateNetwork: req.allowPrivateNetwork,
    names: req.names,
    attempts: req.limits.attempts,
    retryDelayMs: req.limits.retryDelayMs,
    logger: req.logger,
    redactor: req.redactor,
    signal: req.signal
  })
  const dest = req.objectPath(object.oid)
  await mkdir(path.dirname(dest), { recursive: true })
  await rename(part, dest)
}

/** One batch API request (with retries) and its answer, checked: one download action per requested object. */
async function batch(
  objects: readonly LfsWanted[],
  token: string | undefined,
  req: LfsTransferRequest
): Promise<Map<string, DownloadAction>> {
  const url = new URL(`${req.endpoint.href.replace(/\/+$/, '')}/objects/batch`)
  const where = req.redactor.apply(req.endpoint.href)
  const body = JSON.stringify({
    operation: 'download',
    transfers: ['basic'],
    objects: objects.map(({ oid, size }) => ({ oid, size })),
    hash_algo: 'sha256'
  })
  const answer = await withRetry(
    {
      attempts: req.limits.attempts,
      delayMs: req.limits.retryDelayMs,
      signal: req.signal,
      logger: req.logger,
      what: 'Git LFS batch request'
    },
    () => postJson(url, body, token, req),
    (err) => err instanceof RetryableBatchError
  )
  const listed = (answer as { objects?: unknown }).objects
  if (!Array.isArray(listed)) throw new GitError(`The Git LFS endpoint ${where} answered the batch request without an objects list.`)
  const actions = new Map<string, DownloadAction>()
  for (const item of listed as Array<Record<string, unknown>>) {
    const wanted = objects.find((o) => o.oid === item?.oid)
    if (!wanted) continue
    const error = item.error as { code?: unknown; message?: unknown } | undefined
    if (error) {
      const code = typeof error.code === 'number' ? `${error.code} ` : ''
      const message = typeof error.message === 'string' ? req.redactor.apply(error.message.slice(0, 300)) : ''
      throw new GitError(`The Git LFS server has no object for code/${wanted.path} (oid ${wanted.oid}): ${code}${message}`.trim())
    }
    if (item.size !== wanted.size)
      throw new GitError(
        `The Git LFS server lists ${wanted.oid} with size ${String(item.size)}, but the pointer of code/${wanted.path} says ${wanted.size}.`
      )
    const download = (item.actions as { download?: { href?: unknown; header?: unknown } } | undefined)?.download
    if (typeof download?.href !== 'string')
      throw new GitError(`The Git LFS server gave no download URL for code/${wanted.path} (oid ${wanted.oid}).`)
    let href: URL
    try {
      href = new URL(download.href)
    } catch {
      throw new GitError(`The Git LFS server gave an invalid download URL for code/${wanted.path}.`)
    }
    const header = download.header !== null && typeof download.header === 'object' ? (download.header as Record<string, string>) : undefined
    actions.set(wanted.oid, { href: href.href, header })
  }
  const missing = objects.find((o) => !actions.has(o.oid))
  if (missing) throw new GitError(`The Git LFS server did not answer for code/${missing.path} (oid ${missing.oid}).`)
  return actions
}

/** POSTs the batch request; no redirect is followed and the answer is capped in size. */
function postJson(url: URL, body: string, token: string | undefined, req: LfsTransferRequest): Promise<unknown> {
  const where = req.redactor.apply(req.endpoint.href)
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const headers: Record<string, string> = {
      accept: LFS_JSON,
      'content-type': LFS_JSON,
      'user-agent': 'job-packager',
      'content-length': String(Buffer.byteLength(body))
    }
    if (token) headers.authorization = basicToken(token)
    const request = client.request(url, {
      method: 'POST',
      headers,
      lookup: guardedLookup(addressBlock(req.allowPrivateNetwork), req.names('allowPrivateNetwork', 'true'), {
        name: 'the Git LFS endpoint',
        rule: 'Git LFS endpoints must be on public addresses'
      }),
      signal: req.signal,
      agent: false
    })
    request.setTimeout(req.limits.idleTimeoutMs, () =>
      request.destroy(
        new RetryableBatchError(
          `The Git LFS endpoint ${where} sent nothing for ${req.limits.idleTimeoutMs / 1000} s (${req.names('idleTimeoutMs')}).`
        )
      )
    )
    request.on('error', (err) => {
      if (req.signal?.aborted) return reject(abortReason(req.signal))
      if (err instanceof JobPackagerError) return reject(err)
      const code = (err as NodeJS.ErrnoException).code ?? err.message
      if (/CERT|SSL|TLS|ENOTFOUND|EAI_NONAME/.test(code))
        return reject(new GitError(`The Git LFS endpoint ${where} could not be reached: ${code}.`))
      reject(new RetryableBatchError(`The Git LFS endpoint ${where} could not be reached: ${code}.`))
    })
    request.on('response', (res) => {
      const status = res.statusCode ?? 0
      const chunks: Buffer[] = []
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (bytes > MAX_BATCH_RESPONSE) {
          res.destroy()
          reject(
            new GitError(`The Git LFS endpoint ${where} sent more than ${MAX_BATCH_RESPONSE} bytes in answer to a batch request; refused.`)
          )
        } else chunks.push(chunk)
      })
      res.on('error', () => reject(new RetryableBatchError(`The connection to the Git LFS endpoint ${where} broke.`)))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (status >= 300 && status < 400)
          return reject(
            new GitError(
              `The Git LFS endpoint ${where} answered with a redirect (HTTP ${status}), which is not followed: the token and the address checks apply to the endpoint itself. Point lfs.url in .lfsconfig at the address it redirects to.`
            )
          )
        if (status === 401 || status === 403)
          return reject(
            new GitError(
              `The Git LFS endpoint ${where} refused the request (HTTP ${status}). ${token ? 'The token was sent and was not accepted.' : `No token was sent: a token goes only to ${req.tokenOrigin || 'no origin'} (${req.names('tokenOrigin')}).`}`
            )
          )
        if (status >= 500 || status === 408 || status === 429)
          return reject(new RetryableBatchError(`The Git LFS endpoint ${where} answered HTTP ${status}.`))
        if (status !== 200) return reject(new GitError(`The Git LFS endpoint ${where} answered HTTP ${status} to the batch request.`))
        try {
          resolve(JSON.parse(text))
        } catch {
          reject(new GitError(`The Git LFS endpoint ${where} answered the batch request with something that is not JSON.`))
        }
      })
    })
    request.end(body)
  })
}

/**
 * The checks a URL passes before anything is sent to it: an allowed
 * transport, no credentials in it, and (unless allowed) public addresses
 * only. The socket's own lookup checks again when it connects.
 */
export async function checkLfsUrl(
  url: URL,
  what: string,
  req: Pick<LfsTransferRequest, 'allowHttp' | 'allowPrivateNetwork' | 'lookup' | 'names' | 'redactor'>
): Promise<void> {
  const shown = req.redactor.apply(url.href)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && req.allowHttp))
    throw new GitError(
      `Refused ${what} ${shown}: only https${req.allowHttp ? ' and http are' : ' is'} allowed${req.allowHttp ? '' : ` (http too: ${req.names('allowProtocols', 'https,http')})`}.`
    )
  if (url.username || url.password)
    throw new GitError(`Refused ${what} ${shown}: credentials in a URL are not accepted (the token option is the way to authenticate).`)
  if (req.allowPrivateNetwork) return
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  if (net.isIP(host)) addresses = [host]
  else {
    try {
      addresses = req.lookup ? await req.lookup(host) : (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address)
    } catch (err) {
      throw new GitError(`Could not resolve the host of ${what} ${url.origin}: ${(err as Error).message}`)
    }
  }
  const bad = addresses.find((a) => isNonPublicAddress(a))
  if (bad !== undefined || addresses.length === 0)
    throw new GitError(
      `Refused to connect to ${url.hostname} (${bad ?? 'no address'}) for ${what}: it is a loopback, private, link-local or reserved address (to allow it: ${req.names('allowPrivateNetwork', 'true')}).`
    )
}

function tokenOf(req: Pick<LfsTransferRequest, 'token' | 'tokenOrigin'>): BoundCredential<string> | undefined {
  return req.token ? { value: req.token, origin: req.tokenOrigin } : undefined
}

/** The same header git sends (git-command-manager.ts). */
function basicToken(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
}
