/**
 * Configuration folders (binder/, .binder/), postBuild and start
 * (src/core/detect/binder.ts): what is read from where, what is named as
 * ignored, and how the scripts reach the Dockerfile and run.sh.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { detectEnvironment, type Environment } from '../../src/core/detect/index.js'
import { parseSnapshotUrl } from '../../src/core/detect/r.js'
import { environmentManifest } from '../../src/core/render/dockerfile.js'
import { renderRunScript } from '../../src/core/render/run-script.js'
import { dockerfileFor, instructions } from '../helpers/detect.js'
import { lintDockerfile } from '../helpers/dockerfile-lint.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
beforeAll(async () => {
  root = await tempDir('jp-binder-')
})
afterAll(async () => {
  await root?.cleanup()
})

/** Paths may name one folder ("binder/requirements.txt"); a value of { mode } writes an executable file. */
type Tree = Record<string, string | { text: string; mode: number } | { symlink: string }>
async function write(tree: Tree): Promise<string> {
  const dir = path.join(root.dir, `code-${++n}`)
  await mkdir(dir, { recursive: true })
  for (const [name, spec] of Object.entries(tree)) {
    const full = path.join(dir, name)
    await mkdir(path.dirname(full), { recursive: true })
    if (typeof spec === 'string') await writeFile(full, spec)
    else if ('symlink' in spec) await symlink(spec.symlink, full)
    else {
      await writeFile(full, spec.text)
      await chmod(full, spec.mode)
    }
  }
  return dir
}
async function detect(tree: Tree, options = {}): Promise<Environment> {
  return detectEnvironment(await write(tree), options)
}

