/**
 * One interface over the ways a package can be run: the container engines
 * (docker and podman share one implementation, container-cli.ts, with the
 * same arguments; buildah has its own) and `none`, run.sh on this machine.
 */
import type { Logger } from '../../logger.js'
import type { EngineIsolation, ImageAccounts } from '../sandbox.js'
import type { NetworkMode, ResolvedEngineName } from '../types.js'

export interface BuildRequest {
  /** The build context folder. */
  context: string
  /** The Dockerfile, absolute. */
  dockerfile: string
  tag: string
  buildArgs: readonly string[]
  /** Receives the build's output (shown in the log; not part of the job's logs). */
  onOutput: (chunk: Buffer) => void
  signal: AbortSignal
  /** The package is untrusted: build it isolated (run/sandbox.ts); false: as the engine is configured. */
  isolated: boolean
}

export interface StartRequest {
  image: string
  /** The unpacked package (mounted read-only at /job when the image does not hold it: a repository's own Dockerfile). */
  packageRoot: string
  /** True when the image was built from the repository's own Dockerfile (context code/): run.sh is mounted in. */
  mountPackage: boolean
  /** Host folder for OUTPUT_DIR, writable by the job's user. */
  outputDir: string
  /** The user to run as, `UID:GID`, numbers (resolved from the image by the runner; never 0). */
  user: string
  /** The package is untrusted: run it isolated (run/sandbox.ts); false: as the engine is configured. */
  isolated: boolean
  network: NetworkMode
  memory?: string
  cpus?: number
  gpus?: string
  /** A name for the container (or process), unique to this run. */
  name: string
  onStdout: (chunk: Buffer) => void
  onStderr: (chunk: Buffer) => void
}

export interface StartedJob {
  /** The exit status. */
  done: Promise<number>
  /** Stops the job at once (container killed, process group killed); `done` then settles. */
  stop(): Promise<void>
}

/** The image's USER and, when it names a user or group, the image's own account files to resolve it with. */
export interface ImageUser {
  declared: string
  accounts: ImageAccounts
}

export interface Engine {
  readonly name: ResolvedEngineName
  readonly version: string
  /** What the engine can give a package it does not trust, as detected. */
  readonly isolation: EngineIsolation
  /** What this engine enforces of the run limits; what it cannot is reported as a warning. */
  readonly enforces: { memory: boolean; cpus: boolean; network: boolean; gpus: boolean }
  build(req: BuildRequest): Promise<{ imageId: string }>
  /** The image's configured USER ('' when unset), with its account files when USER is not numeric; `name` is the run's. */
  imageUser(image: string, name: string): Promise<ImageUser>
  start(req: StartRequest, logger: Logger): Promise<StartedJob>
  /** Removes what a run left behind besides the image (a working container). */
  cleanup?(name: string): Promise<void>
}

/** Where OUTPUT_DIR is inside a container. */
export const CONTAINER_OUTPUT_DIR = '/job-output'
/** Where the package is mounted when the image does not hold it. */
export const CONTAINER_PACKAGE_DIR = '/job'
