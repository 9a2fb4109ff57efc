/**
 * The generated Dockerfiles, built and run for real.
 *
 * Each case commits a small repository, serves it (and a dataset) on
 * loopback, packages it with the real CLI (dist/cli/index.js), and then does
 * exactly what docs/CONTAINER.md tells a user to do — unpack with tar, cd
 * into the job, `docker build`, `docker run` — with one addition,
 * `--build-arg BASE_IMAGE=...`, because no image can be pulled here: the
 * bases are built once by base-images.ts. The docker commands are taken from
 * the doc's text and carried out with buildah (buildah.ts), so the doc and
 * the test cannot drift apart. Each case checks the job's output, its exit
 * status and that it ran as the numeric non-root user.
 *
 * Needs root, buildah and debootstrap (`apt-get install -y buildah
 * debootstrap`), the machine's Debian mirror and the npm registry. Run with
 * `npm run test:container`; `npm test` leaves this folder out.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CLI, cliEnv, REPO_ROOT, runCli } from '../helpers/cli.js'
import { serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import { lintDockerfile } from '../helpers/dockerfile-lint.js'
import { makeBareClone, makeRepo, run, startGitServer, type FileTree, type GitServer } from '../helpers/git-server.js'
import { tempDir } from '../helpers/workspace.js'
import { ensureBaseImages, ensurePythonToolsImage, missingTools, type BaseImages } from './base-images.js'
import { buildah, dockerBuild, dockerRun, imageConfig, prepareState, pruneDangling, removeImage, type RunOutcome } from './buildah.js'
import { makeWheel, serveWheelIndex } from './wheel-index.js'

const log = (line: string): void => void process.stderr.write(`[container] ${line}\n`)

/** The user-facing steps, verbatim from docs/CONTAINER.md (checked below). */
const STEPS = {
  unpack: 'tar -xzf jobs/{job_id}.tar.gz',
  cd: 'cd {job_id}',
  build: 'docker build -t job .',
  run: 'docker run --rm job',
  buildOwn: 'docker build -t job code',
  runOwnWithPackage: 'docker run --rm -v "$PWD:/job:ro" --entrypoint /bin/sh job /job/run.sh'
}
/** The one addition to the documented steps: no image can be pulled here. */
const BASE_IMAGE_OVERRIDE = '--build-arg BASE_IMAGE='

const CSV = 'name,value\na,1\nb,2\nc,3.5\nd,x\n'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let data: DataServer
let bases: BaseImages
let served: string

beforeAll(
  async () => {
    const missing = await missingTools()
    if (missing.length) throw new Error(`the container suite needs ${missing.join(', ')} (apt-get install -y buildah debootstrap, as root)`)
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run bundle" first (the suite packages jobs with the bundled CLI)`)
    prepareState()
    const started = Date.now()
    bases = await ensureBaseImages(log)
    log(`base images ready in ${Math.round((Date.now() - started) / 1000)} s: ${Object.values(bases).join(', ')}`)
    root = await tempDir('jp-container-')
    served = path.join(root.dir, 'served')
    await mkdir(served, { recursive: true })
    git = await startGitServer({ root: served })
    data = await startDataServer()
    data.route('/measurements.csv', serveBuffer(CSV))
  },
  30 * 60 * 1000
)

afterAll(async () => {
  await Promise.all([git?.close(), data?.close()])
  await root?.cleanup()
})

describe('docs/CONTAINER.md', () => {
  it('shows the steps this suite runs', async () => {
    const doc = await readFile(path.join(REPO_ROOT, 'docs', 'CONTAINER.md'), 'utf8')
    for (const step of Object.values(STEPS)) expect(doc).toContain(step)
    expect(doc).toContain(`docker build ${BASE_IMAGE_OVERRIDE}`)
  })
})

interface Packaged {
  jobId: string
  /** Where `tar -xzf jobs/{id}.tar.gz` runs: the folder holding jobs/. */
  work: string
  manifest: { environment: Record<string, unknown> }
}

let seq = 0
/** Commits `files`, serves them, and packages the job with the bundled CLI into {work}/jobs/. */
async function packageJob(name: string, files: FileTree, command: string, extra: string[] = []): Promise<Packaged> {
  const src = path.join(root.dir, `src-${name}`)
  const { commit } = await makeRepo(src, files)
  await makeBareClone(src, served, `${name}.git`)
  const work = path.join(root.dir, `work-${name}`)
  const jobId = `container-${name}-${++seq}`
  const res = await runCli(
    [
      'pack',
      '--git-url',
      git.url(`${name}.git`),
      '--commit',
      commit,
      '--data-url',
      data.url('/measurements.csv'),
      '--command',
      command,
      '--job-id',
      jobId,
      '--out',
      path.join(work, 'jobs'),
      '--allow-protocols',
      'http',
      '--allow-private-network',
      // No registry is reachable here: the tests build on their own local base images, passed as BASE_IMAGE.
      '--pin-base-image',
      'off',
      ...extra
    ],
    { env: cliEnv() }
  )
  if (res.code !== 0) throw new Error(`packaging ${name} failed (${res.code}):\n${res.stderr}`)
  log(
    `${name}: ${
      res.stderr
        .split('\n')
        .find((l) => l.includes('Environment:'))
        ?.trim() ?? '(no environment line)'
    }`
  )
  const manifest = JSON.parse(await readFile(path.join(work, 'jobs', jobId, 'job.json'), 'utf8')) as Packaged['manifest']
  return { jobId, work, manifest }
}

