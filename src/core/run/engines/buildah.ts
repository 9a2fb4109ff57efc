/**
 * buildah: the engine proven on this project's test machines (root, vfs
 * storage, chroot isolation; see docs/CONTAINER.md). Storage and isolation
 * come from buildah's own environment and configuration (STORAGE_DRIVER,
 * BUILDAH_ISOLATION, CONTAINERS_STORAGE_CONF), never from the package.
 *
 * - build: `buildah bud`, as `docker build`.
 * - run: a working container from the image (`buildah from`), then
 *   `buildah run` of the image's ENTRYPOINT + CMD, read from
 *   `buildah inspect`, since `buildah run` does not run them itself; the
 *   working container is removed afterwards.
 * - `--network none`: under chroot isolation `buildah run --network none`
 *   leaves the host's network reachable (seen on the test machines), so the
 *   run is started inside a new, empty network namespace
 *   (`unshare --net`, root only) instead; if that is not possible the run
 *   fails rather than run with the network.
 * - memory and CPU limits: `buildah run` has none; a warning says so.
 * - GPUs: not offered; asking for them is an error.
 * - stopping: the `buildah run` process and every descendant (the job runs
 *   as its child in the chroot) are killed.
 */
import { EngineError } from '../../errors.js'
import type { Logger } from '../../logger.js'
import { startJobProcess } from '../job-process.js'
import {
  CONTAINER_OUTPUT_DIR,
  CONTAINER_PACKAGE_DIR,
  type BuildRequest,
  type Engine,
  type StartRequest,
  type StartedJob
} from './engine.js'
import { answers, buildImage, engineCommand } from './tools.js'

interface ImageConfig {
  User?: string
  Entrypoint?: string[] | null
  Cmd?: string[] | null
}

export class BuildahEngine implements Engine {
  readonly name = 'buildah'
  readonly enforces = { memory: false, cpus: false, network: true, gpus: false }

  private constructor(readonly version: string) {}

  static async detect(): Promise<BuildahEngine | undefined> {
    const out = await answers('buildah', ['--version'])
    const version = out ? (/version (\S+)/.exec(out)?.[1] ?? out) : undefined
    return version ? new BuildahEngine(version) : undefined
  }

  build(req: BuildRequest): Promise<{ imageId: string }> {
    return buildImage('buildah', 'bud', req)
  }

  private async config(image: string): Promise<ImageConfig> {
    const res = await engineCommand('buildah', ['inspect', '--type', 'image', image], `inspect ${image}`)
    const info = JSON.parse(res.stdout) as { OCIv1?: { config?: ImageConfig } }
    return info.OCIv1?.config ?? {}
  }

  async imageUser(image: string): Promise<string> {
    return (await this.config(image)).User ?? ''
  }

  async start(req: StartRequest, logger: Logger): Promise<StartedJob> {
    if (req.gpus) throw new EngineError('buildah cannot give the job GPUs; use docker or podman for --gpus.')
    const config = await this.config(req.image)
    const argv = req.mountPackage ? ['/bin/sh', `${CONTAINER_PACKAGE_DIR}/run.sh`] : [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]
    if (argv.length === 0) throw new EngineError(`The image ${req.image} has neither an ENTRYPOINT nor a CMD: there is nothing to run.`)
    if (req.network === 'none' && process.getuid?.() !== 0) {
      throw new EngineError(
        'buildah can run the job without a network only as root (it needs a network namespace of its own); use --network default, or another engine.'
      )
    }
    await engineCommand('buildah', ['from', '--pull=never', '--name', req.name, req.image], `create a container from ${req.image}`)
    const args = ['run']
    if (req.user) args.push('--user', req.user)
    args.push('--volume', `${req.outputDir}:${CONTAINER_OUTPUT_DIR}:rw`, '--env', `OUTPUT_DIR=${CONTAINER_OUTPUT_DIR}`)
    if (req.mountPackage) args.push('--volume', `${req.packageRoot}:${CONTAINER_PACKAGE_DIR}:ro`)
    args.push(req.name, '--', ...argv)
    const [file, full] = req.network === 'none' ? ['unshare', ['--net', 'buildah', ...args]] : ['buildah', args]
    logger.debug(`${file} ${full.join(' ')}`)
    const proc = startJobProcess(file, full, { onStdout: req.onStdout, onStderr: req.onStderr })
    return {
      done: proc.done,
      stop: () => {
        proc.kill()
        return Promise.resolve()
      }
    }
  }

  async cleanup(name: string): Promise<void> {
    await answers('buildah', ['rm', name])
  }
}
