/**
 * Runs the job's process (the engine's `run`, or run.sh itself for the
 * `none` engine) with its output streamed, and stops it on request. Unlike
 * process.ts's runProcess, output is bytes handed on as it comes (the job's
 * logs can be large and binary), and stopping is the engine's business:
 * `docker kill` for a container, the process group for `none`.
 *
 * With a cgroup (job-cgroup.ts), the process starts inside it, and when it
 * exits every process left in the cgroup is killed and the cgroup checked
 * empty before `done` settles: a job's detached processes cannot outlive
 * it, nor keep its output pipes (and so the run) open.
 */
import { spawn } from 'node:child_process'
import { killTree } from '../process.js'
import type { JobCgroup } from './job-cgroup.js'

export interface JobProcessOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Own process group, so the whole group can be killed (the `none` engine). */
  detached?: boolean
  onStdout: (chunk: Buffer) => void
  onStderr: (chunk: Buffer) => void
  /** Start inside this cgroup; emptied (and checked) when the process exits. */
  cgroup?: JobCgroup
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
  const [command, argv] = options.cgroup ? options.cgroup.wrap(file, args) : [file, args]
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.detached,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout.on('data', options.onStdout)
  child.stderr.on('data', options.onStderr)
  const { cgroup } = options
  // Emptied as soon as the first process exits: a detached one still holding stdout would keep 'close' from coming.
  const swept = cgroup
    ? new Promise<void>((resolve, reject) => child.on('exit', () => void cgroup.empty().then(resolve, reject)))
    : Promise.resolve()
  const closed = new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, sig) => resolve(code ?? 128 + (sig ? (SIGNAL_NUMBERS[sig] ?? 0) : 0)))
  })
  const done = Promise.all([closed, swept]).then(([code]) => code)
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
