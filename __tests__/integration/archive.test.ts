/**
 * The archive writer end to end on a tree that exercises the tar format and
 * the compressor together: hundreds of small files, paths and link targets
 * too long for plain ustar, non-ASCII names, an empty file, multi-block text,
 * incompressible data and a file of exactly one compression block.
 *
 * Read back by GNU tar (extracted and compared file by file), Python's
 * tarfile, Go's archive/tar + compress/gzip (when `go` is installed; Debian
 * package golang-go) and Node's zlib; byte-identical for any thread count;
 * files hashed while packed; and a tree that changes under the writer is
 * refused, not packed inconsistently.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { access, appendFile, chmod, lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { BLOCK_SIZE } from '../../src/core/archive/block-codec.js'
import { contentDigest } from '../../src/core/archive/content-digest.js'
import { writeArchive } from '../../src/core/archive/tar-archive.js'
import { walkTree, type TreeEntry } from '../../src/core/archive/walk.js'
import { UnsafeContentError } from '../../src/core/errors.js'
import { run } from '../helpers/git-server.js'
import { tempDir } from '../helpers/workspace.js'

const HAVE_GO = spawnSync('go', ['version']).status === 0
const itWithGo = HAVE_GO ? it : it.skip

const MTIME = new Date('2024-05-06T07:08:09Z')
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex')

function text(bytes: number, seed: number): Buffer {
  let s = seed
  const lines: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    const line = `${i},${s % 9973},${(s % 100000) / 7},row-${s % 31}\n`
    lines.push(line)
    size += line.length
  }
  return Buffer.from(lines.join('')).subarray(0, bytes)
}

const LONG_SPLIT = `code/${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(90)}.txt`
const LONG_PAX = `code/${Array.from({ length: 6 }, (_, i) => `${i}`.repeat(50)).join('/')}/${'n'.repeat(120)}.txt`
const LONG_DIR = `code/${'g'.repeat(120)}`
const LONG_LINK_TARGET = `../${LONG_SPLIT.slice('code/'.length)}`

let root: { dir: string; cleanup: () => Promise<void> }
let tree: string
let goList: string
let n = 0

async function put(dir: string, rel: string, content: string | Buffer, mode = 0o644): Promise<void> {
  const abs = path.join(dir, rel)
  await mkdir(path.dirname(abs), { recursive: true })
  await writeFile(abs, content)
  await chmod(abs, mode)
}

async function buildTree(dir: string): Promise<void> {
  await put(dir, 'Dockerfile', 'FROM scratch\n')
  await put(dir, 'run.sh', '#!/bin/sh\necho hi\n', 0o755)
  await put(dir, 'code/README.md', '# hello\n')
  for (let i = 0; i < 300; i++)
    await put(dir, `code/src/mod-${String(i).padStart(3, '0')}.py`, `# module ${i}\n${'x = 1\n'.repeat(i % 17)}`)
  await put(dir, 'code/bin/tool', '#!/bin/sh\n', 0o775)
  await put(dir, 'code/empty', '')
  await put(dir, LONG_SPLIT, 'split into prefix and name\n')
  await put(dir, LONG_PAX, 'needs a pax path\n')
  await put(dir, `${LONG_DIR}/inside.txt`, 'in a long directory\n')
  await put(dir, 'code/ünïcødé/数据.csv', 'a,b\n1,2\n')
  await put(dir, 'code/odd name\nwith newline', 'odd\n')
  await mkdir(path.join(dir, 'code/links'), { recursive: true })
  await symlink('../README.md', path.join(dir, 'code/links/short'))
  await symlink(LONG_LINK_TARGET, path.join(dir, 'code/links/far'))
  await put(dir, 'data/big.csv', text(3 * BLOCK_SIZE + 333_333, 1))
  await put(dir, 'data/blob.bin', randomBytes(2 * BLOCK_SIZE + 200_000))
  await put(dir, 'data/exact.bin', text(BLOCK_SIZE, 2))
}

beforeAll(async () => {
  root = await tempDir('jp-archive-')
  tree = path.join(root.dir, 'tree')
  await buildTree(tree)
  if (HAVE_GO) {
    const src = path.join(root.dir, 'tarlist.go')
    await writeFile(
      src,
      `package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() {
	gz, err := gzip.NewReader(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tr := tar.NewReader(gz)
	out := json.NewEncoder(os.Stdout)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sum := sha256.New()
		size, err := io.Copy(sum, tr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out.Encode(map[string]interface{}{"name": h.Name, "type": string(rune(h.Typeflag)), "mode": h.Mode & 0o7777, "size": size, "sha256": hex.EncodeToString(sum.Sum(nil)), "link": h.Linkname, "mtime": h.ModTime.Unix()})
	}
}
`
    )
    goList = path.join(root.dir, 'tarlist')
    await run('go', ['build', '-o', goList, src], {
      cwd: root.dir,
      env: { ...process.env, GOCACHE: path.join(root.dir, 'gocache'), GO111MODULE: 'off' }
    })
  }
}, 120_000)

afterAll(async () => {
  await root?.cleanup()
})

interface Listed {
  name: string
  type: string
  mode: number
  size: number
  sha256: string
  link: string
  mtime: number
}

/** What every reader must list: the root folder, then the walk's entries, under the prefix. */
async function expectedListing(dir: string, entries: readonly TreeEntry[], prefix: string): Promise<Listed[]> {
  const mtime = MTIME.getTime() / 1000
  const empty = sha('')
  const rows: Listed[] = [{ name: `${prefix}/`, type: '5', mode: 0o755, size: 0, sha256: empty, link: '', mtime }]
  for (const e of entries) {
    const name = `${prefix}/${e.path}`
    if (e.type === 'directory') rows.push({ name: `${name}/`, type: '5', mode: 0o755, size: 0, sha256: empty, link: '', mtime })
    else if (e.type === 'symlink') rows.push({ name, type: '2', mode: 0o777, size: 0, sha256: empty, link: e.linkTarget!, mtime })
    else {
      const content = await readFile(path.join(dir, e.path))
      rows.push({ name, type: '0', mode: e.mode, size: content.length, sha256: sha(content), link: '', mtime })
    }
  }
  return rows
}

