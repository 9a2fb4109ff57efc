/**
 * buildah: the engine proven on this project's test machines (root, vfs
 * storage; see docs/CONTAINER.md). Storage comes from buildah's own
 * environment and configuration (STORAGE_DRIVER, CONTAINERS_STORAGE_CONF),
 * never from the package.
 *
 * Isolation (docs/SECURITY.md, "Building and running a package"): a package
 * is untrusted unless the user says --trust-package, and its build steps run
 * as root. So for an untrusted package the engine chooses the isolation
 * itself, whatever BUILDAH_ISOLATION says: `--isolation oci` with an OCI
 * runtime it found (runc or crun: the container is entered with pivot_root,
 * in its own mount, PID and network namespaces), CAP_SYS_CHROOT dropped, the
 * build on a network of its own (`--network private`: a bridge, not the
 * host's loopback). Under chroot isolation (no OCI runtime, or
 * BUILDAH_ISOLATION=chroot) a root build step can leave its chroot and act
 * on this machine as root, so `isolation` says `weak` and run refuses the
 * package unless it is trusted. A trusted package is built and run as
 * before: buildah's configured isolation, the host's network for the build.
 *
 * - build: `buildah bud`, as `docker build`.
 * - run: a working container from the image (`buildah from`, made when the
 *   job's user is read from it), then `buildah run` of the image's
 *   ENTRYPOINT + CMD, read from `buildah inspect`, since `buildah run` does
 *   not run them itself; the working container is removed afterwards.
 * - the job's user: the image's USER resolved to numbers from the working
 *   container's own /etc/passwd and /etc/group (run/sandbox.ts), read from
 *   its mount without following links.
 * - `--network none`: under OCI isolation, buildah's own (an empty network
 *   namespace). Under chroot isolation `buildah run --network none` leaves
 *   the host's network reachable (seen on the test machines), so the run is
 *   started inside a new, empty network namespace (`unshare --net`, root
 *   only) instead; if that is not possible the run fails rather than run
 *   with the network.
 * - memory and CPU limits: `buildah run` has none; a warning says so.
 * - GPUs: not offered; asking for them is an error.
 * - stopping: the `buildah run` process and every descendant are killed;
 *   under OCI isolation the job's PID namespace dies with its first process,
 *   and the job's cgroup (job-cgroup.ts) is emptied and checked after it.
 */
import { constants } from 'node:fs'
import { access, lstat, open } from 'node:fs/promises'
import path from 'node:path'
import { EngineError } from '../../errors.js'
import type { Logger } from '../../logger.js'
import { JobCgroup } from '../job-cgroup.js'
import { startJobProcess } from '../job-process.js'
import type { EngineIsolation, ImageAccounts } from '../sandbox.js'
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

interface ImageConfig {
  User?: string
  Entrypoint?: string[] | null
  Cmd?: string[] | null
}

/** Where buildah itself looks for runc and crun besides PATH (containers.conf's runtime paths). */
const RUNTIME_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/sbin', '/bin']
/** The most of /etc/passwd or /etc/group that is read (a real one is a few KiB). */
const MAX_ACCOUNTS_BYTES = 4 * 1024 * 1024

export class BuildahEngine implements Engine {
  readonly name = 'buildah'
  readonly enforces = { memory: false, cpus: false, network: true, gpus: false }
  /** Working containers made by imageUser, reused by start. */
  private readonly containers = new Set<string>()

  private constructor(
    readonly version: string,
    readonly isolation: EngineIsolation,
    /** The OCI runtime's path, when one answers. */
    private readonly runtime: string | undefined
  ) {}

  static async detect(): Promise<BuildahEngine | undefined> {
    const out = await answers('buildah', ['--version'])
    const version = out ? (/version (\S+)/.exec(out)?.[1] ?? out) : undefined
    if (!version) return undefined
    const { isolation, runtime } = await ociIsolation()
    return new BuildahEngine(version, isolation, runtime)
  }

