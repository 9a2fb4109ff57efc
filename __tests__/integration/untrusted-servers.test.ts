/**
 * What the packager takes from servers it does not control (issue 20): an
 * LFS server, a container registry and its token realm that misbehave, all
 * real servers on loopback — git http-backend over HTTPS with the Git LFS
 * batch API beside it (lfs-server.ts), programmable HTTPS servers
 * (data-server.ts) as registries and detours — and the packager run as the
 * CLI from the sources, or the core in-process where no CA is needed.
 *
 * - A server's text never rewrites the record: a batch answer's header
 *   value, or a registry's token, that happens to be a dataset's host.
 * - One credential rule: no token on a hop that comes back to its origin
 *   after a redirect left it (LFS objects, the registry).
 * - A pin names bytes that were served, never a HEAD's digest alone.
 * - Token realms: https only; refusals name what was refused.
 * - Malformed LFS pointers are named, not packaged in silence.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { silentLogger, Redactor } from '../../src/core/index.js'
import { DEFAULT_LIMITS } from '../../src/core/options/options.js'
import { transferLfsObjects } from '../../src/core/git/lfs-transfer.js'
import { pinBaseImage, type PinRequest } from '../../src/core/oci/pin.js'
import { defaultNamer } from '../../src/core/options/names.js'
import { REPO_ROOT } from '../helpers/cli.js'
import { startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { createLfsStore, type LfsStore } from '../helpers/lfs-server.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let gitStore: LfsStore
let away: DataServer
let data: DataServer
let registry: DataServer
let n = 0
const out = () => path.join(root.dir, `out-${++n}`)
const TOKEN = 'untrusted-servers-token-8d41e0'
const WEIGHTS = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 13 + 5) % 251))
const CSV = Buffer.from('id,value\n1,0.5\n')
const INDEX = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }))
const INDEX_DIGEST = `sha256:${createHash('sha256').update(INDEX).digest('hex')}`
const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json'
const repos: Record<string, { name: string; commit: string }> = {}

async function serveRepo(name: string, files: Record<string, string>): Promise<void> {
  const src = path.join(root.dir, 'src', name)
  const { commit } = await makeRepo(src, files)
  await makeBareClone(src, path.join(root.dir, 'served'), `${name}.git`)
  repos[name] = { name, commit }
}

beforeAll(async () => {
  root = await tempDir()
  await mkdir(path.join(root.dir, 'served'), { recursive: true })
  gitStore = createLfsStore('https')
  const weights = gitStore.add(WEIGHTS)
  const attributes = '*.bin filter=lfs diff=lfs merge=lfs -text\n'
  await serveRepo('weights', { '.gitattributes': attributes, 'weights.bin': weights.pointer, 'train.py': 'print("train")\n' })
  // Pointers git-lfs does not accept either: an upper-case oid, and one hex digit short.
  const upper = weights.pointer.replace(weights.oid, weights.oid.toUpperCase())
  const short = weights.pointer.replace(weights.oid, weights.oid.slice(1))
  await serveRepo('malformed', { '.gitattributes': attributes, 'upper.bin': upper, 'short.bin': short, 'train.py': 'print("x")\n' })
  away = await startDataServer({ https: true })
  data = await startDataServer({ https: true })
  registry = await startDataServer({ https: true })
  data.route('/data.csv', (_req, res) => void res.writeHead(200, { 'content-length': String(CSV.length) }).end(CSV))
  git = await startGitServer({
    root: path.join(root.dir, 'served'),
    https: true,
    handle: (req, res) => {
      // The detour's first step: an href on the token origin that sends the client to another host.
      const bounce = /^\/bounce\/([0-9a-f]{64})$/.exec(req.url ?? '')?.[1]
      if (bounce) {
        res.writeHead(302, { location: away.url(`/away/${bounce}`) }).end()
        return true
      }
      return gitStore.handle(req, res)
    }
  })
}, 60_000)

afterAll(async () => {
  await git?.close()
  await Promise.all([away?.close(), data?.close(), registry?.close()])
  await root?.cleanup()
})

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  json: Record<string, unknown>
}

/** The CLI from the sources, trusting the test CA (git through GIT_SSL_CAINFO, Node through NODE_EXTRA_CA_CERTS). */
function pack(repo: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const cliArgs = [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'src', 'cli', 'index.ts'),
    'pack',
    '--git-url',
    git.url(`${repo}.git`),
    '--commit-hash',
    repos[repo]!.commit,
    '--command',
    'python train.py',
    '--allow-private-network',
    '--attempts',
    '1',
    '--progress',
    'off',
    '--json',
    '--out',
    out(),
    ...args
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs, {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LANG: 'C.UTF-8',
        GIT_SSL_CAINFO: git.caFile,
        NODE_EXTRA_CA_CERTS: git.caFile,
        ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => {
      let json: Record<string, unknown> = {}
      try {
        json = JSON.parse(stdout) as Record<string, unknown>
      } catch {
        // Left empty: the assertions on code and stderr say what happened.
      }
      resolve({ code, stdout, stderr, json })
    })
  })
}