describe('configuration folders', () => {
  it('binder/ holds the environment files: its requirements.txt is installed, the root decoy is ignored and named', async () => {
    const env = await detect({
      'requirements.txt': 'this is not a requirement ===\n',
      'setup.py': 'raise SystemExit("decoy")\n',
      'main.py': 'print(1)\n',
      'binder/requirements.txt': 'numpy==2.0.0\n'
    })
    expect(env.configFolder).toBe('binder')
    expect(env.runtime).toBe('python')
    expect(env.install).toEqual([
      {
        from: 'binder/requirements.txt',
        stage: 'before-code',
        copy: ['binder/requirements.txt'],
        run: 'python3 -m pip install --no-cache-dir -r binder/requirements.txt'
      }
    ])
    expect(env.installs.map((i) => i.file)).toEqual(['binder/requirements.txt'])
    expect(env.warnings).toContain(
      'binder/ is the configuration folder, so these files at the root are ignored: requirements.txt, setup.py (move what the job needs into binder/)'
    )
    expect(env.reasons[0]).toBe('environment files from binder/')
    const text = dockerfileFor(env)
    expect(lintDockerfile(text)).toEqual([])
    expect(instructions(text)).toContain('COPY code/binder/requirements.txt /job/code/binder/')
    expect(text).not.toMatch(/pip install[^\n]* \.$/m)
  })

  it('.binder/ works the same way; with both folders, binder/ is used and the other is named', async () => {
    const dot = await detect({ 'apt.txt': 'decoy-package\n', '.binder/apt.txt': 'hello\n' })
    expect(dot.configFolder).toBe('.binder')
    expect(dot.aptPackages).toEqual(['hello'])
    expect(dot.install[0]).toMatchObject({ from: '.binder/apt.txt', stage: 'system' })
    expect(dot.warnings.join('\n')).toContain('these files at the root are ignored: apt.txt')

    const both = await detect({ 'binder/apt.txt': 'hello\n', '.binder/apt.txt': 'cowsay\n' })
    expect(both.configFolder).toBe('binder')
    expect(both.aptPackages).toEqual(['hello'])
    expect(both.warnings).toContain(
      'the repository has both binder/ and .binder/, which the specification allows only one of; binder/ is used and everything in .binder/ is ignored'
    )
  })

  it('setup.py, pyproject.toml and DESCRIPTION are read at the root only, and not at all with a folder', async () => {
    const env = await detect({
      'binder/setup.py': 'from setuptools import setup\nsetup()\n',
      'binder/DESCRIPTION': 'Package: x\n',
      'binder/environment.yml': 'channels:\n  - conda-forge\ndependencies:\n  - numpy=2.0.0=py312h1\n'
    })
    expect(env.runtime).toBe('conda')
    expect(env.install[0]).toMatchObject({
      from: 'binder/environment.yml',
      copy: ['binder/environment.yml'],
      run: 'micromamba install --yes --name base --file binder/environment.yml && micromamba clean --all --yes'
    })
    expect(env.warnings).toEqual(
      expect.arrayContaining([
        'binder/setup.py is ignored: the specification reads setup.py only at the root, and not at all when there is a configuration folder',
        'binder/DESCRIPTION is ignored: the specification reads DESCRIPTION only at the root, and not at all when there is a configuration folder'
      ])
    )
  })

  it('Pipfile, install.R and Project.toml in binder/ are installed from there', async () => {
    const pipenv = await detect({ 'binder/Pipfile': '[packages]\n', 'binder/Pipfile.lock': '{}\n' })
    expect(pipenv.install[0]!.copy).toEqual(['binder/Pipfile', 'binder/Pipfile.lock'])
    expect(pipenv.install[0]!.run).toContain('PIPENV_PIPFILE=/job/code/binder/Pipfile ')
    const r = await detect({ 'binder/install.R': 'install.packages("x")\n', 'analysis.R': 'print(1)\n' })
    expect(r.runtime).toBe('r')
    expect(r.install[0]).toMatchObject({ from: 'binder/install.R', copy: ['binder/install.R'], run: 'Rscript binder/install.R' })
    const julia = await detect({ 'binder/Project.toml': '[deps]\n', 'Project.toml': '[deps]\nDecoy = "x"\n' })
    expect(julia.runtime).toBe('julia')
    expect(julia.install[0]!.copy).toEqual(['binder/Project.toml'])
    expect(julia.env).toContain('JULIA_PROJECT=/job/code/binder')
    expect(lintDockerfile(dockerfileFor(julia))).toEqual([])
  })

  it('the root code still hints at the language: main.py with only binder/apt.txt is a Python job', async () => {
    const env = await detect({ 'main.py': 'print(1)\n', 'binder/apt.txt': 'hello\n' })
    expect(env.runtime).toBe('python')
    expect(env.aptPackages).toEqual(['hello'])
  })

  it('a binder symlink is not followed, and the root files are read', async () => {
    const env = await detect({ binder: { symlink: '/etc' }, 'requirements.txt': 'numpy==2.0.0\n' })
    expect(env.configFolder).toBeUndefined()
    expect(env.install[0]!.from).toBe('requirements.txt')
    expect(env.warnings.join('\n')).toContain('binder is a symbolic link')
  })

  it("binder/Dockerfile and the root's Dockerfile are named; use-repo-dockerfile still builds code/Dockerfile", async () => {
    const env = await detect({ Dockerfile: 'FROM scratch\n', 'binder/Dockerfile': 'FROM scratch\n', 'binder/apt.txt': 'hello\n' })
    expect(env.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('these files at the root are ignored: Dockerfile'),
        expect.stringContaining('binder/Dockerfile is not used')
      ])
    )
    const own = await detect({ Dockerfile: 'FROM scratch\n', 'binder/apt.txt': 'hello\n' }, { useRepoDockerfile: true })
    expect(own.dockerfile).toBe('repository')
    expect(own.notes.join('\n')).toContain('binder/ is not read: use-repo-dockerfile builds code/Dockerfile')
  })

  it('Nix files are named as not supported', async () => {
    const env = await detect({ 'binder/default.nix': '{}\n', 'main.py': '' })
    expect(env.warnings.join('\n')).toContain('binder/default.nix is not supported')
  })
})

