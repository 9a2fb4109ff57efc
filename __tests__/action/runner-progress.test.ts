/**
 * Progress in the step's log, as the runner runs the Action (dist/index.js on
 * Node 24): plain lines, never redrawn, for the fetch, each download and the
 * archive; and a dataset whose file name spells a workflow command cannot
 * issue it through its progress line.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { paced, patternBytes, startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { runAction } from '../helpers/run-action.js'
import { effectiveCommands, repoRoot, transcript } from './support.js'

const KiB = 1024
/** 150 files, their tree and the commit: enough for git to index the pack, and report it. */
const OBJECTS = 152
const EVIL_NAME = '##[error]boom.bin'

let work: string
let git: GitServer
let data: DataServer
let commit: string

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'jp-progress-'))
  const files: Record<string, Buffer> = {}
  for (let i = 0; i < OBJECTS - 2; i++) files[`f${String(i).padStart(3, '0')}.txt`] = patternBytes(1000 + i, i)
  commit = (await makeRepo(path.join(work, 'src'), files)).commit
  await makeBareClone(path.join(work, 'src'), path.join(work, 'srv'), 'model.git')
  git = await startGitServer({ root: path.join(work, 'srv') })
  data = await startDataServer()
  data.route('/slow.bin', paced(512 * KiB, { chunkSize: 64 * KiB, intervalMs: 30 }))
  data.route(`/${encodeURIComponent(EVIL_NAME)}`, paced(64 * KiB, { chunkSize: 16 * KiB, intervalMs: 10 }))
})

afterAll(async () => {
  await Promise.all([git?.close(), data?.close()])
  await rm(work, { recursive: true, force: true })
})

test("the step's log shows plain progress lines, and a file name cannot make one a workflow command", async () => {
  const r = await runAction({
    actionDir: repoRoot,
    inputs: {
      'git-url': git.url('model.git'),
      'commit-hash': commit,
      'data-url': `${data.url('/slow.bin')}\n${data.url(`/${encodeURIComponent(EVIL_NAME)}`)}`,
      command: 'true',
      'job-id': 'progress-1',
      upload: 'false',
      'allow-protocols': 'http',
      'allow-private-network': 'true'
    }
  })
  try {
    if (r.code !== 0) throw new Error(transcript(r))
    expect(r.code).toBe(0)
    // The runner reads lines: nothing may be redrawn with a carriage return or a terminal escape.
    expect(r.stdout).not.toContain('\r')
    expect(r.stdout).not.toContain('\x1b')
    const lines = r.stdout.split('\n')
    const has = (re: RegExp): boolean => lines.some((l) => re.test(l))
    expect(has(new RegExp(`^fetch code, receiving objects: 100% \\(${OBJECTS}/${OBJECTS}\\), [\\d.]+ (B|KiB|MiB) in (< )?[\\d.]+ s`))).toBe(
      true
    )
    expect(has(/^download data\/slow\.bin: 100%, 512\.0 KiB in [\d.]+ s \([\d.]+ (KiB|MiB)\/s\)$/)).toBe(true)
    expect(has(/^archive progress-1\.tar\.gz: 100%, [\d.]+ KiB in (< )?[\d.]+ s/)).toBe(true)

    // The dataset named like a legacy command: its progress line is printed as is, inside a pause.
    const evil = lines.findIndex((l) => l.startsWith(`download data/${EVIL_NAME}: 100%, 64.0 KiB in `))
    expect(evil).toBeGreaterThan(0)
    const [before, after] = [lines.at(evil - 1) ?? '', lines.at(evil + 1)]
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(before)?.[1]
    expect(token).toBeDefined()
    expect(after).toBe(`::${token}::`)
    expect(effectiveCommands(r.commands).filter((c) => c.command === 'error')).toEqual([])
  } finally {
    await r.cleanup()
  }
})