interface Recorded {
  spec: { data_url: string[] }
  datasets: Array<{ url: string }>
  environment: { base_image_pin?: { status: string; reason?: string; digest?: string } }
  warnings: string[]
}

/** job.json and the provenance statement's dataset URIs of a pack that succeeded. */
async function records(res: CliRun): Promise<{ job: Recorded; statementUris: string[] }> {
  expect(res.code).toBe(0)
  const job = JSON.parse(await readFile(path.join(res.json.job_dir as string, 'job.json'), 'utf8')) as Recorded
  const statement = JSON.parse(await readFile(res.json.provenance_path as string, 'utf8')) as {
    predicate: { buildDefinition: { resolvedDependencies: Array<{ name: string; uri?: string }> } }
  }
  const statementUris = statement.predicate.buildDefinition.resolvedDependencies
    .filter((d) => d.name.startsWith('data/'))
    .map((d) => d.uri ?? '')
  return { job, statementUris }
}

/** A registry route behind a bearer challenge whose realm hands out `token`. */
function challenged(
  tag: string,
  token: string,
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  realm?: string
): void {
  registry.route(
    `/token-${tag}`,
    (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }))
  )
  registry.route(`/v2/x/img/manifests/${tag}`, (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm ?? registry.url(`/token-${tag}`)}",service="fake"` }).end()
      return
    }
    answer(req, res)
  })
}
const serveIndex = (_req: http.IncomingMessage, res: http.ServerResponse): void =>
  void res.writeHead(200, { 'content-type': INDEX_TYPE, 'docker-content-digest': INDEX_DIGEST }).end(INDEX)

function pinRequest(tag: string, ca: Buffer, extra: Partial<PinRequest> = {}): PinRequest {
  return {
    image: `127.0.0.1:${registry.port}/x/img:${tag}`,
    mode: 'auto',
    allowHttp: false,
    allowPrivateNetwork: true,
    idleTimeoutMs: 10_000,
    maxRedirects: 5,
    attempts: 1,
    retryDelayMs: 10,
    ca,
    logger: silentLogger,
    redactor: new Redactor(),
    ...extra
  }
}

describe('a server cannot rewrite the record', () => {
  it('an LFS batch answer whose header value is the dataset host: job.json and the statement keep the real URL', async () => {
    // What the review saw: {"X-Sig": "Bearer 1.2.3.4:8080"} turned data_url into http://***/data.csv.
    gitStore.hrefHeader = { 'X-Sig': `Bearer 127.0.0.1:${data.port}` }
    try {
      const res = await pack('weights', ['--data-url', data.url('/data.csv')])
      const { job, statementUris } = await records(res)
      expect(job.spec.data_url).toEqual([data.url('/data.csv')])
      expect(job.datasets.map((d) => d.url)).toEqual([data.url('/data.csv')])
      expect(statementUris).toEqual([data.url('/data.csv')])
      // A server's header value is not a secret of ours: the log keeps the address too.
      expect(res.stderr).toContain(data.url('/data.csv'))
    } finally {
      delete gitStore.hrefHeader
    }
  })

  it('a registry token that is the dataset host ("127.0.0.1") is not used, and rewrites nothing', async () => {
    challenged('short', '127.0.0.1', serveIndex)
    const res = await pack('weights', ['--data-url', data.url('/data.csv'), '--base-image', `127.0.0.1:${registry.port}/x/img:short`])
    const { job, statementUris } = await records(res)
    expect(job.spec.data_url).toEqual([data.url('/data.csv')])
    expect(statementUris).toEqual([data.url('/data.csv')])
    expect(job.environment.base_image_pin).toMatchObject({ status: 'floats' })
    expect(job.environment.base_image_pin?.reason).toMatch(
      /the token service's answer holds no usable token \(a bearer token of at least 16 characters/
    )
  })

  it('a long registry token that is a dataset’s path (registered as a secret) rewrites nothing in job.json or the statement', async () => {
    const token = 'datasets/registry-chosen-name.csv'
    data.route(`/${token}`, (_req, res) => void res.writeHead(200, { 'content-length': String(CSV.length) }).end(CSV))
    challenged('long', token, serveIndex)
    const url = data.url(`/${token}`)
    const res = await pack('weights', ['--data-url', url, '--base-image', `127.0.0.1:${registry.port}/x/img:long`])
    const { job, statementUris } = await records(res)
    expect(job.environment.base_image_pin).toMatchObject({ status: 'pinned', digest: INDEX_DIGEST })
    expect(job.spec.data_url).toEqual([url])
    expect(job.datasets.map((d) => d.url)).toEqual([url])
    expect(statementUris).toEqual([url])
  })
})

