/**
 * A programmable HTTP(S) server on 127.0.0.1 for testing dataset downloads.
 *
 * Tests register a handler per path (`server.route('/x', serveBuffer(buf))`)
 * and get a log of every request. The ready-made handlers below produce the
 * hostile or broken behaviours a downloader has to survive: redirects to odd
 * schemes and loops, transient 5xx/429, bodies shorter than announced, slow
 * drips, stalls, absurd Content-Length values and endless streams. Large
 * bodies are generated on the fly with back-pressure, so "the client stopped
 * reading after N bytes" is observable in `bytesSent` and never costs memory.
 *
 * HTTPS borrows the same throwaway CA as the git server (`acquireTestCert()`,
 * released on close) unless a `cert` is passed. NOTE: Node reads NODE_EXTRA_CA_CERTS only at
 * start-up; an in-process client must be given `caFile` explicitly (e.g.
 * `https.get(url, { ca })`), a child process can get it via the environment.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { acquireTestCert, tlsServerOptions, type TestCert } from './git-server.js'

export interface DataRequestRecord {
  method: string
  /** Path and query as received, e.g. "/file.bin?x=1". */
  path: string
  /** Path without the query (what routes match on). */
  pathname: string
  /** Request headers as received (nothing redacted). */
  headers: http.IncomingHttpHeaders
  /** Status code sent, once headers went out. */
  status?: number
  /** Response body bytes handed to the socket by the handler. */
  bytesSent: number
  /** The response was completed normally. */
  finished: boolean
  /** The connection closed before the response completed (either side). */
  closedEarly: boolean
  /** A handler cut the connection on purpose (truncated, declaredTooLarge). */
  serverAborted: boolean
  /** `Date.now()` when the request arrived. */
  at: number
}

export interface HandlerContext {
  url: URL
  /** 1 for the first request to this route, 2 for the second, … */
  hit: number
  record: DataRequestRecord
  server: DataServer
}

export type DataHandler = (req: http.IncomingMessage, res: http.ServerResponse, ctx: HandlerContext) => void | Promise<void>

export interface DataServerOptions {
  https?: boolean
  /** Certificate for https (default: borrowed from `acquireTestCert()`, released on close). */
  cert?: TestCert
}

export interface DataServer {
  /** Absolute URL for `path` ("/x" or "x"; may carry a query). */
  url(path: string): string
  origin: string
  port: number
  /** Every request in arrival order, matched or not. */
  requests: DataRequestRecord[]
  /** CA to trust for an https server. */
  caFile?: string
  /** Register (or replace) the handler for an exact pathname. Returns the server for chaining. */
  route(path: string, handler: DataHandler): DataServer
  /** Requests seen so far for a pathname. */
  hits(path: string): number
  /** Stop listening and drop every connection (stalled ones included). */
  close(): Promise<void>
}

/** Start a data server on 127.0.0.1 on a free port. Unrouted paths answer 404. */
export async function startDataServer(opts: DataServerOptions = {}): Promise<DataServer> {
  const borrowed = opts.https && !opts.cert ? await acquireTestCert() : undefined
  const cert = opts.https ? (opts.cert ?? borrowed?.cert) : undefined
  const routes = new Map<string, DataHandler>()
  const hitCount = new Map<string, number>()
  const requests: DataRequestRecord[] = []
  const sockets = new Set<Socket>()
  let origin = ''

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    const record: DataRequestRecord = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      pathname: url.pathname,
      headers: { ...req.headers },
      bytesSent: 0,
      finished: false,
      closedEarly: false,
      serverAborted: false,
      at: Date.now()
    }
    requests.push(record)
    countBytes(res, record)
    res.on('finish', () => (record.finished = true))
    res.on('close', () => {
      if (!res.writableFinished) record.closedEarly = true
    })
    req.resume() // request bodies are not used; drain them
    const hit = (hitCount.get(url.pathname) ?? 0) + 1
    hitCount.set(url.pathname, hit)
    const h = routes.get(url.pathname)
    if (!h) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n')
      return
    }
    Promise.resolve()
      .then(() => h(req, res, { url, hit, record, server }))
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`handler failed: ${String(e)}\n`)
        else res.destroy()
      })
  }

  let srv: http.Server | https.Server
  if (cert) srv = https.createServer(await tlsServerOptions(cert), handler)
  else srv = http.createServer(handler)
  srv.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  try {
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject)
      srv.listen(0, '127.0.0.1', () => resolve())
    })
  } catch (e) {
    await borrowed?.release()
    throw e
  }
  const port = (srv.address() as AddressInfo).port
  origin = `${cert ? 'https' : 'http'}://127.0.0.1:${port}`

  const server: DataServer = {
    url: (p: string) => `${origin}${p.startsWith('/') ? '' : '/'}${p}`,
    origin,
    port,
    requests,
    caFile: cert?.caFile,
    route(p: string, h: DataHandler) {
      routes.set(p.startsWith('/') ? p : `/${p}`, h)
      return server
    },
    hits: (p: string) => hitCount.get(p.startsWith('/') ? p : `/${p}`) ?? 0,
    close: async () => {
      const closed = new Promise<void>((resolve) => srv.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
      await borrowed?.release()
    }
  }
  return server
}

