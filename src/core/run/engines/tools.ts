/** Small helpers the engines share: running the engine's CLI, and building an image with it. */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EngineError } from '../../errors.js'
import { runProcess, type ProcessResult } from '../../process.js'
import type { BuildRequest } from './engine.js'

/** Runs an engine command; a failure is an EngineError with the end of its stderr. */
export async function engineCommand(
  file: string,
  args: readonly string[],
  what: string,
  opts: { signal?: AbortSignal; onStderr?: (text: string) => void; onStdout?: (text: string) => void } = {}
): Promise<ProcessResult> {
  let res: ProcessResult
  try {
    res = await runProcess(file, args, { env: process.env, signal: opts.signal, onStderr: opts.onStderr, onStdout: opts.onStdout })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new EngineError(`${file} is not installed (or not on PATH): cannot ${what}.`)
    throw err
  }
  if (res.code !== 0) {
    const tail = res.stderr.trim().split('\n').slice(-15).join('\n')
    throw new EngineError(`${file} could not ${what} (exit status ${res.code})${tail ? `:\n${tail}` : '.'}`)
  }
  return res
}

/** True when the command runs and exits 0 (an engine that is installed and answers). */
export async function answers(file: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const res = await runProcess(file, args, { env: process.env, signal: AbortSignal.timeout(20_000) })
    return res.code === 0 ? res.stdout.trim() : undefined
  } catch {
    return undefined
  }
}

/**
 * Builds `req.dockerfile` with `file subcommand` (`buildah bud`, `docker build`,
 * `podman build`: the same flags) and returns the image id the engine writes
 * to its --iidfile; the build's output goes to `req.onOutput`. `engineArgs`:
 * the engine's own isolation flags, before the others.
 */
export async function buildImage(
  file: string,
  subcommand: string,
  req: BuildRequest,
  engineArgs: readonly string[] = []
): Promise<{ imageId: string }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'job-packager-iid-'))
  try {
    const iidfile = path.join(tmp, 'iid')
    const buildArgs = req.buildArgs.flatMap((a) => ['--build-arg', a])
    await engineCommand(
      file,
      [subcommand, ...engineArgs, '--iidfile', iidfile, '-t', req.tag, '-f', req.dockerfile, ...buildArgs, req.context],
      `build the image ${req.tag}`,
      {
        signal: req.signal,
        onStdout: (t) => req.onOutput(Buffer.from(t)),
        onStderr: (t) => req.onOutput(Buffer.from(t))
      }
    )
    return { imageId: (await readFile(iidfile, 'utf8')).trim() }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}