describe('one credential rule: no token once a redirect has left its origin', () => {
  it('an LFS href on the token origin that detours through another host and back gets no token on the way back', async () => {
    const oid = createHash('sha256').update(WEIGHTS).digest('hex')
    away.route(`/away/${oid}`, (_req, res) => void res.writeHead(302, { location: `${git.origin}/lfs-objects/${oid}` }).end())
    gitStore.hrefFor = (o) => `${git.origin}/bounce/${o}`
    const before = gitStore.requests.length
    const awayBefore = away.requests.length
    try {
      const res = await pack('weights', ['--token-origin', git.origin], { JOB_PACKAGER_TOKEN: TOKEN })
      expect(res.stderr).not.toContain(TOKEN)
      expect(res.code).toBe(0)
      const mine = gitStore.requests.slice(before)
      // The batch request is on the token origin, with no redirect: it carries the token.
      expect(mine.filter((r) => r.method === 'POST').map((r) => r.authorization !== undefined)).toEqual([true])
      // The object, requested on the origin again but at a path another host chose: no token.
      expect(mine.filter((r) => r.method === 'GET').map((r) => [r.path, r.authorization])).toEqual([[`/lfs-objects/${oid}`, undefined]])
      expect(away.requests.slice(awayBefore).map((r) => r.headers.authorization)).toEqual([undefined])
    } finally {
      delete gitStore.hrefFor
    }
  })

  it('a registry manifest that detours through another host and back gets no registry token on the way back', async () => {
    const ca = await readFile(registry.caFile!)
    challenged('detour', 'registry-token-0123456789abcdef', (_req, res) => void res.writeHead(307, { location: away.url('/m') }).end())
    away.route('/m', (_req, res) => void res.writeHead(307, { location: registry.url('/v2/x/img/manifests/back') }).end())
    registry.route('/v2/x/img/manifests/back', serveIndex)
    const before = registry.requests.length
    await pinBaseImage(pinRequest('detour', ca))
    const back = registry.requests.slice(before).filter((r) => r.pathname === '/v2/x/img/manifests/back')
    expect(back.length).toBeGreaterThan(0)
    expect(back.map((r) => r.headers.authorization)).toEqual(back.map(() => undefined))
  })
})

describe('a pin names bytes that were served', () => {
  it('a HEAD digest of a manifest never served is not recorded as pinned', async () => {
    const ca = await readFile(registry.caFile!)
    const claimed = `sha256:${'e'.repeat(64)}`
    challenged('phantom', 'registry-token-0123456789abcdef', (req, res) => {
      // HEAD names a manifest; GET serves other bytes under the same claim.
      res.writeHead(200, { 'content-type': INDEX_TYPE, 'docker-content-digest': claimed })
      res.end(req.method === 'HEAD' ? undefined : INDEX)
    })
    const pin = await pinBaseImage(pinRequest('phantom', ca))
    expect(pin.record.status).toBe('floats')
    expect(pin.record.digest).toBeUndefined()
    expect(pin.record.reason).toContain(`the registry said the manifest's digest is ${claimed}, but its bytes hash to ${INDEX_DIGEST}`)
  })

  it('a registry that answers HEAD with a digest but GET with nothing is not pinned', async () => {
    const ca = await readFile(registry.caFile!)
    challenged('head-only', 'registry-token-0123456789abcdef', (req, res) => {
      if (req.method === 'HEAD') res.writeHead(200, { 'content-type': INDEX_TYPE, 'docker-content-digest': INDEX_DIGEST }).end()
      else res.writeHead(404).end()
    })
    const pin = await pinBaseImage(pinRequest('head-only', ca))
    expect(pin.record).toMatchObject({ status: 'floats' })
    expect(pin.record.reason).toMatch(/the registry has no such tag/)
  })
})

