/**
 * What the job leaves behind: its stdout and stderr (logs.ts-style sinks,
 * capped) and what it wrote into OUTPUT_DIR, copied into the result.
 *
 * The job wrote OUTPUT_DIR, so nothing in it is trusted, and a process it
 * left behind may still be changing it: it is walked by folder descriptor
 * (fs/beneath.ts), following no symlink on any component, and only regular
 * files and folders are copied. Symlinks, devices, FIFOs and sockets are
 * left out and listed (a symlink could point at any file of the host that
 * runs the capture). Files are taken in path order until the output limit;
 * the rest is left out and listed too.
 */
import { createHash } from 'node:crypto'
import { closeSync, constants, openSync, writeSync } from 'node:fs'
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { comparePaths } from '../archive/walk.js'
import { DirHandle, typeName } from '../fs/beneath.js'

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
  const visit = async (d: DirHandle, depth: number): Promise<void> => {
    const names = await d.names().catch(() => [] as string[])
    for (const name of names) {
      // Folders by descriptor (see fs/beneath.ts); files by lstat through the folder's descriptor, which follows no link.
      const opened = depth < MAX_DEPTH ? await d.openDir(name) : { reason: '' }
      if ('dir' in opened) {
        try {
          await visit(opened.dir, depth + 1)
        } finally {
          await opened.dir.close()
        }
        continue
      }
      const st = await lstat(d.entryPath(name)).catch(() => undefined)
      if (st?.isFile()) total += st.size
    }
  }
  const root = await DirHandle.open(dir).catch(() => undefined)
  if (!root) return 0
  try {
    await visit(root, 0)
  } finally {
    await root.close()
  }
  return total
}

/** Folders nested deeper than this are left out: each level holds a descriptor open while it is read. */
export const MAX_DEPTH = 128

export interface CapturedOutput {
  files: number
  bytes: number
  /** Files left out because the limit was reached. */
  truncated: boolean
  omitted: Array<{ path: string; reason: string }>
}

/**
 * Copies OUTPUT_DIR (`src`) into `dest`: regular files and folders, in path
 * order, up to `maxBytes`. Walks by folder descriptor (fs/beneath.ts), so an
 * entry swapped for a symlink while it is read is left out, never followed;
 * an entry that vanishes or changes type is listed as left out, with why. It
 * does not throw for anything the job did to its tree: the results are
 * always written.
 */
export async function captureOutput(src: string, dest: string, maxBytes: number): Promise<CapturedOutput> {
  const out: CapturedOutput = { files: 0, bytes: 0, truncated: false, omitted: [] }
  await mkdir(dest, { mode: 0o755 })
  const visit = async (dir: DirHandle, rel: string, depth: number): Promise<void> => {
    let names: string[]
    try {
      names = (await dir.names()).sort(comparePaths)
    } catch (err) {
      out.omitted.push({ path: rel || '.', reason: `the folder could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` })
      return
    }
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name
      // What the entry is now; the type that counts is the one checked on the opened descriptor below.
      const st = await lstat(dir.entryPath(name)).catch(() => undefined)
      if (!st) {
        out.omitted.push({ path: childRel, reason: 'it vanished while it was being read' })
        continue
      }
      if (st.isDirectory()) {
        if (depth >= MAX_DEPTH) {
          out.omitted.push({ path: childRel, reason: `nested deeper than ${MAX_DEPTH} folders` })
          continue
        }
        const opened = await dir.openDir(name)
        if (!('dir' in opened)) {
          out.omitted.push({ path: childRel, reason: opened.reason })
          continue
        }
        try {
          await mkdir(path.join(dest, childRel), { mode: 0o755 })
          await visit(opened.dir, childRel, depth + 1)
        } finally {
          await opened.dir.close()
        }
      } else if (st.isFile()) {
        const opened = await dir.openFile(name)
        if (!('file' in opened)) {
          out.omitted.push({ path: childRel, reason: opened.reason })
          continue
        }
        try {
          const size = opened.stat.size
          if (out.bytes + size > maxBytes) {
            out.truncated = true
            out.omitted.push({ path: childRel, reason: `over the output limit (${size} bytes)` })
            continue
          }
          const mode = opened.stat.mode & 0o100 ? 0o755 : 0o644
          out.bytes += await copyRegular(opened.file, path.join(dest, childRel), mode, maxBytes - out.bytes)
          out.files++
        } finally {
          await opened.file.close()
        }
      } else {
        out.omitted.push({ path: childRel, reason: `${typeName(st)}; only files and folders are kept` })
      }
    }
  }
  let root: DirHandle
  try {
    root = await DirHandle.open(src)
  } catch (err) {
    out.omitted.push({ path: '.', reason: `the output folder could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` })
    return out
  }
  try {
    await visit(root, '', 0)
  } finally {
    await root.close()
  }
  return out
}

/** Copies an opened regular file; at most `room` bytes (it may still be growing). */
async function copyRegular(src: FileHandle, to: string, mode: number, room: number): Promise<number> {
  const dst = await open(to, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode)
  try {
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
    await dst.close()
  }
}
