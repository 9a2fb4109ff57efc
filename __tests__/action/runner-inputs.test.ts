/**
 * The Action's inputs and its log hygiene, as the runner runs the step
 * (dist/index.js on Node 24): the `spec` input and its merge rules, invalid
 * input, the token (sent only where it belongs, never visible), and user
 * text that tries to pass for workflow commands.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Manifest } from '../../src/core/render/manifest.js'
import { serveBuffer } from '../helpers/data-server.js'
import { runAction, type RunActionOptions, type RunActionResult } from '../helpers/run-action.js'
import { DATASET_SHA, effectiveCommands, errors, readTree, repoRoot, sha256, startFixture, transcript, type Fixture } from './support.js'

const CANARY = `ghp_CANARY${randomBytes(12).toString('hex')}`

let fx: Fixture
let authFx: Fixture
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  ;[fx, authFx] = await Promise.all([startFixture(), startFixture({ requireAuth: { token: CANARY } })])
  fx.data.route('/data/labels.json', serveBuffer('{"0":"cat","1":"dog"}\n'))
})

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

afterAll(async () => {
  await Promise.all([fx?.close(), authFx?.close()])
})

/** A step with upload off (these tests are about inputs, not the artifact). */
async function step(inputs: Record<string, string>, opts: Partial<RunActionOptions> = {}): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: repoRoot,
    githubToken: 'ghs_defaultWorkflowToken0123456789',
    ...opts,
    inputs: { upload: 'false', ...fx.loopback, ...inputs }
  })
  cleanups.push(r.cleanup)
  return r
}

function seed(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    git_url: fx.git.url('model.git'),
    commit_hash: fx.commit,
    data_url: fx.data.url('/data/train.csv'),
    command: 'python train.py',
    ...extra
  }
}

/** The job.json the step wrote. */
async function manifestOf(r: RunActionResult, jobId: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(r.workspace, 'jobs', jobId, 'job.json'), 'utf8')) as Manifest
}

describe('the spec input', () => {
  test("the seed's JSON body alone packages the job", async () => {
    // toJSON() pretty-prints: the input arrives multi-line.
    const r = await step({ spec: JSON.stringify(seed({ job_id: 'seed-body' }), null, 2) })
    expect(r.code).toBe(0)
    expect(r.outputs['job-id']).toBe('seed-body')
    const manifest = await manifestOf(r, 'seed-body')
    expect(manifest.spec).toMatchObject({ command: 'python train.py', commit_hash: fx.commit })
    expect(manifest.datasets).toEqual([expect.objectContaining({ name: 'train.csv', sha256: DATASET_SHA })])
  })

  test('inputs fill in and replace job_id; the same value twice is fine', async () => {
    const r = await step({
      spec: JSON.stringify(seed({ job_id: 'from-spec', commit_hash: fx.commit.toUpperCase() })),
      'job-id': 'from-input',
      'commit-hash': fx.commit, // same commit, other case: not a conflict
      command: 'python train.py\n', // same command, a YAML block's trailing new line: not a conflict
      'data-sha256': DATASET_SHA // the spec has none: filled in
    })
    expect(r.code).toBe(0)
    expect(r.outputs['job-id']).toBe('from-input')
    expect(r.stdout).toContain('The job-id input replaces spec.job_id "from-spec".')
    expect(existsSync(path.join(r.workspace, 'jobs', 'from-spec'))).toBe(false)
    const manifest = await manifestOf(r, 'from-input')
    expect(manifest.datasets[0]?.sha256).toBe(DATASET_SHA)
  })

  test('a conflicting field is an error naming both places, before any download', async () => {
    const hits = fx.data.requests.length
    const gitRequests = fx.git.requests.length
    const other = fx.data.url('/data/labels.json')
    const r = await step({ spec: JSON.stringify(seed()), 'data-url': other })
    expect(r.code).toBe(1)
    const [message] = errors(r)
    expect(message).toMatch(/^Invalid data-url: conflicts with spec\.data_url: the input says .*labels\.json.*, the spec says .*train\.csv/)
    expect(message).toMatch(/in one place only/)
    expect(fx.data.requests.length).toBe(hits)
    expect(fx.git.requests.length).toBe(gitRequests)
    expect(existsSync(path.join(r.workspace, 'jobs'))).toBe(false)
  })

  test('an unknown field is an error naming it', async () => {
    const r = await step({ spec: JSON.stringify(seed({ priority: 'high' })) })
    expect(r.code).toBe(1)
    expect(errors(r)).toEqual([
      expect.stringMatching(
        /^Invalid spec: has unknown field "priority"\. Accepted: only git_url, commit_hash, data_url, data_sha256, command, job_id, submodules, lfs, base_image, gpu, use_repo_dockerfile\.$/
      )
    ])
  })

  test('a spec that is not a JSON object is an error naming the input', async () => {
    const r = await step({ spec: '{"git_url": ' })
    expect(r.code).toBe(1)
    expect(errors(r)[0]).toMatch(/^Invalid spec: is not valid JSON/)
  })

  test("a bad field inside the spec is named as the spec's field", async () => {
    const r = await step({ spec: JSON.stringify(seed({ commit_hash: 'HEAD~1' })) })
    expect(r.code).toBe(1)
    expect(errors(r)[0]).toMatch(/^Invalid spec\.commit_hash: "HEAD~1" refs, branch names and revision expressions are not accepted/)
  })
})

