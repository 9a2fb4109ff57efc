#!/usr/bin/env node
// Bundles the Action (src/index.ts → dist/index.js), the CLI
// (src/cli/index.ts → dist/cli/index.js) and the run sub-action
// (src/action-run/index.ts → dist/run/index.js) with @vercel/ncc. The runner
// and `npx job-packager` execute dist/, so it is committed.
//
// The archive's worker threads (src/core/archive/deflate-worker.ts,
// hash-worker.ts) are entries of their own: each bundle starts them from the
// file of that name next to itself (dist/deflate-worker.js,
// dist/cli/deflate-worker.js, dist/run/deflate-worker.js; see
// deflate-pool.ts), so each is built once and copied beside every bundle (the
// run sub-action writes the result archive with the same writer). What ncc emits is checked against the files
// listed here: an extra file (e.g. an asset ncc made of a
// `new URL('./x.js', import.meta.url)`) fails the build instead of shipping.
//
// The bundles are built into a staging folder and only replace dist/ once all
// of them are built and checked: an interrupted or failed build (a timeout,
// Ctrl-C, an ncc error) leaves the committed dist/ as it was, never half-deleted.
//   node scripts/bundle.mjs          rebuild dist/
//   node scripts/bundle.mjs --check  build into a temporary folder and fail if dist/ differs
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')
const dist = path.join(root, 'dist')
// Beside dist/ (same file system, so the final rename is atomic); ignored by git. A staging folder left by a killed run goes first.
for (const name of readdirSync(root)) if (name.startsWith('.dist-build-')) rmSync(path.join(root, name), { recursive: true, force: true })
const out = mkdtempSync(check ? path.join(os.tmpdir(), 'job-packager-dist-') : path.join(root, '.dist-build-'))
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

const targets = [
  { entry: 'src/index.ts', dir: '.' },
  { entry: 'src/cli/index.ts', dir: 'cli' },
  // The run sub-action: run/action.yml points at ../dist/run/index.js.
  { entry: 'src/action-run/index.ts', dir: 'run' }
]
const workers = ['deflate-worker', 'hash-worker']
// ncc writes the licences of each chunk to the --license file name, so with
// one fixed name a chunk's list would replace the bundle's. Per-chunk names
// ([name] is "main" or the chunk id) are merged into licenses.txt instead.
const build = (entry, dir) => {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', dir, '--license', '[name].licenses.txt', '--quiet', '--target', 'es2022'], {
    cwd: root,
    stdio: 'inherit'
  })
  const lists = readdirSync(dir)
    .filter((name) => name.endsWith('.licenses.txt'))
    .sort((a, b) => (a === 'main.licenses.txt' ? -1 : b === 'main.licenses.txt' ? 1 : a.localeCompare(b)))
  if (lists.length === 0) return
  writeFileSync(path.join(dir, 'licenses.txt'), lists.map((name) => readFileSync(path.join(dir, name), 'utf8').trimEnd() + '\n').join('\n'))
  for (const name of lists) rmSync(path.join(dir, name))
}
// A dynamic import() inside a dependency becomes a chunk beside the bundle
// (`<id>.index.js`, loaded relative to index.js at run time; webpack's ids are
// deterministic, so check-dist still compares like with like).
const isChunk = (name) => /^\d+\.index\.js$/.test(name)
const expectFiles = (dir, want, what) => {
  const have = readdirSync(dir)
    .filter((name) => !isChunk(name))
    .sort()
    .join(', ')
  const expected = [...want].sort().join(', ')
  if (have !== expected) throw new Error(`ncc emitted ${have} for ${what}; expected ${expected}.`)
}

try {
  for (const { entry, dir } of targets) build(entry, path.join(out, dir))
  chmodSync(path.join(out, 'cli', 'index.js'), 0o755)
  const workerBuild = mkdtempSync(path.join(os.tmpdir(), 'job-packager-workers-'))
  try {
    for (const name of workers) {
      const dir = path.join(workerBuild, name)
      build(`src/core/archive/${name}.ts`, dir)
      // No licenses.txt: the workers use nothing but Node. If one ever bundles a package, its licence must be shipped too.
      expectFiles(dir, ['index.js', 'package.json'], `the worker ${name}`)
      for (const { dir: target } of targets) copyFileSync(path.join(dir, 'index.js'), path.join(out, target, `${name}.js`))
    }
  } finally {
    rmSync(workerBuild, { recursive: true, force: true })
  }
  for (const { entry, dir } of targets)
    expectFiles(
      path.join(out, dir),
      [...(dir === '.' ? ['cli', 'run'] : []), 'index.js', 'licenses.txt', 'package.json', ...workers.map((w) => `${w}.js`)],
      entry
    )
} catch (err) {
  rmSync(out, { recursive: true, force: true })
  throw err
}

if (!check) {
  rmSync(dist, { recursive: true, force: true })
  renameSync(out, dist)
} else {
  const list = (dir) =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => statSync(path.join(dir, f)).isFile())
      .sort()
  const want = list(out)
  const have = list(dist)
  const differ = [...new Set([...want, ...have])].filter((f) => {
    const a = path.join(out, f)
    const b = path.join(dist, f)
    try {
      return !readFileSync(a).equals(readFileSync(b))
    } catch {
      return true
    }
  })
  rmSync(out, { recursive: true, force: true })
  if (differ.length) {
    console.error(`dist/ differs from a fresh bundle in: ${differ.join(', ')}\nRun 'npm run bundle' and commit dist/.`)
    process.exit(1)
  }
  console.log('dist/ matches a fresh bundle.')
}
