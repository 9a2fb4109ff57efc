/**
 * Self-tests of __tests__/helpers/data-server.ts with Node's own clients
 * (fetch and node:http/https): each behaviour must really happen on the wire.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import * as http from 'node:http'
import * as https from 'node:https'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import {
  declaredTooLarge,
  drip,
  flaky,
  largeStream,
  paced,
  patternBytes,
  patternSha256,
  rateLimited,
  redirect,
  redirectChain,
  redirectLoop,
  respondStatus,
  serveBuffer,
  serveFile,
  stall,
  startDataServer,
  truncated,
  type DataServer
} from './helpers/data-server.js'
import { startGitServer } from './helpers/git-server.js'

interface RawResult {
  status?: number
  headers?: http.IncomingHttpHeaders
  body: Buffer
  error?: string
  /** The response ended with 'end' (complete), as opposed to aborted/errored. */
  complete: boolean
}

/** GET with node:http(s) collecting whatever arrives, never throwing. */
function rawGet(url: string, opts: { ca?: Buffer; timeoutMs?: number; method?: string; stopAfter?: number } = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let received = 0
    const result: RawResult = { body: Buffer.alloc(0), complete: false }
    const done = (error?: string) => {
      result.body = Buffer.concat(chunks)
      if (error && !result.error) result.error = error
      resolve(result)
    }
    const mod = url.startsWith('https:') ? https : http
    const req = mod.request(url, { method: opts.method ?? 'GET', ca: opts.ca, agent: false }, (res) => {
      result.status = res.statusCode
      result.headers = res.headers
      res.on('data', (c: Buffer) => {
        chunks.push(c)
        received += c.length
        if (opts.stopAfter !== undefined && received >= opts.stopAfter) {
          req.destroy()
          done('stopped')
        }
      })
      res.on('end', () => {
        result.complete = true
        done()
      })
      res.on('aborted', () => done('aborted'))
      res.on('error', (e) => done(e.message))
    })
    req.on('error', (e) => done(e.message))
    if (opts.timeoutMs)
      req.setTimeout(opts.timeoutMs, () => {
        req.destroy()
        done('timeout')
      })
    req.end()
  })
}

let server: DataServer
let work: string

beforeAll(async () => {
  server = await startDataServer()
  work = await mkdtemp(path.join(tmpdir(), 'jp-fixture-data-'))
})
afterAll(async () => {
  await server.close()
  await rm(work, { recursive: true, force: true })
})

