/**
 * A real repository layout: pallets/flask at a commit that ships a uv.lock.
 * GitHub and the Python package index are out of reach here, so its
 * dependency files are recreated in __tests__/fixtures/flask-uv (see its
 * README: flask's pyproject.toml structure and an excerpt of its uv.lock),
 * committed to a repository served by `git http-backend` on loopback, and
 * packaged by the real packager. Before issue 12 this job ignored the lock,
 * copied the code first and ran `pip install .` with `notes: []`; now the
 * Dockerfile installs from the lock before the code is copied and job.json
 * says frozen.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { packJob } from '../../src/core/index.js'
import type { Manifest } from '../../src/core/render/manifest.js'
import { lintDockerfile } from '../helpers/dockerfile-lint.js'
import { makeBareClone, makeRepo, startGitServer, type FileTree, type GitServer } from '../helpers/git-server.js'
import { REPO_ROOT } from '../helpers/cli.js'
import { tempDir } from '../helpers/workspace.js'

const FIXTURE = path.join(REPO_ROOT, '__tests__', 'fixtures', 'flask-uv')
let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let commit: string
let lockSha: string

async function readTree(dir: string, prefix = ''): Promise<FileTree> {
  const tree: FileTree = {}
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    if (e.isDirectory()) Object.assign(tree, await readTree(path.join(dir, e.name), rel))
    else tree[rel] = await readFile(path.join(dir, e.name), 'utf8')
  }
  return tree
}

beforeAll(async () => {
  root = await tempDir('jp-flask-')
  const tree = await readTree(FIXTURE)
  lockSha = createHash('sha256')
    .update(tree['uv.lock'] as string)
    .digest('hex')
  commit = (await makeRepo(path.join(root.dir, 'src'), tree)).commit
  await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'flask.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
})

afterAll(async () => {
  await git?.close()
  await root?.cleanup()
})

const PINNED_BASE = `python@sha256:${'5'.repeat(64)}`

it('flask with uv.lock: the Dockerfile syncs the lock before copying the code, and job.json says frozen', async () => {
  const out = path.join(root.dir, 'out')
  const result = await packJob(
    { git_url: git.url('flask.git'), commit_hash: commit, data_url: [], command: 'python -c "import flask"', job_id: 'flask-uv' },
    // No registry is reachable here, so the detected base image could only float; a base given by digest is
    // what a user who wants a frozen job gives (or what pin-base-image resolves where the registry is reachable).
    { outDir: out, allowProtocols: ['http'], allowPrivateNetwork: true, baseImage: PINNED_BASE }
  )
  const dockerfile = await readFile(path.join(out, 'flask-uv', 'Dockerfile'), 'utf8')
  expect(lintDockerfile(dockerfile)).toEqual([])
  const lines = dockerfile.replace(/ \\\n\s+/g, ' ').split('\n')
  const copyLock = lines.indexOf('COPY code/pyproject.toml code/uv.lock /job/code/')
  const sync = lines.indexOf('RUN python3 -m pip install --no-cache-dir uv==0.8.15 && uv sync --frozen --no-dev --no-install-project')
  const code = lines.indexOf('COPY --chown=10001:10001 . /job')
  const project = lines.indexOf('RUN uv sync --frozen --no-dev')
  expect(copyLock).toBeGreaterThan(0)
  expect(copyLock < sync && sync < code && code < project).toBe(true)
  expect(dockerfile).not.toMatch(/pip install --no-cache-dir \.$/m)

  const manifest = JSON.parse(await readFile(path.join(out, 'flask-uv', 'job.json'), 'utf8')) as Manifest
  expect(manifest).toEqual(result.manifest)
  expect(manifest.environment).toMatchObject({
    summary: 'python 3.12 from requires-python; uv.lock: uv sync --frozen',
    base_image: PINNED_BASE,
    version_constraint: '>=3.9',
    frozen: {
      verdict: 'frozen',
      ecosystems: [
        { ecosystem: 'python', file: 'uv.lock', sha256: lockSha, installer: 'uv 0.8.15: uv sync --frozen --no-dev', pinning: 'locked' }
      ],
      floats: []
    }
  })
  // What the lock does not cover is said, not hidden: the build backend.
  expect(manifest.environment?.notes).toEqual([
    'the project itself is built by its build backend (build-system.requires: 1 requirement), which uv.lock does not lock'
  ])
})

it('flask with uv.lock on a base image that could not be pinned: partly frozen, and the base is the one thing that floats', async () => {
  const out = path.join(root.dir, 'out-floating')
  const result = await packJob(
    { git_url: git.url('flask.git'), commit_hash: commit, data_url: [], command: 'true', job_id: 'flask-floating' },
    { outDir: out, allowProtocols: ['http'], allowPrivateNetwork: true, pinBaseImage: 'off' }
  )
  expect(result.manifest.environment?.frozen).toMatchObject({
    verdict: 'partly',
    floats: [{ kind: 'base-image', name: 'python:3.12-slim-bookworm' }]
  })
})
