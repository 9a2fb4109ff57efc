/**
 * A Git LFS server for tests: the batch API (download operation, basic
 * transfer) and object downloads, on 127.0.0.1 over HTTPS with the same
 * throwaway CA as the git server (`acquireTestCert`). It can run on its own
 * origin (`startLfsServer`, for an `lfs.url` in .lfsconfig) or inside the git
 * server (`startGitServer({ handle: store.handle })`), where git-lfs's
 * derived endpoint `<repo>.git/info/lfs` points.
 *
 * Every request is recorded with its Authorization and User-Agent headers, so
 * a test can show who got the token and that no object was requested.
 */
import { createHash } from 'node:crypto'
import type * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { acquireTestCert, tlsServerOptions, type TestCert } from './git-server.js'

export interface LfsRequestRecord {
  method: string
  path: string
  authorization?: string
  userAgent?: string
  /** The oids a batch request asked for. */
  oids?: string[]
}

export interface LfsStore {
  /** Stores `content`; returns the pointer file text and the oid. */
  add(content: Buffer | string): { oid: string; size: number; pointer: string }
  /** Serve these bytes for `oid` instead of the real ones (a server that lies). */
  corrupt(oid: string, bytes: Buffer): void
  /** Batch answers point downloads at this origin instead of the one asked (objects "on another host"). */
  hrefOrigin?: string
  /** Batch answers point each download here instead (a misbehaving server: a detour through redirects). */
  hrefFor?: (oid: string) => string
  /** Headers the batch answer hands out with every download URL (`actions.download.header`). */
  hrefHeader?: Record<string, string>
  /** The token the batch API demands (as `Basic base64(user:token)`); unset: none. */
  requireToken?: string
  requests: LfsRequestRecord[]
  /** Answers LFS requests (batch under any `/objects/batch`, objects under `/lfs-objects/`); false for anything else. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean
}

export function createLfsStore(scheme: 'https' | 'http' = 'https'): LfsStore {
  const objects = new Map<string, Buffer>()
  const wrong = new Map<string, Buffer>()
  const store: LfsStore = {
    requests: [],
    add(content) {
      const bytes = Buffer.from(content)
      const oid = createHash('sha256').update(bytes).digest('hex')
      objects.set(oid, bytes)
      return { oid, size: bytes.length, pointer: `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${bytes.length}\n` }
    },
    corrupt(oid, bytes) {
      wrong.set(oid, bytes)
    },
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://x')
      const isBatch = req.method === 'POST' && url.pathname.endsWith('/objects/batch')
      const object = /^\/lfs-objects\/([0-9a-f]{64})$/.exec(url.pathname)?.[1]
      if (!isBatch && !object) return false
      const record: LfsRequestRecord = {
        method: req.method ?? 'GET',
        path: url.pathname,
        authorization: req.headers.authorization,
        userAgent: req.headers['user-agent']
      }
      store.requests.push(record)
      if (object) {
        const bytes = wrong.get(object) ?? objects.get(object)
        if (!bytes) res.writeHead(404).end('no such object\n')
        else res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }).end(bytes)
        return true
      }
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          operation: string
          objects: Array<{ oid: string; size: number }>
        }
        record.oids = json.objects.map((o) => o.oid)
        if (store.requireToken !== undefined) {
          const m = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')
          const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : ''
          if (decoded.slice(decoded.indexOf(':') + 1) !== store.requireToken || !decoded.includes(':')) {
            res.writeHead(401, { 'content-type': 'application/vnd.git-lfs+json' }).end(JSON.stringify({ message: 'Credentials needed' }))
            return
          }
        }
        const base = store.hrefOrigin ?? `${scheme}://${req.headers.host}`
        const answer = {
          transfer: 'basic',
          objects: json.objects.map(({ oid, size }) =>
            objects.has(oid)
              ? {
                  oid,
                  size,
                  actions: {
                    download: {
                      href: store.hrefFor?.(oid) ?? `${base}/lfs-objects/${oid}`,
                      ...(store.hrefHeader ? { header: store.hrefHeader } : {}),
                      expires_in: 3600
                    }
                  }
                }
              : { oid, size, error: { code: 404, message: 'Object does not exist' } }
          )
        }
        res.writeHead(200, { 'content-type': 'application/vnd.git-lfs+json' }).end(JSON.stringify(answer))
      })
      return true
    }
  }
  return store
}

export interface LfsServer {
  store: LfsStore
  origin: string
  /** An `lfs.url` on this server. */
  endpoint: string
  caFile?: string
  close(): Promise<void>
}

/** An LFS server on its own origin (https, the shared test CA unless `cert` is given). */
export async function startLfsServer(opts: { store?: LfsStore; cert?: TestCert } = {}): Promise<LfsServer> {
  const borrowed = opts.cert ? undefined : await acquireTestCert()
  const cert = opts.cert ?? borrowed!.cert
  const store = opts.store ?? createLfsStore('https')
  const sockets = new Set<Socket>()
  const server = https.createServer(await tlsServerOptions(cert), (req, res) => {
    if (!store.handle(req, res)) res.writeHead(404).end('not an LFS path\n')
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    store,
    origin,
    endpoint: `${origin}/lfs`,
    caFile: cert.caFile,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
      await borrowed?.release()
    }
  }
}
