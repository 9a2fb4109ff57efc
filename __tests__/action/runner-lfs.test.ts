/**
 * A repository with Git LFS weights, packaged by the Action as the runner runs
 * it (dist/index.js on Node 24): the git server and the LFS batch API on one
 * HTTPS origin with the throwaway test CA, the real git-lfs for the checkout.
 * The archive must hold the real weights; with `lfs: false` the log (as
 * ::warning::), the job summary and job.json must say the pointers were kept.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Manifest } from '../../src/core/render/manifest.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { createLfsStore, type LfsStore } from '../helpers/lfs-server.js'
import { runAction, type RunActionOptions, type RunActionResult } from '../helpers/run-action.js'
import { effectiveCommands, errors, repoRoot, untar } from './support.js'

const WEIGHTS = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 13 + 5) % 256))
const TOKEN = 'ghs_lfsWorkflowToken0123456789'

let work: string
let git: GitServer
let store: LfsStore
let commit: string
let oid: string
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'jp-action-lfs-'))
  store = createLfsStore('https')
  const weights = store.add(WEIGHTS)
  oid = weights.oid
  ;({ commit } = await makeRepo(path.join(work, 'src'), {
    '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
    'weights.bin': weights.pointer,
    'train.py': 'print(len(open("weights.bin", "rb").read()))\n'
  }))
  await makeBareClone(path.join(work, 'src'), path.join(work, 'srv'), 'model.git')
  git = await startGitServer({ root: path.join(work, 'srv'), https: true, handle: (req, res) => store.handle(req, res) })
})

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

afterAll(async () => {
  await git?.close()
  await rm(work, { recursive: true, force: true })
})

async function pack(jobId: string, inputs: Record<string, string> = {}): Promise<RunActionResult> {
  const options: RunActionOptions = {
    actionDir: repoRoot,
    githubToken: TOKEN,
    inputs: {
      'git-url': git.url('model.git'),
      'commit-hash': commit,
      command: 'python train.py',
      'job-id': jobId,
      'token-origin': git.origin,
      'allow-private-network': 'true',
      attempts: '1',
      upload: 'false',
      ...inputs
    },
    env: { GIT_SSL_CAINFO: git.caFile, NODE_EXTRA_CA_CERTS: git.caFile }
  }
  const r = await runAction(options)
  cleanups.push(r.cleanup)
  return r
}

describe('Git LFS, as a runner runs the step', () => {
  test('packages the real weights and the job summary lists the LFS object', async () => {
    const before = store.requests.length
    const r = await pack('lfs-weights')
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)
    const files = await untar(path.join(r.workspace, 'jobs', 'lfs-weights.tar.gz'), path.join(r.workspace, 'unpacked'))
    expect(files).toContain('lfs-weights/code/weights.bin')
    const weights = await readFile(path.join(r.workspace, 'unpacked', 'lfs-weights', 'code', 'weights.bin'))
    expect(weights.equals(WEIGHTS)).toBe(true)
    const manifest = JSON.parse(await readFile(path.join(r.workspace, 'unpacked', 'lfs-weights', 'job.json'), 'utf8')) as Manifest
    expect(manifest.source.lfs).toEqual({
      fetched: true,
      endpoint: `${git.url('model.git')}/info/lfs`,
      objects: [{ path: 'weights.bin', oid, size: WEIGHTS.length }]
    })
    expect(manifest.warnings).toEqual([])
    expect(r.summary).toContain('<h3>Git LFS</h3>')
    expect(r.summary).toContain('1 LFS file(s) fetched from')
    expect(r.summary).toContain(`<code>${oid}</code>`)
    expect(r.summary).not.toContain('<h3>Left out</h3>')
    // The workflow token went to the LFS endpoint (same origin as the repository), never into the log.
    const mine = store.requests.slice(before)
    expect(mine.map((r) => r.method).sort()).toEqual(['GET', 'POST'])
    expect(mine.every((x) => x.authorization === `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`)).toBe(true)
    // The runner swallows the ::add-mask:: lines; nothing else may hold the token.
    const log = r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
    expect(log).not.toContain(TOKEN)
    expect(r.stderr).not.toContain(TOKEN)
    expect(r.summary).not.toContain(TOKEN)
  })

  test('lfs: false keeps the pointer and says so as a warning, in the summary and in job.json', async () => {
    const before = store.requests.length
    const r = await pack('lfs-off', { lfs: 'false' })
    expect(r.code).toBe(0)
    expect(store.requests.length).toBe(before)
    const warnings = effectiveCommands(r.commands).filter((c) => c.command === 'warning')
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^Git LFS is off \(lfs: false\): 1 LFS file\(s\) are packaged as pointer files/)
    )
    expect(r.summary).toContain('<h3>Left out</h3>')
    expect(r.summary).toContain('packaged as pointer files, without their content')
    await untar(path.join(r.workspace, 'jobs', 'lfs-off.tar.gz'), path.join(r.workspace, 'unpacked'))
    expect(await readFile(path.join(r.workspace, 'unpacked', 'lfs-off', 'code', 'weights.bin'), 'utf8')).toMatch(
      /^version https:\/\/git-lfs/
    )
    const manifest = JSON.parse(await readFile(path.join(r.workspace, 'unpacked', 'lfs-off', 'job.json'), 'utf8')) as Manifest
    expect(manifest.source.lfs?.fetched).toBe(false)
    expect(manifest.warnings).toEqual([expect.stringMatching(/^Git LFS is off/)])
  })
})
