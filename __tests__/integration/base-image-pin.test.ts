/**
 * Base images pinned by digest, against a real registry: Debian's
 * docker-registry (distribution v2) on loopback over HTTPS, with token
 * authentication the way Docker Hub does it (helpers/oci-registry.ts), and
 * images pushed with skopeo. The digest the packager resolves is compared
 * with what `skopeo inspect` says about the same tag.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { BaseImagePinError, pinBaseImage, type PinRequest } from '../../src/core/oci/pin.js'
import { parseBearerChallenge } from '../../src/core/oci/registry-client.js'
import { parseImageReference, registryApiOrigin, withDigest } from '../../src/core/oci/reference.js'
import { silentLogger, type Logger } from '../../src/core/logger.js'
import { Redactor } from '../../src/core/redact.js'
import { startOciRegistry, type OciRegistry } from '../helpers/oci-registry.js'
import { cliEnv, REPO_ROOT, runCli } from '../helpers/cli.js'
import { parseWorkflowCommands, runAction } from '../helpers/run-action.js'
import { startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { listAll, tempDir } from '../helpers/workspace.js'
import { lintDockerfile } from '../helpers/dockerfile-lint.js'

let registry: OciRegistry
let ca: Buffer

beforeAll(async () => {
  registry = await startOciRegistry()
  ca = await readFile(registry.caFile)
  await registry.push('test/hello', '1.0', 'single')
  await registry.push('test/hello', '1.0-docker', 'single', { format: 'v2s2' })
  await registry.push('test/hello', 'multi', 'multi')
}, 120_000)
afterAll(async () => {
  await registry?.close()
})

function request(image: string, extra: Partial<PinRequest> = {}): PinRequest {
  return {
    image,
    mode: 'auto',
    allowHttp: false,
    allowPrivateNetwork: true,
    idleTimeoutMs: 10_000,
    maxRedirects: 5,
    attempts: 3,
    retryDelayMs: 10,
    ca,
    logger: silentLogger,
    redactor: new Redactor(),
    ...extra
  }
}

function recordingLogger(): Logger & { infos: string[]; warnings: string[] } {
  const infos: string[] = []
  const warnings: string[] = []
  return { ...silentLogger, infos, warnings, info: (m) => infos.push(m), warn: (m) => warnings.push(m) }
}

describe('pinning a base image against a real registry with token auth', () => {
  it('resolves a single-platform tag to the digest skopeo reports, through the anonymous bearer-token flow', async () => {
    const image = `${registry.host}/test/hello:1.0`
    const before = registry.tokenRequests.length
    const logger = recordingLogger()
    const pin = await pinBaseImage(request(image, { logger }))
    const inspected = await registry.inspect(image)
    expect(pin.record).toMatchObject({
      status: 'pinned',
      requested: image,
      resolved_from: `${registry.host}/test/hello:1.0`,
      digest: inspected.digest,
      media_type: 'application/vnd.oci.image.manifest.v1+json',
      multi_arch: false
    })
    expect(inspected.rawDigest).toBe(inspected.digest)
    // By digest alone: buildah and skopeo 1.x refuse name:tag@digest (the tag is in job.json and the Dockerfile's comment).
    expect(pin.reference).toBe(`${registry.host}/test/hello@${inspected.digest}`)
    expect(pin.warning).toBeUndefined()
    expect(logger.infos.join('\n')).toContain(`Base image ${image} pinned: ${registry.host}/test/hello@${inspected.digest}`)
    // Our token request: anonymous, for pulling this repository only, for the service the challenge named.
    const ours = registry.tokenRequests.slice(before, before + 1)
    expect(ours).toEqual([
      {
        scopes: ['repository:test/hello:pull'],
        service: 'job-packager-test-registry',
        withCredentials: false,
        granted: [{ name: 'test/hello', actions: ['pull'] }]
      }
    ])
  })

  it('pins a multi-platform tag to its index, so every platform stays buildable', async () => {
    const image = `${registry.host}/test/hello:multi`
    const pin = await pinBaseImage(request(image))
    const inspected = await registry.inspect(image)
    expect(inspected.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(pin.record).toMatchObject({
      status: 'pinned',
      digest: inspected.rawDigest,
      media_type: 'application/vnd.oci.image.index.v1+json',
      multi_arch: true
    })
    expect(pin.reference).toBe(`${registry.host}/test/hello@${inspected.rawDigest}`)
  })

  it('pins a Docker v2 manifest as well (the Accept header lists the Docker types too)', async () => {
    const image = `${registry.host}/test/hello:1.0-docker`
    const pin = await pinBaseImage(request(image))
    const inspected = await registry.inspect(image)
    expect(pin.record).toMatchObject({
      status: 'pinned',
      digest: inspected.digest,
      media_type: 'application/vnd.docker.distribution.manifest.v2+json',
      multi_arch: false
    })
  })

  it('keeps the tag with a warning for an unknown tag (auto), and fails clearly with require', async () => {
    const image = `${registry.host}/test/hello:9.9`
    const auto = await pinBaseImage(request(image))
    expect(auto.reference).toBe(image)
    expect(auto.record).toMatchObject({ status: 'floats', requested: image })
    expect(auto.record.reason).toMatch(/^unknown tag: .*test\/hello:9\.9: the registry has no such tag/)
    expect(auto.warning).toMatch(/^base image floats \(tag without digest\): .*hello:9\.9; unknown tag/)

    const strict = pinBaseImage(request(image, { mode: 'require' }))
    await expect(strict).rejects.toBeInstanceOf(BaseImagePinError)
    await expect(strict).rejects.toMatchObject({ kind: 'base-image' })
    await expect(strict).rejects.toThrow(/^Could not pin the base image .*hello:9\.9 by digest \(pinBaseImage: require\): unknown tag/)
  })

  it('keeps a reference that already has a digest exactly as given, without asking the registry', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`
    const before = registry.tokenRequests.length
    for (const image of [`${registry.host}/test/hello@${digest}`, `${registry.host}/test/hello:1.0@${digest}`]) {
      const pin = await pinBaseImage(request(image, { mode: 'require' }))
      expect(pin).toEqual({ reference: image, record: { status: 'given', requested: image, digest } })
    }
    expect(registry.tokenRequests.length).toBe(before)
  })

  it('off: does not ask, and says the base floats', async () => {
    const before = registry.tokenRequests.length
    const pin = await pinBaseImage(request(`${registry.host}/test/hello:1.0`, { mode: 'off' }))
    expect(pin.record).toEqual({
      status: 'floats',
      requested: `${registry.host}/test/hello:1.0`,
      reason: 'not resolved (pinBaseImage: off)'
    })
    // Asked for: said as a note (info), not a warning.
    expect(pin.warning).toBeUndefined()
    expect(pin.note).toContain('base image floats (tag without digest)')
    expect(registry.tokenRequests.length).toBe(before)
  })

  it('follows the address policy: a loopback registry needs allowPrivateNetwork, and nothing is asked without it', async () => {
    const before = registry.tokenRequests.length
    const image = `${registry.host}/test/hello:1.0`
    const auto = await pinBaseImage(request(image, { allowPrivateNetwork: false }))
    expect(auto.record.status).toBe('floats')
    expect(auto.record.reason).toMatch(/Refused to connect to 127\.0\.0\.1.*allowPrivateNetwork: true/)
    await expect(pinBaseImage(request(image, { allowPrivateNetwork: false, mode: 'require' }))).rejects.toThrow(/loopback, private/)
    expect(registry.tokenRequests.length).toBe(before)
  })

  it('an unreachable registry: a warning (auto) or an error (require), after the retries, not a hang', async () => {
    // A port nobody listens on: connection refused, retried, then given up.
    const probe = net.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const image = `127.0.0.1:${port}/test/hello:1.0`
    const logger = recordingLogger()
    const auto = await pinBaseImage(request(image, { logger }))
    expect(auto.record.status).toBe('floats')
    expect(auto.record.reason).toContain('ECONNREFUSED')
    // Retried like any other transient network failure (attempts: 3).
    expect(logger.warnings.filter((w) => w.includes('attempt'))).toHaveLength(2)
    await expect(pinBaseImage(request(image, { mode: 'require' }))).rejects.toThrow(/Could not pin the base image .* ECONNREFUSED/)
  })

  it('a registry that accepts the connection but never answers: the pin deadline ends it with a warning', async () => {
    const sockets: net.Socket[] = []
    const silent = net.createServer((s) => sockets.push(s))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const image = `127.0.0.1:${(silent.address() as AddressInfo).port}/test/hello:1.0`
      const pin = await pinBaseImage(request(image, { deadlineMs: 500 }))
      expect(pin.record).toMatchObject({ status: 'floats' })
      expect(pin.record.reason).toMatch(/: no answer from the registry within 1 s$/)
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('the job being cancelled is not turned into a warning', async () => {
    const controller = new AbortController()
    controller.abort(new Error('cancelled by the test'))
    await expect(pinBaseImage(request(`${registry.host}/test/hello:1.0`, { signal: controller.signal }))).rejects.toThrow(
      'cancelled by the test'
    )
  })
})

describe('image references and challenges (Docker naming rules)', () => {
  it.each([
    ['python:3.12', 'docker.io', 'library/python', '3.12'],
    ['docker.io/python:3.12', 'docker.io', 'library/python', '3.12'],
    ['index.docker.io/library/python:3.12', 'docker.io', 'library/python', '3.12'],
    ['someone/tool:1.0', 'docker.io', 'someone/tool', '1.0'],
    ['ghcr.io/owner/image:v1', 'ghcr.io', 'owner/image', 'v1'],
    ['localhost/image:v1', 'localhost', 'image', 'v1'],
    ['127.0.0.1:5000/a/b:c', '127.0.0.1:5000', 'a/b', 'c'],
    ['registry.example:443/x:1', 'registry.example:443', 'x', '1']
  ])('%s is %s / %s : %s', (text, registryHost, repository, tag) => {
    expect(parseImageReference(text)).toEqual({ text, registry: registryHost, repository, tag })
  })

  it('finds Docker Hub at its API host, other registries at their own, always over https', () => {
    expect(registryApiOrigin('docker.io')).toBe('https://registry-1.docker.io')
    expect(registryApiOrigin('127.0.0.1:5000')).toBe('https://127.0.0.1:5000')
  })

  it('names the image by digest alone (the tag dropped: buildah refuses name:tag@digest)', () => {
    const d = `sha256:${'0'.repeat(64)}`
    expect(withDigest(parseImageReference('python:3.12-slim'), d)).toBe(`python@${d}`)
    expect(withDigest(parseImageReference('127.0.0.1:5000/a/b:c'), d)).toBe(`127.0.0.1:5000/a/b@${d}`)
    expect(withDigest(parseImageReference(`python:3.12@sha256:${'1'.repeat(64)}`), d)).toBe(`python@${d}`)
    expect(parseImageReference(`python@${d}`)).toEqual({
      text: `python@${d}`,
      registry: 'docker.io',
      repository: 'library/python',
      digest: d
    })
  })

  it('reads Bearer challenges, quoted or not, among other schemes', () => {
    expect(parseBearerChallenge('Bearer realm="https://a.example/token",service="reg",scope="repository:x:pull"')).toEqual({
      realm: 'https://a.example/token',
      service: 'reg',
      scope: 'repository:x:pull'
    })
    expect(parseBearerChallenge('Basic realm="x", Bearer realm=https://b.example/t,service=s')).toEqual({
      realm: 'https://b.example/t',
      service: 's'
    })
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined()
    expect(parseBearerChallenge('Bearer service="x"')).toBeUndefined()
  })
})

describe('the CLI and the Action, end to end (the bundles, as npx and the runner run them)', () => {
  let root: { dir: string; cleanup: () => Promise<void> }
  let git: GitServer
  let commit: string
  let n = 0
  beforeAll(async () => {
    root = await tempDir()
    commit = (await makeRepo(path.join(root.dir, 'src'), { 'main.py': 'print("hi")\n' })).commit
    await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'repo.git')
    git = await startGitServer({ root: path.join(root.dir, 'served') })
  })
  afterAll(async () => {
    await git?.close()
    await root?.cleanup()
  })
  const pack = (out: string, extra: string[]) =>
    runCli(
      [
        'pack',
        '--git-url',
        git.url('repo.git'),
        '--commit',
        commit,
        '--command',
        'python3 main.py',
        '--allow-protocols',
        'https,http',
        '--allow-private-network',
        '--retry-delay-ms',
        '10',
        '--out',
        out,
        '--job-id',
        'pinned',
        ...extra
      ],
      // Node reads extra CAs at start-up: the child trusts the registry's test CA through its environment.
      { env: cliEnv({ NODE_EXTRA_CA_CERTS: registry.caFile }) }
    )
  const outDir = () => path.join(root.dir, `out-${++n}`)

  it('writes the pinned reference into the Dockerfile and job.json, and prints it', async () => {
    const image = `${registry.host}/test/hello:multi`
    const before = registry.tokenRequests.length
    const out = outDir()
    const res = await pack(out, ['--base-image', image])
    expect(res.stderr).not.toContain('base image floats')
    expect(res.code).toBe(0)
    const { rawDigest } = await registry.inspect(image)
    const pinned = `${registry.host}/test/hello@${rawDigest}`
    const dockerfile = await readFile(path.join(out, 'pinned', 'Dockerfile'), 'utf8')
    expect(dockerfile).toContain(`\nARG BASE_IMAGE=${pinned}\nFROM \${BASE_IMAGE}\n`)
    expect(dockerfile).toContain(
      `\n# Base image: ${image} pinned by digest to ${pinned}, from the base-image option (detected: python:3.12-slim-bookworm).\n`
    )
    expect(lintDockerfile(dockerfile)).toEqual([])
    const job = JSON.parse(await readFile(path.join(out, 'pinned', 'job.json'), 'utf8')) as { environment: Record<string, unknown> }
    expect(job.environment).toMatchObject({
      base_image: pinned,
      base_image_from: 'base-image option',
      detected_base_image: 'python:3.12-slim-bookworm',
      base_image_pin: {
        status: 'pinned',
        requested: image,
        resolved_from: `${registry.host}/test/hello:multi`,
        digest: rawDigest,
        media_type: 'application/vnd.oci.image.index.v1+json',
        multi_arch: true
      }
    })
    expect(job.environment.warnings).toEqual([])
    // The key sits beside the base image it describes.
    expect(Object.keys(job.environment).indexOf('base_image_pin')).toBe(Object.keys(job.environment).indexOf('detected_base_image') + 1)
    expect(res.stdout).toContain(`base image      ${pinned} (pinned by digest, multi-platform index)`)
    expect(res.stderr).toContain(`Base image ${image} pinned: ${pinned}`)
    // The CLI, a separate process, went through the token flow too.
    expect(registry.tokenRequests.length).toBeGreaterThan(before)

    const json = await pack(outDir(), ['--base-image', image, '--json'])
    expect(json.code).toBe(0)
    expect((JSON.parse(json.stdout) as { base_image: unknown }).base_image).toMatchObject({
      reference: pinned,
      status: 'pinned',
      digest: rawDigest
    })
  })

  it('an unknown tag: packaged with a warning that the base floats (auto); with require, exit 1 and nothing left behind', async () => {
    const image = `${registry.host}/test/hello:no-such-tag`
    const out = outDir()
    const res = await pack(out, ['--base-image', image])
    expect(res.code).toBe(0)
    expect(res.stderr).toMatch(/warning: base image floats \(tag without digest\): .*hello:no-such-tag; unknown tag/)
    expect(res.stdout).toContain(`base image      ${image} (FLOATS: tag without digest (unknown tag: `)
    const dockerfile = await readFile(path.join(out, 'pinned', 'Dockerfile'), 'utf8')
    expect(dockerfile).toContain(`\nARG BASE_IMAGE=${image}\n`)
    const job = JSON.parse(await readFile(path.join(out, 'pinned', 'job.json'), 'utf8')) as {
      environment: { base_image_pin: { status: string }; warnings: string[] }
    }
    expect(job.environment.base_image_pin.status).toBe('floats')
    expect(job.environment.warnings).toContainEqual(expect.stringMatching(/^base image floats \(tag without digest\): /))

    const strictOut = outDir()
    const strict = await pack(strictOut, ['--base-image', image, '--pin-base-image', 'require', '--json'])
    expect(strict.code).toBe(1)
    const error = (JSON.parse(strict.stdout) as { error: { kind: string; message: string } }).error
    expect(error.kind).toBe('base-image')
    expect(error.message).toMatch(/^Could not pin the base image .*no-such-tag by digest \(--pin-base-image require\): unknown tag: /)
    expect(error.message).toContain('--pin-base-image auto')
    expect(await listAll(strictOut)).toEqual([])
  })

  it('the Action (run as the runner runs it): the job summary shows the pinned base, or flags one that floats', async () => {
    const action = (image: string) =>
      runAction({
        actionDir: REPO_ROOT,
        inputs: {
          'git-url': git.url('repo.git'),
          'commit-hash': commit,
          command: 'python3 main.py',
          'job-id': 'action-pin',
          upload: 'false',
          'allow-protocols': 'https,http',
          'allow-private-network': 'true',
          'retry-delay-ms': '10',
          'base-image': image
        },
        env: { NODE_EXTRA_CA_CERTS: registry.caFile }
      })
    const image = `${registry.host}/test/hello:1.0`
    const { digest } = await registry.inspect(image)
    const pinned = await action(image)
    expect(pinned.code).toBe(0)
    expect(pinned.summary).toContain(
      `<th align="left">Base image</th><td><code>${registry.host}/test/hello@${digest}</code> pinned by digest</td>`
    )
    expect(parseWorkflowCommands(pinned.stdout).filter((c) => c.command === 'warning')).toEqual([])

    const floating = await action(`${registry.host}/test/hello:gone`)
    expect(floating.code).toBe(0)
    expect(floating.summary).toContain('<strong>base image floats (tag without digest)</strong>: unknown tag: ')
    const warnings = parseWorkflowCommands(floating.stdout).filter((c) => c.command === 'warning')
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^base image floats \(tag without digest\): .*hello:gone; unknown tag/)
    )
  })

  it('off: the registry is not asked, and the output says the base floats', async () => {
    const before = registry.tokenRequests.length
    const out = outDir()
    const res = await pack(out, ['--base-image', `${registry.host}/test/hello:1.0`, '--pin-base-image', 'off'])
    expect(res.code).toBe(0)
    expect(res.stderr).toContain('base image floats (tag without digest)')
    expect(res.stderr).toContain('not resolved (--pin-base-image off)')
    expect(registry.tokenRequests.length).toBe(before)
  })
})

describe('registries that misbehave (a programmable HTTPS server on loopback)', () => {
  const TOKEN = 'tok-SECRET-0123456789'
  const INDEX = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }))
  const INDEX_DIGEST = `sha256:${createHash('sha256').update(INDEX).digest('hex')}`
  let fake: DataServer
  let elsewhere: DataServer
  beforeAll(async () => {
    fake = await startDataServer({ https: true })
    elsewhere = await startDataServer({ https: true })
  })
  afterAll(async () => {
    await Promise.all([fake?.close(), elsewhere?.close()])
  })
  const image = (tag: string) => `127.0.0.1:${fake.port}/x/img:${tag}`
  /** A manifest route behind the bearer challenge; `answer` runs once the right token came. */
  const challenged = (tag: string, answer: Parameters<DataServer['route']>[1], realm = fake.url('/token')) => {
    fake.route(
      '/token',
      (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN }))
    )
    fake.route(`/v2/x/img/manifests/${tag}`, (req, res, ctx) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="fake"` }).end()
        return
      }
      return answer(req, res, ctx)
    })
  }
  // The fake servers borrow the same throwaway CA as the registry (acquireTestCert), so `ca` trusts them too.
  const fakeRequest = (tag: string, extra: Partial<PinRequest> = {}) => request(image(tag), extra)

  it('never sends the token past a redirect to another origin', async () => {
    elsewhere.route(
      '/m',
      (_req, res) =>
        void res
          .writeHead(200, { 'docker-content-digest': INDEX_DIGEST, 'content-type': 'application/vnd.oci.image.index.v1+json' })
          .end(INDEX)
    )
    challenged('redirected', (_req, res) => void res.writeHead(307, { location: elsewhere.url('/m') }).end())
    const pin = await pinBaseImage(fakeRequest('redirected'))
    expect(pin.record).toMatchObject({ status: 'pinned', digest: INDEX_DIGEST, multi_arch: true })
    expect(elsewhere.requests.length).toBeGreaterThan(0)
    expect(elsewhere.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([])
    // The token did go to the registry's own origin (that is where it belongs).
    expect(fake.requests.some((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true)
  })

  it('without a digest header, reads the manifest and hashes it itself', async () => {
    challenged('nodigest', (_req, res) => void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' }).end(INDEX))
    const before = fake.requests.length
    const pin = await pinBaseImage(fakeRequest('nodigest'))
    expect(pin.record).toMatchObject({ status: 'pinned', digest: INDEX_DIGEST, media_type: 'application/vnd.oci.image.index.v1+json' })
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.pathname}`)).toContain('GET /v2/x/img/manifests/nodigest')
  })

  it('refuses a digest header that does not match the manifest bytes', async () => {
    challenged(
      'liar',
      (req, res) =>
        void res
          .writeHead(200, {
            'content-type': 'application/vnd.oci.image.index.v1+json',
            ...(req.method === 'GET' ? { 'docker-content-digest': `sha256:${'0'.repeat(64)}` } : {})
          })
          .end(INDEX)
    )
    const pin = await pinBaseImage(fakeRequest('liar'))
    expect(pin.record.status).toBe('floats')
    expect(pin.record.reason).toContain(`but its bytes hash to ${INDEX_DIGEST}`)
  })

  it('sends the token request through the same rules: no plain http, no blocked address', async () => {
    challenged('httprealm', () => undefined, `http://127.0.0.1:${fake.port}/token`)
    const plain = await pinBaseImage(fakeRequest('httprealm'))
    expect(plain.record.reason).toMatch(
      /refused the token realm http:\/\/127\.0\.0\.1:\d+\/token: plain http, which would carry the token in clear/
    )

    challenged('metadata', () => undefined, 'https://169.254.169.254/token')
    const metadata = await pinBaseImage(fakeRequest('metadata', { blockedAddress: (a) => a.startsWith('169.254.') }))
    expect(metadata.record.reason).toMatch(/Refused to connect to 169\.254\.169\.254/)
  })

  it('a Basic-only challenge (credentials wanted) floats with a clear reason; no credentials are sent', async () => {
    fake.route('/v2/x/img/manifests/private', (_req, res) => void res.writeHead(401, { 'www-authenticate': 'Basic realm="private"' }).end())
    const pin = await pinBaseImage(fakeRequest('private'))
    expect(pin.record.reason).toContain('asks for credentials without offering a bearer token (WWW-Authenticate: Basic)')
    expect(fake.requests.filter((r) => r.pathname === '/v2/x/img/manifests/private' && r.headers.authorization)).toEqual([])
  })
})
