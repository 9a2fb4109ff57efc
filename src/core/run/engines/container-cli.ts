/**
 * docker and podman: one code path, the same arguments (podman accepts
 * docker's command line). Neither is proven on the machines this project is
 * tested on (no docker daemon; podman's runtime cannot start there); see
 * README, "What is proven".
 *
 * The job's container: `--rm`, named after the run (so `kill` can stop it
 * when the timeout fires or the run is cancelled: killing the CLI client
 * would leave the container running), all capabilities dropped and no new
 * privileges, at most PIDS_LIMIT processes, the network and resource limits
 * asked for, OUTPUT_DIR a bind mount of a host folder, the user as numbers
 * (run/sandbox.ts). Its processes live in the container's PID namespace and
 * die with it.
 *
 * The build: both run build steps in containers entered with pivot_root
 * (runc, crun), on a bridge network by default (not the host's); podman's
 * build also drops CAP_SYS_CHROOT. docker's build has no flag for
 * capabilities. Both count as isolating (`isolation`), so --trust-package
 * changes nothing for them.
 *
 * The image's USER: a number is used as such; a name cannot be resolved
 * here (the image is not mounted), so it is refused with how to fix it.
 */
import type { Logger } from '../../logger.js'
import { startJobProcess } from '../job-process.js'
import type { EngineIsolation } from '../sandbox.js'
import {
  CONTAINER_OUTPUT_DIR,
  CONTAINER_PACKAGE_DIR,
  type BuildRequest,
  type Engine,
  type ImageUser,
  type StartRequest,
  type StartedJob
} from './engine.js'
import { answers, buildImage, engineCommand } from './tools.js'

/** A fork bomb stops here; a job with thousands of threads still fits (threads count as processes). */
const PIDS_LIMIT = 16384

export class ContainerCliEngine implements Engine {
  readonly enforces = { memory: true, cpus: true, network: true, gpus: true }
  readonly isolation: EngineIsolation = { kind: 'isolated' }

  private constructor(
    readonly name: 'docker' | 'podman',
    readonly version: string
  ) {}

  /** The engine when it is installed and (docker) its daemon answers; undefined otherwise. */
  static async detect(name: 'docker' | 'podman'): Promise<ContainerCliEngine | undefined> {
    // docker: the server's version, so a client without a daemon does not count as present.
    const version = await answers(name, ['version', '--format', name === 'docker' ? '{{.Server.Version}}' : '{{.Client.Version}}'])
    return version ? new ContainerCliEngine(name, version) : undefined
  }

  build(req: BuildRequest): Promise<{ imageId: string }> {
    return buildImage(this.name, 'build', req, this.name === 'podman' ? ['--cap-drop', 'SYS_CHROOT'] : [])
  }

  async imageUser(image: string): Promise<ImageUser> {
    const res = await engineCommand(this.name, ['image', 'inspect', '--format', '{{.Config.User}}', image], `inspect ${image}`)
    return { declared: res.stdout.trim(), accounts: { unreadable: `${this.name} images are not mounted by job-packager` } }
  }

  start(req: StartRequest, logger: Logger): Promise<StartedJob> {
    const args = [
      'run',
      '--rm',
      '--name',
      req.name,
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '--pids-limit',
      String(PIDS_LIMIT)
    ]
    if (req.network === 'none') args.push('--network', 'none')
    if (req.memory) args.push('--memory', req.memory)
    if (req.cpus !== undefined) args.push('--cpus', String(req.cpus))
    if (req.gpus) args.push('--gpus', req.gpus)
    args.push('--user', req.user)
    args.push('-v', `${req.outputDir}:${CONTAINER_OUTPUT_DIR}:rw`, '-e', `OUTPUT_DIR=${CONTAINER_OUTPUT_DIR}`)
    if (req.mountPackage) {
      args.push(
        '-v',
        `${req.packageRoot}:${CONTAINER_PACKAGE_DIR}:ro`,
        '--entrypoint',
        '/bin/sh',
        req.image,
        `${CONTAINER_PACKAGE_DIR}/run.sh`
      )
    } else args.push(req.image)
    logger.debug(`${this.name} ${args.join(' ')}`)
    const proc = startJobProcess(this.name, args, { onStdout: req.onStdout, onStderr: req.onStderr })
    return Promise.resolve({
      done: proc.done,
      stop: async () => {
        await answers(this.name, ['kill', req.name])
        proc.kill()
      }
    })
  }

  async cleanup(name: string): Promise<void> {
    await answers(this.name, ['rm', '--force', name])
  }
}