/** Splits a documented command line into words: double quotes group, $PWD is the current folder. */
function words(line: string, cwd: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]!).replace(/\$PWD/g, cwd))
}

/**
 * The documented steps, with the base-image override, carried out for real.
 * Returns the outcome of the run step, and the build's output. `layers`
 * keeps a layer per instruction and reuses them, as `docker build` always
 * does; buildah does that only when asked, and under vfs storage each layer
 * is a full copy of the file system, so only the cache case asks.
 */
async function followDocs(
  pkg: Packaged,
  opts: { baseImage: string; build?: string; run?: string; layers?: boolean }
): Promise<RunOutcome & { buildOutput: string }> {
  const sub = (s: string) => s.replaceAll('{job_id}', pkg.jobId)
  // tar -xzf jobs/{job_id}.tar.gz, in the folder that holds jobs/
  const [tar, ...tarArgs] = words(sub(STEPS.unpack), pkg.work)
  await run(tar!, tarArgs, { cwd: pkg.work })
  // cd {job_id}
  const dir = path.join(pkg.work, words(sub(STEPS.cd), pkg.work)[1]!)
  expect((await readdir(dir)).sort()).toEqual(expect.arrayContaining(['code', 'data', 'job.json', 'run.sh']))
  // docker build ... (+ --build-arg BASE_IMAGE=...)
  const [docker, verb, ...buildArgs] = words(opts.build ?? STEPS.build, dir)
  expect([docker, verb]).toEqual(['docker', 'build'])
  const started = Date.now()
  const built = await dockerBuild(dir, [
    ...(opts.layers ? ['--layers'] : []),
    ...words(`${BASE_IMAGE_OVERRIDE}${opts.baseImage}`, dir),
    ...buildArgs
  ])
  if (built.code !== 0) throw new Error(`build failed (${built.code}):\n${built.stderr}\n${built.stdout.slice(-4000)}`)
  log(`  built in ${Math.round((Date.now() - started) / 1000)} s`)
  return { ...(await runAsDocumented(opts.run ?? STEPS.run, dir)), buildOutput: built.stdout }
}

/** `docker run --rm [-v A:B] [--entrypoint E] IMAGE [ARGS]`, as written in the doc, run in `dir`. */
async function runAsDocumented(line: string, dir: string): Promise<RunOutcome> {
  const w = words(line, dir)
  expect(w.slice(0, 3)).toEqual(['docker', 'run', '--rm'])
  const volumes: string[] = []
  let entrypoint: string[] | undefined
  let i = 3
  for (; w[i]?.startsWith('-'); i += 2) {
    if (w[i] === '-v') volumes.push(w[i + 1]!)
    else if (w[i] === '--entrypoint') entrypoint = [w[i + 1]!]
    else throw new Error(`unexpected docker run flag ${w[i]}`)
  }
  const args = w.slice(i + 1)
  const outcome = await dockerRun(w[i]!, { volumes, entrypoint, args: entrypoint || args.length ? args : undefined })
  log(`  ran "${line}": exit ${outcome.code}`)
  return outcome
}

async function checkImage(): Promise<void> {
  const config = await imageConfig('job')
  expect(config.User).toBe('10001:10001')
  expect(config.Entrypoint).toEqual(['/bin/sh', '/job/run.sh'])
  expect(config.WorkingDir).toBe('/job/code')
  expect(config.Env).toEqual(expect.arrayContaining(['DATA_DIR=/job/data', 'HOME=/home/job']))
  expect(Object.keys(config.Labels ?? {})).toEqual(
    expect.arrayContaining(['org.opencontainers.image.revision', 'org.opencontainers.image.created', 'org.opencontainers.image.source'])
  )
  expect(config.Labels?.['org.opencontainers.image.created']).toBe('2024-01-02T03:04:05.000Z')
}

async function lintPackage(pkg: Packaged): Promise<string> {
  const text = await readFile(path.join(pkg.work, 'jobs', pkg.jobId, 'Dockerfile'), 'utf8')
  expect(lintDockerfile(text)).toEqual([])
  // Content digest independence: nothing in the generated files names the job.
  expect(text).not.toContain(pkg.jobId)
  expect(await readFile(path.join(pkg.work, 'jobs', pkg.jobId, '.dockerignore'), 'utf8')).not.toContain(pkg.jobId)
  return text
}