describe('plain bodies', () => {
  test('serveBuffer sends the bytes with Content-Length; HEAD sends headers only', async () => {
    const data = patternBytes(10000)
    server.route('/buf.bin', serveBuffer(data))
    const res = await fetch(server.url('/buf.bin'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe('10000')
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true)
    const head = await rawGet(server.url('/buf.bin'), { method: 'HEAD' })
    expect(head.headers?.['content-length']).toBe('10000')
    expect(head.body.length).toBe(0)
    const rec = server.requests.filter((r) => r.pathname === '/buf.bin')
    expect(rec.map((r) => [r.method, r.status, r.bytesSent, r.finished])).toEqual([
      ['GET', 200, 10000, true],
      ['HEAD', 200, 0, true]
    ])
  })

  test('chunked responses have no Content-Length', async () => {
    server.route('/chunked.txt', serveBuffer('hello chunked world', { chunked: true }))
    const res = await rawGet(server.url('/chunked.txt'))
    expect(res.headers?.['content-length']).toBeUndefined()
    expect(res.headers?.['transfer-encoding']).toBe('chunked')
    expect(res.body.toString()).toBe('hello chunked world')
  })

  test('serveFile streams a file from disk', async () => {
    const file = path.join(work, 'f.bin')
    await writeFile(file, patternBytes(300000, 7))
    server.route('/file', serveFile(file))
    server.route('/file-chunked', serveFile(file, { chunked: true }))
    const a = await rawGet(server.url('/file'))
    expect(a.headers?.['content-length']).toBe('300000')
    expect(a.body.equals(await readFile(file))).toBe(true)
    const b = await rawGet(server.url('/file-chunked'))
    expect(b.headers?.['content-length']).toBeUndefined()
    expect(b.body.equals(await readFile(file))).toBe(true)
  })
})

describe('status codes and retries', () => {
  test('unrouted paths 404, respondStatus answers what it is told', async () => {
    expect((await fetch(server.url('/nothing-here'))).status).toBe(404)
    server.route('/boom', respondStatus(500))
    expect((await fetch(server.url('/boom'))).status).toBe(500)
    expect(server.requests.at(-1)?.status).toBe(500)
  })

  test('flaky fails n times with 503 then serves', async () => {
    server.route('/flaky', flaky(2, 'finally'))
    const statuses: number[] = []
    let body = ''
    for (let i = 0; i < 3; i++) {
      const res = await fetch(server.url('/flaky'))
      statuses.push(res.status)
      body = await res.text()
    }
    expect(statuses).toEqual([503, 503, 200])
    expect(body).toBe('finally')
    expect(server.hits('/flaky')).toBe(3)
  })

  test('rateLimited answers 429 with Retry-After', async () => {
    server.route('/limited', rateLimited(1, 2, 'ok'))
    const first = await fetch(server.url('/limited'))
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('2')
    await first.text()
    const second = await fetch(server.url('/limited'))
    expect(second.status).toBe(200)
    expect(await second.text()).toBe('ok')
  })
})

describe('redirects', () => {
  test('redirect is followed by fetch; Location is passed verbatim', async () => {
    server.route('/final', serveBuffer('arrived'))
    server.route('/r302', redirect('/final', 302))
    server.route('/r-rel', redirect('final', 307))
    server.route('/r-file', redirect('file:///etc/passwd', 301))
    server.route('/r-ftp', redirect('ftp://127.0.0.1/x', 308))
    const followed = await fetch(server.url('/r302'))
    expect(followed.url).toBe(server.url('/final'))
    expect(await followed.text()).toBe('arrived')
    expect(await (await fetch(server.url('/r-rel'))).text()).toBe('arrived')
    for (const [p, status, loc] of [
      ['/r-file', 301, 'file:///etc/passwd'],
      ['/r-ftp', 308, 'ftp://127.0.0.1/x'],
      ['/r-rel', 307, 'final']
    ] as const) {
      const res = await rawGet(server.url(p))
      expect(res.status).toBe(status)
      expect(res.headers?.location).toBe(loc)
    }
    // fetch refuses to follow to file:
    await expect(fetch(server.url('/r-file'))).rejects.toThrow()
  })

  test('redirect chains of N and loops', async () => {
    server.route('/chain-end', serveBuffer('end of chain'))
    const start = redirectChain(server, 3, server.url('/chain-end'))
    const before = server.requests.length
    const res = await fetch(server.url(start))
    expect(await res.text()).toBe('end of chain')
    expect(server.requests.slice(before).map((r) => r.pathname)).toEqual(['/chain/1', '/chain/2', '/chain/3', '/chain-end'])

    const rel = redirectChain(server, 2, '/chain-end', { prefix: '/relchain', relative: true, status: 307 })
    expect((await rawGet(server.url(rel))).headers?.location).toBe('2')
    expect(await (await fetch(server.url(rel))).text()).toBe('end of chain')

    const loop = redirectLoop(server)
    const loopBefore = server.requests.length
    await expect(fetch(server.url(loop))).rejects.toThrow()
    // fetch gives up after 20 redirects: 21 requests.
    expect(server.requests.length - loopBefore).toBe(21)
  })
})

describe('broken bodies', () => {
  test('truncated: fewer bytes than Content-Length, then the connection is cut', async () => {
    server.route('/truncated', truncated(patternBytes(1000), 5000))
    const res = await rawGet(server.url('/truncated'))
    expect(res.headers?.['content-length']).toBe('5000')
    expect(res.complete).toBe(false)
    expect(res.error).toBeDefined()
    expect(res.body.length).toBe(1000)
    const rec = server.requests.at(-1)!
    expect(rec.serverAborted).toBe(true)
    expect(rec.closedEarly).toBe(true)
    // fetch reports the truncation as an error too
    await expect(fetch(server.url('/truncated')).then((r) => r.arrayBuffer())).rejects.toThrow()
  })

  test('declaredTooLarge announces a huge length with a small body', async () => {
    server.route('/huge', declaredTooLarge())
    const res = await rawGet(server.url('/huge'))
    expect(res.headers?.['content-length']).toBe(String(2 ** 40))
    expect(res.body.toString()).toBe('small')
    expect(res.complete).toBe(false)
  })

  test('drip sends a byte every interval', async () => {
    server.route('/drip', drip('abcde', 60))
    const t0 = Date.now()
    const res = await rawGet(server.url('/drip'))
    expect(res.body.toString()).toBe('abcde')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5 * 60 - 20)
  })

  test('paced sends the pattern in pieces, with or without Content-Length', async () => {
    server.route('/paced', paced(10_000, { chunkSize: 4096, intervalMs: 5 }))
    server.route('/paced-chunked', paced(10_000, { chunkSize: 4096, intervalMs: 5, contentLength: false }))
    const declared = await rawGet(server.url('/paced'))
    expect(declared.headers?.['content-length']).toBe('10000')
    expect(declared.body.equals(patternBytes(10_000))).toBe(true)
    const chunked = await rawGet(server.url('/paced-chunked'))
    expect(chunked.headers?.['content-length']).toBeUndefined()
    expect(chunked.headers?.['transfer-encoding']).toBe('chunked')
    expect(chunked.body.equals(patternBytes(10_000))).toBe(true)
  })

  test('stall: with headers then nothing, or nothing at all', async () => {
    server.route('/stall-h', stall({ headers: true }))
    server.route('/stall', stall())
    const h = await rawGet(server.url('/stall-h'), { timeoutMs: 300 })
    expect(h.status).toBe(200)
    expect(h.body.length).toBe(0)
    expect(h.error).toBe('timeout')
    const n = await rawGet(server.url('/stall'), { timeoutMs: 300 })
    expect(n.status).toBeUndefined()
    expect(n.error).toBe('timeout')
  })
})