describe('postBuild and start', () => {
  it("postBuild runs last, as the job's user, from where it is in code/; start is recorded and made executable", async () => {
    const env = await detect({
      'binder/requirements.txt': 'numpy==2.0.0\n',
      'binder/postBuild': { text: '#!/bin/sh\necho built > "$HOME/built"\n', mode: 0o755 },
      'binder/start': { text: '#!/bin/sh\nexport STARTED=yes\nexec "$@"\n', mode: 0o644 }
    })
    expect(env.start).toBe('binder/start')
    expect(env.install.slice(-2)).toEqual([
      { from: 'binder/start', stage: 'post-build', copy: [], run: 'chmod +x binder/start' },
      { from: 'binder/postBuild', stage: 'post-build', copy: [], run: 'chmod +x binder/postBuild && ./binder/postBuild' }
    ])
    expect(env.notes).toContain(
      'binder/start is not executable in the commit: the image makes it executable, but run.sh on a host (the none engine) cannot run it'
    )
    const text = dockerfileFor(env)
    expect(lintDockerfile(text)).toEqual([])
    const ins = instructions(text)
    const copyAll = ins.findIndex((l) => l.startsWith('COPY --chown'))
    const user = ins.indexOf('USER 10001:10001')
    expect(user).toBeGreaterThan(copyAll)
    expect(ins[user + 1]).toBe('RUN chmod +x binder/start && chmod +x binder/postBuild && ./binder/postBuild')
    // The script is run from the copied code, never written into the Dockerfile.
    expect(text).not.toContain('echo built')
    const manifest = environmentManifest(env, env.baseImage, 'detection')
    expect(manifest).toMatchObject({ config_folder: 'binder', start: 'binder/start' })
    expect(manifest.install?.map((s) => s.stage)).toEqual(['before-code', 'post-build', 'post-build'])
  })

  it('run.sh runs the command through start once, and start sees and changes its environment', async () => {
    const dir = await write({
      'code/binder/start': { text: '#!/bin/sh\nSTARTED="yes $#"\nexport STARTED\nexec "$@"\n', mode: 0o755 },
      'job.json': '{\n  "job_id": "j1",\n}\n'
    })
    const script = renderRunScript({
      command: 'echo "started=$STARTED id=$JOB_ID pwd=$(basename "$PWD")"',
      dataFiles: [],
      start: 'binder/start'
    })
    await writeFile(path.join(dir, 'run.sh'), script)
    const out = execFileSync('/bin/sh', [path.join(dir, 'run.sh')], { encoding: 'utf8', env: { PATH: process.env.PATH } })
    expect(out).toBe('started=yes 2 id=j1 pwd=code\n')
    expect(renderRunScript({ command: 'true', dataFiles: [] })).not.toContain('JOB_PACKAGER_STARTED')
  })

  it('a postBuild that is a symbolic link is not run, and said so', async () => {
    const env = await detect({ 'main.py': '', postBuild: { symlink: '/etc/passwd' } })
    expect(env.install.filter((s) => s.stage === 'post-build')).toEqual([])
    expect(env.warnings).toContain('postBuild is not a regular file (a symbolic link or a folder); it is not run')
  })
})

describe('runtime.txt', () => {
  it('python-X.Y picks the Python, also from binder/; python-3 is the default Python 3, said in a note', async () => {
    const env = await detect({
      'binder/runtime.txt': 'python-3.10\n',
      'binder/requirements.txt': 'numpy==2.0.0\n',
      'runtime.txt': 'python-3.13\n'
    })
    expect(env).toMatchObject({ version: '3.10', versionFrom: 'binder/runtime.txt', baseImage: 'python:3.10-slim-bookworm' })
    const three = await detect({ 'runtime.txt': 'python-3\n', 'main.py': '' })
    expect(three).toMatchObject({ version: '3.12', versionFrom: 'runtime.txt' })
    expect(three.notes).toContain('runtime.txt asks for python-3, any Python 3: the default, 3.12')
    const two = await detect({ 'runtime.txt': 'python-2.7\n', 'main.py': '' })
    expect(two.versionFrom).toBe('default')
    expect(two.warnings.join('\n')).toContain('runtime.txt asks for "python-2.7", which is not a Python version with an official image')
  })

  it('r-X.Y.Z-YYYY-MM-DD picks the R version; the snapshot date is named as not applied; nothing talks about Python', async () => {
    const env = await detect({ 'runtime.txt': 'r-4.1.3-2022-01-10\n', 'install.R': 'install.packages("x")\n' })
    expect(env).toMatchObject({ runtime: 'r', version: '4.1.3', versionFrom: 'runtime.txt', baseImage: 'rocker/r-ver:4.1.3' })
    expect(env.warnings.join('\n')).toContain('runtime.txt asks for the R package snapshot of 2022-01-10; it is not applied')
    expect([...env.notes, ...env.warnings].join('\n')).not.toMatch(/python/i)
    const line = await detect({ 'binder/runtime.txt': 'r-4.2\n', 'binder/install.R': '' })
    expect(line).toMatchObject({ version: '4.2', versionFrom: 'binder/runtime.txt', baseImage: 'rocker/r-ver:4.2' })
    const dateOnly = await detect({ 'runtime.txt': 'r-2021-06-01\n', 'analysis.R': '' })
    expect(dateOnly).toMatchObject({ runtime: 'r', version: '4.4.2', versionFrom: 'default' })
    const locked = await detect({ 'runtime.txt': 'r-4.1.3\n', 'renv.lock': '{"R":{"Version":"4.3.1"}}' })
    expect(locked.version).toBe('4.3.1')
    expect(locked.notes).toContain('runtime.txt asks for R 4.1.3; renv.lock (4.3.1) comes first')
    const bad = await detect({ 'runtime.txt': 'r-four\n', 'analysis.R': '' })
    expect(bad.warnings.join('\n')).toContain('is not an R runtime this tool reads')
    const neither = await detect({ 'runtime.txt': 'julia-1.9\n', 'main.py': '' })
    expect(neither.warnings.join('\n')).toContain('names neither a Python (python-X.Y) nor an R runtime')
  })
})