describe('individual inputs', () => {
  test('several datasets, one per line, with pinned digests', async () => {
    const labels = Buffer.from('{"0":"cat","1":"dog"}\n')
    const r = await step({
      'git-url': fx.git.url('model.git'),
      'commit-hash': fx.commit.slice(0, 12),
      'data-url': `${fx.data.url('/data/train.csv')}\n\n  ${fx.data.url('/data/labels.json')}  \n`,
      'data-sha256': `${DATASET_SHA}\n${sha256(labels)}`,
      command: 'python train.py --labels ../data/labels.json',
      'job-id': 'two-datasets'
    })
    expect(r.code).toBe(0)
    expect(r.outputs.commit).toBe(fx.commit) // the prefix was resolved
    expect(await readFile(path.join(r.workspace, 'jobs', 'two-datasets', 'data', 'labels.json'))).toEqual(labels)
    const manifest = await manifestOf(r, 'two-datasets')
    expect(manifest.datasets.map((d) => d.name)).toEqual(['train.csv', 'labels.json'])
  })

  test('an invalid commit-hash fails the step naming the input, without touching the network', async () => {
    const gitRequests = fx.git.requests.length
    const r = await step({ 'git-url': fx.git.url('model.git'), 'commit-hash': 'main', command: 'make', 'job-id': 'bad-commit' })
    expect(r.code).toBe(1)
    const [message] = errors(r)
    expect(message).toMatch(
      /^Invalid commit-hash: "main" refs, branch names and revision expressions are not accepted\. Accepted: a commit SHA/
    )
    expect(message).not.toMatch(/\n\s+at /)
    expect(fx.git.requests.length).toBe(gitRequests)
    expect(existsSync(path.join(r.workspace, 'jobs', 'bad-commit'))).toBe(false)
  })

  test('a missing field with no spec names the input', async () => {
    const r = await step({ 'git-url': fx.git.url('model.git'), 'commit-hash': fx.commit })
    expect(r.code).toBe(1)
    expect(errors(r)[0]).toMatch(/^Invalid command \(or spec\.command\): missing/)
  })

  test('an invalid option value names the input', async () => {
    const r = await step({ spec: JSON.stringify(seed()), timeout: '1h' })
    expect(r.code).toBe(1)
    expect(errors(r)[0]).toMatch(/^Invalid timeout: "1h" is not a whole number/)
  })
})

