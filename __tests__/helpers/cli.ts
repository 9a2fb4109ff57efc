/**
 * Runs the bundled CLI (dist/cli/index.js, what `npx job-packager` runs) as a
 * child process, asynchronously (the test's own servers share this event
 * loop). CI checks that dist/ matches the sources before the tests run.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'index.js')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  input?: string
  /** Called once stderr contains this text (e.g. to send a signal mid-run). */
  onStderr?: { match: RegExp; then: (pid: number) => void }
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: opts.env ?? cliEnv(), stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let fired = false
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c
      if (opts.onStderr && !fired && opts.onStderr.match.test(stderr)) {
        fired = true
        opts.onStderr.then(child.pid!)
      }
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
    child.stdin.end(opts.input ?? '')
  })
}

/** A minimal environment: no inherited tokens or GIT_* settings. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra }
}
