#!/usr/bin/env node
// The offline demo: the main job on a bundled example, end to end.
//  1. commits examples/hello-job/ into a throwaway git repository (fixed
//     identity and date, so the commit id is the same on every machine);
//  2. serves examples/data/measurements.csv from an HTTP server on 127.0.0.1;
//  3. packages the job with the CLI (dist/cli/index.js) into jobs/;
//  4. lists the job folder and the archive;
//  5. runs the package with `job-packager run` (verify, build, run, keep the
//     results): with the container engine found (auto), or — when there is
//     none, or its image cannot be built here (no base image can be pulled
//     offline) — with `--engine none`, run.sh straight on this machine, and
//     says which; then prints the result summary.
// Everything stays on this machine: the repository is read over git's file
// transport and the dataset over loopback, which the CLI allows only because
// this script passes --allow-protocols file,http and --allow-private-network.
import { spawn } from 'node:child_process'
import { cpSync, createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(path.join(os.tmpdir(), 'job-packager-demo-'))
const dataset = path.join(root, 'examples', 'data', 'measurements.csv')
// `npm run demo -- --out DIR` writes the job elsewhere than jobs/ (the tests use this).
const outAt = process.argv.indexOf('--out')
const outArgs = outAt > 0 && process.argv[outAt + 1] ? ['--output-dir', path.resolve(process.argv[outAt + 1])] : []
// Results go beside the jobs folder: results/ (or next to --out).
const resultsDir =
  outAt > 0 && process.argv[outAt + 1]
    ? path.join(path.dirname(path.resolve(process.argv[outAt + 1])), 'results')
    : path.join(root, 'results')
const cli = path.join(root, 'dist', 'cli', 'index.js')

/** Runs a program and returns its status and output, whatever the status. */
function capture(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const quote = (args) => args.map((a) => (/[^\w@%+=:,./-]/.test(a) ? `'${a}'` : a)).join(' ')

/** Runs a program (never through a shell) and returns its stdout; fails loudly. */
function sh(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', opts.stderr ?? 'inherit'], ...opts })
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))))
  })
}

const heading = (text) => console.log(`\n\x1b[1m${text}\x1b[0m`)

async function makeRepository() {
  const repo = path.join(work, 'hello-job')
  cpSync(path.join(root, 'examples', 'hello-job'), repo, { recursive: true })
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Demo Researcher',
    GIT_AUTHOR_EMAIL: 'demo@job-packager.invalid',
    GIT_COMMITTER_NAME: 'Demo Researcher',
    GIT_COMMITTER_EMAIL: 'demo@job-packager.invalid',
    GIT_AUTHOR_DATE: '2025-01-15T09:30:00Z',
    GIT_COMMITTER_DATE: '2025-01-15T09:30:00Z'
  }
  await sh('git', ['init', '-q', '-b', 'main', repo], { env })
  await sh('git', ['-C', repo, 'add', '-A'], { env })
  await sh('git', ['-C', repo, 'commit', '-q', '-m', 'Analysis script'], { env })
  return { repo, commit: (await sh('git', ['-C', repo, 'rev-parse', 'HEAD'], { env })).trim() }
}

function serveDataset() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (req.url !== '/datasets/measurements.csv') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': statSync(dataset).size })
      createReadStream(dataset).pipe(res)
    })
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

async function main() {
  heading('1. Example repository')
  const { repo, commit } = await makeRepository()
  console.log(`${repo} at commit ${commit}`)

  heading('2. Dataset server')
  const server = await serveDataset()
  const dataUrl = `http://127.0.0.1:${server.address().port}/datasets/measurements.csv`
  console.log(dataUrl)

  try {
    heading('3. Package the job')
    const args = [
      ...outArgs,
      'pack',
      '--git-url',
      `file://${repo}`,
      '--commit-hash',
      commit,
      '--data-url',
      dataUrl,
      '--command',
      'python3 analyze.py',
      '--allow-protocols',
      'file,http',
      '--allow-private-network',
      '--json'
    ]
    console.log(`job-packager ${quote(args)}`)
    const result = JSON.parse(await sh(process.execPath, [cli, ...args], { cwd: root }))
    console.log(`job id: ${result.job_id}`)
    console.log(`archive: ${path.relative(root, result.archive_path)} (${result.archive_bytes} bytes, sha256 ${result.archive_sha256})`)

    heading(`4. The job folder: ${path.relative(root, result.job_dir)}/`)
    console.log((await sh('find', ['.', '-not', '-path', '.'], { cwd: result.job_dir })).split('\n').filter(Boolean).sort().join('\n'))

    heading(`5. The archive: tar -tzf ${path.relative(root, result.archive_path)}`)
    process.stdout.write(await sh('tar', ['-tzf', result.archive_path]))

    heading(`6. Run it: job-packager run ${path.relative(root, result.archive_path)}`)
    const runArgs = ['run', result.archive_path, '--sha256', result.archive_sha256, '--results-dir', resultsDir, '--timeout', '300']
    console.log(`job-packager ${quote(runArgs.map((a) => (path.isAbsolute(a) ? path.relative(root, a) || '.' : a)))}`)
    let ran = await capture(process.execPath, [cli, ...runArgs], { cwd: root })
    const why = /^error: (No container engine found|.*could not build the image)/m.exec(ran.stderr)
    if (ran.code !== 0 && why) {
      // The demo's fallback, said out loud: the CLI itself never falls back to running without a container.
      console.log(
        why[1].startsWith('No container')
          ? 'No container engine (docker, podman, buildah) here: running the job without a container instead (--engine none).'
          : `The container engine could not build the image here (its base image cannot be pulled offline): running the job without a container instead (--engine none).`
      )
      runArgs.push('--engine', 'none', '--network', 'default')
      console.log(`job-packager ${quote(runArgs.map((a) => (path.isAbsolute(a) ? path.relative(root, a) || '.' : a)))}`)
      ran = await capture(process.execPath, [cli, ...runArgs], { cwd: root })
    }
    process.stdout.write(ran.stdout)
    if (ran.code !== 0) {
      process.stderr.write(ran.stderr)
      throw new Error(`job-packager run exited ${ran.code}`)
    }
    console.log(
      `\nDone. The results: ${path.relative(root, resultsDir)}/${result.job_id}-result/ (result.json, stdout.log, stderr.log, output/)`
    )
  } finally {
    server.close()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(`demo failed: ${err.message}`)
  rmSync(work, { recursive: true, force: true })
  process.exit(1)
})
