/**
 * Shared pieces of the Action's runner-style tests: the fixture servers, and
 * the two things the harness leaves to the test — the runner's
 * stop-commands rule and reading a job archive back with GNU tar.
 */
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeBareClone, makeRepo, run, startGitServer, type GitServer } from '../helpers/git-server.js'
import { serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import type { RunActionResult, WorkflowCommand } from '../helpers/run-action.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')

export const DATASET = Buffer.from(Array.from({ length: 2000 }, (_, i) => `${i},${(i * 7919) % 1000},label${i % 3}`).join('\n') + '\n')
export const DATASET_SHA = sha256(DATASET)

export interface Fixture {
  work: string
  commit: string
  git: GitServer
  data: DataServer
  /** Inputs every run needs to reach the loopback servers (plain http, 127.0.0.1). */
  loopback: Record<string, string>
  close(): Promise<void>
}

/** A repository with a small program, served over smart HTTP, and a dataset server. */
export async function startFixture(opts: { requireAuth?: { token: string } } = {}): Promise<Fixture> {
  const work = await mkdtemp(path.join(tmpdir(), 'jp-action-'))
  const { commit } = await makeRepo(path.join(work, 'src'), {
    'train.py': 'import sys\nprint(open("../data/train.csv").read().count("\\n"))\n',
    'README.md': '# model\n',
    'scripts/run.sh': { content: '#!/bin/sh\necho run\n', mode: 0o755 }
  })
  await makeBareClone(path.join(work, 'src'), path.join(work, 'srv'), 'model.git')
  const git = await startGitServer({ root: path.join(work, 'srv'), requireAuth: opts.requireAuth })
  const data = await startDataServer()
  data.route('/data/train.csv', serveBuffer(DATASET, { contentType: 'text/csv' }))
  return {
    work,
    commit,
    git,
    data,
    // No registry is reachable from the tests: not asking one keeps the base image's tag without a warning (it is still recorded).
    loopback: { 'allow-protocols': 'https,http', 'allow-private-network': 'true', attempts: '1', 'pin-base-image': 'off' },
    async close() {
      await Promise.all([git.close(), data.close()])
      await rm(work, { recursive: true, force: true })
    }
  }
}

/**
 * The runner's rule for `::stop-commands::TOKEN`: every command after it is
 * ignored until one named TOKEN (case-insensitive). The harness lists all
 * command-shaped lines; this returns the ones the runner would act on.
 */
export function effectiveCommands(commands: WorkflowCommand[]): WorkflowCommand[] {
  const out: WorkflowCommand[] = []
  let stopToken: string | undefined
  for (const c of commands) {
    if (stopToken !== undefined) {
      if (c.command.toLowerCase() === stopToken.toLowerCase()) stopToken = undefined
      continue
    }
    if (c.command === 'stop-commands') {
      stopToken = c.message
      continue
    }
    out.push(c)
  }
  return out
}

/** The `::error::` messages the runner would show for a step. */
export function errors(r: RunActionResult): string[] {
  return effectiveCommands(r.commands)
    .filter((c) => c.command === 'error')
    .map((c) => c.message)
}

/** Text for a failed expectation: what the step printed. */
export function transcript(r: RunActionResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`
}

/** Unpacks with GNU tar (what the user runs) and lists files and folders under `dest`. */
export async function untar(archive: string, dest: string): Promise<string[]> {
  await mkdir(dest, { recursive: true })
  const res = await run('tar', ['-xzf', archive, '-C', dest], { allowFailure: true })
  if (res.code !== 0) throw new Error(`tar -xzf ${archive} failed: ${res.stderr}`)
  return listTree(dest)
}

export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort()
}

/** Every regular file under `dir`, with its bytes. */
export async function readTree(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
  return Promise.all(files.map(async (file) => ({ file, bytes: await readFile(file) })))
}
