/**
 * `docker build` and `docker run`, carried out with buildah, which is what
 * this machine can run (no Docker engine; podman's runtime cannot start
 * here). Every call is asynchronous: the suite's git and data servers live
 * in this process, and a synchronous child would block them.
 *
 * - `buildah bud` builds a Dockerfile as `docker build` would.
 * - `buildah run` runs a command in a working container with the image's
 *   USER, WORKDIR and ENV, but not its ENTRYPOINT/CMD: `dockerRun` reads
 *   those from `buildah inspect` and runs them, as `docker run IMAGE` does.
 *
 * All of it uses its own storage (vfs driver, chroot isolation: no kernel
 * overlay or namespaces needed), so the suite never touches other images on
 * the machine, and the base images it builds stay cached there between runs.
 */
import { mkdirSync } from 'node:fs'
import { run, type RunResult } from '../helpers/git-server.js'

const STATE = process.env.JOB_PACKAGER_CONTAINER_STATE ?? '/var/tmp/job-packager-container-tests'
export const STORAGE_ROOT = `${STATE}/storage`
export const RUN_ROOT = `${STATE}/run`

export function buildahEnv(): NodeJS.ProcessEnv {
  return {
    PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`,
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    STORAGE_DRIVER: 'vfs',
    BUILDAH_ISOLATION: 'chroot',
    TMPDIR: `${STATE}/tmp`
  }
}

export interface BuildahOptions {
  cwd?: string
  allowFailure?: boolean
  timeoutMs?: number
}

export async function buildah(args: string[], opts: BuildahOptions = {}): Promise<RunResult> {
  mkdirSync(`${STATE}/tmp`, { recursive: true })
  return run('buildah', ['--root', STORAGE_ROOT, '--runroot', RUN_ROOT, '--storage-driver', 'vfs', ...args], {
    cwd: opts.cwd,
    env: buildahEnv(),
    allowFailure: opts.allowFailure,
    timeoutMs: opts.timeoutMs ?? 10 * 60 * 1000
  })
}

export async function imageExists(name: string): Promise<boolean> {
  return (await buildah(['inspect', '--type', 'image', name], { allowFailure: true })).code === 0
}

/**
 * `docker build [--build-arg K=V]... -t TAG CONTEXT`, run in `cwd`: the same
 * arguments, so a test states exactly the command a user types.
 */
export async function dockerBuild(cwd: string, dockerArgs: string[]): Promise<RunResult> {
  return buildah(['bud', ...dockerArgs], { cwd, allowFailure: true })
}

export interface RunOutcome {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * `docker run --rm [-v HOST:CTR[:ro]] [--entrypoint X] IMAGE [ARGS...]`:
 * a working container from the image, the entrypoint and command the image
 * (or the flags) say, then the container removed.
 */
export async function dockerRun(
  image: string,
  opts: { volumes?: string[]; entrypoint?: string[]; args?: string[] } = {}
): Promise<RunOutcome> {
  const config = await imageConfig(image)
  const entrypoint = opts.entrypoint ?? config.Entrypoint ?? []
  const cmd = opts.args ?? (opts.entrypoint ? [] : (config.Cmd ?? []))
  const argv = [...entrypoint, ...cmd]
  if (argv.length === 0) throw new Error(`${image} has neither an entrypoint nor a command`)
  const ctr = (await buildah(['from', '--pull=never', image])).stdout.trim()
  try {
    const volumes = (opts.volumes ?? []).flatMap((v) => ['--volume', v])
    const res = await buildah(['run', ...volumes, ctr, '--', ...argv], { allowFailure: true })
    // buildah prints its own line about a non-zero status; the job's stderr is what came before it.
    return { code: res.code, stdout: res.stdout, stderr: res.stderr }
  } finally {
    await buildah(['rm', ctr], { allowFailure: true })
  }
}

export interface ImageConfig {
  Entrypoint?: string[]
  Cmd?: string[]
  User?: string
  WorkingDir?: string
  Env?: string[]
  Labels?: Record<string, string>
}

export async function imageConfig(image: string): Promise<ImageConfig> {
  const res = await buildah(['inspect', '--type', 'image', image])
  const info = JSON.parse(res.stdout) as { OCIv1?: { config?: ImageConfig } }
  return info.OCIv1?.config ?? {}
}

export async function removeImage(name: string): Promise<void> {
  await buildah(['rmi', '--force', name], { allowFailure: true })
}

/** Removes untagged images (the layers `--layers` builds leave behind). */
export async function pruneDangling(): Promise<void> {
  await buildah(['rmi', '--prune'], { allowFailure: true })
}

/** Makes sure the state folder exists (the storage itself is created by buildah). */
export function prepareState(): void {
  mkdirSync(STATE, { recursive: true })
}
