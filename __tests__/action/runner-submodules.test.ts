/**
 * A repository with a submodule, packaged by the Action as the runner runs
 * it (dist/index.js on Node 24, inputs from action.yml, the job summary
 * file): with `submodules: true` the submodule's files are in the archive;
 * by default it is left empty, and the step's warning, the summary and
 * job.json all name it.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Manifest } from '../../src/core/render/manifest.js'
import { commitGitlinks, gitmodulesText, makeBareClone, makeRepo } from '../helpers/git-server.js'
import { runAction, type RunActionResult } from '../helpers/run-action.js'
import { effectiveCommands, errors, repoRoot, startFixture, untar, type Fixture } from './support.js'

let fx: Fixture
let libCommit: string
let appCommit: string
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  fx = await startFixture()
  libCommit = (await makeRepo(path.join(fx.work, 'lib-src'), { 'weights.py': 'WEIGHTS = [1, 2, 3]\n' })).commit
  await makeBareClone(path.join(fx.work, 'lib-src'), path.join(fx.work, 'srv'), 'lib.git')
  const app = path.join(fx.work, 'app-src')
  await makeRepo(app, { 'train.py': 'from vendor.lib.weights import WEIGHTS\n' })
  appCommit = await commitGitlinks(app, { 'vendor/lib': libCommit }, gitmodulesText({ 'vendor/lib': '../lib.git' }))
  await makeBareClone(app, path.join(fx.work, 'srv'), 'app.git')
})

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

afterAll(async () => {
  await fx?.close()
})

async function step(inputs: Record<string, string>): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: repoRoot,
    githubToken: 'ghs_defaultWorkflowToken0123456789',
    inputs: {
      upload: 'false',
      ...fx.loopback,
      'git-url': fx.git.url('app.git'),
      'commit-hash': appCommit,
      command: 'python train.py',
      ...inputs
    }
  })
  cleanups.push(r.cleanup)
  return r
}

describe('submodules, as a runner runs the step', () => {
  test('submodules: true packages the submodule’s files; the summary lists it', async () => {
    const r = await step({ 'job-id': 'with-lib', submodules: 'true' })
    expect({ code: r.code, errors: errors(r) }).toEqual({ code: 0, errors: [] })
    expect(effectiveCommands(r.commands).filter((c) => c.command === 'warning')).toEqual([])

    const files = await untar(path.join(r.workspace, 'jobs', 'with-lib.tar.gz'), path.join(r.tempRoot, 'unpacked'))
    expect(files).toContain(path.join('with-lib', 'code', 'vendor', 'lib', 'weights.py'))
    expect(files.filter((f) => f.split(path.sep).includes('.git'))).toEqual([])
    const job = path.join(r.tempRoot, 'unpacked', 'with-lib')
    expect(await readFile(path.join(job, 'code', 'vendor', 'lib', 'weights.py'), 'utf8')).toBe('WEIGHTS = [1, 2, 3]\n')
    const manifest = JSON.parse(await readFile(path.join(job, 'job.json'), 'utf8')) as Manifest
    expect(manifest.source.submodules).toEqual([{ path: 'vendor/lib', url: fx.git.url('lib.git'), commit: libCommit, included: true }])
    expect(manifest.warnings).toEqual([])

    expect(r.summary).toContain('<h3>Submodules</h3>')
    expect(r.summary).toContain(
      `<tr><td><code>code/vendor/lib</code></td><td><code>${libCommit}</code></td><td>${fx.git.url('lib.git')}</td><td>included</td></tr>`
    )
    expect(r.summary).not.toContain('<h3>Left out</h3>')
  })

  test('by default the submodule is left empty, and the log, the summary and job.json say so', async () => {
    const r = await step({ 'job-id': 'without-lib' })
    expect({ code: r.code, errors: errors(r) }).toEqual({ code: 0, errors: [] })
    const warning = `Submodule vendor/lib ("${fx.git.url('lib.git')}" at ${libCommit}) was left empty: submodules is false (to include it: submodules: true).`
    expect(
      effectiveCommands(r.commands)
        .filter((c) => c.command === 'warning')
        .map((c) => c.message)
    ).toEqual([warning])

    const files = await untar(path.join(r.workspace, 'jobs', 'without-lib.tar.gz'), path.join(r.tempRoot, 'unpacked'))
    expect(files).toContain(path.join('without-lib', 'code', 'vendor', 'lib'))
    expect(files.filter((f) => f.startsWith(path.join('without-lib', 'code', 'vendor', 'lib') + path.sep))).toEqual([])
    const manifest = JSON.parse(await readFile(path.join(r.tempRoot, 'unpacked', 'without-lib', 'job.json'), 'utf8')) as Manifest
    expect(manifest.warnings).toEqual([warning])
    expect(manifest.source.submodules).toEqual([{ path: 'vendor/lib', url: fx.git.url('lib.git'), commit: libCommit, included: false }])

    expect(r.summary).toContain('<td><strong>left empty</strong></td>')
    expect(r.summary).toContain(`<h3>Left out</h3>\n\n<ul><li>${warning.replace(/"/g, '&quot;')}</li></ul>`)
  })
})
