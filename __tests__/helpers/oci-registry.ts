/**
 * A real container registry on 127.0.0.1 for the base-image pinning tests:
 * Debian's `docker-registry` (the CNCF distribution registry, v2.8) over
 * HTTPS with the throwaway test CA, configured for token authentication the
 * way Docker Hub runs it. Every request to the registry without a token gets
 * `401 WWW-Authenticate: Bearer realm=…,service=…,scope=…`; the realm is a
 * small Node token server here that hands out JWTs (ES256, the signing
 * certificate in the `x5c` header) which the registry verifies against the
 * certificate it was told to trust (`auth.token.rootcertbundle`).
 *
 * The token server grants `pull` to anyone (anonymous pull, as on Docker
 * Hub) and `push` only with the pusher's Basic credentials, and records every
 * token request, so a test can prove the bearer flow really ran.
 *
 * Images are pushed with `skopeo copy` from an OCI image layout written here
 * (one small layer; a single-platform image, and a two-platform index), so
 * the registry stores and serves them exactly as it would a pushed image;
 * `skopeo inspect` of the same tag gives the digest a test compares with.
 *
 * Needs `apt-get install -y docker-registry skopeo` (in .ci/run). Everything
 * runs asynchronously: the token server shares the test's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import * as https from 'node:https'
import net, { type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { acquireTestCert, run, tlsServerOptions, type TestCert } from './git-server.js'

export const PUSHER = { user: 'pusher', password: 'push-secret' } as const
const SERVICE = 'job-packager-test-registry'
const ISSUER = 'job-packager-test-token-issuer'

export interface TokenRequestRecord {
  /** `scope` parameters as received, e.g. ["repository:test/hello:pull"]. */
  scopes: string[]
  service: string | null
  /** Whether Basic credentials came with the request. */
  withCredentials: boolean
  /** Actions granted, per repository. */
  granted: Array<{ name: string; actions: string[] }>
}

export interface OciRegistry {
  /** `127.0.0.1:PORT`: the registry part of an image reference. */
  host: string
  /** PEM of the CA that signed the registry's (and the token server's) TLS certificate. */
  caFile: string
  /** Every token the realm was asked for. */
  tokenRequests: TokenRequestRecord[]
  /** The realm's URL as the registry announces it. */
  realm: string
  /** Pushes the fixture images: `single` (one platform) and `multi` (an index of amd64 and arm64). */
  push(repository: string, tag: string, image: 'single' | 'multi', opts?: { format?: 'oci' | 'v2s2' }): Promise<void>
  /** `skopeo inspect` of a tag: the digest it reports, and the sha256 of the raw manifest. */
  inspect(reference: string): Promise<{ digest: string; rawDigest: string; mediaType: string }>
  close(): Promise<void>
}

