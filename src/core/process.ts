/**
 * Runs a program with an argument array (never a shell string), collecting its
 * output, and kills it when the signal fires. We use node:child_process rather
 * than @actions/exec here because the packager must be able to kill a stalled
 * git on its deadline or on SIGINT/SIGTERM, and @actions/exec offers no way to
 * do that (see README, "Hand-written parts").
 *
 * Children stay in our process group (no `detached`): whoever stops the
 * packager by killing its group (a cancelled runner after its grace period,
 * Ctrl-C in a terminal) stops git and its helpers with it, even with SIGKILL,
 * which leaves us no chance to clean up. A child in a group of its own would
 * outlive us and keep fetching. Since we cannot kill our own group on abort,
 * an abort kills the child's process tree instead (processTree below).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
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
  /**
   * Called with each chunk of stdout, as it arrives; the result's stdout is
   * then empty. For output that can be large and is parsed as it streams.
   */
  onStdout?: (text: string) => void
}

/** stderr is only shown (its last lines, in messages): its tail is enough. */
const MAX_STDERR = 256 * 1024
/**
 * stdout is parsed, so it is kept whole: output larger than this fails the
 * run rather than being cut (a caller that expects more streams it with
 * `onStdout`).
 */
const MAX_STDOUT = 64 * 1024 * 1024

export function runProcess(file: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortReason(options.signal))
      return
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    let overflow: Error | undefined
    const kill = (): void => {
      if (child.pid !== undefined) killTree(child.pid)
      else child.kill('SIGKILL')
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.onStdout) return options.onStdout(chunk)
      if (overflow) return
      if (stdout.length + chunk.length > MAX_STDOUT) {
        overflow = new Error(`${file} printed more than ${MAX_STDOUT} bytes`)
        kill()
        return
      }
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR)
      options.onStderr?.(chunk)
    })
    options.signal?.addEventListener('abort', kill, { once: true })
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', kill)
      reject(err)
    })
    child.on('close', (code, sig) => {
      options.signal?.removeEventListener('abort', kill)
      if (options.signal?.aborted) reject(abortReason(options.signal))
      else if (overflow) reject(overflow)
      else resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr })
    })
  })
}

/**
 * Kills `pid` and everything it started (git → git-remote-https → git
 * fetch-pack…). On Linux the tree is read from /proc; each process found is
 * stopped first, so none can start another one or be reparented out of reach
 * while the tree is being collected, then all are killed. Elsewhere only the
 * child itself is killed; its helpers end when their pipes close.
 */
export function killTree(pid: number): void {
  const found = processTree(pid)
  for (const p of found) signal(p, 'SIGKILL')
}

function processTree(root: number): number[] {
  const found = [root]
  if (process.platform !== 'linux') return found
  signal(root, 'SIGSTOP')
  for (let grew = true; grew;) {
    grew = false
    for (const [pid, ppid] of parentsOfAll()) {
      if (found.includes(ppid) && !found.includes(pid)) {
        signal(pid, 'SIGSTOP')
        found.push(pid)
        grew = true
      }
    }
  }
  return found
}

/** [pid, parent pid] of every process we can see. */
function parentsOfAll(): Array<[number, number]> {
  const pairs: Array<[number, number]> = []
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return pairs
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      pairs.push([Number(name), ppid])
    } catch {
      // Gone meanwhile.
    }
  }
  return pairs
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // Already gone.
  }
}
