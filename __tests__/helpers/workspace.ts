/**
 * A throwaway folder per test file, plus small assertions used by several
 * integration tests (what is left in an output folder, GNU tar listings).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { run } from './git-server.js'

export async function tempDir(prefix = 'jp-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Everything in a folder, hidden entries included (partial files are hidden). */
export async function listAll(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort()
  } catch {
    return []
  }
}

/** `tar -tzf` with GNU tar: the archive as any user would list it. */
export async function gnuTarList(archive: string): Promise<string[]> {
  const res = await run('tar', ['-tzf', archive])
  if (res.code !== 0) throw new Error(`tar -tzf failed: ${res.stderr}`)
  return res.stdout.split('\n').filter(Boolean)
}

export async function gnuTarExtract(archive: string, dest: string): Promise<void> {
  const res = await run('tar', ['-xzf', archive, '-C', dest])
  if (res.code !== 0) throw new Error(`tar -xzf failed: ${res.stderr}`)
}
