/**
 * The walk and the archive writer on trees built by the test: what is
 * refused, what is normalised, and that the output is byte-identical whatever
 * order the tree was created in, and readable by GNU tar and Python.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { contentDigest } from '../../src/core/archive/content-digest.js'
import { writeArchive } from '../../src/core/archive/tar-archive.js'
import { walkTree } from '../../src/core/archive/walk.js'
import { UnsafeContentError } from '../../src/core/errors.js'
import { run } from '../helpers/git-server.js'
import { gnuTarList, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
beforeAll(async () => {
  root = await tempDir()
})
afterAll(async () => {
  await root?.cleanup()
})

async function tree(files: Array<[string, string | { link: string } | { mode: number; content: string }]>): Promise<string> {
  const dir = path.join(root.dir, `tree-${++n}`)
  await mkdir(dir, { recursive: true })
  for (const [rel, spec] of files) {
    const abs = path.join(dir, rel)
    await mkdir(path.dirname(abs), { recursive: true })
    if (typeof spec === 'string') await writeFile(abs, spec)
    else if ('link' in spec) await symlink(spec.link, abs)
    else {
      await writeFile(abs, spec.content)
      await chmod(abs, spec.mode)
    }
  }
  return dir
}

const FILES: Array<[string, string | { link: string } | { mode: number; content: string }]> = [
  ['b/z.txt', 'z\n'],
  ['a.txt', 'a\n'],
  ['b/ä.txt', 'umlaut\n'],
  ['b/x.sh', { mode: 0o775, content: '#!/bin/sh\n' }],
  ['b/link', { link: 'z.txt' }],
  ['b/up', { link: '../a.txt' }],
  ['B.txt', 'capital\n'],
  ['with space/new\nline.txt', 'odd name\n']
]

describe('walkTree', () => {
  it('lists entries in byte order with normalised modes and content hashes', async () => {
    const dir = await tree(FILES)
    const entries = await walkTree(dir)
    expect(entries.map((e) => e.path)).toEqual([
      'B.txt',
      'a.txt',
      'b',
      'b/link',
      'b/up',
      'b/x.sh',
      'b/z.txt',
      'b/ä.txt',
      'with space',
      'with space/new\nline.txt'
    ])
    const byPath = Object.fromEntries(entries.map((e) => [e.path, e]))
    expect(byPath['b/x.sh']!.mode).toBe(0o755)
    expect(byPath['a.txt']!.mode).toBe(0o644)
    expect(byPath['a.txt']!.sha256).toBe(createHash('sha256').update('a\n').digest('hex'))
    expect(byPath['b/link']).toMatchObject({ type: 'symlink', linkTarget: 'z.txt' })
  })

  it.each([
    ['an absolute symlink', { link: '/etc/passwd' }, /absolute path/],
    ['a symlink out of the tree', { link: '../../../etc/passwd' }, /points outside/],
    ['a symlink that climbs out and back', { link: '../../tree-x/a.txt' }, /points outside/]
  ])('refuses %s, naming the path', async (_what, spec, why) => {
    const dir = await tree([
      ['a.txt', 'a'],
      ['sub/evil', spec]
    ])
    const err = await walkTree(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnsafeContentError)
    expect((err as Error).message).toMatch(/^sub\/evil is a symlink/)
    expect((err as Error).message).toMatch(why)
  })

  it('refuses a FIFO instead of hanging', async () => {
    const dir = await tree([['a.txt', 'a']])
    await run('mkfifo', [path.join(dir, 'pipe')])
    await expect(walkTree(dir)).rejects.toThrow(/^pipe is a FIFO/)
  })
})

describe('writeArchive', () => {
  async function pack(dir: string, name: string, prefix = 'job') {
    const entries = await walkTree(dir)
    const dest = path.join(root.dir, name)
    const result = await writeArchive({ root: dir, entries, prefix, mtime: new Date('2024-01-02T03:04:05Z'), level: 6, dest })
    return { result, dest, entries }
  }

  it('is byte-identical for trees created in different orders, and digests match', async () => {
    const one = await pack(await tree(FILES), 'one.tar.gz')
    const two = await pack(await tree([...FILES].reverse()), 'two.tar.gz')
    expect(two.result.sha256).toBe(one.result.sha256)
    expect((await readFile(two.dest)).equals(await readFile(one.dest))).toBe(true)
    expect(contentDigest(two.entries)).toBe(contentDigest(one.entries))
    expect(one.result.entries).toBe(one.entries.length + 1)
  })

  it('writes portable headers under the prefix that GNU tar and Python read', async () => {
    const { dest } = await pack(await tree(FILES), 'portable.tar.gz', 'my-job')
    const listing = await gnuTarList(dest)
    expect(listing[0]).toBe('my-job/')
    // GNU tar escapes non-ASCII bytes when listing; these are the UTF-8 bytes of ä.
    expect(listing).toContain('my-job/b/\\303\\244.txt')
    const verbose = await run('tar', ['--numeric-owner', '-tvzf', dest])
    for (const line of verbose.stdout.trim().split('\n')) {
      expect(line).toMatch(/ 0\/0 /)
      expect(line).toContain('2024-01-02 03:04')
    }
    expect(verbose.stdout).toMatch(/l[rwx-]{9} 0\/0 +0 2024-01-02 03:04 my-job\/b\/link -> z\.txt/)
    expect(verbose.stdout).toMatch(/-rwxr-xr-x 0\/0 .* my-job\/b\/x\.sh/)
    const py = await run('python3', [
      '-c',
      'import sys,tarfile; t=tarfile.open(sys.argv[1]); print(len(t.getmembers())); print(t.extractfile("my-job/a.txt").read().decode(), end=""); print(t.extractfile("my-job/b/\\u00e4.txt").read().decode(), end="")',
      dest
    ])
    expect(py.stdout).toBe(`${listing.length}\na\numlaut\n`)
  })

  it('changes the content digest when a mode, a name or a byte changes', async () => {
    const base = contentDigest(
      await walkTree(
        await tree([
          ['a', 'x'],
          ['b', 'y']
        ])
      )
    )
    expect(
      contentDigest(
        await walkTree(
          await tree([
            ['a', 'x'],
            ['b', 'z']
          ])
        )
      )
    ).not.toBe(base)
    expect(
      contentDigest(
        await walkTree(
          await tree([
            ['a', 'x'],
            ['c', 'y']
          ])
        )
      )
    ).not.toBe(base)
    expect(
      contentDigest(
        await walkTree(
          await tree([
            ['a', 'x'],
            ['b', { mode: 0o755, content: 'y' }]
          ])
        )
      )
    ).not.toBe(base)
    expect(
      contentDigest(
        await walkTree(
          await tree([
            ['a', 'x'],
            ['b', 'y']
          ])
        )
      )
    ).toBe(base)
  })
})
