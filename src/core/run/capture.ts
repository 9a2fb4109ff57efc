/**
 * What the job leaves behind: its stdout and stderr (logs.ts-style sinks,
 * capped) and what it wrote into OUTPUT_DIR, copied into the result.
 *
 * The job wrote OUTPUT_DIR, so nothing in it is trusted: it is read with
 * lstat, files are opened without following symlinks, and only regular
 * files and folders are copied. Symlinks, devices, FIFOs and sockets are
 * left out and listed (a symlink could point at any file of the host that
 * runs the capture). Files are taken in path order until the output limit;
 * the rest is left out and listed too.
 */
import { createHash } from 'node:crypto'
import { closeSync, constants, openSync, writeSync } from 'node:fs'
import { lstat, mkdir, open, readdir } from 'node:fs/promises'
import path from 'node:path'
import { comparePaths } from '../archive/walk.js'

/** Keeps the first `cap` bytes of a stream in a file, counts all of it, and remembers its tail. */
export class LogSink {
  private readonly fd: number
  private readonly hash = createHash('sha256')
  private tailBuf = Buffer.alloc(0)
  bytes = 0
  kept = 0

  constructor(
    readonly file: string,
    private readonly cap: number,
    private readonly tailSize = 4096
  ) {
    this.fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644)
  }

  write(chunk: Buffer): void {
    this.bytes += chunk.length
    const room = this.cap - this.kept
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room)
      for (let off = 0; off < part.length;) off += writeSync(this.fd, part, off)
      this.hash.update(part)
      this.kept += part.length
    }
    this.tailBuf = Buffer.concat([this.tailBuf, chunk]).subarray(-this.tailSize)
  }

  get truncated(): boolean {
    return this.bytes > this.kept
  }

  /** The last bytes of the stream, as text (a split character at the start is dropped). */
  tail(): string {
    return this.tailBuf.toString('utf8').replace(/^\uFFFD+/, '')
  }

  close(): { sha256: string } {
    closeSync(this.fd)
    return { sha256: this.hash.digest('hex') }
  }
}

/** Sum of the sizes of the regular files under `dir` (symlinks not followed); what the output limit counts. */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0
  const visit = async (d: string): Promise<void> => {
    let names: string[]
    try {
      names = await readdir(d)
    } catch {
      return
    }
    for (const name of names) {
      const st = await lstat(path.join(d, name)).catch(() => undefined)
      if (!st) continue
      if (st.isDirectory()) await visit(path.join(d, name))
      else if (st.isFile()) total += st.size
    }
  }
  await visit(dir)
  return total
}

export interface CapturedOutput {
  files: number
  bytes: number
  /** Files left out because the limit was reached. */
  truncated: boolean
  omitted: Array<{ path: string; reason: string }>
}

/** Copies OUTPUT_DIR (`src`) into `dest`: regular files and folders, in path order, up to `maxBytes`. */
export async function captureOutput(src: string, dest: string, maxBytes: number): Promise<CapturedOutput> {
  const out: CapturedOutput = { files: 0, bytes: 0, truncated: false, omitted: [] }
  await mkdir(dest, { mode: 0o755 })
  const visit = async (rel: string): Promise<void> => {
    const names = (await readdir(path.join(src, rel))).sort(comparePaths)
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name
      const from = path.join(src, childRel)
      const st = await lstat(from)
      if (st.isDirectory()) {
        await mkdir(path.join(dest, childRel), { mode: 0o755 })
        await visit(childRel)
      } else if (st.isFile()) {
        if (out.bytes + st.size > maxBytes) {
          out.truncated = true
          out.omitted.push({ path: childRel, reason: `over the output limit (${st.size} bytes)` })
          continue
        }
        out.bytes += await copyRegular(from, path.join(dest, childRel), st.mode & 0o100 ? 0o755 : 0o644, maxBytes - out.bytes)
        out.files++
      } else {
        const what = st.isSymbolicLink() ? 'a symlink' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device file'
        out.omitted.push({ path: childRel, reason: `${what}; only files and folders are kept` })
      }
    }
  }
  await visit('')
  return out
}

/** Copies one file opened without following symlinks; at most `room` bytes (it may still be growing). */
async function copyRegular(from: string, to: string, mode: number, room: number): Promise<number> {
  const src = await open(from, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  const dst = await open(to, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode)
  try {
    if (!(await src.stat()).isFile()) return 0
    const buf = Buffer.alloc(1024 * 1024)
    let copied = 0
    for (;;) {
      const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, room - copied))
      if (bytesRead === 0) break
      await dst.write(buf, 0, bytesRead)
      copied += bytesRead
    }
    return copied
  } finally {
    await Promise.all([src.close(), dst.close()])
  }
}
