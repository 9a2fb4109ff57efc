/**
 * What a hard kill leaves behind: the CLI's whole process group is killed
 * with SIGKILL mid-fetch (a cancelled runner after its grace period), with a
 * token in use and a git server that stalls. Then nothing secret may be on
 * disk, no git may still run, and the next run removes the partial folder the
 * killed one left, saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CLI, cliEnv, runCli } from '../helpers/cli.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let stalled: GitServer
let commit: string
const token = 'hard-kill-canary-0123abcd'

beforeAll(async () => {
  root = await tempDir()
  commit = (await makeRepo(path.join(root.dir, 'src'), { 'main.sh': 'echo hi\n' })).commit
  await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
  stalled = await startGitServer({ root: path.join(root.dir, 'served'), stall: true })
})
afterAll(async () => {
  await Promise.all([git?.close(), stalled?.close()])
  await root?.cleanup()
})

/** [pid, process group, state, command name] of every process (Linux /proc). */
function processes(): Array<{ pid: number; pgrp: number; state: string; comm: string }> {
  const list = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const [state = '', , pgrp = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      list.push({ pid: Number(name), pgrp: Number(pgrp), state, comm })
    } catch {
      // gone
    }
  }
  return list
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await filesUnder(full)))
    else found.push(full)
  }
  return found
}

const describeLinux = process.platform === 'linux' ? describe : describe.skip

describeLinux('a SIGKILL of the CLI process group mid-fetch', () => {
  it('leaves no token on disk and no git running; the next run removes the partial folder and says so', async () => {
    const tmp = path.join(root.dir, 'tmp')
    const out = path.join(root.dir, 'out')
    await mkdir(tmp)
    const env = cliEnv({ TMPDIR: tmp, JOB_PACKAGER_TOKEN: token })
    const args = (url: string, jobId: string) => [
      'pack',
      '--git-url',
      url,
      '--commit',
      commit,
      '--command',
      'sh main.sh',
      '--allow-protocols',
      'https,http',
      '--allow-private-network',
      '--token-origin',
      new URL(url).origin,
      '--out',
      out,
      '--job-id',
      jobId
    ]
    // Its own process group, as a runner starts a step: the group is what gets killed.
    const child = spawn(process.execPath, [CLI, ...args(stalled.url('repo.git'), 'killed')], { env, detached: true, stdio: 'ignore' })
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)))
    const pgid = child.pid!
    // Mid-fetch: git has asked the stalled server for the refs, with the token.
    while (!stalled.requests.some((r) => r.headers.authorization)) await sleep(20)
    const group = processes().filter((p) => p.pgrp === pgid)
    const gits = group.filter((p) => p.comm.startsWith('git'))
    expect(gits.length).toBeGreaterThan(0)

    process.kill(-pgid, 'SIGKILL')
    expect(await closed).toBe('SIGKILL')

    // No git left: every process of the group ends (a zombie waiting to be reaped has ended).
    const alive = () => processes().filter((p) => p.pgrp === pgid && p.state !== 'Z')
    while (alive().length > 0) await sleep(20)
    // (Were git in a group of its own, it would still be waiting on the stalled server here.)
    expect(processes().filter((p) => gits.some((g) => g.pid === p.pid) && p.state !== 'Z')).toEqual([])

    // Nothing under TMPDIR holds the token or its header.
    const header = Buffer.from(`x-access-token:${token}`).toString('base64')
    for (const file of await filesUnder(tmp)) {
      const text = await readFile(file, 'utf8').catch(() => '')
      expect(text).not.toContain(token)
      expect(text).not.toContain(header)
    }
    expect((await filesUnder(tmp)).filter((f) => f.endsWith('.gitconfig'))).toEqual([])

    // The killed run's partial folder is still there, with its owner file…
    const left = (await listAll(out)).filter((name) => name.startsWith('.killed.partial-'))
    expect(left.some((name) => name.endsWith('.owner'))).toBe(true)
    const folder = left.find((name) => !name.endsWith('.owner'))!
    expect(folder).toBeDefined()

    // …and the next run removes it, and says so.
    const next = await runCli(args(git.url('repo.git'), 'next'), { env })
    expect(next.code).toBe(0)
    expect(next.stderr).toContain(`Removed ${folder} from ${out}: left by an earlier run (process ${pgid})`)
    expect(await listAll(out)).toEqual(['next', 'next.intoto.json', 'next.tar.gz'])
  })
})
