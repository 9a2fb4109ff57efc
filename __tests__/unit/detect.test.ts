/**
 * Environment detection (src/core/detect/) on real folders: which runtime,
 * which version and why, what gets installed and when, and what is refused
 * (symlinks, oversized or malformed files, bad package names).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { detectEnvironment, type Environment } from '../../src/core/detect/index.js'
import { parseAptList } from '../../src/core/detect/apt.js'
import { nodeMajorFromPin } from '../../src/core/detect/node.js'
import { scanRequirements } from '../../src/core/detect/python.js'
import { readTomlSummary } from '../../src/core/detect/toml.js'
import { parseNpmRange, parsePep440, parsePoetryConstraint } from '../../src/core/detect/versions.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
beforeAll(async () => {
  root = await tempDir('jp-detect-')
})
afterAll(async () => {
  await root?.cleanup()
})

type Tree = Record<string, string | { symlink: string } | { dir: true }>
async function detect(tree: Tree, options = {}): Promise<Environment> {
  const dir = path.join(root.dir, `code-${++n}`)
  await mkdir(dir, { recursive: true })
  for (const [name, spec] of Object.entries(tree)) {
    const full = path.join(dir, name)
    if (typeof spec === 'string') await writeFile(full, spec)
    else if ('symlink' in spec) await symlink(spec.symlink, full)
    else await mkdir(full)
  }
  return detectEnvironment(dir, options)
}

describe('Python', () => {
  it('takes the version from requires-python (the default 3.12 when allowed) and installs requirements.txt before the code, the project after', async () => {
    const env = await detect({
      'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.10"\ndependencies = [\n  "numpy>=1",\n]\n',
      'requirements.txt': 'numpy==2.0.0\n'
    })
    expect(env).toMatchObject({
      runtime: 'python',
      version: '3.12',
      versionFrom: 'requires-python',
      constraint: '>=3.10',
      baseImage: 'python:3.12-slim-bookworm'
    })
    expect(env.install).toEqual([
      {
        from: 'requirements.txt',
        stage: 'before-code',
        copy: ['requirements.txt'],
        run: 'python3 -m pip install --no-cache-dir -r requirements.txt'
      },
      { from: 'pyproject.toml', stage: 'after-code', copy: [], run: 'python3 -m pip install --no-cache-dir .' }
    ])
    expect(env.reasons).toEqual(['python 3.12 from requires-python', 'requirements.txt', 'pyproject.toml: the project is installed'])
    // Pinned, but not hashed: what the file does not list is still chosen at build time.
    expect(env.warnings).toEqual([])
    expect(env.notes).toEqual([expect.stringMatching(/^requirements\.txt pins versions but has no --hash lines/)])
    expect(env.floats).toEqual([expect.objectContaining({ kind: 'unlisted-dependencies', name: 'requirements.txt' })])
  })

  it.each([
    ['>=3.8,<3.12', '3.11'],
    ['~=3.13', '3.13'],
    ['>=3.14', '3.14'],
    ['==3.10.*', '3.10'],
    ['>=3.11,!=3.12.*', '3.13'],
    ['>=3.10,<3.12', '3.11'],
    ['>3.9', '3.12'],
    ['<=3.9', '3.9'],
    ['>=3.9,!=3.10.*,<3.13', '3.12'],
    ['>=3.9, !=3.12.*', '3.13'],
    ['>=3.13.0rc1', '3.13']
  ])('requires-python %s gives %s', async (range, version) => {
    const env = await detect({ 'pyproject.toml': `[project]\nname = "x"\nrequires-python = "${range}"\n` })
    expect(env).toMatchObject({ version, versionFrom: 'requires-python', warnings: [] })
  })

  it('prefers an exact pin (.python-version, then runtime.txt) and warns when it is outside the declared range', async () => {
    const env = await detect({
      '.python-version': '3.11.4\n',
      'runtime.txt': 'python-3.10.2\n',
      'pyproject.toml': '[project]\nrequires-python = ">=3.12"\n'
    })
    expect(env).toMatchObject({ version: '3.11', versionFrom: '.python-version', baseImage: 'python:3.11-slim-bookworm' })
    expect(env.notes).toContain('runtime.txt asks for Python 3.10; .python-version (3.11) comes first')
    expect(env.warnings).toEqual(['Python 3.11 from .python-version is outside requires-python ">=3.12"; using 3.11'])
    const runtime = await detect({ 'runtime.txt': 'python-3.10.2\n', 'requirements.txt': 'x\n' })
    expect(runtime).toMatchObject({ version: '3.10', versionFrom: 'runtime.txt' })
  })

  it('ignores versions it has no image for, or cannot read, and says so', async () => {
    const env = await detect({ '.python-version': 'pypy3.10\n', 'setup.py': 'setup(python_requires=">=3.9; rm -rf /")\n' })
    expect(env).toMatchObject({ runtime: 'python', version: '3.12', versionFrom: 'default' })
    expect(env.install.map((s) => s.from)).toEqual(['setup.py'])
    expect(env.warnings.join('\n')).toMatch(/\.python-version asks for "pypy3\.10"/)
    expect(env.warnings.join('\n')).toMatch(/setup\.py python_requires ">=3\.9; rm -rf \/" is not a version range/)
    const none = await detect({ 'pyproject.toml': '[project]\nrequires-python = "<3.0"\n' })
    expect(none.version).toBe('3.12')
    expect(none.warnings[0]).toMatch(/allows none of the Python versions/)
  })

  it("reads Poetry's python constraint and setup.py python_requires when there is no requires-python", async () => {
    expect(
      (
        await detect({
          'pyproject.toml': '[build-system]\nrequires = ["poetry-core"]\n[tool.poetry.dependencies]\npython = "^3.10,<3.12"\n'
        })
      ).version
    ).toBe('3.11')
    expect((await detect({ 'setup.py': "from setuptools import setup\nsetup(name='x', python_requires='>=3.13')\n" })).version).toBe('3.13')
  })

  it('installs requirements.txt after the code when it refers to local files, and skips one that lists nothing', async () => {
    const local = await detect({ 'requirements.txt': '--no-index\n--find-links ./wheels\nmypkg==1.0\n' })
    expect(local.install.map(({ from, stage }) => ({ from, stage }))).toEqual([{ from: 'requirements.txt', stage: 'after-code' }])
    expect(local.reasons).toContain('requirements.txt (installed after the code: it refers to local files)')
    const empty = await detect({ 'requirements.txt': '# standard library only\n\n' })
    expect(empty.install).toEqual([])
    expect(empty.reasons).toContain('requirements.txt lists no packages')
  })

  it('does not treat a pyproject.toml with only tool settings as a project, and warns about one it cannot read', async () => {
    const tools = await detect({ 'pyproject.toml': '[tool.black]\nline-length = 100\n', 'main.py': 'print(1)\n' })
    expect(tools.install).toEqual([])
    expect(tools.reasons).toEqual(['python 3.12 (default version)', 'no dependency manifest'])
    const broken = await detect({ 'pyproject.toml': '[project\nname = 1\n', 'requirements.txt': 'x\n' })
    expect(broken.warnings).toContain('pyproject.toml could not be read as TOML; ignored')
  })
})

describe('Node', () => {
  it('uses npm ci with package-lock.json before the code, and the version from engines.node', async () => {
    const env = await detect({
      'package.json': JSON.stringify({ name: 'x', engines: { node: '>=18 <21' }, dependencies: { 'is-number': '6.0.0' } }),
      'package-lock.json': '{}'
    })
    expect(env).toMatchObject({
      runtime: 'node',
      version: '20',
      versionFrom: 'engines.node',
      constraint: '>=18 <21',
      baseImage: 'node:20-bookworm-slim'
    })
    expect(env.node).toEqual({
      manager: 'npm',
      lockfile: 'package-lock.json',
      files: ['package.json', 'package-lock.json'],
      stage: 'before-code',
      afterCodeBecause: undefined
    })
    expect(env.reasons).toEqual(['node 20 from engines.node', 'package-lock.json: npm ci'])
  })

  it.each([
    ['>=23', '24'],
    ['>=18', '22'],
    ['18.x || 20.x', '20'],
    ['^25', '25'],
    ['^18 || ^20', '20'],
    ['>=18 <21', '20'],
    ['>=18.0.0 <20 || >=23', '24'],
    ['<18', '22']
  ])('engines.node %s gives Node %s (the LTS line nearest the default)', async (range, version) => {
    const env = await detect({ 'package.json': JSON.stringify({ engines: { node: range } }) })
    expect(env.version).toBe(version)
  })

  it('reports an engines.node it cannot read instead of guessing, and fixes a moving .nvmrc alias with a note', async () => {
    const env = await detect({ 'package.json': JSON.stringify({ engines: { node: 'lts/*' } }) })
    expect(env).toMatchObject({ version: '22', versionFrom: 'default' })
    expect(env.warnings).toEqual(['engines.node "lts/*" is not a version range this tool understands; ignored'])
    const alias = await detect({ '.nvmrc': 'lts/*\n' })
    expect(alias).toMatchObject({ version: '24', versionFrom: '.nvmrc', warnings: [] })
    expect(alias.notes).toContain(
      '.nvmrc asks for "lts/*", whose meaning changes as Node is released; using Node 24, the newest long-term-support line with an image here'
    )
    const fixed = await detect({ '.nvmrc': 'lts/iron\n' })
    expect(fixed).toMatchObject({ version: '20', notes: [] })
  })

  it.each([
    ['20', '20'],
    ['v22.1.0', '22'],
    ['lts/iron', '20'],
    ['lts/*', '24'],
    ['18.x', '18'],
    ['16', undefined],
    ['latest-ish', undefined],
    ['20; rm -rf /', undefined]
  ])('.nvmrc %j means Node %s', (pin, major) => {
    expect(nodeMajorFromPin(pin)).toBe(major)
  })

  it('prefers .nvmrc over engines.node, with a warning when they disagree', async () => {
    const env = await detect({ '.nvmrc': 'v18.19.0\n', 'package.json': JSON.stringify({ engines: { node: '>=20' } }) })
    expect(env).toMatchObject({ version: '18', versionFrom: '.nvmrc' })
    expect(env.warnings).toEqual(['Node 18 from .nvmrc is outside engines.node ">=20"; using 18'])
    expect(env.node).toBeUndefined()
    expect(env.reasons).toContain('package.json declares no dependencies')
  })

  it('picks yarn (classic or 2+) and pnpm from their lockfiles, and the packageManager field among several', async () => {
    const deps = { dependencies: { a: '1.0.0' } }
    const yarn = await detect({ 'package.json': JSON.stringify(deps), 'yarn.lock': '# yarn lockfile v1\n', '.yarnrc': 'x\n' })
    expect(yarn.node).toMatchObject({
      manager: 'yarn',
      lockfile: 'yarn.lock',
      files: ['package.json', 'yarn.lock', '.yarnrc'],
      stage: 'before-code'
    })
    const berry = await detect({ 'package.json': JSON.stringify(deps), 'yarn.lock': '# generated\n\n__metadata:\n  version: 8\n' })
    expect(berry.node).toMatchObject({ manager: 'yarn-berry', stage: 'after-code' })
    const pnpm = await detect({
      'package.json': JSON.stringify({ ...deps, packageManager: 'pnpm@9.1.0' }),
      'package-lock.json': '{}',
      'pnpm-lock.yaml': 'x: 1\n'
    })
    expect(pnpm.node).toMatchObject({ manager: 'pnpm', lockfile: 'pnpm-lock.yaml' })
    expect(pnpm.notes).toContain('package-lock.json is also present; pnpm-lock.yaml is used')
  })

  it('installs after the code when install scripts, workspaces or local packages need the tree', async () => {
    const hooks = await detect({
      'package.json': JSON.stringify({ scripts: { postinstall: 'node setup.js' }, dependencies: { a: '1' } }),
      'package-lock.json': '{}'
    })
    expect(hooks.node).toMatchObject({ stage: 'after-code', afterCodeBecause: 'package.json has install scripts (postinstall)' })
    const local = await detect({ 'package.json': JSON.stringify({ dependencies: { lib: 'file:./lib' } }), 'package-lock.json': '{}' })
    expect(local.node?.stage).toBe('after-code')
  })

  it('warns that npm install without a lockfile is not reproducible', async () => {
    const env = await detect({ 'package.json': JSON.stringify({ dependencies: { a: '^1' } }) })
    expect(env.node).toMatchObject({ manager: 'npm', lockfile: undefined, stage: 'before-code' })
    expect(env.warnings[0]).toMatch(/no lockfile/)
    expect(env.reasons).toContain('package.json without a lockfile: npm install')
  })
})

describe('apt.txt', () => {
  it('keeps valid Debian package names, pins and architectures, and leaves out anything else with a warning', () => {
    const { packages, rejected } = parseAptList(
      [
        '# tools',
        'curl',
        'libpq-dev=15.4-0+deb12u1',
        'libc6:amd64',
        'g++',
        '',
        'curl',
        'two words',
        '-oAPT::Get::x=1',
        '$(id)',
        'Upper',
        'x',
        'ok;rm',
        'pkg # trailing comment'
      ].join('\n')
    )
    expect(packages).toEqual(['curl', 'libpq-dev=15.4-0+deb12u1', 'libc6:amd64', 'g++', 'pkg'])
    expect(rejected).toHaveLength(6)
    expect(rejected[0]).toBe('line 8 "two words" is not a Debian package name (one per line: name, name:arch or name=version); left out')
  })

  it('adds system packages to any runtime and says how many', async () => {
    const env = await detect({ 'apt.txt': 'cowsay\nbad name\n', 'requirements.txt': 'x\n' })
    expect(env.aptPackages).toEqual(['cowsay'])
    expect(env.reasons).toContain('apt.txt: 1 package')
    expect(env.warnings[0]).toMatch(/^apt\.txt: line 2 "bad name"/)
  })
})

describe("the repository's own Dockerfile, the fallback and the order", () => {
  it('uses code/Dockerfile only when asked, and only when it is a regular file', async () => {
    const used = await detect({ Dockerfile: 'FROM debian:bookworm\n', 'requirements.txt': 'x\n' }, { useRepoDockerfile: true })
    expect(used.dockerfile).toBe('repository')
    expect(used.baseImage).toBeUndefined()
    const notAsked = await detect({ Dockerfile: 'FROM debian:bookworm\n' })
    expect(notAsked).toMatchObject({ dockerfile: 'generated', runtime: 'generic', baseImage: 'debian:bookworm-slim' })
    expect(notAsked.notes[0]).toMatch(/has its own Dockerfile .* not used unless use-repo-dockerfile/)
    const link = await detect({ Dockerfile: { symlink: '/etc/hostname' } }, { useRepoDockerfile: true })
    expect(link.dockerfile).toBe('generated')
    expect(link.warnings[0]).toMatch(/not a regular file/)
    const missing = await detect({}, { useRepoDockerfile: true })
    expect(missing.warnings[0]).toMatch(/has no Dockerfile/)
  })

  it('falls back to a generic Debian base', async () => {
    const env = await detect({ 'job.sh': 'echo hi\n' })
    expect(env).toMatchObject({
      dockerfile: 'generated',
      runtime: 'generic',
      baseImage: 'debian:bookworm-slim',
      reasons: ['no Python, Node, R or Julia project found: generic Debian base']
    })
  })

  it('puts Python manifests before package.json, package.json before hints, Python hints before Node hints', async () => {
    const both = await detect({ 'requirements.txt': 'x\n', 'package.json': '{"dependencies":{"a":"1"}}' })
    expect(both.runtime).toBe('python')
    expect(both.notes).toContain(
      'Node manifests (package.json) are also present; Python comes first in the detection order, so Node and its dependencies are not installed'
    )
    const nodeFirst = await detect({ 'main.py': '', 'package.json': '{}' })
    expect(nodeFirst.runtime).toBe('node')
    expect((await detect({ 'main.py': '', 'index.js': '' })).runtime).toBe('python')
    expect((await detect({ 'index.mjs': '' })).runtime).toBe('node')
  })
})

describe('reading the code safely', () => {
  it('never reads through a symlink, even to a file that would be a valid manifest', async () => {
    const outside = path.join(root.dir, 'outside-requirements.txt')
    await writeFile(outside, 'secret-package-from-outside==1.0\n')
    await writeFile(path.join(root.dir, 'outside-apt.txt'), 'secretpkg\n')
    const env = await detect({
      'requirements.txt': { symlink: outside },
      'apt.txt': { symlink: path.join(root.dir, 'outside-apt.txt') },
      'package.json': { symlink: '../../../../etc/passwd' }
    })
    expect(env.runtime).toBe('generic')
    expect(env.install).toEqual([])
    expect(env.aptPackages).toEqual([])
    expect(JSON.stringify(env)).not.toMatch(/secret/)
    expect(env.warnings).toEqual([
      'requirements.txt is a symbolic link; ignored (detection never follows links, which could point outside the code)',
      'package.json is a symbolic link; ignored (detection never follows links, which could point outside the code)',
      'apt.txt is a symbolic link; ignored (detection never follows links, which could point outside the code)'
    ])
  })

  it('refuses oversized, non-file and malformed manifests', async () => {
    const env = await detect({
      'package.json': `{"x":"${'a'.repeat(1024 * 1024)}"}`,
      'requirements.txt': { dir: true },
      'apt.txt': 'a'.repeat(70 * 1024)
    })
    expect(env.runtime).toBe('generic')
    expect(env.warnings).toEqual([
      'requirements.txt is not a regular file; ignored',
      'package.json is 1048584 bytes, over the 1048576-byte limit for a manifest; ignored',
      'apt.txt is 71680 bytes, over the 65536-byte limit for a manifest; ignored'
    ])
    const bad = await detect({ 'package.json': '[1,2]' })
    expect(bad.warnings).toEqual(['package.json is not a JSON object; ignored'])
  })

  it('works on an empty or missing folder', async () => {
    expect((await detectEnvironment(path.join(root.dir, 'does-not-exist'))).runtime).toBe('generic')
  })
})

describe('version ranges', () => {
  const lines = (range: { allows(line: string): boolean } | undefined, candidates: string[]) =>
    range ? candidates.filter((line) => range.allows(line)) : 'not understood'
  const NODE = ['16', '18', '19', '20', '21', '22', '24']
  const PYTHON = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14']

  it.each([
    ['>=18', ['18', '19', '20', '21', '22', '24']],
    ['^20.11.1', ['20']],
    ['~20.5', ['20']],
    ['18.x || 22', ['18', '22']],
    ['^18 || ^20', ['18', '20']],
    ['18 - 20', ['18', '19', '20']],
    ['>=18 <21', ['18', '19', '20']],
    ['>=18.0.0 <20 || >=22', ['18', '19', '22', '24']],
    ['>20', ['21', '22', '24']],
    ['>20.1', ['20', '21', '22', '24']],
    ['<=20', ['16', '18', '19', '20']],
    ['=20.11.1', ['20']],
    ['v20', ['20']],
    ['*', NODE],
    ['>= 18.0.0', ['18', '19', '20', '21', '22', '24']],
    ['>=20.0.0-rc.1 <21', ['20']]
  ])('npm range %s allows Node %j', (text, allowed) => {
    expect(lines(parseNpmRange(text), NODE)).toEqual(allowed)
  })

  it.each(['>=18 <=foo', '^', '1.2.3.4', 'lts/*', 'latest', '>=18, <21', '> = 18', 'x'.repeat(300)])(
    'does not guess at npm range %j',
    (text) => {
      expect(parseNpmRange(text)).toBeUndefined()
    }
  )

  it.each([
    ['>=3.10', ['3.10', '3.11', '3.12', '3.13', '3.14']],
    ['>=3.9,!=3.10.*,<3.13', ['3.9', '3.11', '3.12']],
    ['>=3.9, <3.13, !=3.11.4', ['3.9', '3.10', '3.11', '3.12']],
    ['~=3.11', ['3.11', '3.12', '3.13', '3.14']],
    ['~=3.11.2', ['3.11']],
    ['==3.12.*', ['3.12']],
    ['!=3.10.0,<3.11', ['3.8', '3.9', '3.10']],
    ['>3.10', ['3.10', '3.11', '3.12', '3.13', '3.14']],
    ['<3.10.2', ['3.8', '3.9', '3.10']],
    ['>=3.13.0a1', ['3.13', '3.14']],
    ['==3.14.0rc1', []],
    ['<3.0', []],
    // An empty specifier set is PEP 440's "any version", not a range we failed to read.
    ['', PYTHON]
  ])('PEP 440 %j allows Python %j', (text, allowed) => {
    expect(lines(parsePep440(text), PYTHON)).toEqual(allowed)
  })

  it.each(['>=3.10 and <4', '3.10', '>=3.10.*', '~=3', '>=3.10,', '>=3.10; rm -rf /', '^3.10', `>=3.${'1'.repeat(300)}`])(
    'does not guess at PEP 440 %j',
    (text) => {
      expect(parsePep440(text)).toBeUndefined()
    }
  )

  it.each([
    ['^3.10,<3.12', ['3.10', '3.11']],
    ['>=3.9,<4.0', ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14']],
    // ~= is PEP 440's compatible release (>=3.10, ==3.*), not npm's ~3.10 (3.10 only).
    ['~=3.10', ['3.10', '3.11', '3.12', '3.13', '3.14']],
    ['~3.10', ['3.10']],
    ['3.11.*', ['3.11']],
    ['>=3.9,!=3.10.*', ['3.9', '3.11', '3.12', '3.13', '3.14']],
    ['~3.8 || ==3.12.*', ['3.8', '3.12']],
    ['^3.10,!=3.11.*', 'not understood'],
    ['^3.10 ||', 'not understood']
  ])("Poetry's %s allows Python %j", (text, allowed) => {
    expect(lines(parsePoetryConstraint(text), PYTHON)).toEqual(allowed)
  })
})

describe('the pyproject.toml summary', () => {
  it('finds tables and strings, and is not fooled by headers inside strings or arrays', () => {
    const t = readTomlSummary(
      [
        'description = """',
        '[project]',
        '"""',
        'deps = [',
        '  "[build-system]", # comment ]',
        "  '''",
        "[x]'''",
        ']',
        '[tool.poetry.dependencies]',
        'python = "^3.10"',
        "other = 'lit\\eral'",
        'inline = { a = "[project]" }',
        '"quoted.key" = "\\u0041"',
        'n = 1 # c'
      ].join('\n')
    )!
    // An inline table is a table too (TOML semantics); a header inside a string or an array is not.
    expect([...t.tables].sort()).toEqual(['tool', 'tool.poetry', 'tool.poetry.dependencies', 'tool.poetry.dependencies.inline'])
    expect(t.strings.get('tool.poetry.dependencies.python')).toBe('^3.10')
    expect(t.strings.get('tool.poetry.dependencies.other')).toBe('lit\\eral')
    expect(t.strings.get('tool.poetry.dependencies.quoted.key')).toBe('A')
  })

  it.each(['[project', 'a = "unterminated', 'a = ', 'a = 1 junk', '= 1', 'a = """never closed'])('gives up on %j', (text) => {
    expect(readTomlSummary(text)).toBeUndefined()
  })

  it('reads dotted keys as tables', () => {
    const t = readTomlSummary('project.requires-python = ">=3.11"\n')!
    expect(t.tables.has('project')).toBe(true)
    expect(t.strings.get('project.requires-python')).toBe('>=3.11')
  })
})

describe('requirements.txt scanning', () => {
  it.each([
    ['numpy==1.26\npandas>=2 ; python_version>"3.8"\n', 2, false],
    ['-r base.txt\n', 1, true],
    ['-e .\n', 1, true],
    ['./vendor/pkg\n', 1, true],
    ['pkg @ file:///src/pkg\n', 1, true],
    ['https://example.com/pkg-1.0-py3-none-any.whl\n', 1, false],
    ['wheels/pkg-1.0-py3-none-any.whl\n', 1, true],
    ['--index-url https://example.com/simple\n--find-links https://example.com/links\npkg\n', 1, false],
    ['numpy \\\n  ==1.26 # pinned\n', 1, false],
    ['# nothing\n\n', 0, false]
  ])('%j: %d entries, local %s', (text, entries, local) => {
    expect(scanRequirements(text)).toMatchObject({ entries, local })
  })
})
