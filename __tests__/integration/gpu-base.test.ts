/**
 * GPU jobs end to end with real parts: a repository with torch in its
 * requirements, served by git http-backend on loopback, packed by the CLI
 * (from the sources, under tsx, in a child process: Node reads
 * NODE_EXTRA_CA_CERTS only at start-up, so only a fresh process trusts the
 * test CA), whose CUDA base is pinned by digest against a real registry on
 * loopback (Debian's docker-registry with token auth, helpers/oci-registry.ts)
 * where a small image was pushed under NVIDIA's repository name and tag.
 *
 * Nothing here runs on a GPU or pulls a CUDA image (neither is reachable):
 * the Dockerfile is checked as text and linted, the pin against the
 * registry's own answer (`skopeo inspect`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { renderSummary } from '../../src/action/summary.js'
import { CUDA_VERSION } from '../../src/core/detect/gpu.js'
import type { PackResult } from '../../src/core/index.js'
import type { Manifest } from '../../src/core/render/manifest.js'
import { REPO_ROOT } from '../helpers/cli.js'
import { lintDockerfile } from '../helpers/dockerfile-lint.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { startOciRegistry, type OciRegistry } from '../helpers/oci-registry.js'
import { listAll, tempDir } from '../helpers/workspace.js'

const CUDA_TAG = `${CUDA_VERSION}-cudnn-runtime-ubuntu24.04`
const CUDA_IMAGE = `nvidia/cuda:${CUDA_TAG}`

let registry: OciRegistry
let git: GitServer
let root: { dir: string; cleanup: () => Promise<void> }
let commit: string
let n = 0

beforeAll(async () => {
  root = await tempDir('jp-gpu-base-')
  registry = await startOciRegistry()
  // The CUDA repository and tag job-packager chooses, served by the loopback registry.
  await registry.push('nvidia/cuda', CUDA_TAG, 'multi')
  commit = (
    await makeRepo(path.join(root.dir, 'src'), {
      'requirements.txt': 'torch==2.4.0\nnumpy==2.0.0\n',
      'train.py': 'import torch\nprint(torch.cuda.is_available())\n'
    })
  ).commit
  await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
}, 120_000)
afterAll(async () => {
  await git?.close()
  await registry?.close()
  await root?.cleanup()
})

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** `job-packager pack` from the sources, trusting the registry's test CA; `input` goes to stdin (a spec with --spec -). */
function pack(args: string[], input = ''): Promise<CliRun> {
  const cliArgs = [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'src', 'cli', 'index.ts'),
    'pack',
    '--allow-protocols',
    'https,http',
    '--allow-private-network',
    '--retry-delay-ms',
    '10',
    '--progress',
    'off',
    '--job-id',
    'gpu',
    ...args
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs, {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NODE_EXTRA_CA_CERTS: registry.caFile },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

const source = (): string[] => ['--git-url', git.url('repo.git'), '--commit', commit, '--command', 'python train.py']
const outDir = (): string => path.join(root.dir, `out-${++n}`)

async function packageFiles(out: string): Promise<{ dockerfile: string; job: Manifest }> {
  const dockerfile = await readFile(path.join(out, 'gpu', 'Dockerfile'), 'utf8')
  const job = JSON.parse(await readFile(path.join(out, 'gpu', 'job.json'), 'utf8')) as Manifest
  return { dockerfile, job }
}

describe('a torch job packed with a CUDA base', () => {
  it('gpu: <the CUDA image on the loopback registry>: the CUDA base pinned by digest, in the Dockerfile, job.json, the CLI output and the summary', async () => {
    const image = `${registry.host}/${CUDA_IMAGE}`
    const before = registry.tokenRequests.length
    const out = outDir()
    const res = await pack([...source(), '--out', out, '--gpu', image])
    expect(res.stderr).not.toContain('base image floats')
    expect(res.code).toBe(0)
    const { rawDigest } = await registry.inspect(image)
    const pinned = `${registry.host}/nvidia/cuda@${rawDigest}`
    // The registry was asked, for this repository, through the bearer-token flow.
    expect(registry.tokenRequests.slice(before).map((r) => r.scopes)).toContainEqual(['repository:nvidia/cuda:pull'])

    const { dockerfile, job } = await packageFiles(out)
    expect(lintDockerfile(dockerfile)).toEqual([])
    expect(dockerfile).toContain(`\n# Base image: ${image} pinned by digest to ${pinned}.\n`)
    expect(dockerfile).toContain('\n# On a GPU: docker run --rm --gpus all job\n')
    expect(dockerfile).toContain(
      `\nARG BASE_IMAGE=${pinned}\nFROM \${BASE_IMAGE}\n# The base's own Python, installed below (the CUDA base has none), comes first on PATH.\nENV PATH=/opt/python/bin:\${PATH}\n`
    )
    expect(dockerfile).toContain('apt-get install -y --no-install-recommends python3 python3-venv \\\n')
    expect(dockerfile).toContain('python3 -m venv /opt/python\n')
    expect(dockerfile).toContain('RUN python3 -m pip install --no-cache-dir -r requirements.txt\n')

    const env = job.environment!
    expect(env).toMatchObject({
      runtime: 'python',
      base_image: pinned,
      base_image_from: 'detection',
      base_image_pin: { status: 'pinned', requested: image, digest: rawDigest, multi_arch: true },
      gpu: { requested: image, detected: ['torch'], selected: true, base: image, python: '3.12', reason: 'gpu: a CUDA image of the user' },
      version: '3.12'
    })
    // The frozen report: the CUDA base is pinned (no base-image float); Ubuntu's python3 floats, and says so.
    expect(env.frozen!.floats.filter((f) => f.kind === 'base-image')).toEqual([])
    expect(env.frozen!.floats.filter((f) => f.from === 'gpu').map((f) => f.name)).toEqual(['python3', 'python3-venv'])
    expect(env.notes).toContainEqual(expect.stringContaining('the dependencies use CUDA (torch): the base is the CUDA runtime image'))

    expect(res.stdout).toContain(`base image      ${pinned} (pinned by digest, multi-platform index)`)
    expect(res.stdout).toContain(`gpu             CUDA base ${image} (gpu: a CUDA image of the user); run with docker run --rm --gpus all`)
    expect(res.stdout).toMatch(/environment {5}partly frozen: \d+ things float \(system package python3 \(the CUDA base\); /)

    // The Action's job summary, rendered from this package's job.json.
    const summary = renderSummary({ result: { ...summaryResult(), manifest: job }, command: 'python train.py' })
    expect(summary).toContain(
      `<tr><th align="left">Base image</th><td><code>${pinned}</code> pinned by digest (multi-platform index)</td></tr>`
    )
    expect(summary).toContain(
      `<tr><th align="left">GPU</th><td>CUDA runtime base <code>${image}</code> (gpu: a CUDA image of the user)</td></tr>`
    )
    expect(summary).toContain('docker run --rm --gpus all gpu</code></pre>')
    expect(summary).toContain('<tr><td>system package python3 (the CUDA base)</td>')
  })

  it("gpu auto (the default): NVIDIA's tag is chosen; with pin-base-image off it floats, and the report lists that base", async () => {
    const out = outDir()
    const res = await pack([...source(), '--out', out, '--pin-base-image', 'off', '--json'])
    expect(res.code).toBe(0)
    const { dockerfile, job } = await packageFiles(out)
    expect(dockerfile).toContain(`\nARG BASE_IMAGE=${CUDA_IMAGE}\n`)
    expect(lintDockerfile(dockerfile)).toEqual([])
    expect(job.environment!.gpu).toEqual({
      requested: 'auto',
      detected: ['torch'],
      selected: true,
      base: CUDA_IMAGE,
      python: '3.12',
      reason: 'gpu: auto, for torch'
    })
    const printed = JSON.parse(res.stdout) as { gpu: unknown; frozen: { floats: Array<{ kind: string; name: string }> } }
    expect(printed.gpu).toEqual(job.environment!.gpu)
    expect(printed.frozen.floats).toContainEqual(expect.objectContaining({ kind: 'base-image', name: CUDA_IMAGE }))
  })

  it('gpu off (set by the spec): the plain Python base, the note still says how to reach the GPU', async () => {
    const before = registry.tokenRequests.length
    const out = outDir()
    const spec = { git_url: git.url('repo.git'), commit_hash: commit, command: 'python train.py', gpu: 'off' }
    const res = await pack(['--spec', '-', '--out', out, '--pin-base-image', 'off'], JSON.stringify(spec))
    expect(res.code).toBe(0)
    const { dockerfile, job } = await packageFiles(out)
    expect(dockerfile).toContain('\nARG BASE_IMAGE=python:3.12-slim-bookworm\n')
    expect(dockerfile).not.toContain('/opt/python')
    expect(dockerfile).toContain('\n# On a GPU: docker run --rm --gpus all job\n')
    expect(lintDockerfile(dockerfile)).toEqual([])
    expect(job.environment!.gpu).toEqual({ requested: 'off', detected: ['torch'], selected: false, reason: 'gpu: off' })
    expect(res.stdout).toContain('gpu             torch use CUDA; no CUDA base (gpu: off); run with docker run --rm --gpus all')
    expect(registry.tokenRequests.length).toBe(before)
  })

  it('pin-base-image require and a CUDA tag the registry does not have: exit 1, the base-image error, nothing left behind', async () => {
    const out = outDir()
    const image = `${registry.host}/nvidia/cuda:0.0-no-such-tag-ubuntu24.04`
    const res = await pack([...source(), '--out', out, '--gpu', image, '--pin-base-image', 'require', '--json'])
    expect(res.code).toBe(1)
    const error = (JSON.parse(res.stdout) as { error: { kind: string; message: string } }).error
    expect(error.kind).toBe('base-image')
    expect(error.message).toMatch(
      /^Could not pin the base image .*nvidia\/cuda:0\.0-no-such-tag-ubuntu24\.04 by digest \(--pin-base-image require\): unknown tag/
    )
    expect(await listAll(out)).toEqual([])
  })

  it('an invalid gpu value is refused before anything is fetched, naming the flag', async () => {
    const res = await pack([...source(), '--out', outDir(), '--gpu', 'nvidia/cuda:latest', '--json'])
    expect(res.code).toBe(2)
    const error = (JSON.parse(res.stdout) as { error: { problems: Array<{ field: string; problem: string }> } }).error
    expect(error.problems).toEqual([expect.objectContaining({ field: '--gpu' })])
  })
})

/** The fields of a PackResult the summary reads besides the manifest. */
function summaryResult(): Omit<PackResult, 'manifest'> {
  return {
    jobId: 'gpu',
    jobDir: '/x/gpu',
    archivePath: '/x/gpu.tar.gz',
    archiveSha256: 'c'.repeat(64),
    archiveBytes: 1,
    contentDigest: `sha256:${'d'.repeat(64)}`,
    commit,
    commitTime: '2024-01-02T03:04:05.000Z',
    fetch: 'shallow',
    datasets: [],
    submodules: [],
    warnings: [],
    timings: { checkout: 0, download: 0, render: 0, archive: 0, total: 0 }
  }
}
