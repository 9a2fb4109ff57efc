#!/usr/bin/env node
// Bundles the Action (src/index.ts → dist/index.js) and the CLI
// (src/cli/index.ts → dist/cli/index.js) with @vercel/ncc. The runner and
// `npx job-packager` execute dist/, so it is committed.
//   node scripts/bundle.mjs          rebuild dist/
//   node scripts/bundle.mjs --check  build into a temporary folder and fail if dist/ differs
import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')
const out = check ? mkdtempSync(path.join(os.tmpdir(), 'job-packager-dist-')) : path.join(root, 'dist')
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

const targets = [
  { entry: 'src/index.ts', dir: '.' },
  { entry: 'src/cli/index.ts', dir: 'cli' }
]
if (!check) rmSync(out, { recursive: true, force: true })
for (const { entry, dir } of targets) {
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', path.join(out, dir), '--license', 'licenses.txt', '--quiet', '--target', 'es2022'],
    { cwd: root, stdio: 'inherit' }
  )
}
chmodSync(path.join(out, 'cli', 'index.js'), 0o755)

if (check) {
  const list = (dir) =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => statSync(path.join(dir, f)).isFile())
      .sort()
  const want = list(out)
  const have = list(path.join(root, 'dist'))
  const differ = [...new Set([...want, ...have])].filter((f) => {
    const a = path.join(out, f)
    const b = path.join(root, 'dist', f)
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
