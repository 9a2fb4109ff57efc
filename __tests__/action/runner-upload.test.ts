/**
 * The Action as the runner runs it (dist/index.js on Node 24, inputs from
 * action.yml, GITHUB_OUTPUT/STEP_SUMMARY files), packaging from a loopback
 * git server and data server and uploading to the local artifact backend;
 * then the artifact is fetched back the way a downstream job would.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import type { Manifest } from '../../src/core/render/manifest.js'
import { startArtifactBackend, type ArtifactBackend } from '../helpers/artifact-backend.js'
import { runAction, type RunActionOptions, type RunActionResult } from '../helpers/run-action.js'
import {
  DATASET,
  DATASET_SHA,
  effectiveCommands,
  errors,
  repoRoot,
  sha256,
  startFixture,
  transcript,
  untar,
  type Fixture
} from './support.js'

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

/** One step of the Action with the fixture's spec; `inputs` and `env` are merged over the defaults. */
async function pack(jobId: string, opts: Partial<RunActionOptions> = {}): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: repoRoot,
    githubToken: 'ghs_defaultWorkflowToken0123456789',
    ...opts,
    inputs: {
      'git-url': fx.git.url('model.git'),
      'commit-hash': fx.commit,
      'data-url': fx.data.url('/data/train.csv'),
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

describe('packaging and upload, as a runner runs the step', () => {
  test('packages, uploads, and a downstream job downloads the same archive', async () => {
    const gitRequestsBefore = fx.git.requests.length
    const r = await pack('train-42', { inputs: { 'retention-days': '3' } })
    expect(r.code).toBe(0)
    expect(errors(r)).toEqual([])

    // Outputs, from GITHUB_OUTPUT.
    const archivePath = path.join(r.workspace, 'jobs', 'train-42.tar.gz')
    const archive = await readFile(archivePath)
    const archiveSha = sha256(archive)
    expect(r.outputs).toMatchObject({
      'job-id': 'train-42',
      'job-dir': path.join(r.workspace, 'jobs', 'train-42'),
      'archive-path': archivePath,
      'archive-sha256': archiveSha,
      commit: fx.commit,
      'artifact-digest': archiveSha
    })
    expect(r.outputs['content-digest']).toMatch(/^(sha256:)?[0-9a-f]{64}$/)
    const id = Number(r.outputs['artifact-id'])
    expect(id).toBeGreaterThan(0)
    expect(r.outputs['artifact-url']).toBe(`https://github.com/octo-org/octo-repo/actions/runs/1000000001/artifacts/${id}`)

    // What the service holds: the raw .tar.gz under the file's name, with its sha256 and the retention asked for.
    const stored = backend.artifacts.find((a) => a.id === id)!
    expect(stored).toMatchObject({
      name: 'train-42.tar.gz',
      finalized: true,
      size: archive.length,
      digest: `sha256:${archiveSha}`,
      mimeType: 'application/gzip'
    })
    const days = (stored.expiresAt!.getTime() - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(2.9)
    expect(days).toBeLessThanOrEqual(3)

    // A downstream job of the same run fetches it with the real client.
    const downstream = await mkdtemp(path.join(tmpdir(), 'jp-downstream-'))
    cleanups.push(() => rm(downstream, { recursive: true, force: true }))
    const saved = { ...process.env }
    Object.assign(process.env, backend.envFor({ workflowJobRunBackendId: 'downstream-job' }), { GITHUB_WORKSPACE: downstream })
    let downloaded: Buffer
    // The in-process client logs through @actions/core to stdout: keep Jest's output readable.
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      const client = new DefaultArtifactClient()
      const { artifact } = await client.getArtifact('train-42.tar.gz')
      expect(artifact.id).toBe(id)
      expect(artifact.digest).toBe(`sha256:${r.outputs['archive-sha256']}`)
      const res = await client.downloadArtifact(artifact.id, { path: path.join(downstream, 'in'), expectedHash: artifact.digest })
      expect(res.digestMismatch).toBe(false)
      downloaded = await readFile(path.join(downstream, 'in', 'train-42.tar.gz'))
    } finally {
      quiet.mockRestore()
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
    }
    expect(sha256(downloaded)).toBe(r.outputs['archive-sha256'])
    expect(downloaded.equals(archive)).toBe(true)

    // It unpacks with GNU tar into the job's folder.
    const tree = await untar(path.join(downstream, 'in', 'train-42.tar.gz'), path.join(downstream, 'out'))
    expect(tree).toEqual(
      expect.arrayContaining([
        'train-42',
        'train-42/code',
        'train-42/code/train.py',
        'train-42/code/scripts/run.sh',
        'train-42/data/train.csv',
        'train-42/run.sh',
        'train-42/Dockerfile',
        'train-42/job.json'
      ])
    )
    expect(tree.every((p) => p === 'train-42' || p.startsWith('train-42/'))).toBe(true)
    expect(tree.some((p) => p.includes('.git/') || p.endsWith('.git'))).toBe(false)
    const root = path.join(downstream, 'out', 'train-42')
    expect(await readFile(path.join(root, 'data', 'train.csv'))).toEqual(DATASET)
    const manifest = JSON.parse(await readFile(path.join(root, 'job.json'), 'utf8')) as Manifest
    expect(manifest).toMatchObject({ job_id: 'train-42', source: { commit: fx.commit } })
    expect((await stat(path.join(root, 'run.sh'))).mode & 0o111).not.toBe(0)

    // One log group per phase, the upload included.
    const groups = effectiveCommands(r.commands)
      .filter((c) => c.command === 'group')
      .map((c) => c.message)
    expect(groups).toEqual([
      'Fetch code and data',
      'Detect the environment; render run.sh and Dockerfile',
      'Write the archive',
      'Upload the artifact',
      'Upload the provenance statement'
    ])
    expect(effectiveCommands(r.commands).filter((c) => c.command === 'endgroup')).toHaveLength(5)

    // The default workflow token is for github.com: this host never saw it.
    const gitRequests = fx.git.requests.slice(gitRequestsBefore)
    expect(gitRequests.length).toBeGreaterThan(0)
    expect(gitRequests.every((req) => req.headers.authorization === undefined)).toBe(true)
    expect(r.stdout).toContain(`The token is not sent to ${fx.git.origin}: it is only sent to https://github.com`)
    // ...and it is masked anyway, being a secret.
    expect(r.commands).toContainEqual({ command: 'add-mask', properties: {}, message: 'ghs_defaultWorkflowToken0123456789' })

    // The summary: what, where, and how to run it.
    expect(r.summary).toContain('<code>train-42</code>')
    expect(r.summary).toContain(fx.git.url('model.git'))
    expect(r.summary).toContain(`<code>${fx.commit}</code>`)
    expect(r.summary).toContain(`<code>data/train.csv</code>`)
    expect(r.summary).toContain(`<code>${DATASET_SHA}</code>`)
    expect(r.summary).toContain(`<code>${archiveSha}</code>`)
    expect(r.summary).toContain(`(${archive.length} bytes)`)
    expect(r.summary).toContain(`<a href="${r.outputs['artifact-url']}">train-42.tar.gz</a>`)
    expect(r.summary).toContain('tar -xzf train-42.tar.gz &amp;&amp; cd train-42\ndocker build -t train-42 .\ndocker run --rm train-42')
  })

  test('a second upload under the same job id in the run fails clearly and keeps the job', async () => {
    const first = await pack('same-id', { inputs: { upload: 'true' } })
    expect(first.code).toBe(0)
    const second = await pack('same-id')
    expect(second.code).toBe(1)
    const [message] = errors(second)
    expect(message).toMatch(/Cannot upload the artifact same-id\.tar\.gz: an artifact with this name already exists in this workflow run/)
    expect(message).toMatch(/must be unique per run/)
    // The way out, named as the workflow writes it.
    expect(message).toContain('To replace it, set overwrite: true')
    expect(message).toContain('were written and are kept')
    expect(message).not.toMatch(/\n\s+at /) // a message, not a stack
    // The job was packaged: folder, archive and packaging outputs are there; artifact outputs are not.
    expect(existsSync(path.join(second.workspace, 'jobs', 'same-id', 'job.json'))).toBe(true)
    expect(second.outputs['archive-sha256']).toBe(sha256(await readFile(path.join(second.workspace, 'jobs', 'same-id.tar.gz'))))
    expect(second.outputs['artifact-id']).toBeUndefined()
    expect(second.summary).toContain('upload failed')
    expect(backend.artifacts.filter((a) => a.name === 'same-id.tar.gz')).toHaveLength(1)
  })

  test("a backend error fails the step with the service's answer, after the job is written", async () => {
    backend.failNext('CreateArtifact', 403)
    const before = backend.requests.length
    // A 4xx is not retried, whatever attempts allows.
    const r = await pack('refused', { inputs: { attempts: '3', 'retry-delay-ms': '10' } })
    expect(r.code).toBe(1)
    const [message] = errors(r)
    expect(message).toMatch(/Uploading the artifact refused\.tar\.gz failed: .*403/)
    expect(existsSync(path.join(r.workspace, 'jobs', 'refused.tar.gz'))).toBe(true)
    expect(r.outputs['job-id']).toBe('refused')
    expect(r.outputs['artifact-id']).toBeUndefined()
    expect(backend.artifacts.some((a) => a.name === 'refused.tar.gz')).toBe(false)
    expect(backend.requests.slice(before).filter((q) => q.method === 'CreateArtifact')).toHaveLength(1)
    expect(r.stdout).not.toMatch(/retrying in/)
  })

  test('a failure after the blob was sent (FinalizeArtifact) fails the step too', async () => {
    backend.failNext('FinalizeArtifact', 404)
    const r = await pack('unfinalized')
    expect(r.code).toBe(1)
    expect(errors(r)[0]).toMatch(/Uploading the artifact unfinalized\.tar\.gz failed: .*FinalizeArtifact.*404/)
    expect(backend.artifacts.find((a) => a.name === 'unfinalized.tar.gz')?.finalized).not.toBe(true)
  })

  test('upload: false writes the job, sets the outputs, uploads nothing', async () => {
    const before = backend.requests.length
    const r = await pack('local-only', { inputs: { upload: 'false' } })
    expect(r.code).toBe(0)
    expect(r.outputs['archive-sha256']).toBe(sha256(await readFile(path.join(r.workspace, 'jobs', 'local-only.tar.gz'))))
    expect(r.outputs.commit).toBe(fx.commit)
    for (const name of ['artifact-id', 'artifact-url', 'artifact-digest']) expect(r.outputs[name] ?? '').toBe('')
    expect(backend.requests.length).toBe(before)
    expect(r.summary).toContain('not uploaded (upload: false)')
  })

  test('outside Actions (no runtime token) with upload: true: a clear error, job kept', async () => {
    const r = await pack('no-runtime', { env: { ACTIONS_RUNTIME_TOKEN: undefined, ACTIONS_RESULTS_URL: undefined } })
    expect(r.code).toBe(1)
    const [message] = errors(r)
    expect(message).toContain('ACTIONS_RUNTIME_TOKEN')
    expect(message).toContain('Run inside GitHub Actions or set upload: false')
    expect(existsSync(path.join(r.workspace, 'jobs', 'no-runtime', 'run.sh'))).toBe(true)
    expect(r.outputs['archive-path']).toBe(path.join(r.workspace, 'jobs', 'no-runtime.tar.gz'))
    expect(transcript(r)).not.toMatch(/Unexpected error/)
  })

  test('pinned datasets are reused from the runner tool cache, and a corrupted entry is not trusted', async () => {
    const toolCache = await mkdtemp(path.join(tmpdir(), 'jp-toolcache-'))
    cleanups.push(() => rm(toolCache, { recursive: true, force: true }))
    const opts = (id: string) => ({
      inputs: { 'data-sha256': DATASET_SHA, upload: 'false', 'job-id': id },
      env: { RUNNER_TOOL_CACHE: toolCache }
    })
    const hits = () => fx.data.hits('/data/train.csv')
    const start = hits()

    const first = await pack('cache-1', opts('cache-1'))
    expect(first.code).toBe(0)
    expect(hits()).toBe(start + 1)
    const cached = path.join(toolCache, 'job-packager-dataset', `0.0.0-sha256-${DATASET_SHA}`, 'noarch', 'dataset')
    expect(await readFile(cached)).toEqual(DATASET)
    expect(existsSync(`${path.dirname(cached)}.complete`)).toBe(true)

    const second = await pack('cache-2', opts('cache-2'))
    expect(second.code).toBe(0)
    expect(hits()).toBe(start + 1)
    expect(second.stdout).toMatch(/data\/train\.csv: .* from the dataset cache/)
    expect(await readFile(path.join(second.workspace, 'jobs', 'cache-2', 'data', 'train.csv'))).toEqual(DATASET)
    // Same inputs, same bytes: the archive does not depend on where the data came from.
    expect(second.outputs['content-digest']).toBe(first.outputs['content-digest'])

    // A cache entry that no longer matches its digest is dropped and the data downloaded again.
    await writeFile(cached, 'tampered')
    const third = await pack('cache-3', opts('cache-3'))
    expect(third.code).toBe(0)
    expect(hits()).toBe(start + 2)
    expect(await readFile(path.join(third.workspace, 'jobs', 'cache-3', 'data', 'train.csv'))).toEqual(DATASET)
    expect(await readFile(cached)).toEqual(DATASET)

    // dataset-cache: false leaves the tool cache alone.
    const fourth = await pack('cache-4', { ...opts('cache-4'), inputs: { ...opts('cache-4').inputs, 'dataset-cache': 'false' } })
    expect(fourth.code).toBe(0)
    expect(hits()).toBe(start + 3)

    // Off a runner (no RUNNER_TOOL_CACHE) there is no cache, and no failure for the lack of one.
    const fifth = await pack('cache-5', { ...opts('cache-5'), env: { RUNNER_TOOL_CACHE: undefined } })
    expect(fifth.code).toBe(0)
    expect(hits()).toBe(start + 4)
  })
})

/** What a downstream job of the run gets for `name`: the artifact's bytes, fetched with the real client. */
async function downloadAsDownstream(name: string): Promise<{ id: number; bytes: Buffer }> {
  const downstream = await mkdtemp(path.join(tmpdir(), 'jp-downstream-'))
  cleanups.push(() => rm(downstream, { recursive: true, force: true }))
  const saved = { ...process.env }
  Object.assign(process.env, backend.envFor({ workflowJobRunBackendId: 'downstream-job' }), { GITHUB_WORKSPACE: downstream })
  const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    const client = new DefaultArtifactClient()
    const { artifact } = await client.getArtifact(name)
    await client.downloadArtifact(artifact.id, { path: downstream, expectedHash: artifact.digest })
    return { id: artifact.id, bytes: await readFile(path.join(downstream, name)) }
  } finally {
    quiet.mockRestore()
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

/** The `::warning::` messages the runner would show. */
function warnings(r: RunActionResult): string[] {
  return effectiveCommands(r.commands)
    .filter((c) => c.command === 'warning')
    .map((c) => c.message)
}

describe('re-runs and retries', () => {
  test('overwrite: true replaces the artifact of the same name; downstream gets the new bytes', async () => {
    const first = await pack('rerun')
    expect(first.code).toBe(0)
    const firstId = Number(first.outputs['artifact-id'])

    // The re-run packages something else under the same job id (another command: another archive).
    const second = await pack('rerun', { inputs: { overwrite: 'true', command: 'python train.py --epochs 2' } })
    expect(second.code).toBe(0)
    expect(errors(second)).toEqual([])
    const newArchive = await readFile(path.join(second.workspace, 'jobs', 'rerun.tar.gz'))
    expect(sha256(newArchive)).not.toBe(first.outputs['archive-sha256'])
    const newId = Number(second.outputs['artifact-id'])
    expect(newId).not.toBe(firstId)
    expect(second.outputs['artifact-digest']).toBe(sha256(newArchive))

    // One artifact of that name is left, the new one, and it is what a downstream job downloads.
    expect(backend.artifacts.filter((a) => a.name === 'rerun.tar.gz').map((a) => a.id)).toEqual([newId])
    const got = await downloadAsDownstream('rerun.tar.gz')
    expect(got.id).toBe(newId)
    expect(got.bytes.equals(newArchive)).toBe(true)

    // Said in the log and the summary, not done silently.
    expect(second.stdout).toContain(
      `Deleted the artifact rerun.tar.gz (id ${firstId}) already in this workflow run, to replace it (overwrite: true).`
    )
    expect(second.stdout).toContain(`replacing artifact id ${firstId}`)
    expect(second.summary).toContain(`replaced the earlier artifact id ${firstId} of this run`)
  })

  test('overwrite: true with nothing to replace just uploads', async () => {
    const r = await pack('fresh-overwrite', { inputs: { overwrite: 'true' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('No artifact fresh-overwrite.tar.gz in this workflow run yet: nothing to replace.')
    expect(r.summary).not.toContain('replaced the earlier artifact')
    expect((await downloadAsDownstream('fresh-overwrite.tar.gz')).bytes.equals(await readFile(r.outputs['archive-path']!))).toBe(true)
  })

  test('an upload whose connection is reset once succeeds on the retry, which is logged', async () => {
    // A reset of CreateArtifact: the client gives up at once (it retries only 5xx/429, with waits of tens of
    // seconds), before the service registered the name, so the retry is ours alone and quick.
    backend.resetNext('CreateArtifact')
    const before = backend.requests.length
    // One artifact only (no provenance statement), so the CreateArtifact calls below are all the archive's.
    const r = await pack('flaky-upload', { inputs: { attempts: '3', 'retry-delay-ms': '10', provenance: 'false' } })
    expect(r.code).toBe(0)
    expect(errors(r)).toEqual([])
    expect(warnings(r)).toEqual([
      expect.stringMatching(
        /^Upload of the artifact flaky-upload\.tar\.gz failed \(attempt 1 of 3\): Failed to CreateArtifact: Unable to make request: ECONNRESET — retrying in 0\.0 s$/
      )
    ])
    expect(
      backend.requests
        .slice(before)
        .filter((q) => q.method === 'CreateArtifact')
        .map((q) => [q.status, q.injected])
    ).toEqual([
      [0, true],
      [200, false]
    ])
    const archive = await readFile(r.outputs['archive-path']!)
    expect(r.outputs['artifact-digest']).toBe(sha256(archive))
    expect((await downloadAsDownstream('flaky-upload.tar.gz')).bytes.equals(archive)).toBe(true)
  })

  test('with attempts: 1 the same reset fails the step, naming what failed', async () => {
    backend.resetNext('CreateArtifact')
    const r = await pack('no-retry')
    expect(r.code).toBe(1)
    const [message] = errors(r)
    // The client's own advice for self-hosted runners follows, kept: it is what to check.
    expect(message).toMatch(
      /^Uploading the artifact no-retry\.tar\.gz failed: Failed to CreateArtifact: Unable to make request: ECONNRESET\n/
    )
    expect(message).toContain('were written and are kept')
    expect(r.stdout).not.toMatch(/retrying in/)
  })

  test('an upload that finished but whose answer was lost: the retry finds it and the step succeeds', async () => {
    // FinalizeArtifact takes effect, then the connection is reset: the retry's CreateArtifact meets the name, and the
    // finished artifact with the archive's sha256 is the upload, not a conflict.
    backend.resetNext('FinalizeArtifact', { afterHandling: true })
    const r = await pack('lost-answer', { inputs: { attempts: '2', 'retry-delay-ms': '10' } })
    expect(r.code).toBe(0)
    expect(errors(r)).toEqual([])
    const archive = await readFile(r.outputs['archive-path']!)
    const stored = backend.artifacts.filter((a) => a.name === 'lost-answer.tar.gz')
    expect(stored).toHaveLength(1)
    expect(r.outputs['artifact-id']).toBe(String(stored[0]!.id))
    expect(r.outputs['artifact-digest']).toBe(sha256(archive))
    expect(r.stdout).toContain(`The earlier attempt had finished the upload after all: artifact lost-answer.tar.gz (id ${stored[0]!.id})`)
  })

  test('a failure after the name was registered: the retry meets a held name, and the message says why', async () => {
    // The real service keeps the name of an unfinished upload for the rest of the run and lists it nowhere.
    backend.resetNext('FinalizeArtifact')
    const r = await pack('held-name', { inputs: { attempts: '2', 'retry-delay-ms': '10', overwrite: 'true' } })
    expect(r.code).toBe(1)
    expect(warnings(r)).toEqual([
      expect.stringMatching(/^Upload of the artifact held-name\.tar\.gz failed \(attempt 1 of 2\): Failed to FinalizeArtifact/)
    ])
    const [message] = errors(r)
    expect(message).toMatch(
      /^Cannot upload the artifact held-name\.tar\.gz \(attempt 2\): the name is held by an unfinished upload in this workflow run \(the earlier attempt failed after the artifact service had registered the name\)/
    )
    expect(message).toContain('overwrite cannot delete it: use another job-id')
    expect(existsSync(path.join(r.workspace, 'jobs', 'held-name.tar.gz'))).toBe(true)
  })
})
