/**
 * Self-test of the test infrastructure: the local artifact backend must
 * satisfy the real @actions/artifact client, and runAction must run an
 * action the way the runner does, on Node 24. If these fail, tests built on
 * the helpers would fail (or pass) for reasons unrelated to the Action.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { DefaultArtifactClient } from '@actions/artifact'
import { startArtifactBackend, type ArtifactBackend } from './helpers/artifact-backend.js'
import { node24Path } from './helpers/node24.js'
import { runAction } from './helpers/run-action.js'

describe('artifact backend with the real @actions/artifact client', () => {
  let backend: ArtifactBackend
  let dir: string
  const savedEnv = { ...process.env }

  beforeAll(async () => {
    backend = await startArtifactBackend()
    dir = await mkdtemp(path.join(tmpdir(), 'artifact-selftest-'))
    // The client reads its configuration from process.env at call time.
    Object.assign(process.env, backend.env, { GITHUB_WORKSPACE: dir })
  })

  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key]
    Object.assign(process.env, savedEnv)
    await backend?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  async function makeFile(name: string, content: Buffer): Promise<string> {
    const file = path.join(dir, name)
    await writeFile(file, content)
    return file
  }

  test('uploads a raw file, lists it, downloads the same bytes', async () => {
    const content = Buffer.from(`payload ${Math.random()}\n`.repeat(1000))
    const file = await makeFile('bundle.tar.gz', content)
    const client = new DefaultArtifactClient()

    const up = await client.uploadArtifact('ignored-with-skipArchive', [file], dir, { skipArchive: true })
    const sha = createHash('sha256').update(content).digest('hex')
    expect(up.size).toBe(content.length)
    expect(up.digest).toBe(sha)
    expect(up.id).toEqual(expect.any(Number))

    const stored = backend.artifacts.find((a) => a.id === up.id)!
    expect(stored).toMatchObject({
      name: 'bundle.tar.gz',
      size: content.length,
      digest: `sha256:${sha}`,
      mimeType: 'application/gzip',
      finalized: true,
      workflowRunBackendId: backend.workflowRunBackendId,
      workflowJobRunBackendId: backend.workflowJobRunBackendId
    })
    expect(await backend.readArtifact(up.id!)).toEqual(content)

    const { artifacts } = await client.listArtifacts()
    expect(artifacts).toContainEqual(
      expect.objectContaining({ id: up.id, name: 'bundle.tar.gz', size: content.length, digest: `sha256:${sha}` })
    )
    const { artifact } = await client.getArtifact('bundle.tar.gz')
    expect(artifact.id).toBe(up.id)

    const out = path.join(dir, 'download')
    const down = await client.downloadArtifact(up.id!, { path: out, expectedHash: `sha256:${sha}` })
    expect(down.digestMismatch).toBe(false)
    expect(await readdir(out)).toEqual(['bundle.tar.gz'])
    expect(await readFile(path.join(out, 'bundle.tar.gz'))).toEqual(content)
  })

  test('a duplicate name in the same run fails clearly', async () => {
    const file = await makeFile('dup.txt', Buffer.from('one'))
    const client = new DefaultArtifactClient()
    await client.uploadArtifact('dup', [file], dir, { skipArchive: true })
    await expect(client.uploadArtifact('dup', [file], dir, { skipArchive: true })).rejects.toThrow(
      /CreateArtifact.*\(409\).*already exists/
    )
    expect(backend.artifacts.filter((a) => a.name === 'dup.txt')).toHaveLength(1)
  })

  test('failNext makes the next call fail without retries', async () => {
    const file = await makeFile('fail.txt', Buffer.from('x'))
    const client = new DefaultArtifactClient()
    backend.failNext('CreateArtifact', 403)
    await expect(client.uploadArtifact('fail', [file], dir, { skipArchive: true })).rejects.toThrow(
      /Failed to CreateArtifact: Received non-retryable error: Failed request: \(403\).*injected failure/
    )
    // Only one failure was queued: the retry by the caller now succeeds.
    await expect(client.uploadArtifact('fail', [file], dir, { skipArchive: true })).resolves.toMatchObject({ size: 1 })

    const file2 = await makeFile('fail2.txt', Buffer.from('y'))
    backend.failNext('FinalizeArtifact', 404)
    await expect(client.uploadArtifact('fail2', [file2], dir, { skipArchive: true })).rejects.toThrow(
      /Failed to FinalizeArtifact: .*\(404\)/
    )
    expect(backend.requests.filter((r) => r.injected).map((r) => [r.method, r.status])).toEqual([
      ['CreateArtifact', 403],
      ['FinalizeArtifact', 404]
    ])
  })

  test('resetNext cuts the connection; the client gives up at once (no retries of its own)', async () => {
    const file = await makeFile('reset.txt', Buffer.from('r'))
    const client = new DefaultArtifactClient()
    const before = backend.requests.length
    backend.resetNext('CreateArtifact')
    // The Twirp layer rewraps its NetworkError in a plain Error: only the message says what happened.
    await expect(client.uploadArtifact('reset', [file], dir, { skipArchive: true })).rejects.toThrow(
      /^Failed to CreateArtifact: Unable to make request: ECONNRESET/
    )
    // One request, answered by nothing: the service logic never ran, so no name was registered.
    expect(backend.requests.slice(before).map((r) => [r.method, r.status, r.injected])).toEqual([['CreateArtifact', 0, true]])
    expect(backend.artifacts.some((a) => a.name === 'reset.txt')).toBe(false)
    await expect(client.uploadArtifact('reset', [file], dir, { skipArchive: true })).resolves.toMatchObject({ size: 1 })
  })

  test('an upload that failed after CreateArtifact holds its name: not listed, not deletable, 409 again', async () => {
    const file = await makeFile('held.txt', Buffer.from('h'))
    const client = new DefaultArtifactClient()
    backend.resetNext('FinalizeArtifact')
    await expect(client.uploadArtifact('held', [file], dir, { skipArchive: true })).rejects.toThrow(
      /^Failed to FinalizeArtifact: Unable to make request: ECONNRESET/
    )
    expect(backend.artifacts.find((a) => a.name === 'held.txt')?.finalized).toBe(false)
    await expect(client.deleteArtifact('held.txt')).rejects.toMatchObject({ name: 'ArtifactNotFoundError' })
    await expect(client.uploadArtifact('held', [file], dir, { skipArchive: true })).rejects.toThrow(/\(409\).*already exists/)
  })

  test('zipped uploads round-trip and delete removes them', async () => {
    const sub = path.join(dir, 'tree')
    await mkdir(sub, { recursive: true })
    await writeFile(path.join(sub, 'a.txt'), 'alpha')
    const client = new DefaultArtifactClient()
    const up = await client.uploadArtifact('zipped', [path.join(sub, 'a.txt')], sub)
    expect(backend.artifacts.find((a) => a.id === up.id)).toMatchObject({ name: 'zipped', mimeType: 'application/zip' })
    const out = path.join(dir, 'unzipped')
    await client.downloadArtifact(up.id!, { path: out })
    expect(await readFile(path.join(out, 'a.txt'), 'utf8')).toBe('alpha')
    await expect(client.deleteArtifact('zipped')).resolves.toEqual({ id: up.id })
    expect(backend.artifacts.some((a) => a.name === 'zipped')).toBe(false)
    await expect(client.getArtifact('zipped')).rejects.toThrow(/Artifact not found/)
  })

  test('a zipped artifact downloaded with skipDecompress is NAME.zip', async () => {
    const file = await makeFile('inner.txt', Buffer.from('inner'))
    const client = new DefaultArtifactClient()
    const up = await client.uploadArtifact('kept-zipped', [file], dir)
    const out = path.join(dir, 'raw-zip')
    await client.downloadArtifact(up.id!, { path: out, skipDecompress: true })
    expect(await readdir(out)).toEqual(['kept-zipped.zip'])
  })

  test('another run or repository: found by name and downloaded through the REST API with a token', async () => {
    const content = Buffer.from(`cross-run ${Math.random()}\n`.repeat(500))
    const file = await makeFile('cross.tar.gz', content)
    const up = await new DefaultArtifactClient().uploadArtifact('cross', [file], dir, { skipArchive: true })
    const sha = createHash('sha256').update(content).digest('hex')
    // The uploading run, as another repository's run 77 sees it.
    backend.exposeRun({ workflowRunBackendId: backend.workflowRunBackendId, repository: 'other-org/data-repo', runId: 77 })

    // The client reads GITHUB_API_URL once, when it is loaded: so the reader is a process of its own (a job of an
    // unrelated run, whose runtime token could not list the first run's artifacts), as on a runner.
    const reader = await mkdtemp(path.join(tmpdir(), 'cross-reader-'))
    const clientEntry = pathToFileURL(path.resolve('node_modules/@actions/artifact/lib/artifact.js')).href
    await writeFile(
      path.join(reader, 'read.mjs'),
      `import fs from 'node:fs';
import { DefaultArtifactClient } from ${JSON.stringify(clientEntry)};
const findBy = JSON.parse(process.env.FIND_BY);
const client = new DefaultArtifactClient();
const out = {};
const attempt = async (name, fn) => { try { out[name] = await fn() } catch (e) { out[name] = 'error: ' + e.message } };
await attempt('found', async () => (await client.getArtifact('cross.tar.gz', { findBy })).artifact);
await attempt('download', () => client.downloadArtifact(out.found.id, { path: process.env.OUT, findBy, expectedHash: out.found.digest }));
await attempt('ownRun', () => client.getArtifact('cross.tar.gz'));
await attempt('wrongToken', () => client.getArtifact('cross.tar.gz', { findBy: { ...findBy, token: 'ghs_wrong' } }));
await attempt('wrongRun', () => client.getArtifact('cross.tar.gz', { findBy: { ...findBy, workflowRunId: 78 } }));
fs.writeFileSync(process.env.RESULT, JSON.stringify(out));
`
    )
    const out = path.join(reader, 'download')
    const resultFile = path.join(reader, 'result.json')
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...backend.envFor({ workflowRunBackendId: 'unrelated-run' }),
        GITHUB_WORKSPACE: reader
      }
      delete env.NODE_OPTIONS
      const findBy = { token: backend.apiToken, workflowRunId: 77, repositoryOwner: 'other-org', repositoryName: 'data-repo' }
      // Asynchronously: the backend serves from this process.
      await promisify(execFile)(node24Path(), [path.join(reader, 'read.mjs')], {
        env: { ...env, FIND_BY: JSON.stringify(findBy), OUT: out, RESULT: resultFile }
      })
      const result = JSON.parse(await readFile(resultFile, 'utf8')) as Record<string, unknown>
      expect(result.found).toMatchObject({ id: up.id, name: 'cross.tar.gz', size: content.length, digest: `sha256:${sha}` })
      expect(result.download).toMatchObject({ digestMismatch: false })
      expect(await readFile(path.join(out, 'cross.tar.gz'))).toEqual(content)
      // Its own run (the runtime token's) has no such artifact.
      expect(result.ownRun).toMatch(/^error: Artifact not found for name: cross.tar.gz/)
      expect(result.wrongToken).toMatch(/^error: .*Bad credentials/)
      expect(result.wrongRun).toMatch(/^error: .*Not Found/)
    } finally {
      await rm(reader, { recursive: true, force: true })
    }
    expect(backend.requests.map((r) => r.method)).toEqual(
      expect.arrayContaining([
        'GET /repos/other-org/data-repo/actions/runs/77/artifacts?name=cross.tar.gz',
        `GET /repos/other-org/data-repo/actions/artifacts/${up.id}/zip`
      ])
    )
  })

  test('rejects what the real service would: no token, another run, wrong SAS permission', async () => {
    const call = (method: string, body: unknown, token?: string) =>
      fetch(`${backend.resultsUrl}twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body)
      })
    const ids = {
      workflow_run_backend_id: backend.workflowRunBackendId,
      workflow_job_run_backend_id: backend.workflowJobRunBackendId
    }
    const noToken = await call('ListArtifacts', ids)
    expect(noToken.status).toBe(401)
    expect(await noToken.json()).toMatchObject({ code: 'unauthenticated' })

    const otherRun = backend.envFor({ workflowRunBackendId: 'another-run' }).ACTIONS_RUNTIME_TOKEN
    expect((await call('ListArtifacts', ids, otherRun)).status).toBe(403)

    const token = backend.env.ACTIONS_RUNTIME_TOKEN
    const created = await call('CreateArtifact', { ...ids, name: 'sas-check', version: 7 }, token)
    expect(created.status).toBe(200)
    const { signed_upload_url } = (await created.json()) as { signed_upload_url: string }
    // A write-only SAS must not be usable to read.
    expect((await fetch(signed_upload_url)).status).toBe(403)
    // Finalizing without uploading anything is refused.
    const finalize = await call('FinalizeArtifact', { ...ids, name: 'sas-check', size: '0' }, token)
    expect(finalize.status).toBe(412)
  })
})

describe('runAction', () => {
  let actionDir: string
  const cleanups: (() => Promise<void>)[] = []

  beforeAll(async () => {
    actionDir = await mkdtemp(path.join(tmpdir(), 'toy-action-'))
    await mkdir(path.join(actionDir, 'dist'))
    await writeFile(
      path.join(actionDir, 'action.yml'),
      [
        'name: toy',
        'description: >-',
        '  A throwaway action for testing the harness.',
        'inputs:',
        '  greeting:',
        '    description: what to say',
        '    required: true',
        '  extra-thing:',
        '    description: has a default',
        '    default: "tok=${{ github.token }}"',
        'runs:',
        '  using: node24',
        '  main: dist/index.js',
        ''
      ].join('\n')
    )
    // Writes outputs the way @actions/core does (heredoc with a random
    // delimiter), so the harness's parser is tested on the real format.
    await writeFile(
      path.join(actionDir, 'dist', 'index.js'),
      `
const fs = require('node:fs');
const os = require('node:os');
function setOutput(name, value) {
  const d = 'ghadelimiter_' + require('node:crypto').randomUUID();
  fs.appendFileSync(process.env.GITHUB_OUTPUT, name + '<<' + d + os.EOL + value + os.EOL + d + os.EOL);
}
setOutput('node-version', process.version);
setOutput('greeting', process.env['INPUT_GREETING']);
setOutput('extra', process.env['INPUT_EXTRA-THING']);
setOutput('multi', 'line1\\nline2');
setOutput('cwd', process.cwd());
setOutput('node-options', process.env.NODE_OPTIONS ?? '(unset)');
fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, '### toy ran' + os.EOL);
console.log('::warning title=T::careful%0Anow');
if (process.env['INPUT_GREETING'] === 'fail') { console.log('::error::asked to fail'); process.exitCode = 1; }
`
    )
  })

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()))
  })

  afterAll(async () => {
    if (actionDir) await rm(actionDir, { recursive: true, force: true })
  })

  test('runs on Node 24 with inputs, defaults, outputs and summary', async () => {
    const r = await runAction({ actionDir, inputs: { greeting: 'hello' }, githubToken: 'ghs_test' })
    cleanups.push(r.cleanup)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.outputs['node-version']).toMatch(/^v24\./)
    expect(r.outputs).toMatchObject({
      greeting: 'hello',
      extra: 'tok=ghs_test',
      multi: 'line1\nline2',
      cwd: r.workspace,
      'node-options': '(unset)'
    })
    expect(r.summary).toBe('### toy ran\n')
    expect(r.commands).toContainEqual({ command: 'warning', properties: { title: 'T' }, message: 'careful\nnow' })
    expect(r.env.RUNNER_TEMP).toBe(r.runnerTemp)
    expect(r.env.GITHUB_ACTIONS).toBe('true')
  })

  test('defaults without a token are empty, failures give the exit code', async () => {
    const r = await runAction({ actionDir, inputs: { greeting: 'fail' }, nodePath: node24Path() })
    cleanups.push(r.cleanup)
    expect(r.code).toBe(1)
    expect(r.outputs.extra).toBe('tok=')
    expect(r.commands.map((c) => c.command)).toContain('error')
  })

  test('an action using the real artifact client uploads to the backend under Node 24', async () => {
    // The combination the Action's end-to-end tests rely on: backend env
    // passed through runAction, client + Azure SDK running on Node 24.
    const backend = await startArtifactBackend()
    const uploader = await mkdtemp(path.join(tmpdir(), 'toy-uploader-'))
    try {
      const clientEntry = pathToFileURL(path.resolve('node_modules/@actions/artifact/lib/artifact.js')).href
      await mkdir(path.join(uploader, 'dist'))
      await writeFile(
        path.join(uploader, 'action.yml'),
        'name: uploader\ndescription: x\ninputs:\n  file:\n    description: x\nruns:\n  using: node24\n  main: dist/index.mjs\n'
      )
      await writeFile(
        path.join(uploader, 'dist', 'index.mjs'),
        `import fs from 'node:fs';
import { DefaultArtifactClient } from ${JSON.stringify(clientEntry)};
const file = process.env['INPUT_FILE'];
fs.writeFileSync(file, 'from node ' + process.version);
const r = await new DefaultArtifactClient().uploadArtifact('x', [file], process.env.GITHUB_WORKSPACE, { skipArchive: true });
fs.appendFileSync(process.env.GITHUB_OUTPUT, 'id=' + r.id + '\\n');
`
      )
      const workspace = await mkdtemp(path.join(tmpdir(), 'toy-ws-'))
      cleanups.push(() => rm(workspace, { recursive: true, force: true }))
      const r = await runAction({
        actionDir: uploader,
        workspace,
        inputs: { file: path.join(workspace, 'hello.txt') },
        env: backend.env
      })
      cleanups.push(r.cleanup)
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const id = Number(r.outputs.id)
      expect(id).toBeGreaterThan(0)
      expect(backend.artifacts).toEqual([expect.objectContaining({ id, name: 'hello.txt', finalized: true })])
      expect((await backend.readArtifact(id)).toString()).toMatch(/^from node v24\./)
    } finally {
      await backend.close()
      await rm(uploader, { recursive: true, force: true })
    }
  })

  test('an undeclared input is a test error, not a silent no-op', async () => {
    await expect(runAction({ actionDir, inputs: { greting: 'typo' } })).rejects.toThrow(/greting.*not declared/)
  })
})