describe('generated Dockerfiles, built and run with buildah', () => {
  afterAll(async () => {
    await removeImage('job')
    // The cache case leaves intermediate layers behind; the tagged base images stay.
    await pruneDangling()
  })

  it('Python, standard library only: reads $DATA_FILE, writes beside its code and into HOME', async () => {
    const pkg = await packageJob(
      'python',
      {
        '.python-version': '3.11\n',
        'main.py': [
          'import csv, os, pathlib, sys',
          'with open(os.environ["DATA_FILE"], newline="") as f:',
          '    rows = list(csv.DictReader(f))',
          'numbers = [float(r["value"]) for r in rows if r["value"].replace(".", "", 1).isdigit()]',
          'print(f"rows={len(rows)} sum={sum(numbers):g}")',
          'print(f"job={os.environ[\'JOB_ID\']} uid={os.getuid()} cwd={os.getcwd()} python={sys.version_info[0]}")',
          'pathlib.Path("result.txt").write_text("done\\n")',
          'pathlib.Path(os.environ["HOME"], ".probe").write_text("ok")',
          'print("wrote result.txt and $HOME/.probe")',
          ''
        ].join('\n')
      },
      'python3 main.py'
    )
    expect(pkg.manifest.environment).toMatchObject({
      summary: 'python 3.11 from .python-version; no dependency manifest',
      base_image: 'python:3.11-slim-bookworm',
      dockerfile: 'Dockerfile',
      build_context: '.'
    })
    await lintPackage(pkg)
    const out = await followDocs(pkg, { baseImage: bases.python })
    expect(out.stdout).toBe(`rows=4 sum=6.5\njob=${pkg.jobId} uid=10001 cwd=/job/code python=3\nwrote result.txt and $HOME/.probe\n`)
    expect(out.code).toBe(0)
    await checkImage()
  })

  it('Python with requirements.txt: pip installs a wheel inside the build, and the job imports the installed copy', async () => {
    const wheel = await buildWheel()
    const pkg = await packageJob(
      'python-wheel',
      {
        'requirements.txt': '--no-index\n--find-links ./wheels\njp-fixture-greeting==1.0\n',
        'wheels/jp_fixture_greeting-1.0-py3-none-any.whl': wheel,
        'main.py': 'import jp_fixture_greeting as g\nprint(g.GREETING)\nprint(g.__file__)\n'
      },
      'python3 main.py'
    )
    expect(pkg.manifest.environment.summary).toBe(
      'python 3.12 (default version); requirements.txt (installed after the code: it refers to local files)'
    )
    await lintPackage(pkg)
    const out = await followDocs(pkg, { baseImage: bases.python })
    const [greeting, file] = out.stdout.trim().split('\n')
    expect(greeting).toBe('hello from the wheel')
    // Installed into the image's site-packages by the build, not read from code/.
    expect(file).toMatch(/^\/usr\/local\/lib\/python3\.\d+\/dist-packages\/jp_fixture_greeting\/__init__\.py$/)
    expect(out.code).toBe(0)
  })

  it('Node with a lockfile: npm ci installs the pinned dependency in the build, and the job loads that copy', async () => {
    const pkg = await packageJob('node', nodeFixture('numeric'), 'node index.js')
    expect(pkg.manifest.environment).toMatchObject({
      summary: 'node 22 from engines.node; package-lock.json: npm ci',
      base_image: 'node:22-bookworm-slim'
    })
    const dockerfile = await lintPackage(pkg)
    expect(dockerfile).not.toMatch(/NODE_EXTRA_CA_CERTS|ca-certificates|registry/)
    const out = await followDocs(pkg, { baseImage: bases.node })
    expect(out.stdout).toBe('is-number 6.0.0 from /job/code/node_modules/is-number/index.js\nnumeric=3/4 uid=10001\n')
    expect(out.code).toBe(0)
  })

  it("Node with bun.lock: Bun at packageManager's version from the npm registry, bun install --frozen-lockfile, and the job runs under bun", async () => {
    const tree = nodeFixture('bun')
    delete tree['package-lock.json']
    const pkgJson = JSON.parse(tree['package.json'] as string) as Record<string, unknown>
    tree['package.json'] = JSON.stringify({ ...pkgJson, packageManager: 'bun@1.4.5' }, null, 2)
    // Written by Bun 1.4.5 for this package.json. Like npm's lock, it names no registry: Bun fetches from the one configured.
    tree['bun.lock'] = [
      '{',
      '  "lockfileVersion": 2,',
      '  "configVersion": 1,',
      '  "workspaces": {',
      '    "": {',
      '      "name": "jp-node-fixture",',
      '      "dependencies": {',
      '        "is-number": "6.0.0",',
      '      },',
      '    },',
      '  },',
      '  "packages": {',
      '    "is-number": ["is-number@6.0.0", "", {}, "sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg=="],',
      '  }',
      '}',
      ''
    ].join('\n')
    const pkg = await packageJob('bun', tree, 'bun index.js')
    expect(pkg.manifest.environment).toMatchObject({ summary: 'node 22 from engines.node; bun.lock: bun install --frozen-lockfile' })
    expect(pkg.manifest.environment?.frozen).toMatchObject({
      verdict: 'partly',
      ecosystems: [{ file: 'bun.lock', installer: 'bun 1.4.5: bun install --frozen-lockfile' }]
    })
    await lintPackage(pkg)
    const out = await followDocs(pkg, { baseImage: bases.node })
    expect(out.stdout).toBe('is-number 6.0.0 from /job/code/node_modules/is-number/index.js\nbun=3/4 uid=10001\n')
    expect(out.code).toBe(0)
  })

  it('a change to the code alone reuses the dependency layer: the second build takes npm ci from the cache', async () => {
    const first = await packageJob('cache-1', nodeFixture('first'), 'node index.js')
    const second = await packageJob('cache-2', nodeFixture('second'), 'node index.js')
    const a = await followDocs(first, { baseImage: bases.node, layers: true })
    expect(a.stdout).toMatch(/^first=3\/4 uid=10001$/m)
    const b = await followDocs(second, { baseImage: bases.node, layers: true })
    expect(b.stdout).toMatch(/^second=3\/4 uid=10001$/m)
    // buildah prints "STEP n/m: INSTRUCTION" and, for a step taken from the cache, "--> Using cache ID".
    const steps = b.buildOutput.split(/^(?=STEP \d+\/\d+: )/m)
    const step = (re: RegExp) => steps.find((t) => re.test(t.split('\n')[0]!)) ?? ''
    expect(step(/^STEP \d+\/\d+: COPY code\/package\.json code\/package-lock\.json \/job\/code\//)).toContain('Using cache')
    expect(step(/^STEP \d+\/\d+: RUN npm ci/)).toContain('Using cache')
    expect(step(/^STEP \d+\/\d+: COPY --chown=10001:10001 \. \/job/)).not.toContain('Using cache')
  })

  it('requirements.txt with --hash lines: pip --require-hashes from a wheel index on loopback; a code-only change reuses that layer', async () => {
    // A tiny package, built into a wheel by `pip wheel` in the test's Python image (no index needed: no build isolation).
    const work = path.join(root.dir, 'wheel-build')
    await mkdir(path.join(work, 'pkg', 'jp_fixture_hashed'), { recursive: true })
    await writeFile(
      path.join(work, 'pkg', 'pyproject.toml'),
      '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "jp-fixture-hashed"\nversion = "1.0"\n'
    )
    await writeFile(path.join(work, 'pkg', 'jp_fixture_hashed', '__init__.py'), 'GREETING = "hello from the hashed wheel"\n')
    const built = await dockerRun(bases.python, {
      volumes: [`${work}:/work`],
      entrypoint: [
        'python3',
        '-m',
        'pip',
        'wheel',
        '--no-deps',
        '--no-build-isolation',
        '--no-index',
        '--wheel-dir',
        '/work/dist',
        '/work/pkg'
      ],
      args: []
    })
    if (built.code !== 0) throw new Error(`pip wheel failed:\n${built.stderr}\n${built.stdout}`)
    const wheelName = (await readdir(path.join(work, 'dist'))).find((f) => f.endsWith('.whl'))!
    expect(wheelName).toMatch(/^jp_fixture_hashed-1\.0-py3-none-any\.whl$/)
    const wheel = await readFile(path.join(work, 'dist', wheelName))
    const hash = createHash('sha256').update(wheel).digest('hex')

    // A PEP 503 "simple" index, served on loopback by the suite's Node HTTP server.
    const index = serveWheelIndex(data)
    index.add({ project: 'jp-fixture-hashed', fileName: wheelName, bytes: wheel, sha256: hash })

    // The index is the TEST's base image's setting (as a mirror would be a user's), not the generated Dockerfile's.
    const base = 'localhost/jp-container-pip-index:test'
    const ctr = (await buildah(['from', '--pull=never', bases.python])).stdout.trim()
    await buildah(['config', '--env', `PIP_INDEX_URL=${index.url}`, ctr])
    await buildah(['commit', '--rm', '--quiet', ctr, base])

    const fixture = (label: string): FileTree => ({
      'requirements.txt': `jp-fixture-hashed==1.0 \\\n    --hash=sha256:${hash}\n`,
      'main.py': `import jp_fixture_hashed as g\nprint(g.GREETING)\nprint(g.__file__)\nprint("${label}")\n`
    })
    try {
      const first = await packageJob('hashed-1', fixture('first'), 'python3 main.py')
      expect(first.manifest.environment).toMatchObject({
        summary: 'python 3.12 (default version); requirements.txt: pip --require-hashes',
        frozen: {
          // Every Python package is locked by hash; only the base image's tag floats (not pinned: no registry here).
          verdict: 'partly',
          floats: [{ kind: 'base-image', name: 'python:3.12-slim-bookworm', why: 'not resolved (--pin-base-image off)' }],
          ecosystems: [{ file: 'requirements.txt', installer: 'pip install --require-hashes', pinning: 'locked' }]
        }
      })
      const text = await lintPackage(first)
      expect(text).not.toContain('PIP_INDEX_URL')
      expect(text).not.toContain(data.origin)
      const a = await followDocs(first, { baseImage: base, layers: true })
      expect(a.stdout).toBe('hello from the hashed wheel\n/usr/local/lib/python3.11/dist-packages/jp_fixture_hashed/__init__.py\nfirst\n')
      expect(a.code).toBe(0)
      expect(data.hits(`/files/${wheelName}`)).toBe(1)

      // The same requirements, other code: the dependency layer comes from the cache, and the index is not asked again.
      const second = await packageJob('hashed-2', fixture('second'), 'python3 main.py')
      const b = await followDocs(second, { baseImage: base, layers: true })
      expect(b.stdout).toMatch(/^second$/m)
      const steps = b.buildOutput.split(/^(?=STEP \d+\/\d+: )/m)
      const step = (re: RegExp) => steps.find((t) => re.test(t.split('\n')[0]!)) ?? ''
      expect(step(/^STEP \d+\/\d+: COPY code\/requirements\.txt \/job\/code\//)).toContain('Using cache')
      expect(step(/^STEP \d+\/\d+: RUN python3 -m pip install --no-cache-dir --require-hashes -r requirements\.txt/)).toContain(
        'Using cache'
      )
      expect(step(/^STEP \d+\/\d+: COPY --chown=10001:10001 \. \/job/)).not.toContain('Using cache')
      expect(data.hits(`/files/${wheelName}`)).toBe(1)

      // And the hashes are enforced: a wheel whose bytes differ from the lock fails the build.
      const wrong = await packageJob(
        'hashed-wrong',
        { ...fixture('wrong'), 'requirements.txt': `jp-fixture-hashed==1.0 --hash=sha256:${'0'.repeat(64)}\n` },
        'python3 main.py'
      )
      await expect(followDocs(wrong, { baseImage: base })).rejects.toThrow(/DO NOT MATCH THE HASHES/)
    } finally {
      await removeImage(base)
    }
  })

  it("poetry.lock with the base image's Poetry (Debian's, without export): poetry install of the real lock into /opt/venv; a code-only change reuses that layer", async () => {
    const tools = await pythonToolsImage()
    // The lock is made by the real Poetry while the index holds 1.0 only; 2.0 appears afterwards,
    // so a build that resolved instead of installing the lock would get 2.0.
    const index = await lockIndex('/poetry-index')
    const pyproject = [
      '[tool.poetry]',
      'name = "jp-poetry-job"',
      'version = "0.1.0"',
      'description = "a job whose dependencies Poetry locks"',
      'authors = ["Job Packager Test <test@job-packager.invalid>"]',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.9"',
      'jp-fixture-locked = "*"',
      '',
      '[[tool.poetry.source]]',
      'name = "loopback"',
      `url = "${index.url}"`,
      'default = true',
      ''
    ].join('\n')
    const lock = await lockWith(tools, { 'pyproject.toml': pyproject }, 'poetry lock --no-interaction', 'poetry.lock')
    // A real lock: Poetry's header, and the sha256 of the very files the index serves.
    expect(lock).toMatch(/^# This file is automatically @generated by Poetry/)
    expect(lock).toMatch(/^lock-version = "2\.0"$/m)
    for (const w of index.v1) expect(lock).toContain(`hash = "sha256:${w.sha256}"`)
    index.publishV2()
    // Locking read the files too (the index offers no separate metadata): the build's downloads are counted from here.
    const fetched = index.downloads()

    const fixture = (label: string): FileTree => ({ 'pyproject.toml': pyproject, 'poetry.lock': lock, 'main.py': lockedJob(label) })
    const first = await packageJob('poetry-1', fixture('first'), 'python3 main.py')
    expect(first.manifest.environment).toMatchObject({
      summary: "python 3.12 from tool.poetry.dependencies.python; poetry.lock: poetry (the base image's, else 1.8.5), hashes checked",
      frozen: {
        verdict: 'partly',
        floats: [{ kind: 'base-image', name: 'python:3.12-slim-bookworm' }],
        ecosystems: [{ file: 'poetry.lock', pinning: 'locked' }]
      }
    })
    expect(first.manifest.environment.notes).toContain(
      "poetry.lock is installed with the base image's poetry when it has one (the build log prints its version), else with Poetry 1.8.5 installed for the build and removed: the lock decides every package, version and file hash; the tool's version is the base image's, frozen when the base image is pinned by digest"
    )
    const text = await lintPackage(first)
    expect(text).not.toContain(data.origin)
    const a = await followDocs(first, { baseImage: tools, layers: true })
    expect(a.buildOutput).toContain("poetry.lock: the base image's Poetry (version 1.3.2)")
    expect(a.buildOutput).toContain("poetry.lock: this poetry has no export command; poetry install checks the lock's hashes")
    expect(a.stdout).toBe(lockedOutput('/opt/venv/lib/python3.11/site-packages', 'first'))
    expect(a.code).toBe(0)
    // Each locked file downloaded once by the build, and nothing of 2.0.
    expect(index.downloads()).toEqual(fetched.map(([file, n]) => [file, file.includes('-1.0-') ? n + 1 : n]))

    const second = await packageJob('poetry-2', fixture('second'), 'python3 main.py')
    const b = await followDocs(second, { baseImage: tools, layers: true })
    expect(b.stdout).toBe(lockedOutput('/opt/venv/lib/python3.11/site-packages', 'second'))
    expect(buildStep(b.buildOutput, /^COPY code\/pyproject\.toml code\/poetry\.lock \/job\/code\//)).toContain('Using cache')
    expect(buildStep(b.buildOutput, /^RUN python3 -m venv \/opt\/venv/)).toContain('Using cache')
    expect(buildStep(b.buildOutput, /^COPY --chown=10001:10001 \. \/job/)).not.toContain('Using cache')
    expect(index.downloads()).toEqual(fetched.map(([file, n]) => [file, file.includes('-1.0-') ? n + 1 : n]))

    // Poetry checks the files against the lock: a lock whose hash is not the served file's fails the build.
    const dep = index.v1.find((w) => w.project === 'jp-fixture-dep')!
    const wrong = await packageJob(
      'poetry-wrong',
      { ...fixture('wrong'), 'poetry.lock': lock.replace(dep.sha256, '0'.repeat(64)) },
      'python3 main.py'
    )
    await expect(followDocs(wrong, { baseImage: tools })).rejects.toThrow(/not in poetry\.lock metadata|not found in known hashes/)
  })

  it("Pipfile.lock with the base image's pipenv (Debian's): pipenv install --deploy --system of the real lock; a code-only change reuses that layer", async () => {
    const tools = await pythonToolsImage()
    const index = await lockIndex('/pipenv-index')
    const pipfile = `[[source]]\nname = "loopback"\nurl = "${index.url}"\nverify_ssl = false\n\n[packages]\njp-fixture-locked = "*"\n`
    const lock = await lockWith(tools, { Pipfile: pipfile }, 'pipenv lock', 'Pipfile.lock')
    const parsed = JSON.parse(lock) as {
      _meta: { hash: { sha256: string } }
      default: Record<string, { version: string; hashes: string[] }>
    }
    expect(parsed._meta.hash.sha256).toMatch(/^[0-9a-f]{64}$/)
    for (const w of index.v1) expect(parsed.default[w.project]).toMatchObject({ version: '==1.0', hashes: [`sha256:${w.sha256}`] })
    index.publishV2()
    const fetched = index.downloads()

    const fixture = (label: string): FileTree => ({ Pipfile: pipfile, 'Pipfile.lock': lock, 'main.py': lockedJob(label) })
    const first = await packageJob('pipenv-1', fixture('first'), 'python3 main.py')
    expect(first.manifest.environment).toMatchObject({
      summary: "python 3.12 (default version); Pipfile.lock: pipenv install --deploy (the base image's pipenv, else 2024.4.1)",
      frozen: { verdict: 'partly', ecosystems: [{ file: 'Pipfile.lock', pinning: 'locked' }] }
    })
    expect(first.manifest.environment.notes).toContain(
      "Pipfile.lock is installed with the base image's pipenv when it has one (the build log prints its version), else with pipenv 2024.4.1 installed for the build and removed: the lock decides every package, version and hash; the tool's version is the base image's, frozen when the base image is pinned by digest"
    )
    await lintPackage(first)
    const a = await followDocs(first, { baseImage: tools, layers: true })
    expect(a.buildOutput).toContain("Pipfile.lock: the base image's pipenv, version 2022.12.19")
    expect(a.stdout).toBe(lockedOutput('/usr/local/lib/python3.11/dist-packages', 'first'))
    expect(a.code).toBe(0)
    // Each locked file downloaded once by the build, and nothing of 2.0.
    expect(index.downloads()).toEqual(fetched.map(([file, n]) => [file, file.includes('-1.0-') ? n + 1 : n]))

    const second = await packageJob('pipenv-2', fixture('second'), 'python3 main.py')
    const b = await followDocs(second, { baseImage: tools, layers: true })
    expect(b.stdout).toBe(lockedOutput('/usr/local/lib/python3.11/dist-packages', 'second'))
    expect(buildStep(b.buildOutput, /^COPY code\/Pipfile code\/Pipfile\.lock \/job\/code\//)).toContain('Using cache')
    expect(buildStep(b.buildOutput, /^RUN if command -v pipenv/)).toContain('Using cache')
    expect(buildStep(b.buildOutput, /^COPY --chown=10001:10001 \. \/job/)).not.toContain('Using cache')
    expect(index.downloads()).toEqual(fetched.map(([file, n]) => [file, file.includes('-1.0-') ? n + 1 : n]))

    // --deploy: a Pipfile changed after locking fails the build instead of installing something else.
    const stale = await packageJob('pipenv-stale', { ...fixture('stale'), Pipfile: `${pipfile}jp-fixture-dep = "*"\n` }, 'python3 main.py')
    const refused = await followDocs(stale, { baseImage: tools }).then(
      () => 'built',
      (e: Error) => e.message
    )
    expect(refused).toMatch(/Your Pipfile\.lock \([0-9a-f]+\) is out of date/)
    expect(refused).toMatch(/Aborting deploy/)
  })

  it("binder/Pipfile without a lock, with the base image's pipenv (Debian's): pipenv install --skip-lock resolves it in the build, from binder/", async () => {
    const tools = await pythonToolsImage()
    const index = await lockIndex('/pipenv-skip-index')
    const pipfile = `[[source]]\nname = "loopback"\nurl = "${index.url}"\nverify_ssl = false\n\n[packages]\njp-fixture-locked = "*"\n`
    const pkg = await packageJob(
      'pipenv-skip-lock',
      { 'binder/Pipfile': pipfile, 'requirements.txt': 'this is not a requirement ===\n', 'main.py': lockedJob('unlocked') },
      'python3 main.py'
    )
    expect(pkg.manifest.environment).toMatchObject({
      config_folder: 'binder',
      frozen: { verdict: 'not', ecosystems: [{ file: 'binder/Pipfile', pinning: 'none' }] }
    })
    expect(pkg.manifest.environment.warnings as string[]).toContain(
      'binder/Pipfile without a Pipfile.lock: installed with pipenv install --skip-lock, so versions are chosen when the image is built (run pipenv lock and commit Pipfile.lock)'
    )
    await lintPackage(pkg)
    const out = await followDocs(pkg, { baseImage: tools })
    expect(out.buildOutput).toContain("Pipfile: the base image's pipenv, version 2022.12.19")
    expect(out.stdout).toBe(lockedOutput('/usr/local/lib/python3.11/dist-packages', 'unlocked'))
    expect(out.code).toBe(0)
  })

  it('binder/: its requirements.txt and runtime.txt are used over a broken root decoy; postBuild runs as the job user; start sets a variable the command sees', async () => {
    const wheel = await buildWheel()
    const pkg = await packageJob(
      'binder',
      {
        // The decoys: pip would fail on this line, and this setup.py fails when run.
        'requirements.txt': 'this is not a requirement ===\n',
        'setup.py': 'raise SystemExit("the root setup.py must not be installed")\n',
        'binder/requirements.txt': '--no-index\n--find-links /job/code/wheels\njp-fixture-greeting==1.0\n',
        'binder/runtime.txt': 'python-3.10\n',
        'binder/postBuild': { content: '#!/bin/sh\nset -e\necho "built by $(id -u)" > "$HOME/built.txt"\n', mode: 0o755 },
        // Committed without the executable bit: the image makes it executable.
        'binder/start': { content: '#!/bin/sh\nSTARTED_BY="start with $# arguments"\nexport STARTED_BY\nexec "$@"\n', mode: 0o644 },
        'wheels/jp_fixture_greeting-1.0-py3-none-any.whl': wheel,
        'main.py': [
          'import os, pathlib, jp_fixture_greeting as g',
          'print(g.GREETING)',
          'print(pathlib.Path(os.environ["HOME"], "built.txt").read_text().strip())',
          'print(os.environ.get("STARTED_BY", "start did not run"), f"uid={os.getuid()}")',
          ''
        ].join('\n')
      },
      'python3 main.py'
    )
    // runtime.txt python-3.10: the base is the 3.10 image. The local stand-in for every python:3.X image is
    // Debian's python3 (3.11): no 3.10 image can be built or pulled here, so the version is proven by this text.
    expect(pkg.manifest.environment).toMatchObject({
      config_folder: 'binder',
      start: 'binder/start',
      base_image: 'python:3.10-slim-bookworm',
      version: '3.10',
      version_from: 'binder/runtime.txt'
    })
    expect(pkg.manifest.environment.warnings as string[]).toContain(
      'binder/ is the configuration folder, so these files at the root are ignored: requirements.txt, setup.py (move what the job needs into binder/)'
    )
    const text = await lintPackage(pkg)
    expect(text).toContain('ARG BASE_IMAGE=python:3.10-slim-bookworm')
    const out = await followDocs(pkg, { baseImage: bases.python })
    expect(out.stdout).toBe('hello from the wheel\nbuilt by 10001\nstart with 2 arguments uid=10001\n')
    expect(out.code).toBe(0)
  })

  it("apt.txt: installs a Debian package inside the build from the base image's apt sources", async () => {
    const pkg = await packageJob(
      'apt',
      {
        'apt.txt': '# a tiny package with a program\nhello\n',
        'job.sh': 'hello\necho "rows=$(($(wc -l < "$DATA_FILE") - 1)) uid=$(id -u)"\n'
      },
      'sh job.sh'
    )
    expect(pkg.manifest.environment).toMatchObject({
      summary: 'no Python, Node, R or Julia project found: generic Debian base; apt.txt: 1 package',
      system_packages: ['hello'],
      base_image: 'debian:bookworm-slim'
    })
    await lintPackage(pkg)
    const out = await followDocs(pkg, { baseImage: bases.debian })
    expect(out.stdout).toBe('Hello, world!\nrows=4 uid=10001\n')
    expect(out.code).toBe(0)
  })

  it('fallback: a shell job on the generic base, whose exit status comes through', async () => {
    const pkg = await packageJob(
      'fallback',
      { 'job.sh': 'echo "rows=$(($(wc -l < "$DATA_FILE") - 1)) uid=$(id -u) in $(pwd) data=$DATA_DIR"\nls "$DATA_DIR"\nexit 3\n' },
      'sh job.sh'
    )
    expect(pkg.manifest.environment).toMatchObject({
      summary: 'no Python, Node, R or Julia project found: generic Debian base',
      runtime: 'generic',
      install: []
    })
    await lintPackage(pkg)
    const out = await followDocs(pkg, { baseImage: bases.debian })
    expect(out.stdout).toBe('rows=4 uid=10001 in /job/code data=/job/data\nmeasurements.csv\n')
    expect(out.code).toBe(3)
    // The image holds what run.sh needs, and not the build files.
    const listing = await dockerRun('job', { entrypoint: ['/bin/ls', '-A', '/job'], args: [] })
    expect(listing.stdout.split('\n').filter(Boolean).sort()).toEqual(['code', 'data', 'files.sha256', 'job.json', 'run.sh'])
  })

  it("the repository's own Dockerfile (--use-repo-dockerfile): built as-is from code/, and the packaged command runs in it", async () => {
    const pkg = await packageJob(
      'own-dockerfile',
      {
        Dockerfile: [
          'ARG BASE_IMAGE=debian:bookworm-slim',
          'FROM ${BASE_IMAGE}',
          'WORKDIR /app',
          'COPY . .',
          'USER 10001:10001',
          'ENTRYPOINT ["/bin/sh", "/app/job.sh"]',
          ''
        ].join('\n'),
        'job.sh':
          'echo "own image: uid $(id -u) in $(pwd)"\nif [ -n "${DATA_FILE:-}" ]; then echo "rows=$(($(wc -l < "$DATA_FILE") - 1))"; fi\n',
        'requirements.txt': 'numpy==2.0.0\n'
      },
      'sh job.sh',
      ['--use-repo-dockerfile']
    )
    expect(pkg.manifest.environment).toMatchObject({ dockerfile: 'code/Dockerfile', build_context: 'code', install: [] })
    expect(existsSync(path.join(pkg.work, 'jobs', pkg.jobId, 'Dockerfile'))).toBe(false)
    // As the repository's author meant it: its own entrypoint.
    const own = await followDocs(pkg, { baseImage: bases.debian, build: STEPS.buildOwn })
    expect(own.stdout).toBe('own image: uid 10001 in /app\n')
    expect(own.code).toBe(0)
    // The packaged command with the package's data, in that image.
    const withPackage = await runAsDocumented(STEPS.runOwnWithPackage, path.join(pkg.work, pkg.jobId))
    expect(withPackage.stdout).toBe('own image: uid 10001 in /job/code\nrows=4\n')
    expect(withPackage.code).toBe(0)
  })
})

/** The Python image with Debian's Poetry and pipenv, built on first use (base-images.ts). */
let toolsImage: Promise<string> | undefined
function pythonToolsImage(): Promise<string> {
  toolsImage ??= ensurePythonToolsImage(bases, log)
  return toolsImage
}

/**
 * An index on loopback holding jp-fixture-locked 1.0, which depends on
 * jp-fixture-dep (1.0 there too); `publishV2` adds 2.0 of both, which a
 * resolver would pick and a lock made before must not.
 */
async function lockIndex(prefix: string) {
  const dir = path.join(root.dir, `wheels${prefix}`)
  const wheels = async (version: string) => [
    await makeWheel(dir, 'jp-fixture-locked', version, ['jp-fixture-dep']),
    await makeWheel(dir, 'jp-fixture-dep', version)
  ]
  const index = serveWheelIndex(data, prefix)
  const v1 = await wheels('1.0')
  const v2 = await wheels('2.0')
  for (const w of v1) index.add(w)
  return {
    url: index.url,
    v1,
    v2,
    publishV2: () => v2.forEach((w) => index.add(w)),
    /** How often each file (1.0 and 2.0) was downloaded so far. */
    downloads: () => [...v1, ...v2].map((w) => [w.fileName, data.hits(index.filePath(w))] as const)
  }
}

/** Runs `command` (e.g. `poetry lock`) in `image` over a folder holding `files`, and returns the lock it wrote. */
async function lockWith(image: string, files: Record<string, string>, command: string, lockName: string): Promise<string> {
  const dir = await tempDir('jp-lock-')
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir.dir, name), text)
    const res = await dockerRun(image, {
      volumes: [`${dir.dir}:/project`],
      entrypoint: ['sh', '-c', `cd /project && ${command}`],
      args: []
    })
    if (res.code !== 0) throw new Error(`${command} failed (${res.code}):\n${res.stderr}\n${res.stdout}`)
    log(`  ${command}: ${lockName} written`)
    return await readFile(path.join(dir.dir, lockName), 'utf8')
  } finally {
    await dir.cleanup()
  }
}

/** A job that prints which copy and version of the locked packages it imported, and writes into its HOME. */
function lockedJob(label: string): string {
  return [
    'import os, pathlib',
    'import jp_fixture_locked, jp_fixture_dep',
    'print(f"jp-fixture-locked {jp_fixture_locked.VERSION} from {jp_fixture_locked.__file__}")',
    'print(f"jp-fixture-dep {jp_fixture_dep.VERSION} from {jp_fixture_dep.__file__}")',
    '# Nothing the installer left in HOME may be root-owned: caches and tool data go there.',
    'for sub in (".cache/probe", ".local/share/probe", ".config/probe"):',
    '    pathlib.Path(os.environ["HOME"], sub).mkdir(parents=True)',
    `print(f"${label} uid={os.getuid()}")`,
    ''
  ].join('\n')
}

function lockedOutput(site: string, label: string): string {
  return [
    `jp-fixture-locked 1.0 from ${site}/jp_fixture_locked/__init__.py`,
    `jp-fixture-dep 1.0 from ${site}/jp_fixture_dep/__init__.py`,
    `${label} uid=10001`,
    ''
  ].join('\n')
}

/** The output of the build step whose instruction matches `re` (buildah prints "STEP n/m: INSTRUCTION"). */
function buildStep(output: string, re: RegExp): string {
  return output.split(/^(?=STEP \d+\/\d+: )/m).find((t) => re.test(t.split('\n')[0]!.replace(/^STEP \d+\/\d+: /, ''))) ?? ''
}

/** A Node job with one pinned dependency in package-lock.json; `label` shows which commit's code ran. */
function nodeFixture(label: string): FileTree {
  return {
    'package.json': JSON.stringify(
      { name: 'jp-node-fixture', version: '1.0.0', private: true, engines: { node: '>=18' }, dependencies: { 'is-number': '6.0.0' } },
      null,
      2
    ),
    // No "resolved" URLs: npm fetches name@version from whatever registry it is configured with.
    'package-lock.json': JSON.stringify(
      {
        name: 'jp-node-fixture',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'jp-node-fixture', version: '1.0.0', dependencies: { 'is-number': '6.0.0' }, engines: { node: '>=18' } },
          'node_modules/is-number': {
            version: '6.0.0',
            integrity: 'sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg=='
          }
        }
      },
      null,
      2
    ),
    'index.js': [
      "const fs = require('fs')",
      "const isNumber = require('is-number')",
      "const lines = fs.readFileSync(process.env.DATA_FILE, 'utf8').trim().split('\\n').slice(1)",
      "const numeric = lines.filter((l) => isNumber(l.split(',')[1])).length",
      // Debian's npm also installs an is-number (7.x) globally: print which copy was loaded.
      "console.log(`is-number ${require('is-number/package.json').version} from ${require.resolve('is-number')}`)",
      `console.log(\`${label}=\${numeric}/\${lines.length} uid=\${process.getuid()}\`)`,
      ''
    ].join('\n')
  }
}

/** A minimal pure-Python wheel, made with the machine's python3 (zipfile), so pip can install it without an index. */
async function buildWheel(): Promise<Buffer> {
  const out = path.join(root.dir, 'jp_fixture_greeting-1.0-py3-none-any.whl')
  const script = [
    'import base64, hashlib, sys, zipfile',
    'files = {',
    '  "jp_fixture_greeting/__init__.py": b"GREETING = \\"hello from the wheel\\"\\n",',
    '  "jp_fixture_greeting-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: jp-fixture-greeting\\nVersion: 1.0\\n",',
    '  "jp_fixture_greeting-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: job-packager-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",',
    '}',
    'def digest(b): return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()',
    'record = "".join(f"{n},{digest(b)},{len(b)}\\n" for n, b in files.items()) + "jp_fixture_greeting-1.0.dist-info/RECORD,,\\n"',
    'files["jp_fixture_greeting-1.0.dist-info/RECORD"] = record.encode()',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '    for n, b in files.items():',
    '        info = zipfile.ZipInfo(n, date_time=(2024, 1, 2, 3, 4, 5))',
    '        z.writestr(info, b)',
    ''
  ].join('\n')
  await run('python3', ['-c', script, out], { env: { PATH: process.env.PATH } })
  return readFile(out)
}