async function pack(dir: string, options: { threads?: number; prefix?: string; hash?: boolean } = {}) {
  const entries = await walkTree(dir, { hash: options.hash ?? false })
  const dest = path.join(root.dir, `archive-${++n}.tar.gz`)
  const result = await writeArchive({
    root: dir,
    entries,
    prefix: options.prefix ?? 'job-1',
    mtime: MTIME,
    level: 6,
    dest,
    threads: options.threads
  })
  return { entries, dest, result }
}

describe('writeArchive on a demanding tree', () => {
  it('gives the same bytes with 1, 2 and 4 threads, and the same content digest as a walk that hashes', async () => {
    const runs = [await pack(tree, { threads: 1 }), await pack(tree, { threads: 2 }), await pack(tree, { threads: 4 })]
    const bytes = await Promise.all(runs.map((r) => readFile(r.dest)))
    expect(bytes[1]!.equals(bytes[0]!)).toBe(true)
    expect(bytes[2]!.equals(bytes[0]!)).toBe(true)
    expect(runs.map((r) => r.result.sha256)).toEqual([sha(bytes[0]!), sha(bytes[0]!), sha(bytes[0]!)])
    expect(runs.map((r) => r.result.threads)).toEqual([1, 2, 4])
    expect(runs[0]!.result.bytes).toBe(bytes[0]!.length)

    // The writer hashed every file as it packed it: the digest equals one from a walk that reads every file first.
    const hashedByWalk = await walkTree(tree)
    expect(contentDigest(runs[0]!.entries)).toBe(contentDigest(hashedByWalk))
    expect(runs[0]!.result.entries).toBe(hashedByWalk.length + 1)
  })

  it('GNU tar extracts exactly the tree: contents, modes, symlinks, long and non-ASCII names', async () => {
    const { dest, entries } = await pack(tree)
    const out = path.join(root.dir, `x-${++n}`)
    await mkdir(out)
    const res = await run('tar', ['-xzf', dest, '-C', out])
    expect(res.stderr).toBe('')
    for (const e of entries) {
      const got = path.join(out, 'job-1', e.path)
      const st = await lstat(got)
      if (e.type === 'symlink') expect(await readlink(got)).toBe(e.linkTarget)
      else if (e.type === 'directory') expect(st.isDirectory()).toBe(true)
      else {
        expect(sha(await readFile(got))).toBe(sha(await readFile(path.join(tree, e.path))))
        expect(st.mode & 0o777).toBe(e.mode)
        expect(st.mtime.toISOString()).toBe(MTIME.toISOString())
      }
    }
    const listing = await run('tar', ['--numeric-owner', '-tvzf', dest])
    expect(listing.stdout).toContain(`job-1/${LONG_PAX}`)
    expect(listing.stdout).toContain(`job-1/${LONG_DIR}/`)
    expect(listing.stdout).toContain(`job-1/code/links/far -> ${LONG_LINK_TARGET}`)
    for (const line of listing.stdout
      .trim()
      .split('\n')
      .filter((l) => /^[-dl]/.test(l)))
      expect(line).toMatch(/ 0\/0 /)
  })

  it("Python's tarfile lists the same entries, sizes, modes, link targets and content hashes", async () => {
    const { dest, entries } = await pack(tree)
    const py = await run('python3', [
      '-c',
      `import hashlib, json, sys, tarfile
with tarfile.open(sys.argv[1], 'r:gz') as t:
    for m in t:
        data = t.extractfile(m).read() if m.isfile() else b''
        print(json.dumps({'name': m.name + ('/' if m.isdir() else ''), 'type': m.type.decode(), 'mode': m.mode, 'size': len(data), 'sha256': hashlib.sha256(data).hexdigest(), 'link': m.linkname, 'mtime': int(m.mtime)}))`,
      dest
    ])
    const listed = py.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Listed)
    expect(listed).toEqual(await expectedListing(tree, entries, 'job-1'))
  })

  itWithGo("Go's archive/tar over compress/gzip lists the same entries and content hashes", async () => {
    const { dest, entries } = await pack(tree)
    const go = await run(goList, [], { input: await readFile(dest) })
    const listed = go.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Listed)
    // Go reports names as stored. A directory whose path only fits ustar's
    // prefix + name fields without its trailing slash is stored that way (the
    // type flag marks it a directory); GNU tar and Python add the slash back.
    const dirNames = (rows: Listed[]) => rows.map((r) => (r.type === '5' ? { ...r, name: r.name.replace(/\/$/, '') } : r))
    expect(dirNames(listed)).toEqual(dirNames(await expectedListing(tree, entries, 'job-1')))
  })

  it("Node's zlib and GNU gzip decompress it to the same tar stream, of the size the writer reports", async () => {
    const { dest, result } = await pack(tree)
    const gz = await readFile(dest)
    const node = gunzipSync(gz)
    const gnu = await run('gzip', ['-dc', dest])
    expect(gnu.stdoutBuffer.equals(node)).toBe(true)
    expect(node.length).toBe(result.tarBytes)
    expect(node.length % 512).toBe(0)
  })

  it('compresses the text and stores the random data: smaller than GNU tar + gzip -6 of the same tree', async () => {
    const { dest } = await pack(tree)
    const baseline = path.join(root.dir, `baseline-${++n}.tar.gz`)
    await run('tar', ['-czf', baseline, '-C', tree, '.'])
    const [ours, theirs] = await Promise.all([readFile(dest), readFile(baseline)])
    expect(ours.length).toBeLessThanOrEqual(theirs.length)
  })
})

