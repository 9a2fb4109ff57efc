/**
 * The run sub-action as the runner runs it (run/action.yml → dist/run/index.js
 * on Node 24), in the workflow it is made for: a package step (the main
 * Action, dist/index.js) uploads `{job-id}.tar.gz`; a run step in a second
 * job of the same run downloads it by name with @actions/artifact, runs it
 * with the `none` engine and uploads `{job-id}-result.tar.gz`; a third job
 * fetches that with the client's downloadArtifact, as actions/download-artifact
 * does, and reads result.json. Each "job" is a runtime token with its own job
 * id against the local artifact backend (Azurite + the Twirp stand-in).
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { startArtifactBackend, type ArtifactBackend } from '../helpers/artifact-backend.js'
import { runAction, type RunActionResult } from '../helpers/run-action.js'
import { effectiveCommands, errors, repoRoot, sha256, startFixture, transcript, untar, type Fixture } from './support.js'

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

/**
 * A job that says hello, counts the dataset's lines into OUTPUT_DIR, tries
 * to command the runner, and exits with `code`.
 */
function command(code: number): string {
  return [
    'echo "hello from $JOB_ID"',
    'wc -l < "$DATA_FILE" | tr -d " " > "$OUTPUT_DIR/rows.txt"',
    "echo '::set-output name=exit-code::0'",
    "echo '::error::injected by the job' >&2",
    `exit ${code}`
  ].join('\n')
}

/** The package step: the main Action in the default job of the run. */
async function pack(jobId: string, code = 0): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: repoRoot,
    inputs: {
      'git-url': fx.git.url('model.git'),
      'commit-hash': fx.commit,
      'data-url': fx.data.url('/data/train.csv'),
      command: command(code),
      'job-id': jobId,
      ...fx.loopback
    },
    env: backend.env
  })
  cleanups.push(r.cleanup)
  if (r.code !== 0) throw new Error(`packaging ${jobId} failed:\n${transcript(r)}`)
  return r
}

/** The run step, in a job of its own (its own runtime token). */
async function runStep(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: path.join(repoRoot, 'run'),
    inputs: { engine: 'none', ...inputs },
    env: { ...backend.envFor({ workflowJobRunBackendId: 'run-job' }), ...env },
    timeoutMs: 180_000
  })
  cleanups.push(r.cleanup)
  return r
}

