/**
 * GPU jobs (issue 12, point 4): which packages count as CUDA, when the `gpu`
 * option selects a CUDA runtime base, which CUDA image and Python that
 * gives, and the Dockerfile every Python installer then gets on it — checked
 * as text and linted, since no CUDA image (and no GPU) is reachable here.
 * The pinning of that base against a real registry is in
 * __tests__/integration/gpu-base.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type DetectOptions, type Environment } from '../../src/core/detect/index.js'
import { CUDA_IMAGES, CUDA_VERSION, detectCuda, planCudaBase, selectGpu } from '../../src/core/detect/gpu.js'
import { openCodeFiles } from '../../src/core/detect/files.js'
import { CORE_OPTIONS } from '../../src/core/options/registry.js'
import { KindProblem } from '../../src/core/options/kinds.js'
import { environmentManifest } from '../../src/core/render/dockerfile.js'
import { cliNamer } from '../../src/cli/cli-names.js'
import { lintDockerfile } from '../helpers/dockerfile-lint.js'
import { codeDir as codeDirIn, detectTree, dockerfileFor, instructions } from '../helpers/detect.js'
import { tempDir } from '../helpers/workspace.js'

const UBUNTU24 = `nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu24.04`
const UBUNTU22 = `nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu22.04`
const HASH = `--hash=sha256:${'ab'.repeat(32)}`

let root: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  root = await tempDir('jp-gpu-')
})
afterAll(async () => {
  await root?.cleanup()
})

const codeDir = (tree: Record<string, string>): Promise<string> => codeDirIn(root.dir, tree)

const detect = (tree: Record<string, string>, options: DetectOptions = {}): Promise<Environment> => detectTree(root.dir, tree, options)

const dockerfile = dockerfileFor

const CUDA_PYTHON_RUN =
  'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/* && python3 -m venv /opt/python'

describe('which packages use CUDA', () => {
  it('finds torch, the NVIDIA wheels and the other CUDA packages, in a fixed order, and nothing in a plain job', async () => {
    const files = await openCodeFiles(
      await codeDir({
        'requirements.txt': 'nvidia-cublas-cu12==12.1.3.1\ncupy-cuda12x==13.3.0\ntorch==2.4.0\n',
        'pyproject.toml': '[project]\nname = "x"\nversion = "1"\ndependencies = ["jax[cuda12]>=0.4"]\n'
      })
    )
    expect(await detectCuda(files)).toEqual({ packages: ['torch', 'jax[cuda]', 'cupy', 'nvidia CUDA wheels'], cpuOnlyTorch: [] })
    const plain = await openCodeFiles(
      await codeDir({ 'requirements.txt': 'torchvision-stub==1.0\npytorch-lightning==2.0\nnumpy==2.0.0\n' })
    )
    expect(await detectCuda(plain)).toEqual({ packages: [], cpuOnlyTorch: [] })
  })

  it('does not count the CPU-only torch (+cpu, or the CPU wheel index), and says so', async () => {
    const pinned = await openCodeFiles(await codeDir({ 'requirements.txt': 'torch==2.4.0+cpu\nnumpy==2.0.0\n' }))
    expect(await detectCuda(pinned)).toEqual({ packages: [], cpuOnlyTorch: ['requirements.txt'] })
    const index = await openCodeFiles(await codeDir({ 'requirements.txt': '--index-url https://pkgs.invalid/whl/cpu\ntorch==2.4.0\n' }))
    expect(await detectCuda(index)).toEqual({ packages: [], cpuOnlyTorch: ['requirements.txt'] })
    const env = await detect({ 'requirements.txt': 'torch==2.4.0+cpu\n' })
    expect(env.baseImage).toBe('python:3.12-slim-bookworm')
    expect(env.gpu).toEqual({ requested: 'auto', detected: [], selected: false, reason: 'no CUDA-using packages found' })
    expect(env.notes).toContain(
      'torch in requirements.txt is the CPU-only build (+cpu, or the CPU wheel index): it does not count as a CUDA package'
    )
  })
})

describe('selecting a CUDA base (selectGpu)', () => {
  const base = { detected: ['torch'], runtime: 'python', baseImageGiven: false }
  it.each([
    ['off, whatever is found', { ...base, requested: 'off' }, false, 'gpu: off'],
    ['auto without CUDA packages', { ...base, requested: 'auto', detected: [] }, false, 'no CUDA-using packages found'],
    ['auto with torch', { ...base, requested: 'auto' }, true, 'gpu: auto, for torch'],
    ['cuda without CUDA packages', { ...base, requested: 'cuda', detected: [] }, true, 'gpu: cuda'],
    ['a CUDA image', { ...base, requested: 'reg.example/nvidia/cuda:12.8.1-runtime-ubuntu24.04' }, true, 'gpu: a CUDA image of the user']
  ])('%s', (_name, input, selected, reason) => {
    const out = selectGpu(input)
    expect(out).toEqual({ selected, reason })
  })

  it('the base-image option wins over the GPU choice, said in a note', () => {
    for (const requested of ['auto', 'cuda']) {
      const out = selectGpu({ ...base, requested, baseImageGiven: true, names: cliNamer })
      expect(out.selected).toBe(false)
      expect(out.reason).toBe('the base-image option wins over the GPU choice')
      expect(out.message?.level).toBe('note')
      expect(out.message?.text).toContain('--base-image wins over the GPU choice')
    }
  })

  it('applies to pip-installed Python jobs only: a note when auto found packages, a warning when the user asked', () => {
    const conda = selectGpu({ ...base, requested: 'auto', runtime: 'conda' })
    expect(conda).toMatchObject({ selected: false, message: { level: 'note' } })
    expect(conda.reason).toContain('a conda environment brings CUDA through its own packages')
    const node = selectGpu({ ...base, requested: 'cuda', detected: [], runtime: 'node', names: cliNamer })
    expect(node).toEqual({
      selected: false,
      reason: 'the CUDA base applies to Python jobs only (this one is node)',
      message: {
        level: 'warning',
        text: '--gpu cuda, but no CUDA base is used: the CUDA base applies to Python jobs only (this one is node)'
      }
    })
    // Nothing asked, nothing found: nothing to say.
    expect(selectGpu({ ...base, requested: 'auto', detected: [], runtime: 'node' })).toEqual({
      selected: false,
      reason: 'no CUDA-using packages found'
    })
  })
})

describe('the CUDA image and its Python (planCudaBase)', () => {
  it('picks the Ubuntu whose python3 is the Python asked for', () => {
    expect(CUDA_IMAGES.map((i) => [i.python, i.image])).toEqual([
      ['3.12', UBUNTU24],
      ['3.10', UBUNTU22]
    ])
    const dflt = planCudaBase('auto', { version: '3.12', versionFrom: 'default' })
    expect(dflt).toMatchObject({ image: UBUNTU24, python: '3.12', ubuntu: '24.04', notes: [], warnings: [] })
    expect(dflt.step).toEqual({ from: 'gpu', stage: 'system', copy: [], run: CUDA_PYTHON_RUN })
    expect(dflt.floats.map((f) => [f.kind, f.name])).toEqual([
      ['system-package', 'python3'],
      ['system-package', 'python3-venv']
    ])
    expect(planCudaBase('cuda', { version: '3.10', versionFrom: '.python-version' })).toMatchObject({
      image: UBUNTU22,
      python: '3.10',
      notes: [],
      warnings: []
    })
  })

  it('within a declared range, the nearest Python a CUDA image has, in a note', () => {
    const plan = planCudaBase('auto', { version: '3.11', versionFrom: 'requires-python', constraint: '>=3.9,<3.12' })
    expect(plan).toMatchObject({ image: UBUNTU22, python: '3.10', warnings: [] })
    expect(plan.notes).toEqual([
      `requires-python >=3.9,<3.12 allows Python 3.10: the CUDA base ${UBUNTU22} has Python 3.10 (Ubuntu 22.04's python3); without a CUDA base it would be 3.11`
    ])
  })

  it('against an exact pin or outside the range: a warning that says how to keep the Python asked for', () => {
    const pin = planCudaBase('auto', { version: '3.11', versionFrom: '.python-version' }, cliNamer)
    expect(pin).toMatchObject({ image: UBUNTU24, python: '3.12', notes: [] })
    expect(pin.warnings).toEqual([
      `.python-version asks for Python 3.11, but the CUDA base ${UBUNTU24} has Python 3.12 (Ubuntu 24.04's python3), which it does not allow. To keep Python 3.11: --gpu off (the python:3.11-slim-bookworm base; torch's and jax's CUDA wheels work there too), or --gpu <a CUDA image whose Ubuntu ships Python 3.11>`
    ])
    const range = planCudaBase('auto', { version: '3.13', versionFrom: 'requires-python', constraint: '>=3.13' })
    expect(range).toMatchObject({ image: UBUNTU24, python: '3.12' })
    expect(range.warnings[0]).toMatch(/^requires-python >=3\.13 asks for Python 3\.13, but the CUDA base .* which it does not allow/)
  })

  it('a CUDA image of the user: its Ubuntu (from the tag) says its Python; an unknown one is said', () => {
    const given = planCudaBase('reg.example/nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04@sha256:' + '1'.repeat(64), {
      version: '3.12',
      versionFrom: 'default'
    })
    expect(given).toMatchObject({ python: '3.10', ubuntu: '22.04' })
    expect(given.image).toMatch(/^reg\.example\/nvidia\/cuda:12\.8\.1-cudnn-runtime-ubuntu22\.04@sha256:/)
    expect(given.notes).toEqual([expect.stringMatching(/has Python 3\.10 \(Ubuntu 22\.04's python3\), not the default 3\.12$/)])
    const unknown = planCudaBase('reg.example/cuda:12.8.1-rockylinux9', { version: '3.12', versionFrom: 'default' })
    expect(unknown.python).toBeUndefined()
    expect(unknown.notes[0]).toContain('does not name an Ubuntu release job-packager knows in its tag')
    expect(unknown.floats[0]!.why).toContain("the image's apt sources")
  })
})

describe('the Dockerfile on a CUDA base, for every pip-based installer', () => {
  const PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = ["torch==2.4.0"]\n'
  const cases: Array<[string, Record<string, string>, string]> = [
    [
      'requirements.txt',
      { 'requirements.txt': 'torch==2.4.0\nnumpy==2.0.0\n' },
      'python3 -m pip install --no-cache-dir -r requirements.txt'
    ],
    [
      'requirements.txt with hashes',
      { 'requirements.txt': `torch==2.4.0 ${HASH}\n` },
      'python3 -m pip install --no-cache-dir --require-hashes -r requirements.txt'
    ],
    [
      'uv.lock',
      { 'pyproject.toml': PYPROJECT, 'uv.lock': 'version = 1\n\n[[package]]\nname = "torch"\nversion = "2.4.0"\n' },
      'python3 -m pip install --no-cache-dir uv==0.8.15 && uv sync --frozen --no-dev --no-install-project'
    ],
    [
      'poetry.lock',
      {
        'pyproject.toml': PYPROJECT,
        'poetry.lock':
          '# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n[[package]]\nname = "torch"\n'
      },
      'python3 -m venv /opt/venv && if command -v poetry >/dev/null; then poetry=poetry'
    ],
    [
      'Pipfile.lock',
      { Pipfile: '[packages]\ntorch = "==2.4.0"\n', 'Pipfile.lock': '{"default": {"torch": {"version": "==2.4.0"}}}\n' },
      'python3 -m venv /tmp/pipenv-venv'
    ]
  ]

  it.each(cases)(
    '%s: Ubuntu python3 in /opt/python first on PATH, then the same install as on python:3.12-slim',
    async (_name, tree, install) => {
      const env = await detect({ ...tree, 'main.py': 'import torch\n' })
      const off = await detect({ ...tree, 'main.py': 'import torch\n' }, { gpu: 'off' })
      expect(env.baseImage).toBe(UBUNTU24)
      expect(off.baseImage).toBe('python:3.12-slim-bookworm')
      expect(env.gpu).toEqual({
        requested: 'auto',
        detected: ['torch'],
        selected: true,
        base: UBUNTU24,
        python: '3.12',
        reason: 'gpu: auto, for torch'
      })
      const text = dockerfile(env)
      expect(lintDockerfile(text)).toEqual([])
      const lines = instructions(text)
      expect(lines.slice(0, 4)).toEqual([
        `ARG BASE_IMAGE=${UBUNTU24}`,
        'FROM ${BASE_IMAGE}',
        'ENV PATH=/opt/python/bin:${PATH}',
        expect.stringMatching(/^ENV DATA_DIR=/)
      ])
      expect(lines[4]).toBe(`RUN mkdir -p /home/job /job/code && chown 10001:10001 /home/job /job /job/code && ${CUDA_PYTHON_RUN}`)
      expect(lines.some((l) => l.startsWith('RUN ') && l.includes(install))).toBe(true)
      // The installers' steps are exactly those of the plain base: only the base and its Python differ.
      expect(env.install.slice(1)).toEqual(off.install)
      expect(text).toContain('# On a GPU: docker run --rm --gpus all job\n')
      expect(text).toContain("# The job's user owns its home and code folder; then the system packages (the CUDA base's Python).\n")
      // The frozen report counts Ubuntu's python3 as chosen at build time.
      const manifest = environmentManifest(env, env.baseImage, 'detection')
      expect(manifest.frozen!.floats.slice(0, 2)).toEqual([
        expect.objectContaining({ kind: 'system-package', name: 'python3', from: 'gpu' }),
        expect.objectContaining({ kind: 'system-package', name: 'python3-venv', from: 'gpu' })
      ])
      expect(manifest.gpu).toEqual(env.gpu)
    }
  )

  it("uv's own PATH entry stays in front of the CUDA base's Python (separate ENV instructions)", async () => {
    const env = await detect({ 'pyproject.toml': PYPROJECT, 'uv.lock': 'version = 1\n' }, { gpu: 'cuda' })
    const lines = instructions(dockerfile(env))
    expect(lines[2]).toBe('ENV PATH=/opt/python/bin:${PATH}')
    expect(lines[3]).toContain('PATH=/opt/venv/bin:${PATH}')
    expect(lines[3]).not.toContain('/opt/python')
  })

  it('apt.txt packages are installed after the CUDA base’s Python, in the same layer', async () => {
    const env = await detect({ 'requirements.txt': 'torch==2.4.0\n', 'apt.txt': 'libgomp1\n' })
    const lines = instructions(dockerfile(env))
    expect(lines[4]).toMatch(/&& python3 -m venv \/opt\/python && apt-get update && .* libgomp1 /)
    expect(dockerfile(env)).toContain("then the system packages (the CUDA base's Python; from apt.txt).")
  })

  it('gpu off: the plain base, a note that says why, and still how to run on a GPU', async () => {
    const env = await detect({ 'requirements.txt': 'torch==2.4.0\n' }, { gpu: 'off' })
    expect(env.gpu).toEqual({ requested: 'off', detected: ['torch'], selected: false, reason: 'gpu: off' })
    expect(env.notes).toContain(
      "the dependencies use CUDA (torch): to run on a GPU, the host needs the NVIDIA driver and the NVIDIA Container Toolkit, and the job is started with docker run --rm --gpus all job (the base image is not a CUDA image: gpu: off; these packages' own wheels bring the CUDA libraries they need, where they have them)"
    )
    const text = dockerfile(env)
    expect(text).toContain('# On a GPU: docker run --rm --gpus all job\n')
    expect(text).not.toContain('/opt/python')
    expect(lintDockerfile(text)).toEqual([])
  })

  it('no CUDA packages, auto: nothing changes and the Dockerfile says nothing about GPUs', async () => {
    const env = await detect({ 'requirements.txt': 'numpy==2.0.0\n' })
    expect(env.baseImage).toBe('python:3.12-slim-bookworm')
    expect(dockerfile(env)).not.toMatch(/gpus|CUDA/)
  })

  it('cuda with .python-version 3.10: Ubuntu 22.04, and the version recorded is the one the project asked for', async () => {
    const env = await detect({ 'requirements.txt': 'numpy==2.0.0\n', '.python-version': '3.10\n' }, { gpu: 'cuda' })
    expect(env).toMatchObject({ baseImage: UBUNTU22, version: '3.10', versionFrom: '.python-version', warnings: [] })
    expect(env.gpu).toMatchObject({ requested: 'cuda', detected: [], selected: true, python: '3.10' })
    expect(env.reasons[1]).toBe(`CUDA runtime base ${UBUNTU22} (gpu: cuda), Ubuntu 22.04's python3 in a virtual environment`)
  })

  it('a version the CUDA images do not have: the CUDA base Python, recorded as such, with a warning', async () => {
    const env = await detect({ 'requirements.txt': 'torch==2.4.0\n', '.python-version': '3.11\n' })
    expect(env).toMatchObject({ baseImage: UBUNTU24, version: '3.12', versionFrom: 'the CUDA base' })
    expect(env.warnings.join('\n')).toContain('.python-version asks for Python 3.11, but the CUDA base')
  })

  it("a CUDA image whose tag names no Ubuntu release: no version recorded, and the reason says it is the image's python3", async () => {
    const env = await detect({ 'requirements.txt': 'torch==2.4.0\n' }, { gpu: 'reg.example/cuda:12.8.1-runtime-debian12' })
    expect(env.baseImage).toBe('reg.example/cuda:12.8.1-runtime-debian12')
    expect(env.version).toBeUndefined()
    expect(env.gpu).toEqual({
      requested: 'reg.example/cuda:12.8.1-runtime-debian12',
      detected: ['torch'],
      selected: true,
      base: 'reg.example/cuda:12.8.1-runtime-debian12',
      reason: 'gpu: a CUDA image of the user'
    })
    expect(env.reasons[0]).toBe("python: the CUDA base's python3 (its version is not known when packaging)")
    expect(lintDockerfile(dockerfile(env))).toEqual([])
  })

  it('the base-image option wins: no CUDA step, a note', async () => {
    const env = await detect({ 'requirements.txt': 'torch==2.4.0\n' }, { baseImageGiven: true })
    expect(env.baseImage).toBe('python:3.12-slim-bookworm')
    expect(env.install.some((s) => s.from === 'gpu')).toBe(false)
    expect(env.baseEnv).toBeUndefined()
    expect(env.gpu).toMatchObject({ selected: false, reason: 'the base-image option wins over the GPU choice' })
    expect(env.notes.join('\n')).toContain('baseImage wins over the GPU choice')
  })

  it('conda keeps the micromamba base (its CUDA comes from conda packages); Node with gpu: cuda is warned', async () => {
    const conda = await detect({ 'environment.yml': 'dependencies:\n  - pytorch-cuda=12.1\n  - python=3.11\n' })
    expect(conda.runtime).toBe('conda')
    expect(conda.baseImage).toMatch(/^mambaorg\/micromamba:/)
    expect(conda.gpu).toMatchObject({ detected: ['pytorch-cuda'], selected: false })
    expect(conda.notes.join('\n')).toContain('a conda environment brings CUDA through its own packages')
    const node = await detect({ 'package.json': '{"name":"x","dependencies":{}}' }, { gpu: 'cuda' })
    expect(node.baseImage).toMatch(/^node:/)
    expect(node.gpu).toMatchObject({ requested: 'cuda', selected: false })
    expect(node.warnings).toContain('gpu: cuda, but no CUDA base is used: the CUDA base applies to Python jobs only (this one is node)')
    const repo = await detect({ Dockerfile: 'FROM scratch\n', 'requirements.txt': 'torch\n' }, { useRepoDockerfile: true, gpu: 'cuda' })
    expect(repo.gpu).toBeUndefined()
  })
})

describe('the gpu option', () => {
  const kind = CORE_OPTIONS.gpu.kind
  it('takes auto, cuda, off (any case) or a pinned image reference; a spec may set it', () => {
    expect(CORE_OPTIONS.gpu).toMatchObject({ default: 'auto', spec: 'gpu', cli: { flag: 'gpu' }, action: { input: 'gpu' } })
    expect(kind.parse('CUDA')).toBe('cuda')
    expect(kind.parse(' off ')).toBe('off')
    expect(kind.parse('127.0.0.1:5000/nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04')).toBe(
      '127.0.0.1:5000/nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04'
    )
    for (const bad of ['yes', 'nvidia/cuda', 'nvidia/cuda:latest', 'cuda:12 && rm -rf /'])
      expect(() => kind.parse(bad)).toThrow(KindProblem)
  })
})