/** Starts the token server and the registry; resolves once the registry answers `/v2/` with its challenge. */
export async function startOciRegistry(): Promise<OciRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jp-oci-registry-'))
  const { cert, release } = await acquireTestCert()
  let registry: ChildProcess | undefined
  let tokenServer: https.Server | undefined
  const sockets = new Set<Socket>()
  const cleanup = async (): Promise<void> => {
    if (registry && registry.exitCode === null && registry.signalCode === null) {
      const exited = new Promise((resolve) => registry!.once('exit', resolve))
      registry.kill('SIGTERM')
      await exited
    }
    for (const s of sockets) s.destroy()
    if (tokenServer) await new Promise((resolve) => tokenServer!.close(resolve))
    await rm(dir, { recursive: true, force: true })
    await release()
  }
  try {
    const signer = await makeTokenSigner(dir)
    const tokenRequests: TokenRequestRecord[] = []
    tokenServer = https.createServer(await tlsServerOptions(cert), (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1')
      if (url.pathname !== '/token') {
        res.writeHead(404).end()
        return
      }
      const withCredentials = req.headers.authorization !== undefined
      const pusher = req.headers.authorization === `Basic ${Buffer.from(`${PUSHER.user}:${PUSHER.password}`).toString('base64')}`
      if (withCredentials && !pusher) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}')
        return
      }
      const scopes = url.searchParams.getAll('scope')
      const granted = scopes.flatMap((scope) => {
        const m = /^repository:([^:]+):(.+)$/.exec(scope)
        if (!m) return []
        const actions = m[2]!.split(',').filter((a) => a === 'pull' || (a === 'push' && pusher))
        return [{ name: m[1]!, actions }]
      })
      tokenRequests.push({ scopes, service: url.searchParams.get('service'), withCredentials, granted })
      const token = signer.sign(granted)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }))
    })
    tokenServer.on('connection', (s: Socket) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
    await new Promise<void>((resolve) => tokenServer!.listen(0, '127.0.0.1', resolve))
    const realm = `https://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`

    const port = await freePort()
    const config = path.join(dir, 'config.yml')
    await writeFile(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        '  accesslog:',
        '    disabled: true',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${path.join(dir, 'storage')}`,
        'http:',
        `  addr: 127.0.0.1:${port}`,
        '  tls:',
        `    certificate: ${cert.certFile}`,
        `    key: ${cert.keyFile}`,
        'auth:',
        '  token:',
        `    realm: ${realm}`,
        `    service: ${SERVICE}`,
        `    issuer: ${ISSUER}`,
        `    rootcertbundle: ${signer.certFile}`,
        ''
      ].join('\n')
    )
    let log = ''
    registry = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] })
    registry.stdout!.setEncoding('utf8').on('data', (c: string) => (log += c))
    registry.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c))
    const host = `127.0.0.1:${port}`
    await waitForChallenge(host, cert, registry, () => log)

    const certDir = path.join(dir, 'skopeo-certs')
    await mkdir(certDir)
    await writeFile(path.join(certDir, 'ca.crt'), await readFile(cert.caFile))
    const policy = path.join(dir, 'policy.json')
    await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }))
    const layout = path.join(dir, 'layout')
    await writeOciLayout(layout)
    const skopeo = (args: string[]) =>
      run('skopeo', ['--policy', policy, ...args], { env: { PATH: process.env.PATH, HOME: dir, TMPDIR: dir }, timeoutMs: 60_000 })

    return {
      host,
      caFile: cert.caFile,
      tokenRequests,
      realm,
      async push(repository, tag, image, opts = {}) {
        await skopeo([
          'copy',
          '--quiet',
          ...(image === 'multi' ? ['--all'] : []),
          ...(opts.format === 'v2s2' ? ['--format', 'v2s2'] : []),
          '--dest-cert-dir',
          certDir,
          '--dest-creds',
          `${PUSHER.user}:${PUSHER.password}`,
          `oci:${layout}:${image}`,
          `docker://${host}/${repository}:${tag}`
        ])
      },
      async inspect(reference) {
        const raw = await skopeo(['inspect', '--raw', '--cert-dir', certDir, `docker://${reference}`])
        const info = await skopeo(['inspect', '--cert-dir', certDir, `docker://${reference}`])
        const parsed = JSON.parse(info.stdout) as { Digest: string }
        const manifest = JSON.parse(raw.stdout) as { mediaType?: string }
        return {
          digest: parsed.Digest,
          rawDigest: `sha256:${createHash('sha256').update(raw.stdoutBuffer).digest('hex')}`,
          mediaType: manifest.mediaType ?? ''
        }
      },
      close: cleanup
    }
  } catch (err) {
    await cleanup()
    throw err
  }
}

/** A free TCP port on 127.0.0.1 (the registry needs a fixed address in its config). */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function waitForChallenge(host: string, cert: TestCert, child: ChildProcess, log: () => string): Promise<void> {
  const ca = await readFile(cert.caFile)
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${log()}`)
    const status = await new Promise<number>((resolve) => {
      const req = https.get(`https://${host}/v2/`, { ca, agent: false }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', () => resolve(0))
    })
    if (status === 401) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`docker-registry did not answer on ${host}:\n${log()}`)
}