describe("the Python version from the project's own files", () => {
  it("Pipfile's [requires] python_version / python_full_version picks the Python line", async () => {
    const env = await detect({ Pipfile: '[packages]\nrequests = "*"\n\n[requires]\npython_version = "3.9"\n', 'Pipfile.lock': '{}' })
    expect(env).toMatchObject({ version: '3.9', versionFrom: 'Pipfile python_version', baseImage: 'python:3.9-slim-bookworm' })
    const full = await detect({ 'binder/Pipfile': '[requires]\npython_full_version = "3.11.4"\n', 'binder/Pipfile.lock': '{}' })
    expect(full).toMatchObject({ version: '3.11', versionFrom: 'Pipfile python_full_version', constraint: '==3.11.4' })
    const bad = await detect({ Pipfile: '[requires]\npython_version = "three"\n', 'Pipfile.lock': '{}' })
    expect(bad.versionFrom).toBe('default')
    expect(bad.warnings).toContain('Pipfile python_version "three" is not a Python version (X.Y or X.Y.Z); ignored')
  })

  it("Poetry's python constraint counts without a [project] or [build-system] table", async () => {
    const env = await detect({
      'pyproject.toml': '[tool.poetry]\nname = "app"\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "~3.10"\n',
      'main.py': ''
    })
    expect(env).toMatchObject({ version: '3.10', versionFrom: 'tool.poetry.dependencies.python', constraint: '~3.10' })
  })

  it('Python code without a manifest gets the default Python', async () => {
    const env = await detect({ 'analysis.py': 'print(1)\n' })
    expect(env).toMatchObject({ runtime: 'python', version: '3.12', versionFrom: 'default' })
  })
})

describe("Julia's [compat] julia", () => {
  it('picks the Julia line without a Manifest.toml (1.10 when allowed, else the nearest allowed); the manifest still wins', async () => {
    const at = async (compat: string) => detect({ 'Project.toml': `[deps]\n\n[compat]\njulia = "${compat}"\n` })
    expect(await at('1.6')).toMatchObject({ version: '1.10', versionFrom: 'Project.toml [compat] julia', baseImage: 'julia:1.10' })
    expect(await at('~1.8')).toMatchObject({ version: '1.8', baseImage: 'julia:1.8' })
    expect(await at('1.6 - 1.7')).toMatchObject({ version: '1.7' })
    expect(await at('=1.9.3')).toMatchObject({ version: '1.9' })
    expect(await at('1.11')).toMatchObject({ version: '1.11' })
    expect(await at('~1.6, ~1.9')).toMatchObject({ version: '1.9' })
    // repo2docker's own sample pins the oldest line it tests.
    expect(await at('=1.3')).toMatchObject({ version: '1.3', baseImage: 'julia:1.3' })
    const none = await at('0.7')
    expect(none).toMatchObject({ version: '1.10', versionFrom: 'default' })
    expect(none.warnings.join('\n')).toContain('allows none of the Julia versions')
    const bad = await at('not a range')
    expect(bad.warnings.join('\n')).toContain('is not a compat range this tool understands')
    const folder = await detect({ 'binder/Project.toml': '[compat]\njulia = "~1.7"\n' })
    expect(folder).toMatchObject({ version: '1.7', versionFrom: 'binder/Project.toml [compat] julia' })
    const manifest = await detect({
      'Project.toml': '[compat]\njulia = "~1.7"\n',
      'Manifest.toml': 'julia_version = "1.9.4"\nmanifest_format = "2.0"\n'
    })
    expect(manifest).toMatchObject({ version: '1.9.4', versionFrom: 'Manifest.toml' })
  })
})

