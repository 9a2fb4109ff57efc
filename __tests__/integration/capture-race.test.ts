/**
 * The capture of OUTPUT_DIR against a job's leftover process that changes
 * the tree while it is read (issue 19, items 3 and 6): a real process on the
 * host, swapping a folder with a symlink to a host folder
 * (renameat2 RENAME_EXCHANGE) or making names vanish and change type, while
 * captureOutput runs, 200 times.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { captureOutput, type CapturedOutput } from '../../src/core/run/capture.js'
import { buildTreeMutator, startTreeMutator } from '../helpers/tree-mutator.js'
import { tempDir } from '../helpers/workspace.js'

const ATTEMPTS = 200
const JOB = 'JOB\n'

let root: { dir: string; cleanup: () => Promise<void> }
let mutator: string

beforeAll(async () => {
  root = await tempDir('jp-capture-race-')
  mutator = await buildTreeMutator(root.dir)
})
afterAll(async () => {
  await root?.cleanup()
})

/** Every regular file under `dir` (the capture's copy, which nobody else changes), with its content. */
async function filesOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  for (const e of entries) {
    if (!e.isFile()) continue
    const file = path.join(e.parentPath, e.name)
    files.set(path.relative(dir, file), await readFile(file, 'utf8'))
  }
  return files
}

describe('capturing OUTPUT_DIR while a process changes it', () => {
  it(`takes no host file under a folder/symlink swap loop, in ${ATTEMPTS} captures`, async () => {
    // A host folder with a sentinel, and /etc: what the symlinks point at.
    const host = path.join(root.dir, 'host')
    await mkdir(host)
    await writeFile(path.join(host, 'secret'), 'HOST SENTINEL\n')
    const out = path.join(root.dir, 'out')
    await mkdir(path.join(out, 'd'), { recursive: true })
    await mkdir(path.join(out, 'g'))
    // The job's own files carry the names the host folders hold, so that a
    // path walk finds them whichever way round the swap is.
    await writeFile(path.join(out, 'd', 'secret'), JOB)
    for (const name of ['shadow', 'group', 'passwd', 'hostname']) await writeFile(path.join(out, 'g', name), JOB)
    await symlink(host, path.join(out, 'e'))
    await symlink('/etc', path.join(out, 'h'))
    const swappers = [startTreeMutator(mutator, ['swap', out, 'd', 'e']), startTreeMutator(mutator, ['swap', out, 'g', 'h'])]
    const leaks: string[] = []
    const crashes: string[] = []
    let omitted = 0
    try {
      for (let i = 0; i < ATTEMPTS; i++) {
        const dest = path.join(root.dir, `dest-${i}`)
        let captured: CapturedOutput | undefined
        try {
          captured = await captureOutput(out, dest, 64 * 1024 * 1024)
        } catch (err) {
          crashes.push(`${i}: ${(err as Error).message}`)
        }
        for (const [rel, content] of await filesOf(dest)) if (content !== JOB) leaks.push(`${i}: ${rel}: ${content.slice(0, 40)}`)
        for (const o of captured?.omitted ?? []) {
          expect(o.reason).toBeTruthy()
          omitted++
        }
        await rm(dest, { recursive: true, force: true })
      }
    } finally {
      for (const s of swappers) await s.stop()
    }
    console.log(
      `swap loop: ${ATTEMPTS} captures, ${new Set(leaks.map((l) => l.split(':')[0])).size} of them took host files (${leaks.length} files), ${crashes.length} crashes, ${omitted} entries left out`
    )
    expect(leaks).toEqual([])
    expect(crashes).toEqual([])
  }, 60_000)

  it(`lists names that vanish or change type as left out and never throws, in ${ATTEMPTS} captures`, async () => {
    const out = path.join(root.dir, 'churn')
    await mkdir(out)
    await writeFile(path.join(out, 'keep.txt'), JOB)
    const churn = startTreeMutator(mutator, ['churn', out])
    const crashes: string[] = []
    const reasons = new Set<string>()
    try {
      for (let i = 0; i < ATTEMPTS; i++) {
        const dest = path.join(root.dir, `churn-dest-${i}`)
        try {
          const captured = await captureOutput(out, dest, 64 * 1024 * 1024)
          // The file nobody touches is always there; anything else is the job's or listed.
          expect((await filesOf(dest)).get('keep.txt')).toBe(JOB)
          for (const o of captured.omitted) {
            expect(o.path === 'v' || o.path === 'v/f').toBe(true)
            reasons.add(o.reason)
          }
        } catch (err) {
          crashes.push(`${i}: ${(err as Error).message}`)
        }
        await rm(dest, { recursive: true, force: true })
      }
    } finally {
      await churn.stop()
    }
    console.log(`churn loop: ${ATTEMPTS} captures, ${crashes.length} crashes; reasons: ${[...reasons].join(' | ')}`)
    expect(crashes).toEqual([])
  }, 60_000)
})
