/**
 * Runs a program with an argument array (never a shell string), collecting its
 * output, and kills it when the signal fires. We use node:child_process rather
 * than @actions/exec here because the packager must be able to kill a stalled
 * git on its deadline or on SIGINT/SIGTERM, and @actions/exec offers no way to
 * do that (see README, "Hand-written parts").
 */
import { spawn } from 'node:child_process'
import { abortReason } from './errors.js'

export interface ProcessResult {
  code: number
  stdout: string
  stderr: string
}

export interface ProcessOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  /** Called with each chunk of stderr (progress lines). */
  onStderr?: (text: string) => void
}

/** Most output kept per stream; git's progress can be long and we only need the tail. */
const MAX_KEEP = 256 * 1024

export function runProcess(file: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortReason(options.signal))
      return
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a kill reaches git's helpers (remote-https, ssh) too.
      detached: true
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-MAX_KEEP)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_KEEP)
      options.onStderr?.(chunk)
    })
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }
    options.signal?.addEventListener('abort', kill, { once: true })
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', kill)
      reject(err)
    })
    child.on('close', (code, sig) => {
      options.signal?.removeEventListener('abort', kill)
      if (options.signal?.aborted) reject(abortReason(options.signal))
      else resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr })
    })
  })
}
