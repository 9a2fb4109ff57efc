/**
 * Runs the job's process (the engine's `run`, or run.sh itself for the
 * `none` engine) with its output streamed, and stops it on request. Unlike
 * process.ts's runProcess, output is bytes handed on as it comes (the job's
 * logs can be large and binary), and stopping is the engine's business:
 * `docker kill` for a container, the process group for `none`.
 */
import { spawn } from 'node:child_process'
import { killTree } from '../process.js'

export interface JobProcessOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Own process group, so the whole group can be killed (the `none` engine). */
  detached?: boolean
  onStdout: (chunk: Buffer) => void
  onStderr: (chunk: Buffer) => void
}

export interface JobProcess {
  /** The exit status; a process killed by a signal reports 128 + its number, as a shell does. */
  readonly done: Promise<number>
  readonly pid: number | undefined
  /** Kills the process, its group when it has one, and every descendant. */
  kill(): void
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }

export function startJobProcess(file: string, args: readonly string[], options: JobProcessOptions): JobProcess {
  // The environment as this module sees it, passed explicitly (a caller that changed process.env means it for the engine too).
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.detached,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout.on('data', options.onStdout)
  child.stderr.on('data', options.onStderr)
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, sig) => resolve(code ?? 128 + (sig ? (SIGNAL_NUMBERS[sig] ?? 0) : 0)))
  })
  return {
    done,
    pid: child.pid,
    kill: () => {
      if (child.pid === undefined) return
      if (options.detached) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {
          // The group is gone already.
        }
      }
      killTree(child.pid)
    }
  }
}
