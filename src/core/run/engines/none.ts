/**
 * The `none` engine: run.sh straight on this machine, as the user running
 * job-packager, with no container, no image and no isolation — the job can
 * read and write whatever that user can. Only for trusted jobs on a
 * self-hosted runner that has no container engine (docs/SECURITY.md).
 *
 * What it still does: the job gets its own process group, killed whole at
 * the timeout or on cancellation; where a cgroup can be made (root:
 * job-cgroup.ts) it also runs in one of its own, emptied and checked when
 * run.sh exits, so a process it detached (setsid) does not outlive it;
 * without one (not root) such a process is not found. Its environment is a
 * short allow-list (no tokens or runner secrets pass through); OUTPUT_DIR is
 * captured like a container's.
 */
import os from 'node:os'
import path from 'node:path'
import type { Logger } from '../../logger.js'
import { JobCgroup } from '../job-cgroup.js'
import { startJobProcess } from '../job-process.js'
import type { EngineIsolation } from '../sandbox.js'
import type { Engine, ImageUser, StartRequest, StartedJob } from './engine.js'

/** The variables a job sees from the environment of job-packager; everything else (tokens included) stays out. */
const PASSED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TERM']

export class NoEngine implements Engine {
  readonly name = 'none'
  readonly version = `${os.type()} ${os.release()}`
  readonly enforces = { memory: false, cpus: false, network: false, gpus: false }
  readonly isolation: EngineIsolation = { kind: 'none' }

  build(): Promise<{ imageId: string }> {
    return Promise.resolve({ imageId: '' })
  }

  imageUser(): Promise<ImageUser> {
    return Promise.resolve({ declared: '', accounts: {} })
  }

  async start(req: StartRequest, logger: Logger): Promise<StartedJob> {
    const env: NodeJS.ProcessEnv = {}
    for (const k of PASSED_ENV) if (process.env[k] !== undefined) env[k] = process.env[k]
    env.OUTPUT_DIR = req.outputDir
    const made = await JobCgroup.create(req.name)
    const cgroup = made instanceof JobCgroup ? made : undefined
    logger.debug(
      `/bin/sh ${path.join(req.packageRoot, 'run.sh')} (own process group; ${cgroup ? `cgroup ${cgroup.dir}` : `no cgroup: ${(made as { unavailable: string }).unavailable}`}; OUTPUT_DIR=${req.outputDir})`
    )
    const proc = startJobProcess('/bin/sh', [path.join(req.packageRoot, 'run.sh')], {
      cwd: req.packageRoot,
      env,
      detached: true,
      onStdout: req.onStdout,
      onStderr: req.onStderr,
      cgroup
    })
    return {
      done: cgroup ? proc.done.finally(() => cgroup.remove()) : proc.done,
      stop: () => {
        proc.kill()
        return Promise.resolve()
      }
    }
  }
}

/** Who the job runs as under `none`. */
export function hostUser(): string {
  const u = os.userInfo()
  return `${u.username} (uid ${u.uid})`
}