  /** What makes buildah isolate an untrusted package (see the top of this file); nothing for a trusted one. */
  private isolationArgs(isolated: boolean): string[] {
    if (!isolated) return []
    if (!this.runtime) throw new EngineError('buildah has no OCI runtime: cannot isolate the package.')
    // Rootless buildah runs the OCI runtime inside a user namespace of its own: its isolation is called rootless.
    return ['--isolation', process.getuid?.() === 0 ? 'oci' : 'rootless', '--runtime', this.runtime, '--cap-drop', 'CAP_SYS_CHROOT']
  }

  build(req: BuildRequest): Promise<{ imageId: string }> {
    // An untrusted build gets a network of its own (a bridge), never the host's (its loopback servers included); a
    // trusted one the host's, whatever the isolation, as before (a package index on the host's loopback, say).
    return buildImage('buildah', 'bud', req, req.isolated ? [...this.isolationArgs(true), '--network', 'private'] : ['--network', 'host'])
  }

  private async config(image: string): Promise<ImageConfig> {
    const res = await engineCommand('buildah', ['inspect', '--type', 'image', image], `inspect ${image}`)
    const info = JSON.parse(res.stdout) as { OCIv1?: { config?: ImageConfig } }
    return info.OCIv1?.config ?? {}
  }

  private async workingContainer(image: string, name: string): Promise<void> {
    if (this.containers.has(name)) return
    await engineCommand('buildah', ['from', '--pull=never', '--name', name, image], `create a container from ${image}`)
    this.containers.add(name)
  }

  async imageUser(image: string, name: string): Promise<ImageUser> {
    const declared = (await this.config(image)).User ?? ''
    // Only uid:gid as numbers (or no USER) needs no lookup; a lone uid takes its group from the image's passwd. The
    // working container is the run's own (start reuses it), so mounting it costs no extra copy of the image.
    if (/^\s*(\d+\s*:\s*\d+\s*)?$/.test(declared)) return { declared, accounts: {} }
    await this.workingContainer(image, name)
    const mount = (await engineCommand('buildah', ['mount', name], `mount the container of ${image}`)).stdout.trim()
    try {
      return { declared, accounts: await readAccounts(mount) }
    } finally {
      await answers('buildah', ['umount', name])
    }
  }

  async start(req: StartRequest, logger: Logger): Promise<StartedJob> {
    if (req.gpus) throw new EngineError('buildah cannot give the job GPUs; use docker or podman for --gpus.')
    const config = await this.config(req.image)
    const argv = req.mountPackage ? ['/bin/sh', `${CONTAINER_PACKAGE_DIR}/run.sh`] : [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]
    if (argv.length === 0) throw new EngineError(`The image ${req.image} has neither an ENTRYPOINT nor a CMD: there is nothing to run.`)
    // Under chroot isolation buildah's --network none is not isolated: an empty namespace of our own, which needs root.
    const ownNetns = req.network === 'none' && !req.isolated
    if (ownNetns && process.getuid?.() !== 0) {
      throw new EngineError(
        'buildah can run the job without a network only as root (it needs a network namespace of its own); use --network default, or another engine.'
      )
    }
    await this.workingContainer(req.image, req.name)
    const args = ['run', ...this.isolationArgs(req.isolated)]
    // OCI isolation gives the job a PID namespace of its own by default. `--pid private` is not passed: with buildah
    // 1.28 it turns `--network none` into the bridge network (seen on the test machines).
    if (req.isolated) args.push('--network', req.network === 'none' ? 'none' : 'private')
    // The job runs as a non-root user; without CAP_SYS_CHROOT even a capability it regained could not leave its root.
    else args.push('--cap-drop', 'CAP_SYS_CHROOT')
    args.push('--user', req.user)
    args.push('--volume', `${req.outputDir}:${CONTAINER_OUTPUT_DIR}:rw`, '--env', `OUTPUT_DIR=${CONTAINER_OUTPUT_DIR}`)
    if (req.mountPackage) args.push('--volume', `${req.packageRoot}:${CONTAINER_PACKAGE_DIR}:ro`)
    args.push(req.name, '--', ...argv)
    const [file, full] = ownNetns ? ['unshare', ['--net', 'buildah', ...args]] : ['buildah', args]
    const cgroup = await JobCgroup.create(req.name)
    if (cgroup instanceof JobCgroup) logger.debug(`The job's processes are kept in the cgroup ${cgroup.dir}`)
    else
      logger.debug(
        `No cgroup for the job (${cgroup.unavailable}): it is stopped by its process tree${req.isolated ? ' and PID namespace' : ''}`
      )
    logger.debug(`${file} ${full.join(' ')}`)
    const proc = startJobProcess(file, full, {
      onStdout: req.onStdout,
      onStderr: req.onStderr,
      cgroup: cgroup instanceof JobCgroup ? cgroup : undefined
    })
    return {
      done: cgroup instanceof JobCgroup ? proc.done.finally(() => cgroup.remove()) : proc.done,
      stop: () => {
        proc.kill()
        return Promise.resolve()
      }
    }
  }

