/**
 * Our own unpacking of an Actions cache archive, which takes exactly one
 * regular file out of it and nothing else.
 *
 * Why not @actions/cache's restore: it runs `tar -xf ARCHIVE -P -C
 * $GITHUB_WORKSPACE`, and `-P` keeps absolute names and `..`. Anyone who can
 * write an entry this branch reads (any workflow of the repository, under a
 * key that is predictable for a pinned dataset) could add a member such as
 * `/home/runner/.bashrc` and have it written on the runner, before any of
 * our checks see the dataset. Re-hashing the dataset does not undo that.
 *
 * So the archive is read here, as data: decompressed by the `zstd` program
 * (the one the client itself used to write it; its presence is how the
 * client picks zstd) or by Node's gunzip, parsed by node-tar's Parser (which
 * writes nothing), and the one member whose name is the one we saved, a
 * regular file, is written to `dest` in a private, empty folder. Anything
 * else in the archive (an absolute or `..` path, a link, a device, a FIFO, a
 * directory, another file, the file twice, a header the parser warns about)
 * refuses the whole entry: nothing of it is used, and the caller downloads.
 *
 * The expected member name itself may start with `../`: the client stores
 * paths relative to GITHUB_WORKSPACE, and our staging file lives under
 * RUNNER_TEMP, beside it. That is harmless here because a member's name is
 * only ever compared, never used as a path: the bytes go to `dest`.
 */
import { spawn } from 'node:child_process'
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { Parser, type ReadEntry } from 'tar'
import { CacheEntryRefused } from '../core/index.js'

export type CacheCompression = 'zstd' | 'gzip'

export interface ExtractOneRequest {
  /** The downloaded archive (a private file). */
  archive: string
  compression: CacheCompression
  /** The one member name the archive may hold, as the client wrote it. */
  member: string
  /** Where that member's bytes go: a new file in a private, empty folder. */
  dest: string
  /** What messages call the entry (its key). */
  entry: string
  /** The largest file accepted. */
  maxBytes?: number
  signal?: AbortSignal
}

/** Headers, pax records and padding around the one file: generous, and still a bound on a decompression bomb. */
const ARCHIVE_OVERHEAD = 16 * 1024 * 1024

const KINDS: Record<string, string> = {
  Link: 'a hard link',
  SymbolicLink: 'a symbolic link',
  CharacterDevice: 'a device',
  BlockDevice: 'a device',
  FIFO: 'a FIFO',
  Directory: 'a directory',
  GNUDumpDir: 'a directory'
}
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile'])

/** A member name for a message: quoted (it is untrusted text) and cut short. */
function quoted(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name)
}

/** What is wrong with a member that is not the expected file, in words. */
function describeMember(e: ReadEntry, member: string, seen: boolean): string {
  const name = quoted(e.path)
  if (FILE_TYPES.has(e.type) && e.path === member) return `the file ${name} twice`
  const kind = KINDS[e.type]
  if (kind) return `${kind}, ${name}${e.linkpath !== undefined ? ` (to ${quoted(e.linkpath)})` : ''}`
  if (e.path.startsWith('/')) return `a member with an absolute path, ${name}`
  if (e.path.split(/[\\/]/).includes('..')) return `a member with .. in its path, ${name}`
  return `${FILE_TYPES.has(e.type) ? (seen ? 'a second file' : 'another file') : `a ${e.type} member`}, ${name}`
}

/** A promise that never rejects: it settles with the error, or undefined (no unhandled rejection when it is not awaited). */
function settled(p: Promise<unknown>): Promise<Error | undefined> {
  return p.then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err)))
  )
}

/**
 * Writes the one member to `dest`. Throws CacheEntryRefused when the archive
 * holds anything else, or is not a readable archive; `dest` is then removed.
 * The abort signal stops it (the decompressor is killed) and is rethrown.
 */