/** Record the status and count body bytes written through `res.writeHead` / `res.write` / `res.end`. */
function countBytes(res: http.ServerResponse, record: DataRequestRecord): void {
  const origWriteHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse
  ;(res as unknown as { writeHead: (...a: unknown[]) => http.ServerResponse }).writeHead = (...a: unknown[]) => {
    if (typeof a[0] === 'number') record.status = a[0]
    return origWriteHead(...a)
  }
  res.on('close', () => {
    if (res.headersSent && record.status === undefined) record.status = res.statusCode
  })
  const size = (chunk: unknown): number =>
    typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.byteLength : 0
  const origWrite = res.write.bind(res) as (...a: unknown[]) => boolean
  const origEnd = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse
  ;(res as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
    record.bytesSent += size(a[0])
    return origWrite(...a)
  }
  ;(res as unknown as { end: (...a: unknown[]) => http.ServerResponse }).end = (...a: unknown[]) => {
    if (typeof a[0] !== 'function') record.bytesSent += size(a[0])
    return origEnd(...a)
  }
}

/** Cut the connection now, marking the record as a deliberate server-side abort. */
function abortConnection(res: http.ServerResponse, ctx: HandlerContext): void {
  ctx.record.serverAborted = true
  res.socket?.destroy()
  res.destroy()
}

const delay = (ms: number, res: http.ServerResponse) =>
  new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(true), ms)
    res.once('close', () => {
      clearTimeout(t)
      resolve(false)
    })
  })

// ---------------------------------------------------------------------------
// Deterministic content
// ---------------------------------------------------------------------------

/** Byte `i` of every generated stream: a pattern with period 251 (prime, so it never lines up with chunk sizes). */
export function patternBytes(length: number, offset = 0): Buffer {
  const b = Buffer.allocUnsafe(length)
  for (let i = 0; i < length; i++) b[i] = (offset + i) % 251
  return b
}

/** SHA-256 (hex) of `patternBytes(length)`, computed in chunks (fine for GBs). */
export function patternSha256(length: number): string {
  const h = createHash('sha256')
  const chunk = 251 * 4096 // whole periods, so every chunk is identical
  const block = patternBytes(chunk)
  let left = length
  while (left > 0) {
    const n = Math.min(chunk, left)
    h.update(n === chunk ? block : block.subarray(0, n))
    left -= n
  }
  return h.digest('hex')
}

// ---------------------------------------------------------------------------
// Ready-made handlers
// ---------------------------------------------------------------------------

export interface ServeOptions {
  status?: number
  contentType?: string
  headers?: http.OutgoingHttpHeaders
  /** Omit Content-Length (Node then uses chunked transfer encoding). */
  chunked?: boolean
}

/** Serve a Buffer/string. HEAD gets the headers only. */
export function serveBuffer(data: Buffer | string, opts: ServeOptions = {}): DataHandler {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data)
  return (req, res) => {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': opts.contentType ?? 'application/octet-stream', ...opts.headers }
    if (!opts.chunked) headers['Content-Length'] = buf.length
    res.writeHead(opts.status ?? 200, headers)
    if (req.method === 'HEAD') res.end()
    else if (opts.chunked) {
      // Two writes so the body really goes out as more than one chunk.
      const half = Math.floor(buf.length / 2)
      res.write(buf.subarray(0, half))
      res.end(buf.subarray(half))
    } else res.end(buf)
  }
}

