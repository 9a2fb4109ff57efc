/**
 * The run sub-action with a real container engine: the package step (the
 * main Action, dist/index.js) uploads a Python job to the local artifact
 * backend, and the run step (run/action.yml → dist/run/index.js, on Node 24,
 * as the runner runs it) downloads it by name in another job, builds it with
 * buildah, runs it as the Dockerfile's non-root user without network, and
 * uploads the result, which a third job fetches with the client's
 * downloadArtifact (what actions/download-artifact does).
 *
 * buildah gets the suite's own storage through its environment
 * (CONTAINERS_STORAGE_CONF, STORAGE_DRIVER), the way a self-hosted runner
 * would configure it, and no BUILDAH_ISOLATION: the package is untrusted,
 * so the sub-action builds and runs it under OCI isolation (runc); the base image, which cannot be
 * pulled here, comes in through the build-args input (BASE_IMAGE=…), as a
 * mirrored image would.
 *
 * Needs root, buildah and debootstrap, and both bundles (`npm run bundle`).
 * Run with `npm run test:container`.
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { startArtifactBackend, type ArtifactBackend } from '../helpers/artifact-backend.js'
import { serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { runAction, type RunActionResult } from '../helpers/run-action.js'
import { effectiveCommands, errors, repoRoot, transcript, untar } from '../action/support.js'
import { ensureBaseImages, missingTools, type BaseImages } from './base-images.js'
import { buildahEnv, prepareState, RUN_ROOT, STORAGE_ROOT } from './buildah.js'

const log = (line: string): void => void process.stderr.write(`[container] ${line}\n`)

let work: string
let git: GitServer
let data: DataServer
let backend: ArtifactBackend
let bases: BaseImages
let commit: string
let engineEnv: Record<string, string>
const cleanups: (() => Promise<void>)[] = []

beforeAll(
  async () => {
    const missing = await missingTools()
    if (missing.length) throw new Error(`the container suite needs ${missing.join(', ')} (apt-get install -y buildah debootstrap, as root)`)
    for (const bundle of ['dist/index.js', 'dist/run/index.js'])
      if (!existsSync(path.join(repoRoot, bundle))) throw new Error(`${bundle} is missing: run "npm run bundle" first`)
    prepareState()
    bases = await ensureBaseImages(log)
    work = await mkdtemp(path.join(tmpdir(), 'jp-run-action-container-'))
    ;({ commit } = await makeRepo(path.join(work, 'src'), {
      '.python-version': '3.11\n',
      'main.py': [
        'import os, socket',
        'rows = open(os.environ["DATA_FILE"]).read().splitlines()',
        'out = os.environ["OUTPUT_DIR"]',
        'open(os.path.join(out, "answer.txt"), "w").write(f"rows={len(rows)} uid={os.getuid()}\\n")',
        'try:',
        '    socket.create_connection(("127.0.0.1", int(os.environ.get("PROBE_PORT", "9"))), timeout=2)',
        '    print("network: reachable")',
        'except OSError:',
        '    print("network: unreachable")',
        'print("job done")',
        ''
      ].join('\n')
    }))
    await makeBareClone(path.join(work, 'src'), path.join(work, 'srv'), 'job.git')
    git = await startGitServer({ root: path.join(work, 'srv') })
    data = await startDataServer()
    data.route('/rows.csv', serveBuffer(Buffer.from('a\nb\nc\n')))
    backend = await startArtifactBackend()
    // buildah's storage for the sub-action's process: the suite's own, through buildah's configuration file.
    const storageConf = path.join(work, 'storage.conf')
    await writeFile(storageConf, `[storage]\ndriver = "vfs"\ngraphroot = "${STORAGE_ROOT}"\nrunroot = "${RUN_ROOT}"\n`)
    const b = buildahEnv()
    engineEnv = {
      PATH: b.PATH!,
      TMPDIR: b.TMPDIR!,
      STORAGE_DRIVER: 'vfs',
      CONTAINERS_STORAGE_CONF: storageConf
    }
  },
  30 * 60 * 1000
)

afterAll(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
  await Promise.all([git?.close(), data?.close(), backend?.close()])
  if (work) await rm(work, { recursive: true, force: true })
})

async function step(actionDir: string, inputs: Record<string, string>, env: Record<string, string>): Promise<RunActionResult> {
  const r = await runAction({ actionDir, inputs, env, timeoutMs: 15 * 60 * 1000 })
  cleanups.push(r.cleanup)
  return r
}

test(
  'package → run with buildah (by name, in another job, no network, non-root) → the result, fetched by a third job',
  async () => {
    const packed = await step(
      repoRoot,
      {
        'git-url': git.url('job.git'),
        'commit-hash': commit,
        'data-url': data.url('/rows.csv'),
        command: 'python3 main.py',
        'job-id': 'py-buildah',
        'allow-protocols': 'http',
        'allow-private-network': 'true'
      },
      backend.env
    )
    expect(packed.code).toBe(0)

    const r = await step(
      path.join(repoRoot, 'run'),
      { 'job-id': 'py-buildah', engine: 'buildah', network: 'none', 'build-args': `BASE_IMAGE=${bases.python}`, timeout: '600' },
      {
        ...backend.envFor({ workflowJobRunBackendId: 'run-job' }),
        ...engineEnv,
        // A port on this host the job must not reach.
        PROBE_PORT: new URL(data.url('/')).port
      }
    )
    if (r.code !== 0) log(transcript(r))
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs['exit-code']).toBe('0')
    expect(r.stdout).toContain('job done')
    expect(effectiveCommands(r.commands).some((c) => c.command === 'group' && c.message.startsWith('Build the image'))).toBe(true)
    expect(r.summary).toContain('buildah')

    // A third job fetches the result as download-artifact does.
    const dir = await mkdtemp(path.join(tmpdir(), 'jp-gather-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const saved = { ...process.env }
    Object.assign(process.env, backend.envFor({ workflowJobRunBackendId: 'gather-job' }), { GITHUB_WORKSPACE: dir })
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      const client = new DefaultArtifactClient()
      const { artifact } = await client.getArtifact('py-buildah-result.tar.gz')
      expect(String(artifact.id)).toBe(r.outputs['result-artifact-id'])
      const res = await client.downloadArtifact(artifact.id, { path: path.join(dir, 'in'), expectedHash: artifact.digest })
      expect(res.digestMismatch).toBe(false)
    } finally {
      quiet.mockRestore()
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
    }
    const tree = await untar(path.join(dir, 'in', 'py-buildah-result.tar.gz'), path.join(dir, 'out'))
    const answer = tree.find((p) => p.endsWith('/answer.txt'))
    expect(answer).toBeDefined()
    // The Dockerfile's user (10001), the dataset mounted as data/, and no way out.
    expect(await readFile(path.join(dir, 'out', answer!), 'utf8')).toBe('rows=3 uid=10001\n')
    const stdoutLog = tree.find((p) => /stdout/.test(path.basename(p)))
    expect(await readFile(path.join(dir, 'out', stdoutLog!), 'utf8')).toContain('network: unreachable')
    const result = JSON.parse(await readFile(path.join(dir, 'out', 'py-buildah-result', 'result.json'), 'utf8')) as {
      exit_code: number
      engine: { name: string }
      image: { id: string } | null
    }
    expect(result.exit_code).toBe(0)
    expect(result.engine.name).toBe('buildah')
    expect(result.image?.id).toMatch(/^(sha256:)?[0-9a-f]{12,}/)
  },
  30 * 60 * 1000
)