export async function extractOneFile(req: ExtractOneRequest): Promise<void> {
  req.signal?.throwIfAborted()
  const refuse = (why: string): CacheEntryRefused =>
    new CacheEntryRefused(
      `the Actions cache entry ${req.entry} holds ${why}, not only the one file ${quoted(req.member)}; none of it was used`
    )
  let refusal: Error | undefined
  let written: Promise<Error | undefined> = Promise.resolve(undefined)
  let out: WriteStream | undefined
  let found = false
  let onStop: () => void = () => {}
  const stopped = new Promise<void>((resolve) => (onStop = resolve))

  const source = decompress(req)
  const stop = (err: Error): void => {
    refusal ??= err
    source.kill()
    out?.destroy()
    onStop()
  }
  const onAbort = (): void => stop(req.signal?.reason instanceof Error ? req.signal.reason : new Error('aborted'))
  req.signal?.addEventListener('abort', onAbort, { once: true })

  const parser = new Parser({
    strict: true,
    onwarn: (_code, message) =>
      stop(new CacheEntryRefused(`the Actions cache entry ${req.entry} is not a readable archive (${message}); none of it was used`)),
    onReadEntry: (e: ReadEntry) => {
      if (refusal || found || !FILE_TYPES.has(e.type) || e.path !== req.member) {
        stop(refusal ?? refuse(describeMember(e, req.member, found)))
        e.resume()
        return
      }
      found = true
      if (req.maxBytes !== undefined && e.size > req.maxBytes) {
        stop(
          new CacheEntryRefused(
            `the Actions cache entry ${req.entry} holds ${e.size} bytes, more than the ${req.maxBytes} a dataset may have`
          )
        )
        e.resume()
        return
      }
      // Exclusive and private: the folder is new and ours, and nothing else may be there.
      const file = createWriteStream(req.dest, { flags: 'wx', mode: 0o600 })
      out = file
      written = settled(
        new Promise<void>((resolve, reject) => {
          file.on('close', resolve)
          file.on('error', (err) => {
            stop(err)
            reject(err)
          })
        })
      )
      e.pipe(file)
    }
  })
  const parsed = settled(
    new Promise<void>((resolve, reject) => {
      parser.on('close', resolve)
      parser.on('error', reject)
    })
  )

  try {
    let total = 0
    const cap = (req.maxBytes ?? Number.MAX_SAFE_INTEGER) + ARCHIVE_OVERHEAD
    try {
      for await (const chunk of source.stream as AsyncIterable<Buffer>) {
        total += chunk.length
        if (total > cap) stop(refuse(`more than ${cap} bytes of archive`))
        else if (!parser.write(chunk)) await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), stopped])
        if (refusal) break
      }
    } catch (err) {
      // Killed by a refusal or the abort (then that is the error to report), or a read error.
      refusal ??= err as Error
    }
    if (!refusal) {
      parser.end()
      // A decompressor that failed explains whatever the parser then said about the truncated tar.
      const failed = await source.done
      refusal = failed ?? refusal ?? (await parsed) ?? (await written)
    }
    if (refusal) throw refusal
    if (!found)
      throw new CacheEntryRefused(
        `the Actions cache entry ${req.entry} holds no file ${quoted(req.member)}; it was saved from another path layout and is not used`
      )
  } catch (err) {
    source.kill()
    out?.destroy()
    await written
    await rm(req.dest, { force: true })
    req.signal?.throwIfAborted()
    if (err instanceof CacheEntryRefused) throw err
    throw refuse(`something unreadable (${(err as Error).message})`)
  } finally {
    req.signal?.removeEventListener('abort', onAbort)
  }
}

interface Decompressed {
  /** The archive's plain tar bytes. */
  stream: Readable
  /** Settles when the decompressor is done: with its failure, or undefined. */
  done: Promise<Error | undefined>
  /** Stops it (a refusal, the deadline). */
  kill(): void
}

function decompress(req: ExtractOneRequest): Decompressed {
  if (req.compression === 'gzip') {
    const file = createReadStream(req.archive)
    const gunzip = file.pipe(createGunzip())
    file.on('error', (err) => gunzip.destroy(err))
    return {
      stream: gunzip,
      done: Promise.resolve(undefined),
      kill: () => {
        file.destroy()
        gunzip.destroy()
      }
    }
  }
  // The client wrote it with `zstdmt` (no --long for zstd-without-long), so plain `zstd -d` reads it.
  const child = spawn('zstd', ['-d', '-c', '-q', '--', req.archive], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-2000)))
  const done = settled(
    new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code, sig) =>
        code === 0
          ? resolve()
          : reject(new Error(`zstd could not decompress it (${sig ?? `exit ${code}`}${stderr ? `: ${stderr.trim()}` : ''})`))
      )
    })
  )
  return {
    stream: child.stdout,
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      child.stdout.destroy()
    }
  }
}