describe('token realms and refusals that name what was refused', () => {
  it('with http allowed, a plain-http token realm on another host is not asked (the token would travel in clear)', async () => {
    const ca = await readFile(registry.caFile!)
    const plain = await startDataServer()
    try {
      plain.route(
        '/token',
        (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"plain-http-token-0123456789"}')
      )
      challenged('plainrealm', 'plain-http-token-0123456789', serveIndex, plain.url('/token'))
      const pin = await pinBaseImage(pinRequest('plainrealm', ca, { allowHttp: true }))
      expect(pin.record.status).toBe('floats')
      expect(pin.record.reason).toMatch(
        /: refused the token realm http:\/\/127\.0\.0\.1:\d+\/token: plain http, which would carry the token in clear; a token realm must be https/
      )
      expect(plain.requests).toEqual([])
    } finally {
      await plain.close()
    }
  })

  it('a file: token realm is refused as what it is', async () => {
    const ca = await readFile(registry.caFile!)
    challenged('filerealm', 'unused-token-0123456789abcdef', serveIndex, 'file:///etc/passwd')
    const pin = await pinBaseImage(pinRequest('filerealm', ca, { allowHttp: true }))
    expect(pin.record.reason).toMatch(/refused the token realm file:\/\/\/etc\/passwd: a file: URL; a token realm must be an https URL$/)
    expect(pin.record.reason).not.toContain('plain http')
  })

  it('a registry and a token realm on blocked addresses are refused in their own words, not a dataset’s', async () => {
    const ca = await readFile(registry.caFile!)
    const blocked = await pinBaseImage(pinRequest('anything', ca, { allowPrivateNetwork: false }))
    expect(blocked.record.reason).toMatch(
      /^Refused to connect to 127\.0\.0\.1 \(127\.0\.0\.1\) for the container registry of 127\.0\.0\.1:\d+\/x\/img:anything: .* Container registries must be on public addresses unless/
    )
    challenged('metadata', 'unused-token-0123456789abcdef', serveIndex, 'https://169.254.169.254/token')
    const realm = await pinBaseImage(pinRequest('metadata', ca, { blockedAddress: (a) => a.startsWith('169.254.') }))
    expect(realm.record.reason).toMatch(
      /^Refused to connect to 169\.254\.169\.254 \(169\.254\.169\.254\) for the token realm of .*: .* Token realms must be on public addresses unless/
    )
    for (const r of [blocked, realm]) expect(r.record.reason).not.toContain('Datasets')
  })

  it('an LFS endpoint whose name resolves to loopback when connecting is refused as the Git LFS endpoint', async () => {
    // A plain-http batch server on loopback, reached by name: the pre-check's lookup says public, the socket's says loopback.
    const store = createLfsStore('http')
    const object = store.add(CSV)
    const server = http.createServer((req, res) => void (store.handle(req, res) || res.writeHead(404).end()))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const base = {
      objectPath: (oid: string) => path.join(root.dir, 'lfs-objects', oid),
      tempDir: path.join(root.dir, 'lfs-incoming'),
      tokenOrigin: '',
      allowHttp: true,
      limits: { ...DEFAULT_LIMITS, attempts: 1, retryDelayMs: 10 },
      names: defaultNamer,
      logger: silentLogger,
      redactor: new Redactor()
    }
    try {
      const endpoint = transferLfsObjects([{ ...object, path: 'data.csv' }], {
        ...base,
        endpoint: new URL(`http://localhost:${port}/lfs`),
        allowPrivateNetwork: false,
        lookup: () => Promise.resolve(['192.0.43.10'])
      })
      await expect(endpoint).rejects.toThrow(
        /^Refused to connect to localhost \((127\.0\.0\.1|::1)\) for the Git LFS endpoint: .* Git LFS endpoints must be on public addresses unless/
      )
      expect(store.requests).toEqual([])

      // An object whose download URL redirects to the metadata address: refused as the object it is.
      const redirecting = http.createServer((req, res) => {
        if (req.url?.startsWith('/redirect/')) res.writeHead(302, { location: 'http://169.254.169.254/latest' }).end()
        else if (!store.handle(req, res)) res.writeHead(404).end()
      })
      await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve))
      const rport = (redirecting.address() as AddressInfo).port
      store.hrefFor = (oid) => `http://127.0.0.1:${rport}/redirect/${oid}`
      try {
        const objectRefused = transferLfsObjects([{ ...object, path: 'data.csv' }], {
          ...base,
          endpoint: new URL(`http://127.0.0.1:${rport}/lfs`),
          allowPrivateNetwork: true,
          blockedAddress: (a) => a.startsWith('169.254.')
        })
        await expect(objectRefused).rejects.toThrow(
          /^Refused to connect to 169\.254\.169\.254 \(169\.254\.169\.254\) for the Git LFS object of code\/data\.csv: .* Git LFS objects must come from public addresses unless/
        )
      } finally {
        await new Promise((resolve) => redirecting.close(resolve))
      }
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('LFS pointers with an upper-case or 63-digit oid are named: a warning in the log, job.json and the output', async () => {
    const res = await pack('malformed', [])
    expect(res.code).toBe(0)
    const job = JSON.parse(await readFile(path.join(res.json.job_dir as string, 'job.json'), 'utf8')) as Recorded
    const warning = expect.stringMatching(
      /^2 file\(s\) start like Git LFS pointers but are not valid ones \(the oid must be "sha256:" and 64 lower-case hex digits.*packaged as they are: "short\.bin", "upper\.bin"\.$/
    )
    expect(job.warnings).toEqual([warning])
    expect(res.json.warnings).toEqual(job.warnings)
    expect(res.stderr).toContain(job.warnings[0])
  })
})