describe('writeArchive on a large tree (files hashed on a thread of their own)', () => {
  let big: string
  beforeAll(async () => {
    big = path.join(root.dir, 'large')
    // Over the size where hashing moves off the main thread; random bytes so that packing stays fast.
    await put(big, 'data/a.bin', randomBytes(40 * BLOCK_SIZE + 12_345))
    await put(big, 'data/b.bin', randomBytes(30 * BLOCK_SIZE))
    await put(big, 'data/c.csv', text(BLOCK_SIZE + 1, 5))
    await put(big, 'run.sh', 'echo\n', 0o755)
  }, 60_000)

  it('hashes every file right and gives the same bytes with 1 and 2 threads', async () => {
    const one = await pack(big, { threads: 1 })
    const two = await pack(big, { threads: 2 })
    expect(two.result.sha256).toBe(one.result.sha256)
    expect(contentDigest(one.entries)).toBe(contentDigest(await walkTree(big)))
    expect(contentDigest(two.entries)).toBe(contentDigest(one.entries))
    const gnu = await run('sh', ['-c', 'gzip -dc "$1" | tar -tvf - >/dev/null && gzip -t "$1"', 'sh', two.dest])
    expect(gnu.stderr).toBe('')
  })

  it('has every earlier hash in by the time beforeEntry asks for them, though hashing trails reading', async () => {
    const entries = await walkTree(big, { hash: (rel) => rel === 'run.sh' })
    const late: TreeEntry = { path: 'job.json', type: 'file', mode: 0o644, size: 0 }
    const all = [...entries, late].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)))
    let digest = ''
    const dest = path.join(root.dir, `large-late-${++n}.tar.gz`)
    await writeArchive({
      root: big,
      entries: all,
      prefix: 'j',
      mtime: MTIME,
      level: 6,
      dest,
      threads: 2,
      beforeEntry: async (e, hashed) => {
        if (e !== late) return
        await hashed()
        digest = contentDigest(entries)
        await writeFile(path.join(big, 'job.json'), digest)
        late.size = digest.length
      }
    })
    await rm(path.join(big, 'job.json'))
    expect(digest).toBe(contentDigest(await walkTree(big)))
  })

  it('refuses a file whose content changed after the walk hashed it', async () => {
    const entries = await walkTree(big)
    const victim = path.join(big, 'data/b.bin')
    const original = await readFile(victim)
    const changedCopy = Buffer.from(original)
    changedCopy.writeUInt8(changedCopy.readUInt8(17 * BLOCK_SIZE) ^ 1, 17 * BLOCK_SIZE)
    await writeFile(victim, changedCopy)
    try {
      const dest = path.join(root.dir, `large-changed-${++n}.tar.gz`)
      const err = await writeArchive({ root: big, entries, prefix: 'j', mtime: MTIME, level: 6, dest, threads: 2 }).catch((e: unknown) => e)
      expect((err as Error).message).toMatch(/^data\/b\.bin changed content/)
      await expect(access(dest)).rejects.toThrow()
    } finally {
      await writeFile(victim, original)
    }
  })
})