  async cleanup(name: string): Promise<void> {
    this.containers.delete(name)
    await answers('buildah', ['rm', name])
  }
}

/** The OCI runtime buildah would use for `--isolation oci`, or why there is none (the package is then refused unless trusted). */
async function ociIsolation(): Promise<{ isolation: EngineIsolation; runtime?: string }> {
  if (process.env.BUILDAH_ISOLATION?.trim() === 'chroot') {
    return { isolation: { kind: 'weak', why: 'BUILDAH_ISOLATION=chroot asks for chroot isolation' } }
  }
  const asked = process.env.BUILDAH_RUNTIME?.trim()
  for (const candidate of asked ? [asked] : ['runc', 'crun']) {
    const found = await findExecutable(candidate)
    if (found && (await answers(found, ['--version'])) !== undefined) return { isolation: { kind: 'isolated' }, runtime: found }
  }
  return {
    isolation: {
      kind: 'weak',
      why: asked
        ? `its OCI runtime ${asked} (BUILDAH_RUNTIME) does not answer, so only chroot isolation is left`
        : 'no OCI runtime (runc or crun) is installed, so only chroot isolation is left'
    }
  }
}

async function findExecutable(name: string): Promise<string | undefined> {
  const dirs = name.includes('/') ? [''] : [...(process.env.PATH ?? '').split(':').filter(Boolean), ...RUNTIME_DIRS]
  for (const dir of dirs) {
    const file = dir ? path.join(dir, name) : name
    if (
      await access(file, constants.X_OK).then(
        () => true,
        () => false
      )
    )
      return path.resolve(file)
  }
  return undefined
}

/**
 * The image's /etc/passwd and /etc/group from its mount, following no link: a symlinked /etc or account file is
 * refused (it would make the host's own files, or another of the image's, decide who the job runs as).
 */
export async function readAccounts(mount: string): Promise<ImageAccounts> {
  const etc = path.join(mount, 'etc')
  const st = await lstat(etc).catch(() => undefined)
  if (!st) return {}
  if (!st.isDirectory())
    throw new EngineError(`The image's /etc is ${st.isSymbolicLink() ? 'a symlink' : 'not a folder'}: cannot read who the job runs as.`)
  const read = async (file: string): Promise<string | undefined> => {
    let handle
    try {
      handle = await open(path.join(etc, file), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return undefined
      if (code === 'ELOOP') throw new EngineError(`The image's /etc/${file} is a symlink: cannot read who the job runs as.`)
      throw err
    }
    try {
      const fst = await handle.stat()
      if (!fst.isFile()) throw new EngineError(`The image's /etc/${file} is not a regular file: cannot read who the job runs as.`)
      if (fst.size > MAX_ACCOUNTS_BYTES) throw new EngineError(`The image's /etc/${file} is larger than ${MAX_ACCOUNTS_BYTES} bytes.`)
      return await handle.readFile('utf8')
    } finally {
      await handle.close()
    }
  }
  return { passwd: await read('passwd'), group: await read('group') }
}
