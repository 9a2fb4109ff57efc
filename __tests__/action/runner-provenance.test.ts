/**
 * Provenance, as a runner runs the step: the in-toto statement written beside
 * the archive and uploaded as its own artifact, whose subject is the digest
 * the artifact service recorded for the archive; and `attest`, whose
 * permission failures are reported before (no OIDC endpoint) or after (the
 * endpoint refuses) packaging. Signing itself needs GitHub's Sigstore
 * services, which a loopback test cannot reach: what is checked here is
 * everything up to that call.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import type { ProvenanceStatement } from '../../src/core/provenance.js'
import { startArtifactBackend, type ArtifactBackend } from '../helpers/artifact-backend.js'
import { runAction, type RunActionOptions, type RunActionResult } from '../helpers/run-action.js'
import { DATASET_SHA, errors, repoRoot, sha256, startFixture, type Fixture } from './support.js'

let fx: Fixture
let backend: ArtifactBackend
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  ;[fx, backend] = await Promise.all([startFixture(), startArtifactBackend()])
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})
afterAll(async () => {
  await Promise.all([fx?.close(), backend?.close()])
})

async function pack(jobId: string, opts: Partial<RunActionOptions> = {}): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: repoRoot,
    githubToken: 'ghs_defaultWorkflowToken0123456789',
    ...opts,
    inputs: {
      'git-url': fx.git.url('model.git'),
      'commit-hash': fx.commit,
      'data-url': fx.data.url('/data/train.csv'),
      'data-sha256': DATASET_SHA,
      command: 'python train.py',
      'job-id': jobId,
      ...fx.loopback,
      ...opts.inputs
    },
    env: { ...backend.env, ...opts.env }
  })
  cleanups.push(r.cleanup)
  return r
}

/** Downloads an artifact of this run by name with the real client, as a downstream job would. */
async function download(name: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jp-prov-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const saved = { ...process.env }
  Object.assign(process.env, backend.envFor({ workflowJobRunBackendId: 'downstream-job' }), { GITHUB_WORKSPACE: dir })
  const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    const client = new DefaultArtifactClient()
    const { artifact } = await client.getArtifact(name)
    await client.downloadArtifact(artifact.id, { path: dir, expectedHash: artifact.digest })
    return await readFile(path.join(dir, name))
  } finally {
    quiet.mockRestore()
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

/** A stand-in for the runner's OIDC token endpoint that refuses, as it does without `id-token: write` granted to it. */
async function refusingOidc(): Promise<{ url: string; requests: number; close: () => Promise<void> }> {
  const state = { requests: 0 }
  const server: Server = createServer((_req, res) => {
    state.requests++
    res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Resource not accessible by integration"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/token?api-version=2.0`,
    get requests() {
      return state.requests
    },
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

describe('provenance', () => {
  test('the statement is written, uploaded as its own artifact, and names the uploaded archive by its digest', async () => {
    const r = await pack('prov-1')
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)
    const statementPath = path.join(r.workspace, 'jobs', 'prov-1.intoto.json')
    expect(r.outputs['provenance-path']).toBe(statementPath)
    const onDisk = await readFile(statementPath)

    // The artifact service holds both, each under its file name; the statement's bytes are the file's.
    const archive = backend.artifacts.find((a) => a.name === 'prov-1.tar.gz' && a.finalized)!
    const stored = backend.artifacts.find((a) => a.name === 'prov-1.intoto.json' && a.finalized)!
    expect(String(stored.id)).toBe(r.outputs['provenance-artifact-id'])
    expect(stored.digest).toBe(`sha256:${sha256(onDisk)}`)
    const downloaded = await download('prov-1.intoto.json')
    expect(downloaded.equals(onDisk)).toBe(true)

    const statement = JSON.parse(downloaded.toString('utf8')) as ProvenanceStatement
    // The subject is exactly what a downstream job downloads: the service's digest of the archive artifact.
    expect(statement.subject).toEqual([{ name: 'prov-1.tar.gz', digest: { sha256: archive.digest!.replace(/^sha256:/, '') } }])
    expect(statement.subject[0]!.digest.sha256).toBe(r.outputs['archive-sha256'])
    expect(sha256(await download('prov-1.tar.gz'))).toBe(statement.subject[0]!.digest.sha256)

    const { buildDefinition, runDetails } = statement.predicate
    expect(buildDefinition.resolvedDependencies).toEqual([
      { uri: `git+${fx.git.url('model.git')}@${fx.commit}`, name: 'code', digest: { gitCommit: fx.commit } },
      { uri: fx.data.url('/data/train.csv'), name: 'data/train.csv', digest: { sha256: DATASET_SHA } }
    ])
    expect(buildDefinition.externalParameters.workflow).toEqual({
      repository: 'https://github.com/octo-org/octo-repo',
      ref: 'refs/heads/main',
      path: '.github/workflows/ci.yml'
    })
    expect(buildDefinition.internalParameters.content_digest).toBe(r.outputs['content-digest'])
    expect(runDetails.builder.id).toBe('https://github.com/octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main')
    expect(runDetails.metadata.invocationId).toBe('https://github.com/octo-org/octo-repo/actions/runs/1000000001/attempts/1')
    // No token anywhere in it.
    expect(downloaded.toString('utf8')).not.toContain('ghs_')
    expect(r.summary).toContain('<code>prov-1.intoto.json</code>')
  })

  test('provenance: false writes and uploads no statement', async () => {
    const r = await pack('prov-off', { inputs: { provenance: 'false' } })
    expect(r.code).toBe(0)
    expect(existsSync(path.join(r.workspace, 'jobs', 'prov-off.intoto.json'))).toBe(false)
    expect(backend.artifacts.some((a) => a.name === 'prov-off.intoto.json')).toBe(false)
    expect(r.outputs['provenance-path'] ?? '').toBe('')
    expect(r.summary).toContain('not written (provenance: false)')
  })

  test('attest without an OIDC token fails before anything is packaged, naming the permissions', async () => {
    const r = await pack('attest-no-oidc', { inputs: { attest: 'true' } })
    expect(r.code).toBe(1)
    const [message] = errors(r)
    expect(message).toMatch(/Invalid attest: needs an OIDC token to sign, and this job has none/)
    expect(message).toContain('id-token: write')
    expect(message).toContain('attestations: write')
    expect(existsSync(path.join(r.workspace, 'jobs'))).toBe(false)
    expect(backend.artifacts.some((a) => a.name.startsWith('attest-no-oidc'))).toBe(false)
  })

  test('attest with provenance: false is refused up front', async () => {
    const oidc = await refusingOidc()
    cleanups.push(oidc.close)
    const r = await pack('attest-no-prov', {
      inputs: { attest: 'true', provenance: 'false' },
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token' }
    })
    expect(r.code).toBe(1)
    expect(errors(r).join('\n')).toMatch(/Invalid attest: is true but provenance is false/)
    expect(oidc.requests).toBe(0)
  })

  test('attest when the OIDC endpoint refuses: the package and statement are uploaded, the step fails naming id-token: write', async () => {
    const oidc = await refusingOidc()
    cleanups.push(oidc.close)
    const r = await pack('attest-403', {
      inputs: { attest: 'true' },
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token' }
    })
    expect(r.code).toBe(1)
    expect(oidc.requests).toBeGreaterThan(0)
    const message = errors(r).join('\n')
    expect(message).toMatch(/Signing the provenance statement failed: the job could not get an OIDC token/)
    expect(message).toContain('id-token: write')
    expect(backend.artifacts.some((a) => a.name === 'attest-403.tar.gz' && a.finalized)).toBe(true)
    expect(backend.artifacts.some((a) => a.name === 'attest-403.intoto.json' && a.finalized)).toBe(true)
    expect(r.outputs['attestation-id'] ?? '').toBe('')
    expect(r.summary).toContain('signing failed (see the step log)')
    // The OIDC request token is the runner's secret: it never reaches the log.
    expect(r.stdout).not.toContain('oidc-request-token')
  })
})