describe('writeArchive and the files under it', () => {
  async function freshTree(): Promise<string> {
    const dir = path.join(root.dir, `t-${++n}`)
    await put(dir, 'code/a.txt', 'a\n')
    await put(dir, 'data/d.csv', text(2 * BLOCK_SIZE, 3))
    await put(dir, 'run.sh', 'echo\n', 0o755)
    return dir
  }

  async function packAfter(dir: string, change: () => Promise<void>, hash = false) {
    const entries = await walkTree(dir, { hash })
    await change()
    const dest = path.join(root.dir, `changed-${++n}.tar.gz`)
    const err = await writeArchive({ root: dir, entries, prefix: 'j', mtime: MTIME, level: 6, dest }).catch((e: unknown) => e)
    const left = await access(dest).then(
      () => true,
      () => false
    )
    return { err, left }
  }

  it('refuses a file that changed size since the walk, and leaves no archive', async () => {
    const dir = await freshTree()
    const { err, left } = await packAfter(dir, () => appendFile(path.join(dir, 'data/d.csv'), 'more\n'))
    expect(err).toBeInstanceOf(UnsafeContentError)
    expect((err as Error).message).toMatch(/^data\/d\.csv changed size/)
    expect(left).toBe(false)
  })

  it('refuses a file swapped for a symlink since the walk instead of following it', async () => {
    const dir = await freshTree()
    const { err, left } = await packAfter(dir, async () => {
      await rm(path.join(dir, 'code/a.txt'))
      await symlink('/etc/passwd', path.join(dir, 'code/a.txt'))
    })
    expect((err as Error).message).toMatch(/^code\/a\.txt became a symlink/)
    expect(left).toBe(false)
  })

  it('refuses a file swapped for a FIFO since the walk, without hanging on it', async () => {
    const dir = await freshTree()
    const { err } = await packAfter(dir, async () => {
      await rm(path.join(dir, 'code/a.txt'))
      await run('mkfifo', [path.join(dir, 'code/a.txt')])
    })
    expect((err as Error).message).toMatch(/^code\/a\.txt is no longer a regular file/)
  })

  it('refuses a file whose content changed after the walk hashed it', async () => {
    const dir = await freshTree()
    const { err } = await packAfter(dir, () => writeFile(path.join(dir, 'code/a.txt'), 'b\n'), true)
    expect((err as Error).message).toMatch(/^code\/a\.txt changed content/)
  })

  it('calls beforeEntry in archive order, so a file can be written when it is reached', async () => {
    const dir = await freshTree()
    const entries = await walkTree(dir, { hash: (rel) => rel === 'run.sh' })
    const late: TreeEntry = { path: 'job.json', type: 'file', mode: 0o644, size: 0 }
    const all = [...entries, late].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)))
    const seen: string[] = []
    let digestAtJobJson = ''
    const dest = path.join(root.dir, `late-${++n}.tar.gz`)
    await writeArchive({
      root: dir,
      entries: all,
      prefix: 'j',
      mtime: MTIME,
      level: 6,
      dest,
      beforeEntry: async (e, hashed) => {
        seen.push(e.path)
        if (e !== late) return
        await hashed()
        digestAtJobJson = contentDigest(entries) // everything before job.json is hashed by now; run.sh was hashed by the walk
        const body = JSON.stringify({ content_digest: digestAtJobJson })
        await writeFile(path.join(dir, 'job.json'), body)
        late.size = body.length
      }
    })
    expect(seen).toEqual(all.map((e) => e.path))
    expect(digestAtJobJson).toBe(contentDigest(await walkTree(dir, { exclude: new Set(['job.json']) })))
    const py = await run('python3', [
      '-c',
      'import sys,tarfile; print(tarfile.open(sys.argv[1]).extractfile("j/job.json").read().decode())',
      dest
    ])
    expect(JSON.parse(py.stdout)).toEqual({ content_digest: digestAtJobJson })
  })

  it('stops when cancelled in the middle of a large file, and removes the partial archive', async () => {
    const dir = path.join(root.dir, `big-${++n}`)
    await put(dir, 'data/big.csv', text(64 * BLOCK_SIZE, 4))
    const entries = await walkTree(dir, { hash: false })
    const dest = path.join(root.dir, `cancelled-${n}.tar.gz`)
    const controller = new AbortController()
    const reason = new Error('cancelled by the test')
    // Cancelled on an event, not a timer: as soon as the first bytes of the 64 MiB file are in, so it is mid-file
    // however fast or loaded the machine is.
    let cancelledAt = 0
    const onProgress = (done: number): void => {
      if (done > 0 && !controller.signal.aborted) {
        cancelledAt = Date.now()
        controller.abort(reason)
      }
    }
    await expect(
      writeArchive({ root: dir, entries, prefix: 'j', mtime: MTIME, level: 6, dest, threads: 1, signal: controller.signal, onProgress })
    ).rejects.toBe(reason)
    // It stops promptly instead of finishing the file first.
    expect(cancelledAt).toBeGreaterThan(0)
    expect(Date.now() - cancelledAt).toBeLessThan(2000)
    await expect(access(dest)).rejects.toThrow()
  })
})