/** Stream a file from disk, with Content-Length from its size unless `chunked`. */
export function serveFile(file: string, opts: ServeOptions = {}): DataHandler {
  return async (req, res) => {
    const st = await stat(file)
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': opts.contentType ?? 'application/octet-stream', ...opts.headers }
    if (!opts.chunked) headers['Content-Length'] = st.size
    res.writeHead(opts.status ?? 200, headers)
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    const rs = createReadStream(file)
    rs.on('error', () => res.destroy())
    res.on('close', () => rs.destroy())
    rs.pipe(res)
  }
}

/** Answer `status` with `Location: location`, verbatim (absolute, relative, file:, ftp:, http-from-https…). */
export function redirect(location: string, status: 301 | 302 | 303 | 307 | 308 = 302): DataHandler {
  return (_req, res) => {
    res.writeHead(status, { Location: location, 'Content-Type': 'text/plain' }).end(`see ${location}\n`)
  }
}

/**
 * Register `count` hops `${prefix}/1` → `${prefix}/2` → … → `${prefix}/count` → `finalLocation`
 * (relative Locations when `relative`) and return the first hop's path.
 */
export function redirectChain(
  server: DataServer,
  count: number,
  finalLocation: string,
  opts: { prefix?: string; status?: 301 | 302 | 303 | 307 | 308; relative?: boolean } = {}
): string {
  const prefix = opts.prefix ?? '/chain'
  for (let i = 1; i <= count; i++) {
    const next = i === count ? finalLocation : opts.relative ? `${i + 1}` : server.url(`${prefix}/${i + 1}`)
    server.route(`${prefix}/${i}`, redirect(next, opts.status ?? 302))
  }
  return `${prefix}/1`
}

/** Register `${prefix}/a` ⇄ `${prefix}/b` redirecting to each other forever; returns the path of `a`. */
export function redirectLoop(server: DataServer, prefix = '/loop', status: 301 | 302 | 303 | 307 | 308 = 302): string {
  server.route(`${prefix}/a`, redirect(server.url(`${prefix}/b`), status))
  server.route(`${prefix}/b`, redirect(server.url(`${prefix}/a`), status))
  return `${prefix}/a`
}

/** Answer a bare status code (e.g. 404, 500, 503) with an optional body and headers. */
export function respondStatus(status: number, opts: { body?: string | Buffer; headers?: http.OutgoingHttpHeaders } = {}): DataHandler {
  return (_req, res) => {
    const body = opts.body ?? `status ${status}\n`
    res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...opts.headers }).end(body)
  }
}

/**
 * A private file: `then` only for `Authorization: Bearer <token>`, else 401
 * with a `WWW-Authenticate: Bearer` challenge (as a token-protected host
 * answers). What was sent is in the request log (`record.headers`).
 */
export function requireBearer(token: string, then: DataHandler | Buffer | string): DataHandler {
  const next = typeof then === 'function' ? then : serveBuffer(then)
  return (req, res, ctx) => {
    if (req.headers.authorization === `Bearer ${token}`) return next(req, res, ctx)
    const body = 'unauthorized\n'
    res
      .writeHead(401, {
        'Content-Type': 'text/plain',
        'Content-Length': Buffer.byteLength(body),
        'WWW-Authenticate': 'Bearer realm="data"'
      })
      .end(body)
  }
}

/**
 * Fail the first `n` requests with `status` (default 503), then hand over to
 * `then` (a handler, or a body to serve). The counter belongs to this handler
 * instance, so it survives being registered under several paths.
 */
export function flaky(
  n: number,
  then: DataHandler | Buffer | string,
  opts: { status?: number; retryAfter?: string | number } = {}
): DataHandler {
  const next = typeof then === 'function' ? then : serveBuffer(then)
  let failures = 0
  return (req, res, ctx) => {
    if (failures < n) {
      failures++
      const headers: http.OutgoingHttpHeaders = {}
      if (opts.retryAfter !== undefined) headers['Retry-After'] = String(opts.retryAfter)
      return respondStatus(opts.status ?? 503, { headers })(req, res, ctx)
    }
    return next(req, res, ctx)
  }
}

/** `flaky` with 429 Too Many Requests and `Retry-After: retryAfter` (seconds or an HTTP date). */
export function rateLimited(n: number, retryAfter: string | number, then: DataHandler | Buffer | string): DataHandler {
  return flaky(n, then, { status: 429, retryAfter })
}

/**
 * Announce `Content-Length: declaredLength`, send `body` (shorter), then cut
 * the connection (`after: 'destroy'`, default) or keep it open silently
 * (`after: 'stall'`).
 */
