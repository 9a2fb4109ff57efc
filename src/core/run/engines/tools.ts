/** Small helpers the engines share: running the engine's CLI and reading an --iidfile. */
import { readFile } from 'node:fs/promises'
import { EngineError } from '../../errors.js'
import { runProcess, type ProcessResult } from '../../process.js'

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

export async function readImageId(iidfile: string): Promise<string> {
  return (await readFile(iidfile, 'utf8')).trim()
}