describe('conda', () => {
  it('an environment.yml without channels: conda-forge, said in a note; with channels, the file decides', async () => {
    const none = await detect({ 'binder/environment.yml': 'dependencies:\n  - numpy=2.0.0\n' })
    expect(none.install[0]!.run).toBe(
      'micromamba install --yes --name base --file binder/environment.yml --channel conda-forge && micromamba clean --all --yes'
    )
    expect(none.notes).toContain(
      'binder/environment.yml names no channels: conda-forge is used (--channel conda-forge; micromamba 1.5.10 has no default channel)'
    )
    const own = await detect({ 'environment.yml': 'channels:\n  - bioconda\ndependencies:\n  - numpy\n' })
    expect(own.install[0]!.run).not.toContain('--channel')
    const empty = await detect({ 'environment.yml': 'name: x\nchannels: [conda-forge]\n' })
    expect(empty.warnings).toContain('environment.yml has no top-level dependencies: list; micromamba installs nothing from it')
  })
})

describe('r-snapshot-url', () => {
  it("applies runtime.txt's date: R's CRAN repository is that day's snapshot, in Rprofile.site, before install.R", async () => {
    const env = await detectEnvironment(
      await write({ 'binder/runtime.txt': 'r-4.3.2-2024-01-10\n', 'binder/install.R': 'install.packages("digest")\n' }),
      {
        rSnapshotUrl: 'http://127.0.0.1:8080/cran/{date}'
      }
    )
    expect(env.install.slice(0, 2)).toEqual([
      {
        from: 'binder/runtime.txt',
        stage: 'system',
        copy: [],
        run: `echo 'options(repos = c(CRAN = "http://127.0.0.1:8080/cran/2024-01-10"))' >> "$(R RHOME)/etc/Rprofile.site"`
      },
      expect.objectContaining({ from: 'binder/install.R', run: 'Rscript binder/install.R' })
    ])
    expect(env.notes).toContain(
      "binder/runtime.txt asks for the R package snapshot of 2024-01-10: R's CRAN repository is http://127.0.0.1:8080/cran/2024-01-10 (r-snapshot-url)"
    )
    expect(env.warnings.join('\n')).not.toContain('not applied')
    const text = dockerfileFor(env)
    expect(lintDockerfile(text)).toEqual([])
    expect(text).toContain('"$(R RHOME)/etc/Rprofile.site"')
    // Without the option the date is named, and nothing is written.
    const without = await detect({ 'runtime.txt': 'r-4.3.2-2024-01-10\n', 'install.R': '' })
    expect(without.install.map((s) => s.from)).toEqual(['install.R'])
    expect(without.warnings.join('\n')).toContain('(set r-snapshot-url to a snapshot server to apply it)')
  })

  it('accepts only an http(s) URL with one {date} and a strict character set', () => {
    expect(parseSnapshotUrl('https://127.0.0.1/cran/{date}')).toBe('https://127.0.0.1/cran/{date}')
    for (const bad of [
      'https://127.0.0.1/cran/',
      'ftp://127.0.0.1/{date}',
      'https://127.0.0.1/{date}/{date}',
      "https://127.0.0.1/{date}'; rm -rf /",
      'https://127.0.0.1/"{date}"'
    ])
      expect(() => parseSnapshotUrl(bad)).toThrow(/is not an http\(s\) URL with \{date\}/)
  })
})
