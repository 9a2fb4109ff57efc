/**
 * The git version check in GitCommandManager.create, with real processes:
 * fake `git` scripts put first on PATH (too old, garbage, counting its runs),
 * and the machine's own git.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { GitCommandManager, type GitSettings } from '../../src/core/git/git-command-manager.js'
import { GitError, Redactor, silentLogger } from '../../src/core/index.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
beforeAll(async () => {
  root = await tempDir('jp-git-version-')
})
afterAll(async () => {
  await root?.cleanup()
})

const settings = (): GitSettings => ({
  source: { url: 'https://example.invalid/x.git', protocol: 'https' },
  allowProtocols: new Set(['https']),
  stallSeconds: 5,
  logger: silentLogger,
  redactor: new Redactor()
})

/** A folder holding an executable `git` that runs `body` (sh), and a work folder. */
async function fakeGit(body: string): Promise<{ bin: string; git: string; work: string }> {
  const bin = path.join(root.dir, `bin-${++n}`)
  const work = path.join(root.dir, `work-${n}`)
  await mkdir(bin)
  await mkdir(work)
  const git = path.join(bin, 'git')
  await writeFile(git, `#!/bin/sh\n${body}\n`)
  await chmod(git, 0o755)
  return { bin, git, work }
}

/** GitCommandManager.create with `bin` first on PATH. */
async function createWith(bin: string, work: string): Promise<unknown> {
  const saved = process.env.PATH
  process.env.PATH = `${bin}:${saved}`
  try {
    return await GitCommandManager.create(work, settings())
  } catch (err) {
    return err
  } finally {
    process.env.PATH = saved
  }
}

describe('git version check', () => {
  it('refuses a git older than 2.29, naming the version, the path and the minimum', async () => {
    const seen = path.join(root.dir, 'config-global.txt')
    const { bin, git, work } = await fakeGit(`echo "$GIT_CONFIG_GLOBAL" > '${seen}'\necho 'git version 2.25.1'`)
    const err = await createWith(bin, work)
    expect(err).toBeInstanceOf(GitError)
    expect((err as GitError).message).toBe(
      `git 2.25.1 (${git}) is too old: job-packager needs git 2.29 or newer (for init --object-format and fetch --no-write-fetch-head). Install a newer git on the runner, or put one first on PATH.`
    )
    // git's global config is switched off without any file of ours: a refused git leaves nothing behind.
    expect((await readFile(seen, 'utf8')).trim()).toBe('/dev/null')
  })

  it('refuses a git whose version it cannot read', async () => {
    const { bin, git, work } = await fakeGit("printf 'hello from a wrapper\\n'")
    const err = await createWith(bin, work)
    expect(err).toBeInstanceOf(GitError)
    expect((err as GitError).message).toBe(
      `Could not tell which version ${git} is: "git version" printed "hello from a wrapper". job-packager needs git 2.29 or newer.`
    )
  })

  it('reports a git that fails to say its version', async () => {
    const { bin, work } = await fakeGit("echo 'fatal: broken install' >&2\nexit 3")
    const err = await createWith(bin, work)
    expect(err).toBeInstanceOf(GitError)
    expect((err as GitError).message).toBe('git version failed: fatal: broken install')
  })

  it('accepts vendor suffixes and asks each git binary once per process', async () => {
    const { bin, work } = await fakeGit(`echo "$*" >> '${path.join(root.dir, 'calls.log')}'\necho 'git version 2.39.5.windows.1'`)
    for (let i = 0; i < 3; i++) expect(await createWith(bin, work)).toBeInstanceOf(GitCommandManager)
    const calls = (await readFile(path.join(root.dir, 'calls.log'), 'utf8')).trim().split('\n')
    expect(calls).toHaveLength(1)
    // The check goes through the same hardened runner as every other call.
    expect(calls[0]).toMatch(/^-c core\.hooksPath=\/dev\/null .* version$/)
  })

  it('passes with the git on this machine', async () => {
    const work = path.join(root.dir, `work-${++n}`)
    await mkdir(work)
    const manager = await GitCommandManager.create(work, settings())
    const printed = (await manager.run(['version'])).stdout
    expect(printed).toMatch(/^git version \d+\.\d+/)
    await manager.init()
    expect((await manager.git(['rev-parse', '--git-dir'])).stdout.trim()).toBe('.git')
  })
})