export function truncated(body: Buffer | string, declaredLength: number, opts: { after?: 'destroy' | 'stall' } = {}): DataHandler {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body)
  return (_req, res, ctx) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(declaredLength) })
    res.write(buf, () => {
      if ((opts.after ?? 'destroy') === 'destroy') abortConnection(res, ctx)
    })
  }
}

/**
 * A Content-Length far above any sane cap (default 1 TiB) with a small real
 * body; a client must refuse from the header alone. After the body the
 * connection is cut, so a client that ignores the header fails instead of
 * hanging the test.
 */
export function declaredTooLarge(declaredLength = 2 ** 40, body: Buffer | string = 'small'): DataHandler {
  return truncated(body, declaredLength, { after: 'destroy' })
}

/** Send `body` one byte every `intervalMs` (slow body). Content-Length is sent unless `contentLength: false`. */
export function drip(body: Buffer | string, intervalMs: number, opts: { contentLength?: boolean } = {}): DataHandler {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body)
  return async (req, res) => {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/octet-stream' }
    if (opts.contentLength ?? true) headers['Content-Length'] = buf.length
    res.writeHead(200, headers)
    res.flushHeaders()
    if (req.method === 'HEAD') return void res.end()
    for (let i = 0; i < buf.length; i++) {
      if (!(await delay(intervalMs, res))) return // client went away
      res.write(buf.subarray(i, i + 1))
    }
    res.end()
  }
}

/**
 * Never finish: with `headers: true` send 200 + headers (Content-Length
 * `contentLength`, default 1 MiB) and then nothing; otherwise send nothing at
 * all. The connection stays open until the client gives up or `close()`.
 */
export function stall(opts: { headers?: boolean; contentLength?: number } = {}): DataHandler {
  return (_req, res) => {
    if (opts.headers) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(opts.contentLength ?? 1 << 20) })
      res.flushHeaders()
    }
  }
}

/**
 * Stream `totalBytes` of `patternBytes` generated on the fly (never held in
 * memory), honouring back-pressure, so when a client stops reading the
 * server stops too and `record.bytesSent` shows how far it got. No
 * Content-Length (chunked) unless `declareLength: true`.
 */
export function largeStream(totalBytes: number, opts: { chunkSize?: number; declareLength?: boolean } = {}): DataHandler {
  const chunkSize = Math.max(1, Math.floor((opts.chunkSize ?? 64 * 1024) / 251) * 251 || 251)
  const block = patternBytes(chunkSize) // a whole number of periods: every chunk is the same bytes
  return (req, res) => {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/octet-stream' }
    if (opts.declareLength) headers['Content-Length'] = String(totalBytes)
    res.writeHead(200, headers)
    if (req.method === 'HEAD') return void res.end()
    let sent = 0
    let closed = false
    res.on('close', () => (closed = true))
    const pump = () => {
      while (!closed && sent < totalBytes) {
        const n = Math.min(chunkSize, totalBytes - sent)
        sent += n
        const ok = res.write(n === chunkSize ? block : block.subarray(0, n))
        if (!ok) {
          res.once('drain', pump)
          return
        }
      }
      if (!closed) res.end()
    }
    pump()
  }
}

/**
 * Send `totalBytes` of `patternBytes` in `chunkSize` pieces, one every
 * `intervalMs`: a slow but steady transfer of a known duration (to watch
 * progress). Content-Length is sent unless `contentLength: false`.
 */
export function paced(
  totalBytes: number,
  /** `hold`: the last chunk waits for it, so a test can see the transfer in progress before it ends (an event, not a time). */
  opts: { chunkSize: number; intervalMs: number; contentLength?: boolean; hold?: Promise<void> }
): DataHandler {
  return async (req, res) => {
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/octet-stream' }
    if (opts.contentLength ?? true) headers['Content-Length'] = String(totalBytes)
    res.writeHead(200, headers)
    res.flushHeaders()
    if (req.method === 'HEAD') return void res.end()
    for (let sent = 0; sent < totalBytes;) {
      const n = Math.min(opts.chunkSize, totalBytes - sent)
      if (sent + n >= totalBytes && opts.hold) await opts.hold
      res.write(patternBytes(n, sent))
      sent += n
      if (sent < totalBytes && !(await delay(opts.intervalMs, res))) return // client went away
    }
    res.end()
  }
}
