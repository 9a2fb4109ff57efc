// Builds the benchmark's inputs: CSV-like text, incompressible bytes, and a
// git repository with a long history. Everything is generated from fixed
// seeds, so every run of the benchmark packs the same bytes.
import { spawn } from 'node:child_process'
import { createCipheriv } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { once } from 'node:events'

/** xorshift32: fast, deterministic, good enough to make text that compresses like real data. */
function prng(seed) {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s
  }
}

async function writeChunks(file, bytes, nextChunk) {
  const out = createWriteStream(file, { highWaterMark: 4 * 1024 * 1024 })
  for (let written = 0; written < bytes;) {
    let chunk = nextChunk()
    if (chunk.length > bytes - written) chunk = chunk.subarray(0, bytes - written)
    written += chunk.length
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

/**
 * CSV rows like a metrics export: id, timestamp, category, two decimals and a
 * count. Row tails (everything after the id) come from a pool of 2^18 random
 * combinations, picked at random per row: fields repeat as in real data, a
 * whole row repeats within deflate's 32 KiB window about 0.2% of the time.
 * Node's zlib at level 6 keeps about 37% of it, GNU gzip -6 about 38%, as for
 * typical CSV; and a gigabyte takes seconds to generate, not minutes of
 * number formatting.
 */
export async function writeCsv(file, bytes, seed = 42) {
  const next = prng(seed)
  const pad = (v, w) => String(v).padStart(w, '0')
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa']
  const TAILS = 1 << 18
  const tailText = []
  for (let i = 0; i < TAILS; i++) {
    const stamp = `2024-${pad(1 + (next() % 12), 2)}-${pad(1 + (next() % 28), 2)}T${pad(next() % 24, 2)}:${pad(next() % 60, 2)}:${pad(next() % 60, 2)}Z`
    tailText.push(`,${stamp},${cats[next() % 10]},${(next() % 100000) / 100},${((next() % 2000001) - 1000000) / 1e6},${next() % 1000000}\n`)
  }
  const tails = Buffer.from(tailText.join(''), 'latin1')
  const offsets = new Uint32Array(TAILS + 1)
  for (let i = 0, o = 0; i < TAILS; i++) offsets[i + 1] = o += tailText[i].length
  const CHUNK = 4 * 1024 * 1024
  let id = 0
  await writeChunks(file, bytes, () => {
    const out = Buffer.allocUnsafe(CHUNK + 256)
    let pos = id === 0 ? out.write('id,time,category,amount,ratio,count\n', 0, 'latin1') : 0
    // Byte loops rather than Buffer methods: a call into C++ per field costs more than the copy.
    const digits = new Uint8Array(16)
    while (pos < CHUNK) {
      let n = 0
      for (let v = ++id; v > 0; v = Math.floor(v / 10)) digits[n++] = 48 + (v % 10)
      while (n > 0) out[pos++] = digits[--n]
      const t = next() & (TAILS - 1)
      for (let i = offsets[t], end = offsets[t + 1]; i < end; i++) out[pos++] = tails[i]
    }
    return out.subarray(0, pos)
  })
}

/** Bytes indistinguishable from compressed data (an AES-CTR keystream): what a .parquet, .jpg or .gz dataset looks like to gzip. */
export async function writeIncompressible(file, bytes, seed = 7) {
  const key = Buffer.alloc(16, seed)
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16, 0))
  const zeros = Buffer.alloc(4 * 1024 * 1024)
  await writeChunks(file, bytes, () => cipher.update(zeros))
}

/**
 * A repository with a long history, built with `git fast-import`: `files`
 * source files in nested folders, then `commits` commits that each edit two
 * of them. Served bare and repacked as a server would hold it. Returns the tip.
 */
export async function makeRepository(dir, { files, commits }, env) {
  await mkdir(dir, { recursive: true })
  await run('git', ['init', '-q', '--bare', '-b', 'main', dir], { env })
  const next = prng(1234)
  const contents = []
  const pathOf = (i) => `src/pkg${i % 40}/sub${i % 7}/module_${i}.py`
  const line = (i, j) => `def f_${i}_${j}(x, y=${next() % 1000}):\n    return x * ${next() % 100000} + y - ${next() % 977}  # step ${j}\n`
  for (let i = 0; i < files; i++) {
    const lines = []
    for (let j = 0; j < 8 + (next() % 40); j++) lines.push(line(i, j))
    contents.push(lines)
  }
  const fi = spawn('git', ['fast-import', '--quiet', '--done', '--date-format=raw'], {
    cwd: dir,
    env,
    stdio: ['pipe', 'inherit', 'inherit']
  })
  const done = new Promise((resolve, reject) => {
    fi.on('error', reject)
    fi.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))))
  })
  const write = async (s) => {
    if (!fi.stdin.write(s)) await once(fi.stdin, 'drain')
  }
  const who = 'Bench <bench@job-packager.invalid>'
  const blob = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`
  let t = 1_600_000_000
  let header = `commit refs/heads/main\nauthor ${who} ${t} +0000\ncommitter ${who} ${t} +0000\n${blob('initial')}`
  await write(
    header +
      contents.map((c, i) => `M 100644 inline ${pathOf(i)}\n${blob(c.join(''))}`).join('') +
      `M 100644 inline README.md\n${blob('# bench repository\n')}`
  )
  for (let c = 1; c < commits; c++) {
    t += 600
    let body = `commit refs/heads/main\nauthor ${who} ${t} +0000\ncommitter ${who} ${t} +0000\n${blob(`change ${c}`)}`
    for (let k = 0; k < 2; k++) {
      const i = next() % files
      const lines = contents[i]
      // Edit a line, and now and then add one, as real commits do.
      lines[next() % lines.length] = line(i, c)
      if (next() % 4 === 0 && lines.length < 120) lines.push(line(i, lines.length))
      body += `M 100644 inline ${pathOf(i)}\n${blob(lines.join(''))}`
    }
    await write(body)
  }
  fi.stdin.end('done\n')
  await done
  // fast-import deltas each blob against the previous one in the stream, not the same file's last
  // version; repack with deltas across history, as a hosting server stores repositories.
  await run('git', ['repack', '-a', '-d', '-f', '-q', '--window=10', '--depth=50'], { cwd: dir, env })
  const tip = (await run('git', ['rev-parse', 'refs/heads/main'], { cwd: dir, env })).stdout.trim()
  const count = (await run('git', ['count-objects', '-v'], { cwd: dir, env })).stdout
  const packKiB = Number(/size-pack: (\d+)/.exec(count)?.[1] ?? 0)
  return { tip, packBytes: packKiB * 1024 }
}

export function run(cmd, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`))
    )
  })
}