/**
 * The token signer: an EC P-256 key and a self-signed certificate for it,
 * which the registry trusts (rootcertbundle) and each token carries in x5c.
 */
async function makeTokenSigner(dir: string): Promise<{ certFile: string; sign: (access: TokenRequestRecord['granted']) => string }> {
  const keyFile = path.join(dir, 'token-signer.key')
  const certFile = path.join(dir, 'token-signer.pem')
  const cnf = path.join(dir, 'token-signer.cnf')
  await writeFile(
    cnf,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = job-packager test token signer',
      '[v3]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,digitalSignature,keyCertSign',
      'subjectKeyIdentifier = hash',
      ''
    ].join('\n')
  )
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-config',
      cnf,
      '-extensions',
      'v3',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2'
    ],
    { env: { ...process.env, OPENSSL_CONF: cnf } }
  )
  const key = createPrivateKey(await readFile(keyFile))
  const der = new X509Certificate(await readFile(certFile)).raw.toString('base64')
  const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return {
    certFile,
    sign(access) {
      const now = Math.floor(Date.now() / 1000)
      const header = b64url({ typ: 'JWT', alg: 'ES256', x5c: [der] })
      const claims = b64url({
        iss: ISSUER,
        sub: '',
        aud: SERVICE,
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomBytes(8).toString('hex'),
        access: access.map(({ name, actions }) => ({ type: 'repository', name, actions }))
      })
      // JWS ES256: the raw r||s signature, not DER.
      const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')
      return `${header}.${claims}.${signature}`
    }
  }
}

/**
 * An OCI image layout with two images: `single` (linux/amd64) and `multi`
 * (an index of linux/amd64 and linux/arm64), sharing one small layer.
 */
async function writeOciLayout(dir: string): Promise<void> {
  const blobs = path.join(dir, 'blobs', 'sha256')
  await mkdir(blobs, { recursive: true })
  const put = async (bytes: Buffer, mediaType: string): Promise<{ mediaType: string; digest: string; size: number }> => {
    const hex = createHash('sha256').update(bytes).digest('hex')
    await writeFile(path.join(blobs, hex), bytes)
    return { mediaType, digest: `sha256:${hex}`, size: bytes.length }
  }
  const tar = tarOneFile('hello.txt', 'hello from the test registry\n')
  const layer = await put(gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip')
  const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`
  const manifestFor = async (architecture: string) => {
    const config = await put(
      Buffer.from(JSON.stringify({ architecture, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] } })),
      'application/vnd.oci.image.config.v1+json'
    )
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] })
    )
    return { ...(await put(manifest, 'application/vnd.oci.image.manifest.v1+json')), platform: { architecture, os: 'linux' } }
  }
  const amd64 = await manifestFor('amd64')
  const arm64 = await manifestFor('arm64')
  const index = await put(
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [amd64, arm64] })),
    'application/vnd.oci.image.index.v1+json'
  )
  const ref = (name: string) => ({ 'org.opencontainers.image.ref.name': name })
  const single = { mediaType: amd64.mediaType, digest: amd64.digest, size: amd64.size }
  await writeFile(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { ...single, annotations: ref('single') },
        { ...index, annotations: ref('multi') }
      ]
    })
  )
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
}

/** A ustar archive holding one regular file (enough for a layer; no tar program needed). */
function tarOneFile(name: string, content: string): Buffer {
  const body = Buffer.from(content)
  const header = Buffer.alloc(512)
  header.write(name, 0)
  header.write('0000644\0', 100)
  header.write('0000000\0', 108)
  header.write('0000000\0', 116)
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124)
  header.write('00000000000\0', 136)
  header.write('        ', 148)
  header.write('0', 156)
  header.write('ustar\0', 257)
  header.write('00', 263)
  let sum = 0
  for (const b of header) sum += b
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512)
  body.copy(padded)
  return Buffer.concat([header, padded, Buffer.alloc(1024)])
}
