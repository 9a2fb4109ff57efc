/**
 * Lockfiles honoured (issue 12): for each installer, the Dockerfile text
 * detection produces — checked against the expectation docs/CONTAINER.md
 * documents (which files are copied before the install, the exact command,
 * what comes after the code) and linted — plus which file wins when several
 * are present, and the frozen verdict with what floats. The installers that
 * can run here (pip with --require-hashes) are also built for real in
 * __tests__/container/, and so are Poetry and pipenv as Debian packages them
 * (a base image that carries its own tool); uv, micromamba, R and Julia
 * cannot be, so this text is their proof, as it is for the branches a build
 * here cannot take (Poetry or pipenv installed from the package index).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { describeFrozen, frozenReport, type Environment } from '../../src/core/detect/index.js'
import { BUN_VERSION } from '../../src/core/detect/node.js'
import { scanEnvironmentYml } from '../../src/core/detect/python/conda.js'
import { scanRequirements } from '../../src/core/detect/python/requirements.js'
import { environmentManifest } from '../../src/core/render/dockerfile.js'
import { lintDockerfile } from '../helpers/dockerfile-lint.js'
import { run } from '../helpers/git-server.js'
import { detectTree, dockerfileFor, instructions } from '../helpers/detect.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  root = await tempDir('jp-lockfiles-')
})
afterAll(async () => {
  await root?.cleanup()
})

const detect = (tree: Record<string, string>): Promise<Environment> => detectTree(root.dir, tree)

const dockerfile = dockerfileFor

/** Asserts the layout every lock must have: COPY of exactly `files`, then `run`, then the code, then `after`. */
function expectLayout(text: string, files: string[], run: string, after?: string): void {
  expect(lintDockerfile(text)).toEqual([])
  const lines = instructions(text)
  const copy = lines.indexOf(`COPY ${files.map((f) => `code/${f}`).join(' ')} /job/code/`)
  const install = lines.indexOf(`RUN ${run}`)
  const code = lines.indexOf('COPY --chown=10001:10001 . /job')
  expect({ copy, install, code }).toEqual({ copy: expect.any(Number), install: expect.any(Number), code: expect.any(Number) })
  expect(copy).toBeGreaterThan(0)
  expect(copy).toBeLessThan(install)
  expect(install).toBeLessThan(code)
  // Only one COPY before the code: nothing else of the tree reaches the dependency layer.
  expect(lines.slice(0, code).filter((l) => l.startsWith('COPY '))).toHaveLength(1)
  if (after) expect(lines.slice(code + 1)).toContain(`RUN ${after}`)
  else expect(lines.slice(code + 1).filter((l) => l.startsWith('RUN '))).toEqual([])
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

/** The Poetry step: `tools` is what pip installs when the base image has no poetry, `version` the Poetry named. */
function poetryRun(tools: string, version: string): string {
  const poetry = 'POETRY_CACHE_DIR=/tmp/poetry-cache "$poetry"'
  return [
    'python3 -m venv /opt/venv',
    `if command -v poetry >/dev/null; then poetry=poetry && echo "poetry.lock: the base image's $(poetry --version)"; else echo "poetry.lock: no poetry in the base image; installing Poetry ${version} for the build" && python3 -m venv /tmp/poetry-venv && /tmp/poetry-venv/bin/pip install --no-cache-dir ${tools} && poetry=/tmp/poetry-venv/bin/poetry; fi`,
    `if ${poetry} export --help >/dev/null 2>&1; then ${poetry} export --format requirements.txt --output /tmp/poetry-requirements.txt && /opt/venv/bin/python -m pip install --no-cache-dir --require-hashes --no-deps -r /tmp/poetry-requirements.txt; else echo "poetry.lock: this poetry has no export command; poetry install checks the lock's hashes" && ${poetry} install --only main --no-root --no-interaction; fi`,
    'rm -rf /tmp/poetry-venv /tmp/poetry-cache /tmp/poetry-requirements.txt'
  ].join(' && ')
}

/** `sh -n`: the command parses as POSIX shell (dash, /bin/sh of the Debian-based images), every branch of it. */
async function expectShellSyntax(command: string): Promise<void> {
  const res = await run('sh', ['-n', '-c', command], { allowFailure: true })
  expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' })
}

const PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["requests>=2", "click==8.1.7"]\n'
const PACKAGED = `${PYPROJECT}\n[build-system]\nrequires = ["flit_core<4"]\nbuild-backend = "flit_core.buildapi"\n`
const HASHED = [
  'click==8.1.7 \\',
  '    --hash=sha256:ae74fb96c20a0277a1d615f1e4d73c8414f5a98db8b799a7931d1582f3390c28',
  'requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6',
  ''
].join('\n')

describe('Python lockfiles', () => {
  it('uv.lock: pinned uv, sync --frozen from pyproject.toml + uv.lock alone, the project after the code; frozen', async () => {
    const lock = 'version = 1\nrevision = 2\nrequires-python = ">=3.11"\n'
    const env = await detect({ 'pyproject.toml': PACKAGED, 'uv.lock': lock, 'requirements.txt': 'requests\n' })
    const text = dockerfile(env)
    expectLayout(
      text,
      ['pyproject.toml', 'uv.lock'],
      'python3 -m pip install --no-cache-dir uv==0.8.15 && uv sync --frozen --no-dev --no-install-project',
      'uv sync --frozen --no-dev'
    )
    expect(text).toContain('UV_PROJECT_ENVIRONMENT=/opt/venv')
    expect(text).toContain('UV_PYTHON_DOWNLOADS=never')
    expect(text).toContain('PATH=/opt/venv/bin:${PATH}')
    expect(env.baseImage).toBe('python:3.12-slim-bookworm')
    expect(env.reasons).toEqual(['python 3.12 from requires-python', 'uv.lock: uv sync --frozen'])
    expect(env.notes).toContain('requirements.txt is also present; uv.lock is used (see docs/CONTAINER.md for which file wins)')
    const frozen = environmentManifest(env, env.baseImage, 'detection').frozen
    expect(frozen).toEqual({
      verdict: 'frozen',
      ecosystems: [
        { ecosystem: 'python', file: 'uv.lock', sha256: sha(lock), installer: 'uv 0.8.15: uv sync --frozen --no-dev', pinning: 'locked' }
      ],
      floats: []
    })
  })

  it('uv.lock of a workspace: the sync needs the tree, so it runs after the code', async () => {
    const env = await detect({
      'pyproject.toml': `${PYPROJECT}\n[tool.uv.workspace]\nmembers = ["packages/*"]\n`,
      'uv.lock': 'version = 1\n'
    })
    expect(env.install).toEqual([
      {
        from: 'uv.lock',
        stage: 'after-code',
        copy: [],
        run: 'python3 -m pip install --no-cache-dir uv==0.8.15 && uv sync --frozen --no-dev'
      }
    ])
    expect(lintDockerfile(dockerfile(env))).toEqual([])
  })

  it("poetry.lock: the base image's poetry, else the one that wrote the lock; export with hashes + pip --require-hashes, or poetry install, into /opt/venv", async () => {
    const env = await detect({
      'pyproject.toml':
        '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "^2"\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n',
      'poetry.lock': '# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n'
    })
    const run = poetryRun('poetry==1.8.3', '1.8.3')
    const text = dockerfile(env)
    expectLayout(text, ['pyproject.toml', 'poetry.lock'], run, 'python3 -m pip install --no-cache-dir --no-deps .')
    // Both branches are valid shell, whichever one a build takes.
    await expectShellSyntax(run)
    // The job's python3 is the virtual environment's, where the lock was installed.
    expect(instructions(text).find((l) => l.startsWith('ENV '))).toContain('VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:${PATH}')
    expect(env.version).toBe('3.12')
    const manifest = environmentManifest(env, env.baseImage, 'detection')
    expect(manifest.frozen).toMatchObject({
      verdict: 'frozen',
      ecosystems: [
        {
          file: 'poetry.lock',
          installer:
            "the base image's poetry, else Poetry 1.8.3: poetry export with hashes and pip install --require-hashes, or poetry install where that poetry has no export command",
          pinning: 'locked'
        }
      ]
    })
    // The rule is said in job.json.
    expect(manifest.notes).toContain(
      "poetry.lock is installed with the base image's poetry when it has one (the build log prints its version), else with Poetry 1.8.3 installed for the build and removed: the lock decides every package, version and file hash; the tool's version is the base image's, frozen when the base image is pinned by digest"
    )
    const two = await detect({
      'pyproject.toml': '[project]\nname = "x"\n[tool.poetry]\npackage-mode = false\n',
      'poetry.lock': '# This file is automatically @generated by Poetry 2.1.1 and should not be changed by hand.\n'
    })
    expect(two.install).toHaveLength(1)
    expect(two.install[0]!.run).toBe(poetryRun('poetry==2.1.1 poetry-plugin-export==1.9.0', '2.1.1'))
    // Poetry 1.3's header names no version: Poetry 1.8.5 when the image has none.
    const unnamed = await detect({
      'pyproject.toml': '[tool.poetry]\nname = "x"\n',
      'poetry.lock': '# This file is automatically @generated by Poetry and should not be changed by hand.\n'
    })
    expect(unnamed.install[0]!.run).toBe(poetryRun('poetry==1.8.5', '1.8.5'))
    expect(unnamed.notes).toContain(
      'poetry.lock does not say which Poetry wrote it; without a poetry in the base image, Poetry 1.8.5 reads it'
    )
  })

  it("Pipfile.lock: the base image's pipenv, else a pinned one; install --deploy --system from Pipfile + Pipfile.lock alone", async () => {
    const env = await detect({ Pipfile: '[packages]\nrequests = "*"\n', 'Pipfile.lock': '{"_meta": {}}\n', 'main.py': 'print(1)\n' })
    const run = [
      'if command -v pipenv >/dev/null; then pipenv=pipenv && echo "Pipfile.lock: the base image\'s $(pipenv --version)"; else echo "Pipfile.lock: no pipenv in the base image; installing pipenv 2024.4.1 for the build" && python3 -m venv /tmp/pipenv-venv && /tmp/pipenv-venv/bin/pip install --no-cache-dir pipenv==2024.4.1 && pipenv=/tmp/pipenv-venv/bin/pipenv; fi',
      'PIPENV_PIPFILE=/job/code/Pipfile WORKON_HOME=/tmp/pipenv PIPENV_CACHE_DIR=/tmp/pipenv PIP_NO_CACHE_DIR=1 "$pipenv" install --deploy --system',
      'rm -rf /tmp/pipenv-venv /tmp/pipenv'
    ].join(' && ')
    expectLayout(dockerfile(env), ['Pipfile', 'Pipfile.lock'], run)
    await expectShellSyntax(run)
    const manifest = environmentManifest(env, env.baseImage, 'detection')
    expect(manifest.frozen).toMatchObject({
      verdict: 'frozen',
      ecosystems: [{ file: 'Pipfile.lock', installer: "the base image's pipenv, else pipenv 2024.4.1: pipenv install --deploy --system" }]
    })
    expect(manifest.notes).toContain(
      "Pipfile.lock is installed with the base image's pipenv when it has one (the build log prints its version), else with pipenv 2024.4.1 installed for the build and removed: the lock decides every package, version and hash; the tool's version is the base image's, frozen when the base image is pinned by digest"
    )
  })

  it('Pipfile without a lock: pipenv install --skip-lock, floating and said so; after the code for a local path; requirements.txt comes first; [dev-packages] named', async () => {
    const unlocked = await detect({ Pipfile: '[packages]\nrequests = "*"\n\n[dev-packages]\npytest = "*"\n' })
    const run = [
      'if command -v pipenv >/dev/null; then pipenv=pipenv && echo "Pipfile: the base image\'s $(pipenv --version)"; else echo "Pipfile: no pipenv in the base image; installing pipenv 2024.4.1 for the build" && python3 -m venv /tmp/pipenv-venv && /tmp/pipenv-venv/bin/pip install --no-cache-dir pipenv==2024.4.1 && pipenv=/tmp/pipenv-venv/bin/pipenv; fi',
      'PIPENV_PIPFILE=/job/code/Pipfile WORKON_HOME=/tmp/pipenv PIPENV_CACHE_DIR=/tmp/pipenv PIP_NO_CACHE_DIR=1 "$pipenv" install --skip-lock --system',
      'rm -rf /tmp/pipenv-venv /tmp/pipenv'
    ].join(' && ')
    expectLayout(dockerfile(unlocked), ['Pipfile'], run)
    await expectShellSyntax(run)
    expect(unlocked.warnings).toContain(
      'Pipfile without a Pipfile.lock: installed with pipenv install --skip-lock, so versions are chosen when the image is built (run pipenv lock and commit Pipfile.lock)'
    )
    expect(unlocked.notes).toContain(
      "Pipfile's [dev-packages] (1) are not installed: a job runs the [packages] (repo2docker would add --dev)"
    )
    expect(environmentManifest(unlocked, unlocked.baseImage, 'detection').frozen?.verdict).toBe('not')
    const local = await detect({ 'binder/Pipfile': '[packages]\ndummy = {path = ".", editable = true}\n' })
    expect(local.install[0]).toMatchObject({ from: 'binder/Pipfile', stage: 'after-code', copy: [] })
    const withReq = await detect({ Pipfile: '[packages]\nrequests = "*"\n', 'requirements.txt': 'requests==2.32.0\n' })
    expect(withReq.install[0]!.from).toBe('requirements.txt')
    expect(withReq.notes.join('\n')).toContain('Pipfile is also present; requirements.txt is used')
  })

  it('requirements*.txt with --hash on every line: pip --require-hashes; a hashed file wins over an unhashed requirements.txt', async () => {
    const env = await detect({ 'requirements.txt': 'requests\n', 'requirements.lock.txt': HASHED, 'pyproject.toml': PACKAGED })
    expectLayout(
      dockerfile(env),
      ['requirements.lock.txt'],
      'python3 -m pip install --no-cache-dir --require-hashes -r requirements.lock.txt',
      'python3 -m pip install --no-cache-dir --no-deps .'
    )
    expect(env.notes).toContain(
      'requirements.txt is also present; requirements.lock.txt is used (see docs/CONTAINER.md for which file wins)'
    )
    expect(environmentManifest(env, env.baseImage, 'detection').frozen).toMatchObject({
      verdict: 'frozen',
      ecosystems: [{ ecosystem: 'python', file: 'requirements.lock.txt', sha256: sha(HASHED), pinning: 'locked' }]
    })
  })

  it('conda: the explicit lock first, then conda-lock.yml, then environment.yml, with micromamba on its own base as root until the job user', async () => {
    const explicit = await detect({
      'conda-linux-64.lock': '# platform: linux-64\n@EXPLICIT\nhttps://conda.example/pkgs/python-3.12.0.conda#abc\n',
      'environment.yml': 'dependencies:\n  - python=3.12\n'
    })
    const text = dockerfile(explicit)
    expectLayout(
      text,
      ['conda-linux-64.lock'],
      'micromamba install --yes --name base --file conda-linux-64.lock && micromamba clean --all --yes'
    )
    expect(explicit).toMatchObject({ runtime: 'conda', baseImage: 'mambaorg/micromamba:1.5.10-bookworm-slim' })
    const lines = instructions(text)
    expect(lines.indexOf('USER root')).toBe(lines.indexOf('FROM ${BASE_IMAGE}') + 1)
    expect(lines.at(-2)).toBe('USER 10001:10001')
    expect(text).toContain('PATH=/opt/conda/bin:${PATH}')
    expect(explicit.notes).toContain('environment.yml is also present; conda-linux-64.lock is used')
    expect(environmentManifest(explicit, explicit.baseImage, 'detection').frozen?.verdict).toBe('frozen')

    const yml = await detect({
      'environment.yml':
        'name: x\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy==1.26.4\n  - pip\n  - pip:\n    - requests==2.32.3\n    - rich>=13\n'
    })
    expectLayout(
      dockerfile(yml),
      ['environment.yml'],
      'micromamba install --yes --name base --file environment.yml && micromamba clean --all --yes'
    )
    const frozen = environmentManifest(yml, yml.baseImage, 'detection').frozen!
    expect(frozen.verdict).toBe('partly')
    expect(frozen.floats.map((f) => `${f.kind}:${f.name}`)).toEqual([
      'requirement:python',
      'requirement:pip',
      'requirement:rich',
      'unlisted-dependencies:environment.yml'
    ])
  })

  it('pyproject.toml without a lock: the declared dependencies before the code (single-quoted, validated), the project after; versions float', async () => {
    const env = await detect({
      'pyproject.toml':
        '[project]\nname = "demo"\nrequires-python = ">=3.11"\ndependencies = [\n  "requests>=2",\n  "click==8.1.7",\n  "tomli>=1; python_version < \\"3.11\\"",\n  "evil; rm -rf / #",\n  "pkg @ https://example.com/pkg.whl",\n]\n[build-system]\nrequires = ["setuptools"]\n'
    })
    const text = dockerfile(env)
    expect(lintDockerfile(text)).toEqual([])
    const lines = instructions(text)
    const deps = lines.indexOf(`RUN python3 -m pip install --no-cache-dir 'requests>=2' 'click==8.1.7' 'tomli>=1; python_version < "3.11"'`)
    expect(deps).toBeGreaterThan(0)
    expect(deps).toBeLessThan(lines.indexOf('COPY --chown=10001:10001 . /job'))
    expect(lines.at(lines.indexOf('COPY --chown=10001:10001 . /job') + 1)).toBe('RUN python3 -m pip install --no-cache-dir .')
    expect(text).not.toContain('rm -rf /')
    expect(env.notes.join('\n')).toMatch(/"evil; rm -rf \/ #" is not installed ahead of the code/)
    expect(env.warnings.join('\n')).toMatch(/declares dependencies without a lockfile/)
    const frozen = environmentManifest(env, env.baseImage, 'detection').frozen!
    expect(frozen.verdict).toBe('partly')
    expect(frozen.floats.filter((f) => f.kind === 'requirement').map((f) => f.name)).toEqual(['requests', 'tomli', 'evil', 'pkg'])
    const loose = await detect({ 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["numpy"]\n' })
    expect(environmentManifest(loose, loose.baseImage, 'detection').frozen?.verdict).toBe('not')
  })

  it('requirements.txt: partly frozen with some pins, "not" with none; the floats name each unpinned requirement', async () => {
    const env = await detect({ 'requirements.txt': 'numpy\npandas>=2\nrequests==2.32.3\n' })
    const frozen = environmentManifest(env, env.baseImage, 'detection').frozen!
    expect(frozen.verdict).toBe('partly')
    expect(frozen.floats.map((f) => f.name)).toEqual(['numpy', 'pandas', 'requirements.txt'])
    expect(describeFrozen(frozen)).toBe(
      'partly frozen: 3 things float (python requirement numpy in requirements.txt; python requirement pandas in requirements.txt; dependencies not listed in requirements.txt)'
    )
    const none = await detect({ 'requirements.txt': 'numpy\n' })
    expect(environmentManifest(none, none.baseImage, 'detection').frozen?.verdict).toBe('not')
  })
})

describe('Node, R and Julia', () => {
  it('a Node lockfile is frozen; package.json without one floats by name', async () => {
    const locked = await detect({ 'package.json': JSON.stringify({ dependencies: { a: '1.0.0' } }), 'package-lock.json': '{}' })
    expect(environmentManifest(locked, locked.baseImage, 'detection').frozen).toMatchObject({
      verdict: 'frozen',
      ecosystems: [{ ecosystem: 'node', file: 'package-lock.json', installer: 'npm ci --no-audit --no-fund', pinning: 'locked' }]
    })
    const loose = await detect({ 'package.json': JSON.stringify({ dependencies: { a: '^1', b: '2' } }) })
    expect(environmentManifest(loose, loose.baseImage, 'detection').frozen).toMatchObject({
      verdict: 'not',
      floats: [
        { ecosystem: 'node', name: 'a' },
        { ecosystem: 'node', name: 'b' }
      ]
    })
  })

  it("bun.lock: Bun at packageManager's version (else the pinned one, with a note) from the npm registry, bun install --frozen-lockfile before the code", async () => {
    const lock = '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "name": "p" } },\n  "packages": {}\n}\n'
    const pkg = { name: 'p', dependencies: { 'is-number': '7.0.0' }, packageManager: 'bun@1.2.21' }
    const env = await detect({ 'package.json': JSON.stringify(pkg), 'bun.lock': lock, 'bunfig.toml': '[install]\n' })
    const run = 'npm install --global --no-audit --no-fund bun@1.2.21 && bun install --frozen-lockfile && npm cache clean --force'
    expectLayout(dockerfile(env), ['package.json', 'bun.lock', 'bunfig.toml'], run)
    expect(env.reasons).toContain('bun.lock: bun install --frozen-lockfile')
    expect(environmentManifest(env, env.baseImage, 'detection').frozen).toEqual({
      verdict: 'frozen',
      ecosystems: [
        {
          ecosystem: 'node',
          file: 'bun.lock',
          sha256: sha(lock),
          installer: 'bun 1.2.21: bun install --frozen-lockfile',
          pinning: 'locked'
        }
      ],
      floats: []
    })
    // No exact version named: the pinned Bun, said in a note; the binary lock of older Bun is read the same way.
    const older = await detect({
      'package.json': JSON.stringify({ dependencies: { a: '1.0.0' } }),
      'bun.lockb': '\u0000bun-lockfile-format-v0\n'
    })
    expect(older.install[0]!.run).toBe(
      `npm install --global --no-audit --no-fund bun@${BUN_VERSION} && bun install --frozen-lockfile && npm cache clean --force`
    )
    expect(older.notes).toContain(
      `package.json's packageManager does not name an exact Bun version (bun@X.Y.Z); Bun ${BUN_VERSION} installs bun.lockb`
    )
    // npm's lock comes first when both are there, unless packageManager names Bun.
    const both = { 'bun.lock': lock, 'package-lock.json': '{}' }
    expect((await detect({ 'package.json': JSON.stringify({ dependencies: { a: '1' } }), ...both })).install[0]!.run).toMatch(/^npm ci /)
    expect((await detect({ 'package.json': JSON.stringify(pkg), ...both })).install[0]!.run).toBe(run)
  })

  it("renv.lock: rocker/r-ver at the lock's R version, renv::restore() from renv.lock alone", async () => {
    const lock = JSON.stringify({ R: { Version: '4.3.2', Repositories: [] }, Packages: {} })
    const env = await detect({ 'renv.lock': lock, DESCRIPTION: 'Package: x\n', 'main.R': 'print(1)\n' })
    expect(env).toMatchObject({ runtime: 'r', version: '4.3.2', versionFrom: 'renv.lock', baseImage: 'rocker/r-ver:4.3.2' })
    expectLayout(
      dockerfile(env),
      ['renv.lock'],
      `Rscript -e 'install.packages("renv")' -e 'renv::restore(lockfile = "renv.lock", library = .libPaths()[1], prompt = FALSE)'`
    )
    expect(env.notes).toContain('DESCRIPTION is also present; renv.lock is used')
    expect(environmentManifest(env, env.baseImage, 'detection').frozen?.verdict).toBe('frozen')
    const bad = await detect({ 'renv.lock': JSON.stringify({ R: { Version: '4.3; rm -rf /' } }) })
    expect(bad.baseImage).toBe('rocker/r-ver:4.4.2')
    expect(bad.warnings.join('\n')).toMatch(/is not an R version/)
  })

  it('DESCRIPTION or install.R without renv.lock: installed before the code, and floating; the DESCRIPTION package itself after the code', async () => {
    const env = await detect({ DESCRIPTION: 'Package: x\nImports: dplyr\n' })
    expectLayout(
      dockerfile(env),
      ['DESCRIPTION'],
      `Rscript -e 'install.packages("remotes")' -e 'remotes::install_deps(dependencies = TRUE, upgrade = "never")'`,
      'R CMD INSTALL .'
    )
    expect(environmentManifest(env, env.baseImage, 'detection').frozen?.verdict).toBe('not')
    const script = await detect({ 'install.R': 'install.packages("dplyr")\n' })
    expectLayout(dockerfile(script), ['install.R'], 'Rscript install.R')
  })

  it("Manifest.toml: julia at the manifest's julia_version, Pkg.instantiate() from Project.toml + Manifest.toml alone", async () => {
    const env = await detect({
      'Project.toml': '[deps]\nJSON = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"\n',
      'Manifest.toml': '# This file is machine-generated\n\njulia_version = "1.10.4"\nmanifest_format = "2.0"\n',
      'main.jl': 'println(1)\n'
    })
    expect(env).toMatchObject({ runtime: 'julia', version: '1.10.4', baseImage: 'julia:1.10.4' })
    const text = dockerfile(env)
    expectLayout(
      text,
      ['Project.toml', 'Manifest.toml'],
      `JULIA_DEPOT_PATH=/opt/julia julia -e 'using Pkg; Pkg.instantiate(); Pkg.precompile()'`
    )
    expect(text).toContain('JULIA_PROJECT=/job/code')
    expect(environmentManifest(env, env.baseImage, 'detection').frozen?.verdict).toBe('frozen')
    const loose = await detect({ 'Project.toml': '[deps]\n' })
    expect(loose.baseImage).toBe('julia:1.10')
    expect(environmentManifest(loose, loose.baseImage, 'detection').frozen?.verdict).toBe('not')
  })
})

describe('the verdict and the scanners', () => {
  it('is frozen with no floats, partly with some, not when an ecosystem pins nothing; Debian packages alone never make it "not"', () => {
    const locked = { ecosystem: 'python' as const, file: 'uv.lock', installer: 'uv', pinning: 'locked' as const }
    const apt = { ecosystem: 'debian' as const, file: 'apt.txt', installer: 'apt-get install', pinning: 'none' as const }
    const pkg = { kind: 'system-package' as const, name: 'curl', why: 'x' }
    expect(frozenReport([locked], []).verdict).toBe('frozen')
    expect(frozenReport([locked, apt], [pkg]).verdict).toBe('partly')
    expect(frozenReport([], [], [{ kind: 'base-image', name: 'python:3.12-slim', why: 'tag' }]).verdict).toBe('partly')
    expect(frozenReport([{ ...locked, pinning: 'none' }], [{ kind: 'requirement', name: 'x', why: 'y' }]).verdict).toBe('not')
    expect(frozenReport([], [{ kind: 'requirement', name: 'a\u001b[31m\nb', why: 'y' }]).floats[0]!.name).toBe('a?[31m?b')
  })

  it('reads hashes and pins in requirements files', () => {
    expect(scanRequirements(HASHED)).toEqual({ entries: 2, local: false, hashed: true, unpinned: [] })
    expect(scanRequirements('a==1 --hash=sha256:00\nb==2\n')).toMatchObject({ hashed: false, unpinned: [] })
    expect(scanRequirements('a>=1\nb==1.*\nc===2\n')).toMatchObject({ unpinned: ['a', 'b'] })
  })

  it('reads environment.yml dependencies and their pip section', () => {
    expect(
      scanEnvironmentYml(
        'dependencies:\n  - conda-forge::numpy=1.26.4=py312h0\n  - scipy\n  - pip:\n    - -e .\n    - rich==13.0\nname: x\n'
      )
    ).toEqual({
      conda: ['scipy'],
      pip: [],
      local: true,
      entries: 4
    })
  })
})