describe('the token', () => {
  test('reaches an authenticating git host on its origin and is visible nowhere', async () => {
    const forms = [CANARY, Buffer.from(CANARY).toString('base64'), Buffer.from(`x-access-token:${CANARY}`).toString('base64')]
    const searched = [...forms, Buffer.from(CANARY).toString('base64url'), Buffer.from(`x-access-token:${CANARY}`).toString('base64url')]
    const tmpBefore = new Set(await readdir(tmpdir()))
    const r = await runAction({
      actionDir: repoRoot,
      inputs: {
        'git-url': authFx.git.url('model.git'),
        'commit-hash': authFx.commit,
        'data-url': authFx.data.url('/data/train.csv'),
        command: 'python train.py',
        'job-id': 'private-repo',
        token: CANARY,
        'token-origin': authFx.git.origin,
        upload: 'false',
        ...authFx.loopback
      }
    })
    cleanups.push(r.cleanup)
    expect(r.code).toBe(0)
    expect(r.outputs.commit).toBe(authFx.commit)
    // It was really used: the server demands it, and got it as git sends it.
    const auth = authFx.git.requests.map((req) => req.headers.authorization).filter(Boolean)
    expect(auth.length).toBeGreaterThan(0)
    expect(auth.every((h) => h!.toLowerCase() === `basic ${forms[2]}`.toLowerCase())).toBe(true)

    // Masked, in all three forms, before anything else was printed.
    const masks = r.commands.filter((c) => c.command === 'add-mask').map((c) => c.message)
    expect(masks).toEqual(expect.arrayContaining(forms))
    expect(r.stdout.indexOf('::add-mask::')).toBe(0)

    // Nowhere else: the log (the runner swallows add-mask lines), outputs, summary, files.
    const log = r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
    const archivePath = r.outputs['archive-path']
    if (archivePath === undefined) throw new Error('the step set no archive-path output')
    const archive = await readFile(archivePath)
    const places: [string, string | Buffer][] = [
      ['stdout', log],
      ['stderr', r.stderr],
      ['outputs', JSON.stringify(r.outputs)],
      ['summary', r.summary],
      ['env/state', JSON.stringify([r.exportedEnv, r.state])],
      ['archive', archive],
      ['archive (tar)', gunzipSync(archive)]
    ]
    // Every file the step could have written: workspace (job folder), runner temp, tool cache.
    for (const { file, bytes } of await readTree(r.tempRoot)) places.push([file, bytes])
    // ...and the core's own temporary git config, which must be gone.
    const leftovers = (await readdir(tmpdir())).filter((n) => !tmpBefore.has(n) && n.startsWith('job-packager-git-'))
    for (const dir of leftovers) for (const { file, bytes } of await readTree(path.join(tmpdir(), dir))) places.push([file, bytes])
    expect(places.length).toBeGreaterThan(10)
    expect(places.some(([name]) => name.endsWith(path.join('private-repo', 'code', 'train.py')))).toBe(true)
    const found = places
      .filter(([, content]) => searched.some((s) => (Buffer.isBuffer(content) ? content.includes(s) : content.includes(s))))
      .map(([name]) => name)
    expect(found).toEqual([])
  })

  test('is not sent to another origin than token-origin', async () => {
    const before = authFx.git.requests.length
    const r = await step({
      'git-url': authFx.git.url('model.git'),
      'commit-hash': authFx.commit,
      command: 'make',
      'job-id': 'wrong-origin',
      token: CANARY
      // token-origin: its default, github.server_url
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`The token is not sent to ${authFx.git.origin}: it is only sent to https://github.com (token-origin).`)
    const requests = authFx.git.requests.slice(before)
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.every((req) => req.headers.authorization === undefined)).toBe(true)
    expect(errors(r)[0]).toMatch(/auth|401|credentials/i)
    expect(errors(r)[0]).not.toContain(CANARY)
  })
})

describe('user text in the log', () => {
  test('a command cannot issue workflow commands, and is shown as written', async () => {
    const injected = [
      '::set-output name=x::y',
      '  ::add-mask::hello',
      '::error title=pwned::injected',
      '::warning::injected',
      '##[add-mask]world',
      '::endgroup::',
      '::stop-commands::mine',
      '::mine::'
    ]
    const command = ['python train.py', ...injected, 'echo "</code></pre><script>alert(1)</script> & done"'].join('\n')
    const r = await step({ spec: JSON.stringify(seed({ job_id: 'injection', command })) })
    expect(r.code).toBe(0)

    // What the runner acts on: nothing of the command's.
    const acted = effectiveCommands(r.commands)
    expect(acted.filter((c) => c.command === 'set-output')).toEqual([])
    expect(acted.filter((c) => c.command === 'add-mask').map((c) => c.message)).not.toEqual(expect.arrayContaining(['hello']))
    expect(acted.filter((c) => c.command === 'error' || c.command === 'warning')).toEqual([])
    expect(acted.filter((c) => c.command === 'mine')).toEqual([])
    expect(acted.filter((c) => c.command === 'group').length).toBe(acted.filter((c) => c.command === 'endgroup').length)
    expect(r.outputs.x).toBeUndefined()

    // Every injected line sits inside a pause whose token the text could not know.
    const lines = r.stdout.split('\n')
    const stopAt = lines.findIndex((l) => l.startsWith('::stop-commands::') && l !== '::stop-commands::mine')
    expect(stopAt).toBeGreaterThanOrEqual(0)
    const token = lines[stopAt]!.slice('::stop-commands::'.length) // stopAt >= 0: checked just above
    expect(token).toMatch(/^[0-9a-f]{32}$/)
    const resumeAt = lines.indexOf(`::${token}::`)
    const paused = lines.slice(stopAt + 1, resumeAt)
    for (const line of injected) expect(paused).toContain(line)
    // The job itself is unchanged: run.sh carries the command as given.
    expect(await readFile(path.join(r.workspace, 'jobs', 'injection', 'run.sh'), 'utf8')).toContain('::set-output name=x::y')

    // The summary escapes it.
    expect(r.summary).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; done')
    expect(r.summary).not.toContain('<script>')
    expect(transcript(r)).not.toMatch(/Unexpected error/)
  })
})