describe('large streams', () => {
  test('undeclared stream of N generated bytes matches patternSha256', async () => {
    const total = 5 * 1024 * 1024 + 17
    server.route('/large', largeStream(total))
    const res = await fetch(server.url('/large'))
    expect(res.headers.get('content-length')).toBeNull()
    const hash = createHash('sha256')
    let n = 0
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk)
      n += chunk.length
    }
    expect(n).toBe(total)
    expect(hash.digest('hex')).toBe(patternSha256(total))
    expect(patternSha256(total)).toBe(createHash('sha256').update(patternBytes(total)).digest('hex'))
  })

  test('when the client stops reading, the server stops generating', async () => {
    const total = 1024 * 1024 * 1024 // 1 GiB: never held anywhere
    server.route('/endless', largeStream(total, { declareLength: true }))
    const res = await rawGet(server.url('/endless'), { stopAfter: 1024 * 1024 })
    expect(res.headers?.['content-length']).toBe(String(total))
    expect(res.error).toBe('stopped')
    await new Promise((r) => setTimeout(r, 100))
    const rec = server.requests.at(-1)!
    expect(rec.closedEarly).toBe(true)
    expect(rec.serverAborted).toBe(false)
    expect(rec.bytesSent).toBeLessThan(64 * 1024 * 1024)
  })
})

describe('https', () => {
  let secure: DataServer
  beforeAll(async () => {
    secure = await startDataServer({ https: true })
    secure.route('/x', serveBuffer('over tls'))
    secure.route('/down', redirect(server.url('/final')))
  })
  afterAll(async () => {
    await secure.close()
  })

  test('trusted with the throwaway CA, refused without it', async () => {
    expect(secure.url('/x')).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/x$/)
    const ca = await readFile(secure.caFile!)
    const ok = await rawGet(secure.url('/x'), { ca })
    expect(ok.body.toString()).toBe('over tls')
    const bad = await rawGet(secure.url('/x'))
    expect(bad.status).toBeUndefined()
    expect(bad.error).toMatch(/certificate/i)
  })

  test('https can redirect to plain http', async () => {
    const ca = await readFile(secure.caFile!)
    const res = await rawGet(secure.url('/down'), { ca })
    expect(res.status).toBe(302)
    expect(res.headers?.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/final$/)
  })
})

test('https servers open at the same time share one CA; its files go with the last one', async () => {
  const data = await startDataServer({ https: true })
  const gitSrv = await startGitServer({ root: work, https: true })
  const caFile = data.caFile!
  expect(gitSrv.caFile).toBe(caFile)
  expect(existsSync(caFile)).toBe(true)
  await data.close()
  expect(existsSync(caFile)).toBe(true)
  await gitSrv.close()
  expect(existsSync(caFile)).toBe(false)
  const next = await startDataServer({ https: true })
  try {
    expect(next.caFile).not.toBe(caFile)
    expect(existsSync(next.caFile!)).toBe(true)
  } finally {
    await next.close()
  }
})
