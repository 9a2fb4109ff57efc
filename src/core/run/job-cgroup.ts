/**
 * A cgroup of the job's own, so that every process it starts can be found
 * and killed however it detached (setsid, a double fork: the process group
 * and the process tree lose those), and the run can check that none is left
 * before the output is captured (docs/SECURITY.md, "Building and running a
 * package").
 *
 * The job's first process is moved into the cgroup before it execs (a small
 * /bin/sh wrapper writes its own pid to `cgroup.procs`), so everything it
 * starts is born inside. runc makes the container's cgroup under the cgroup
 * of whoever started it (`…/job-packager-NAME/buildah-…` in the pids
 * hierarchy, seen with buildah 1.28 and runc 1.1), so an OCI container's
 * processes are inside it too; the sweep reads every sub-cgroup.
 *
 * Which hierarchy: cgroup v1's `pids` controller when it is mounted (hybrid
 * machines, such as the test machines), else the cgroup v2 tree at
 * /sys/fs/cgroup. Either way, under the cgroup this process is in. Creating
 * one needs root (or a delegated cgroup); without it there is no cgroup and
 * create() says why, for the caller to log: the job is then stopped by
 * process tree and group only (and, under OCI isolation, by its PID
 * namespace dying with its first process).
 */
import { mkdir, readdir, readFile, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { EngineError } from '../errors.js'

const V1_PIDS = '/sys/fs/cgroup/pids'
const V2_ROOT = '/sys/fs/cgroup'
/** How long the sweep keeps killing before it gives up and says which processes survived. */
const SWEEP_DEADLINE_MS = 10_000
/** Between two sweeps: killed processes need a moment to leave the cgroup (their parents reap them). */
const SWEEP_PAUSE_MS = 20

export class JobCgroup {
  private constructor(
    /** The cgroup's folder. */
    readonly dir: string
  ) {}

  /** Where the job's first process writes its pid. */
  get procsFile(): string {
    return path.join(this.dir, 'cgroup.procs')
  }

  /** A new cgroup named after the run, or why there is none (not root, no cgroup filesystem). */
  static async create(name: string): Promise<JobCgroup | { unavailable: string }> {
    if (process.platform !== 'linux') return { unavailable: 'cgroups are Linux only' }
    const base = await hierarchy()
    if (!base) return { unavailable: 'no cgroup v1 pids hierarchy or cgroup v2 tree is mounted' }
    const dir = path.join(base, name)
    try {
      await mkdir(dir)
    } catch (err) {
      return { unavailable: `cannot create ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }
    }
    return new JobCgroup(dir)
  }

  /** The argv that starts `file args` inside the cgroup. */
  wrap(file: string, args: readonly string[]): [string, string[]] {
    return ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', this.procsFile, file, ...args]]
  }

  /** Every pid in the cgroup and its sub-cgroups. */
  async pids(): Promise<number[]> {
    return collect(this.dir)
  }

  /**
   * Kills every process in the cgroup until none is left, then checks that none is: a process that survives the
   * deadline is an EngineError naming it (the output is then not captured: it could still be changing).
   */
  async empty(): Promise<void> {
    const deadline = Date.now() + SWEEP_DEADLINE_MS
    for (;;) {
      const left = await this.pids()
      if (left.length === 0) return
      if (Date.now() > deadline) {
        throw new EngineError(
          `Processes of the job survive being killed (pids ${left.slice(0, 10).join(', ')} in ${this.dir}); its output is not captured.`
        )
      }
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Gone already.
        }
      }
      await delay(SWEEP_PAUSE_MS)
    }
  }

  /** Removes the cgroup and what is left of sub-cgroups (runc removes its own; an empty one may remain). */
  async remove(): Promise<void> {
    await removeTree(this.dir).catch(() => undefined)
  }
}

async function hierarchy(): Promise<string | undefined> {
  const own = await readFile('/proc/self/cgroup', 'utf8').catch(() => '')
  const line = (match: (controllers: string) => boolean): string | undefined => {
    for (const l of own.split('\n')) {
      const [, controllers, p] = /^\d+:([^:]*):(.*)$/.exec(l) ?? []
      if (controllers !== undefined && p !== undefined && match(controllers)) return p
    }
    return undefined
  }
  if (await exists(path.join(V1_PIDS, 'cgroup.procs'))) {
    return path.join(V1_PIDS, line((c) => c.split(',').includes('pids')) ?? '/')
  }
  if (await exists(path.join(V2_ROOT, 'cgroup.controllers'))) return path.join(V2_ROOT, line((c) => c === '') ?? '/')
  return undefined
}

async function exists(file: string): Promise<boolean> {
  return readFile(file, 'utf8').then(
    () => true,
    () => false
  )
}

async function collect(dir: string): Promise<number[]> {
  const text = await readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => '')
  const pids = text
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number)
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const e of entries) if (e.isDirectory()) pids.push(...(await collect(path.join(dir, e.name))))
  return pids
}

async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const e of entries) if (e.isDirectory()) await removeTree(path.join(dir, e.name))
  await rmdir(dir)
}
