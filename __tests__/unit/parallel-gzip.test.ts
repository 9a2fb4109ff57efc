/**
 * The parallel gzip compressor on its own: every reader we care about —
 * Node's zlib, GNU gzip, Python's gzip module and Go's compress/gzip (what
 * Docker uses; run when `go` is installed, Debian package golang-go) — gets
 * back exactly the input; the bytes do not depend on the number of threads;
 * incompressible blocks are stored rather than deflated; and cancellation,
 * worker failures and workers that cannot start end the run instead of
 * hanging it. The workers run from their TypeScript sources here (under tsx);
 * __tests__/cli/bundled-workers.test.ts runs the bundled ones.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import zlib, { gunzipSync } from 'node:zlib'
import { BLOCK_SIZE, OUTPUT_SIZE, STORED_MAX } from '../../src/core/archive/block-codec.js'
import { crc32Combine } from '../../src/core/archive/crc32.js'
import { DeflatePool, HashWorker } from '../../src/core/archive/deflate-pool.js'
import { BlockGzip, gzipBuffer } from '../../src/core/archive/parallel-gzip.js'
import { run } from '../helpers/git-server.js'
import { tempDir } from '../helpers/workspace.js'

/** CSV-like text from a fixed seed: compresses like real data, the same on every run. */
function csv(bytes: number, seed = 1): Buffer {
  let s = seed >>> 0 || 1
  const rnd = (): number => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon']
  const rows: string[] = []
  let size = 0
  for (let id = 1; size < bytes; id++) {
    const row = `${id},${words[Math.floor(rnd() * 5)]},${(rnd() * 1000).toFixed(3)},${Math.floor(rnd() * 1e6)}\n`
    rows.push(row)
    size += row.length
  }
  return Buffer.from(rows.join('')).subarray(0, bytes)
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

const TEXT = csv(3 * BLOCK_SIZE + 12345)
const RANDOM = randomBytes(2 * BLOCK_SIZE + 777)
// One of each kind of block, and block boundaries that fall inside each kind.
const MIXED = Buffer.concat([csv(BLOCK_SIZE / 2, 7), randomBytes(BLOCK_SIZE), Buffer.alloc(BLOCK_SIZE), csv(BLOCK_SIZE + 3, 9)])

const CASES: Array<[string, Buffer]> = [
  ['empty input', Buffer.alloc(0)],
  ['one byte', Buffer.from('x')],
  ['one byte short of a block', csv(BLOCK_SIZE - 1)],
  ['exactly one block', csv(BLOCK_SIZE)],
  ['one byte over a block', csv(BLOCK_SIZE + 1)],
  ['several blocks of text', TEXT],
  ['random bytes', RANDOM],
  ['text, random, zeros, text', MIXED]
]

/** Go's reader is checked where Go is installed (Debian: golang-go); elsewhere those tests show as skipped. */
const HAVE_GO = spawnSync('go', ['version']).status === 0
const itWithGo = HAVE_GO ? it : it.skip

let root: { dir: string; cleanup: () => Promise<void> }
let goGunzip: string

beforeAll(async () => {
  root = await tempDir('jp-pgzip-')
  if (HAVE_GO) {
    const src = path.join(root.dir, 'gunzip.go')
    await writeFile(
      src,
      `package main

import (
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
)

func main() {
	r, err := gzip.NewReader(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d %x\\n", n, h.Sum(nil))
}
`
    )
    goGunzip = path.join(root.dir, 'gunzip')
    await run('go', ['build', '-o', goGunzip, src], {
      cwd: root.dir,
      env: { ...process.env, GOCACHE: path.join(root.dir, 'gocache'), GO111MODULE: 'off' }
    })
  }
}, 120_000)

afterAll(async () => {
  await root?.cleanup()
})

describe('gzipBuffer', () => {
  it.each(CASES)('%s: the same bytes with 0 (inline), 1, 2 and 3 threads', async (_name, input) => {
    const outputs = await Promise.all([0, 1, 2, 3].map((threads) => gzipBuffer(input, { threads })))
    for (const out of outputs.slice(1)) expect(out.equals(outputs[0]!)).toBe(true)
    expect(gunzipSync(outputs[0]!).equals(input)).toBe(true)
  })

  it.each(CASES)('%s: GNU gzip and Python read it back exactly', async (_name, input) => {
    const gz = await gzipBuffer(input)
    const want = `${input.length} ${sha(input)}`

    const gnu = await run('gzip', ['-dc'], { input: gz })
    expect(`${gnu.stdoutBuffer.length} ${sha(gnu.stdoutBuffer)}`).toBe(want)
    // gzip -t also checks the CRC and length in the trailer.
    await run('gzip', ['-t'], { input: gz })

    const py = await run(
      'python3',
      ['-c', 'import gzip,hashlib,sys; d=gzip.decompress(sys.stdin.buffer.read()); print(len(d), hashlib.sha256(d).hexdigest())'],
      { input: gz }
    )
    expect(py.stdout.trim()).toBe(want)
  })

  itWithGo.each(CASES)("%s: Go's compress/gzip (what Docker uses) reads it back exactly", async (_name, input) => {
    const gz = await gzipBuffer(input)
    const go = await run(goGunzip, [], { input: gz })
    expect(go.stdout.trim()).toBe(`${input.length} ${sha(input)}`)
  })

  it('stores incompressible blocks instead of deflating them', async () => {
    const gz = await gzipBuffer(RANDOM)
    const storedHeaders = 5 * Math.ceil(BLOCK_SIZE / STORED_MAX) * 3
    // Header 10, final block 2, trailer 8, plus 5 bytes per stored run: nothing deflate-shaped.
    expect(gz.length).toBeLessThanOrEqual(RANDOM.length + storedHeaders + 20)
    // Stored means the bytes are there as they are.
    expect(gz.includes(RANDOM.subarray(1000, 1100))).toBe(true)
  })

  it('still compresses the compressible blocks of a mixed input', async () => {
    const gz = await gzipBuffer(MIXED)
    const text = BLOCK_SIZE / 2 + BLOCK_SIZE + 3
    // Random stays ~as is; zeros and text shrink a lot.
    expect(gz.length).toBeLessThan(BLOCK_SIZE + text * 0.6)
    expect(gz.length).toBeGreaterThan(BLOCK_SIZE)
  })

  it('honours the level and writes the header zlib would', async () => {
    const fast = await gzipBuffer(TEXT, { level: 1 })
    const best = await gzipBuffer(TEXT, { level: 9 })
    expect(best.length).toBeLessThan(fast.length)
    expect(gunzipSync(fast).equals(TEXT)).toBe(true)
    expect(gunzipSync(best).equals(TEXT)).toBe(true)
    // No name, no mtime, XFL 4 for the fastest and 2 for the best level, OS Unix.
    expect([...fast.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3])
    expect([...best.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3])
    await expect(gzipBuffer(TEXT, { level: 0 })).rejects.toThrow(RangeError)
  })

  it('is as small as single-stream zlib at the same level, within a fraction of a percent', async () => {
    const { gzipSync } = await import('node:zlib')
    const ours = await gzipBuffer(TEXT)
    const single = gzipSync(TEXT, { level: 6 })
    expect(ours.length / single.length).toBeLessThan(1.005)
  })
})

describe('crc32Combine', () => {
  it('joins the CRCs of consecutive pieces into the CRC of the whole, as zlib.crc32 computes it', () => {
    const whole = Buffer.concat([TEXT.subarray(0, 100_000), RANDOM.subarray(0, 77_777)])
    for (const cut of [0, 1, 3, 4096, 65_536, 99_999, whole.length - 1, whole.length]) {
      const a = whole.subarray(0, cut)
      const b = whole.subarray(cut)
      expect(crc32Combine(zlib.crc32(a), zlib.crc32(b), b.length)).toBe(zlib.crc32(whole))
    }
    // Many blocks of the block size, as the compressor joins them.
    let crc = 0
    for (let off = 0; off < TEXT.length; off += BLOCK_SIZE) {
      const piece = TEXT.subarray(off, off + BLOCK_SIZE)
      crc = crc32Combine(crc, zlib.crc32(piece), piece.length)
    }
    expect(crc).toBe(zlib.crc32(TEXT))
  })
})

describe('cancellation and failures', () => {
  it('rejects with the abort reason when cancelled midway, and stops the threads', async () => {
    const controller = new AbortController()
    const reason = new Error('stop now')
    const big = Buffer.alloc(40 * BLOCK_SIZE, 'a')
    let blocks = 0
    const gz = new BlockGzip({
      level: 6,
      threads: 2,
      signal: controller.signal,
      sink: {
        write: () => {
          if (++blocks === 3) controller.abort(reason)
          return Promise.resolve()
        }
      }
    })
    const feed = async (): Promise<void> => {
      for (let off = 0; off < big.length; off += BLOCK_SIZE) {
        const block = await gz.acquire()
        big.copy(block, 0, off, off + BLOCK_SIZE)
        gz.submit(block, BLOCK_SIZE)
      }
      await gz.finish()
    }
    await expect(feed()).rejects.toBe(reason)
    await gz.close()
    expect(blocks).toBeLessThan(15)
  })

  it('rejects at once for a signal that has already fired', async () => {
    const reason = new Error('too late')
    await expect(gzipBuffer(TEXT, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
  })

  it('fails the run when the sink fails (a full disk), without hanging', async () => {
    const gz = new BlockGzip({
      level: 6,
      threads: 2,
      sink: {
        write: () => Promise.reject(new Error('ENOSPC: no space left on device'))
      }
    })
    const feed = async (): Promise<void> => {
      for (let i = 0; i < 30; i++) {
        const block = await gz.acquire()
        block.fill(i)
        gz.submit(block, BLOCK_SIZE)
      }
      await gz.finish()
    }
    try {
      await expect(feed()).rejects.toThrow(/ENOSPC/)
    } finally {
      await gz.close()
    }
  })

  it('a block that fails in a worker fails its caller, and the pool can be closed', async () => {
    const pool = new DeflatePool(1)
    const block = (): SharedArrayBuffer => new SharedArrayBuffer(BLOCK_SIZE)
    const output = (): SharedArrayBuffer => new SharedArrayBuffer(BLOCK_SIZE + 1024)
    try {
      // zlib refuses level 42 inside the worker.
      await expect(pool.run(block(), 100_000, output(), 42)).rejects.toThrow(/Compressing a block failed/)
      const ok = await pool.run(block(), 100_000, output(), 6)
      expect(ok.outLength).toBeGreaterThan(0)
    } finally {
      await pool.close()
    }
    await expect(pool.run(block(), 10, output(), 6)).rejects.toThrow(/closed/)
  })

  it('a worker whose script cannot be loaded fails every request with an error naming the script, instead of hanging', async () => {
    const missing = { url: new URL('./no-such-worker.js', import.meta.url) }
    const pool = new DeflatePool(2, missing)
    const hasher = new HashWorker(missing)
    try {
      const run = (): Promise<unknown> => pool.run(new SharedArrayBuffer(BLOCK_SIZE), 1000, new SharedArrayBuffer(OUTPUT_SIZE), 6)
      await expect(run()).rejects.toThrow(/job-packager-deflate thread failed \(.*no-such-worker\.js\)/)
      // Once failed, the pool answers at once: nothing is left waiting for a thread that never started.
      await expect(run()).rejects.toThrow(/no-such-worker\.js/)
      await expect(hasher.digest(0)).rejects.toThrow(/job-packager-hash thread failed \(.*no-such-worker\.js\)/)
    } finally {
      await Promise.all([pool.close(), hasher.close()])
    }
  })

  it('refuses a short block anywhere but at the end: block boundaries are part of the format', async () => {
    const gz = new BlockGzip({ level: 6, threads: 0, sink: { write: () => Promise.resolve() } })
    try {
      gz.submit(await gz.acquire(), 10)
      const next = await gz.acquire()
      expect(() => gz.submit(next, 10)).toThrow(/must be the last/)
    } finally {
      await gz.close()
    }
  })
})
