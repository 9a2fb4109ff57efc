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

  describe('symlinks resolved together, through each other', () => {
    const deep = Array.from({ length: 12 }, (_, i) => `d${i + 1}`).join('/')
    const ups = (k: number) => Array<string>(k).fill('..').join('/')

    it('refuses a link that is inside on its own but leaves through another link, naming both', async () => {
      // `up` is the tree's root; `esc` is lexically d1/…/d12/etc/passwd, but the kernel climbs from where `up` leads.
      const dir = await tree([
        ['a.txt', 'a'],
        [`${deep}/up`, { link: ups(12) }],
        [`${deep}/esc`, { link: `up/${ups(13)}/etc/passwd` }]
      ])
      // What the walk is guarding against, shown by the kernel itself.
      expect(await readFile(path.join(dir, deep, 'esc'), 'utf8')).toBe(await readFile('/etc/passwd', 'utf8'))
      const err = await walkTree(dir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UnsafeContentError)
      expect((err as Error).message).toBe(
        `${deep}/esc is a symlink to "up/${ups(13)}/etc/passwd", which points outside the package once ${deep}/up (-> "${ups(12)}") is followed; symlinks must stay inside it.`
      )
    })

    it('follows chains of links (a link to a link to a folder) as the kernel does', async () => {
      const dir = await tree([
        ['a.txt', 'a'],
        ['x/y/z/t1', { link: 't2' }],
        ['x/y/z/t2', { link: '../../..' }],
        // Lexically x/y/z; through t1 and t2, the root's parent.
        ['x/y/z/leave', { link: 't1/..' }]
      ])
      await expect(walkTree(dir)).rejects.toThrow(
        /^x\/y\/z\/leave is a symlink to "t1\/\.\.", .* once x\/y\/z\/t1 \(-> "t2"\), x\/y\/z\/t2 \(-> "\.\.\/\.\.\/\.\."\) are followed;/
      )
    })

    const refused: Array<[string, Array<[string, string | { link: string } | { mode: number; content: string }]>, RegExp]> = [
      [
        'a loop',
        [
          ['a', { link: 'b' }],
          ['b', { link: 'c/../a' }],
          ['c/f', 'f']
        ],
        /^a is a symlink that leads into a loop of symlinks \(a -> b -> a\)/
      ],
      ['a self-loop', [['s', { link: 's' }]], /^s is a symlink that leads into a loop of symlinks \(s -> s\)/],
      [
        'a chain of more than 40 links',
        Array.from({ length: 42 }, (_, i) => [`c${i}`, { link: i === 41 ? 'a.txt' : `c${i + 1}` }]),
        /^c0 is a symlink that leads through more than 40 symlinks in a row/
      ]
    ]
    it.each(refused)('refuses %s', async (_what, files, why) => {
      const dir = await tree([['a.txt', 'a'], ...files])
      const err = await walkTree(dir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UnsafeContentError)
      expect((err as Error).message).toMatch(why)
    })

    it('accepts chains that stay inside, including through links to folders and up again, dangling ones, and 40 links in a row', async () => {
      const dir = await tree([
        ['docs/v2/README.md', 'readme\n'],
        ['docs/latest', { link: 'v2' }],
        ['readme', { link: 'docs/latest/README.md' }],
        [`${deep}/up`, { link: ups(12) }],
        [`${deep}/via-up`, { link: 'up/docs/latest/../latest/README.md' }],
        ['top', { link: `${deep}/up/${deep}/up/readme` }],
        ['dangling', { link: 'nowhere/../docs' }],
        // k0 … k37, readme, docs/latest: 40 links, as many as Linux follows in one lookup.
        ...Array.from({ length: 38 }, (_, i): [string, { link: string }] => [`k${i}`, { link: i === 37 ? 'readme' : `k${i + 1}` }])
      ])
      const entries = await walkTree(dir)
      expect(entries.filter((e) => e.type === 'symlink')).toHaveLength(44)
      for (const link of ['readme', `${deep}/via-up`, 'top', 'k0']) expect(await readFile(path.join(dir, link), 'utf8')).toBe('readme\n')
    })
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