/** A later job downloads an artifact the way actions/download-artifact does: the client's downloadArtifact, by id, digest checked. */
async function downloadAsLaterJob(name: string): Promise<{ dir: string; file: string; id: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jp-gather-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const saved = { ...process.env }
  Object.assign(process.env, backend.envFor({ workflowJobRunBackendId: 'gather-job' }), { GITHUB_WORKSPACE: dir })
  // The in-process client logs through @actions/core to stdout: keep Jest's output readable.
  const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    const client = new DefaultArtifactClient()
    const { artifact } = await client.getArtifact(name)
    const res = await client.downloadArtifact(artifact.id, { path: path.join(dir, 'in'), expectedHash: artifact.digest })
    expect(res.digestMismatch).toBe(false)
    return { dir, file: path.join(dir, 'in', name), id: artifact.id }
  } finally {
    quiet.mockRestore()
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

interface ResultJson {
  job_id: string
  exit_code: number
  stopped: string | null
  engine: { name: string }
  package: { content_digest: string; archive_sha256: string }
  output: { files: number }
}

describe('the run sub-action, as a runner runs it', () => {
  test('package → run (none engine, by name, in another job) → the result, fetched as download-artifact does', async () => {
    const packed = await pack('e2e-ok')
    const r = await runStep({ 'job-id': 'e2e-ok' })
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)

    // The package came from this run's artifacts, found by name from another job.
    expect(r.stdout).toMatch(/Downloaded artifact e2e-ok\.tar\.gz \(id \d+/)
    // The job ran: its output is in the log, as text (its workflow commands were not carried out).
    expect(r.stdout).toContain('hello from e2e-ok')
    expect(r.stdout).toContain('::error::injected by the job')
    expect(effectiveCommands(r.commands).filter((c) => c.message.includes('injected'))).toEqual([])
    expect(r.acted.some((c) => c.command === 'set-output' || c.message === 'injected by the job')).toBe(false)

    // Outputs (GITHUB_OUTPUT), and the result archive they point at.
    expect(r.outputs['exit-code']).toBe('0')
    expect(r.outputs.stopped).toBe('')
    const resultPath = r.outputs['result-path']!
    expect(path.basename(resultPath)).toBe('e2e-ok-result.tar.gz')
    const resultBytes = await readFile(resultPath)
    expect(r.outputs['result-sha256']).toBe(sha256(resultBytes))
    const id = Number(r.outputs['result-artifact-id'])
    expect(id).toBeGreaterThan(0)
    expect(r.outputs['result-artifact-url']).toBe(`https://github.com/octo-org/octo-repo/actions/runs/1000000001/artifacts/${id}`)
    expect(backend.artifacts.find((a) => a.id === id)).toMatchObject({
      name: 'e2e-ok-result.tar.gz',
      workflowJobRunBackendId: 'run-job',
      digest: `sha256:${r.outputs['result-sha256']}`,
      finalized: true
    })

    // A third job fetches the result and reads it.
    const later = await downloadAsLaterJob('e2e-ok-result.tar.gz')
    expect(later.id).toBe(id)
    expect((await readFile(later.file)).equals(resultBytes)).toBe(true)
    const tree = await untar(later.file, path.join(later.dir, 'out'))
    expect(tree).toEqual(expect.arrayContaining(['e2e-ok-result', 'e2e-ok-result/result.json']))
    const root = path.join(later.dir, 'out', 'e2e-ok-result')
    const result = JSON.parse(await readFile(path.join(root, 'result.json'), 'utf8')) as ResultJson
    expect(result).toMatchObject({
      job_id: 'e2e-ok',
      exit_code: 0,
      stopped: null,
      engine: { name: 'none' },
      package: { content_digest: packed.outputs['content-digest'], archive_sha256: packed.outputs['archive-sha256'] }
    })
    const rows = tree.find((p) => p.endsWith('/rows.txt'))
    expect(rows).toBeDefined()
    expect((await readFile(path.join(later.dir, 'out', rows!), 'utf8')).trim()).toBe('2000')

    // The summary: how it ended, timings, the log tail (escaped), where the result is.
    expect(r.summary).toContain('<h2>Job e2e-ok succeeded (exit code 0)</h2>')
    expect(r.summary).toContain('<th>Build</th><th>Run</th>')
    expect(r.summary).toContain('hello from e2e-ok')
    expect(r.summary).toContain(`<a href="${r.outputs['result-artifact-url']}">e2e-ok-result.tar.gz</a>`)
    expect(r.summary).toContain(`<code>${r.outputs['result-sha256']}</code>`)
    // One log group per phase of this step: download first, upload last.
    const groups = effectiveCommands(r.commands)
      .filter((c) => c.command === 'group')
      .map((c) => c.message)
    expect(groups[0]).toBe('Download the package')
    expect(groups.at(-1)).toBe('Upload the result')
    // The downloaded copy of the package was the step's own: removed from the runner's temp folder.
    expect((await readdir(r.runnerTemp)).filter((n) => n.startsWith('job-packager-run-'))).toEqual([])
    expect(existsSync(resultPath)).toBe(true)
  })

  test('a failing job fails the step, after its result is uploaded and its outputs set', async () => {
    await pack('e2e-fail', 3)
    const r = await runStep({ 'job-id': 'e2e-fail' })
    expect(r.code).toBe(1)
    const [message] = errors(r)
    expect(message).toMatch(/The job e2e-fail failed with exit code 3\./)
    expect(message).toContain('fail-on-job-failure: false')
    expect(r.outputs['exit-code']).toBe('3')
    expect(Number(r.outputs['result-artifact-id'])).toBeGreaterThan(0)
    expect(r.summary).toContain('failed with exit code 3')

    const later = await downloadAsLaterJob('e2e-fail-result.tar.gz')
    await untar(later.file, path.join(later.dir, 'out'))
    const result = JSON.parse(await readFile(path.join(later.dir, 'out', 'e2e-fail-result', 'result.json'), 'utf8')) as ResultJson
    expect(result.exit_code).toBe(3)
  })

  test('fail-on-job-failure: false lets the step pass and the exit code tell', async () => {
    await pack('e2e-lenient', 5)
    const r = await runStep({ 'job-id': 'e2e-lenient', 'fail-on-job-failure': 'false' })
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs['exit-code']).toBe('5')
    expect(
      effectiveCommands(r.commands)
        .filter((c) => c.command === 'warning')
        .map((c) => c.message)
    ).toContainEqual(expect.stringMatching(/The job e2e-lenient failed with exit code 5; fail-on-job-failure is false/))
    expect(backend.artifacts.some((a) => a.name === 'e2e-lenient-result.tar.gz' && a.finalized)).toBe(true)
  })

  test('a re-run of the run job replaces the earlier result (overwrite, by default), or with overwrite: false fails naming the input', async () => {
    await pack('e2e-rerun')
    const first = await runStep({ 'job-id': 'e2e-rerun' })
    expect(first.code).toBe(0)
    const firstId = Number(first.outputs['result-artifact-id'])
    const second = await runStep({ 'job-id': 'e2e-rerun' })
    expect(errors(second)).toEqual([])
    expect(second.code).toBe(0)
    expect(second.stdout).toContain(
      `Deleted the artifact e2e-rerun-result.tar.gz (id ${firstId}) already in this workflow run, to replace it`
    )
    const secondId = Number(second.outputs['result-artifact-id'])
    expect(secondId).not.toBe(firstId)
    const live = backend.artifacts.filter((a) => a.name === 'e2e-rerun-result.tar.gz' && a.finalized)
    expect(live.map((a) => a.id)).toEqual([secondId])
    expect((await downloadAsLaterJob('e2e-rerun-result.tar.gz')).id).toBe(secondId)

    const strict = await runStep({ 'job-id': 'e2e-rerun', overwrite: 'false' })
    expect(strict.code).toBe(1)
    expect(errors(strict)[0]).toMatch(/an artifact with this name already exists in this workflow run .*set overwrite: true/)
    // The job itself ran and its result was written on the runner: only the upload was refused.
    expect(strict.outputs['exit-code']).toBe('0')
  })

  test('from another run and repository: found through the REST API with the token, which is masked', async () => {
    await pack('e2e-elsewhere')
    // The packaging run, seen from outside as run 555 of octo-org/packages.
    backend.exposeRun({ workflowRunBackendId: backend.workflowRunBackendId, repository: 'octo-org/packages', runId: 555 })
    const r = await runStep(
      { 'job-id': 'e2e-elsewhere', 'run-id': '555', repository: 'octo-org/packages', 'github-token': backend.apiToken },
      // A job of a different run: its runtime token sees none of the packaging run's artifacts.
      backend.envFor({ workflowRunBackendId: 'consumer-run', workflowJobRunBackendId: 'consumer-job' })
    )
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('from run 555 of octo-org/packages')
    expect(r.commands).toContainEqual({ command: 'add-mask', properties: {}, message: backend.apiToken })
    expect(backend.requests.map((q) => q.method)).toContain(
      'GET /repos/octo-org/packages/actions/runs/555/artifacts?name=e2e-elsewhere.tar.gz'
    )
    // The result goes to the consumer's own run.
    expect(backend.artifacts.find((a) => a.name === 'e2e-elsewhere-result.tar.gz')?.workflowRunBackendId).toBe('consumer-run')
  })

  test('what cannot be fetched is refused before anything runs: no job-id, no such artifact, a bad run-id', async () => {
    const none = await runStep({})
    expect(none.code).toBe(1)
    expect(errors(none)[0]).toMatch(/job-id.*is empty/)

    const missing = await runStep({ 'job-id': 'never-packaged' })
    expect(missing.code).toBe(1)
    expect(errors(missing)[0]).toMatch(/No artifact named never-packaged\.tar\.gz in this workflow run/)
    expect(missing.outputs['exit-code']).toBeUndefined()
    expect(transcript(missing)).not.toMatch(/Unexpected error/)

    const elsewhere = await runStep({ 'job-id': 'x', repository: 'octo-org/packages', 'run-id': 'latest' })
    expect(elsewhere.code).toBe(1)
    expect(errors(elsewhere)[0]).toMatch(/run-id/)
  })

  test('a package whose sha256 is not the expected one is refused before anything runs', async () => {
    const packed = await pack('e2e-pinned')
    const wrong = await runStep({ 'job-id': 'e2e-pinned', sha256: '0'.repeat(64) })
    expect(wrong.code).toBe(1)
    expect(errors(wrong)[0]).toMatch(/sha256/)
    expect(wrong.stdout).not.toContain('hello from e2e-pinned')
    expect(wrong.outputs['exit-code']).toBeUndefined()
    expect(backend.artifacts.some((a) => a.name === 'e2e-pinned-result.tar.gz')).toBe(false)

    // The right one runs.
    const right = await runStep({ 'job-id': 'e2e-pinned', sha256: packed.outputs['archive-sha256']! })
    expect(right.code).toBe(0)
    expect(right.stdout).toContain('hello from e2e-pinned')
  })
})
