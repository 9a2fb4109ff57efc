/**
 * A real builder builds on the pinned base: the Dockerfile's own
 * `ARG BASE_IMAGE=…@sha256:…` / `FROM ${BASE_IMAGE}` lines, as the packager
 * wrote them, built with `buildah bud` against the loopback registry with
 * token auth (helpers/oci-registry.ts). buildah pulls the multi-platform index
 * by its digest and takes this machine's platform from it.
 *
 * Uses a buildah store of its own (a temporary folder), so it neither needs
 * nor disturbs the suite's cached base images.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pinBaseImage } from '../../src/core/oci/pin.js'
import { silentLogger } from '../../src/core/logger.js'
import { Redactor } from '../../src/core/redact.js'
import { renderDockerfile } from '../../src/core/render/dockerfile.js'
import { run } from '../helpers/git-server.js'
import { startOciRegistry, type OciRegistry } from '../helpers/oci-registry.js'

let registry: OciRegistry
let dir: string

beforeAll(async () => {
  registry = await startOciRegistry()
  dir = await mkdtemp(path.join(tmpdir(), 'jp-pin-build-'))
  await registry.push('test/hello', 'multi', 'multi')
})
afterAll(async () => {
  await registry?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

it('buildah builds FROM the pinned reference the packager wrote', async () => {
  const image = `${registry.host}/test/hello:multi`
  const pin = await pinBaseImage({
    image,
    mode: 'require',
    allowHttp: false,
    allowPrivateNetwork: true,
    idleTimeoutMs: 10_000,
    maxRedirects: 5,
    attempts: 1,
    retryDelayMs: 10,
    ca: await readFile(registry.caFile),
    logger: silentLogger,
    redactor: new Redactor()
  })
  expect(pin.record.multi_arch).toBe(true)
  const generated = renderDockerfile({
    baseImage: pin.reference,
    pinnedFrom: image,
    commit: 'a'.repeat(40),
    created: '2024-01-02T03:04:05Z'
  })
  // The generated base lines, as written; then a step that needs no shell (the test image has none).
  const baseLines = generated.split('\n').filter((l) => l.startsWith('ARG BASE_IMAGE=') || l === 'FROM ${BASE_IMAGE}')
  expect(baseLines).toEqual([`ARG BASE_IMAGE=${pin.reference}`, 'FROM ${BASE_IMAGE}'])
  const context = path.join(dir, 'context')
  const certs = path.join(dir, 'certs')
  await run('mkdir', ['-p', context, certs])
  await writeFile(path.join(certs, 'ca.crt'), await readFile(registry.caFile))
  await writeFile(path.join(context, 'Dockerfile'), [...baseLines, 'COPY marker.txt /marker.txt', ''].join('\n'))
  await writeFile(path.join(context, 'marker.txt'), 'built\n')
  const env = { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, HOME: dir, TMPDIR: dir, BUILDAH_ISOLATION: 'chroot' }
  const store = ['--root', path.join(dir, 'storage'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'vfs']
  const built = await run('buildah', [...store, 'bud', '--cert-dir', certs, '-t', 'pinned-build', context], { env, allowFailure: true })
  expect(built.stderr + built.stdout).toContain(`FROM ${pin.reference}`)
  expect(built.code).toBe(0)
  // The layer of the registry's image is there, with ours on top.
  const ctr = (await run('buildah', [...store, 'from', 'pinned-build'], { env })).stdout.trim()
  const mount = (await run('buildah', [...store, 'mount', ctr], { env })).stdout.trim()
  expect(await readFile(path.join(mount, 'hello.txt'), 'utf8')).toBe('hello from the test registry\n')
  expect(await readFile(path.join(mount, 'marker.txt'), 'utf8')).toBe('built\n')
  await run('buildah', [...store, 'umount', ctr], { env })
  await run('buildah', [...store, 'rm', ctr], { env })
})
