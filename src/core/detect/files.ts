/**
 * The only way detection reads the checked-out code. It looks at names
 * directly inside code/ (never a path with a separator, so nothing can walk
 * out of the tree), uses lstat so a symlink is reported rather than followed
 * (a requirements.txt pointing at /etc/shadow or at another checkout must
 * never be read, nor copied into the image as a dependency manifest), and
 * caps how much it reads: a 2 GB "package.json" must not exhaust memory.
 */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, open, readdir } from 'node:fs/promises'
import path from 'node:path'

/** Dependency manifests are small; anything larger is not one we trust to parse. */
export const MAX_MANIFEST_BYTES = 1024 * 1024
/** Lockfiles are hashed (for job.json), never parsed whole; a larger one is not reported by hash. */
export const MAX_HASHED_BYTES = 256 * 1024 * 1024

export type FileStatus =
  | { state: 'missing' }
  | { state: 'symlink' }
  | { state: 'not-a-file' }
  | { state: 'too-large'; size: number }
  | { state: 'ok'; text: string; size: number }

/** What detection knows about the top level of code/. */
export interface CodeFiles {
  /** Names of the entries directly inside code/, sorted (so notes are deterministic). */
  names: readonly string[]
  /** Reads a top-level file as UTF-8 under the cap; results are cached per name. */
  read(name: string, maxBytes?: number): Promise<FileStatus>
  /** The first `bytes` bytes of a top-level regular file (for large files such as lockfiles, where only the head matters). */
  head(name: string, bytes: number): Promise<string | undefined>
  /** lstat-based: true only for a regular file (not a symlink, not a folder). */
  isRegularFile(name: string): Promise<boolean>
  /** sha256 (hex) of a top-level regular file's bytes, streamed; undefined if it is not one or is over MAX_HASHED_BYTES. */
  sha256(name: string): Promise<string | undefined>
  /**
   * Where a name is, relative to code/: the name itself, or "binder/NAME" when
   * it is read from a configuration folder (binder.ts). Install steps copy and
   * name files by this path; it is always one of our fixed names, at most one
   * folder deep.
   */
  path(name: string): string
}

export async function openCodeFiles(codeDir: string, folder = ''): Promise<CodeFiles> {
  let names: string[] = []
  try {
    names = (await readdir(codeDir)).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const present = new Set(names)
  const cache = new Map<string, Promise<FileStatus>>()

  const read = (name: string, maxBytes = MAX_MANIFEST_BYTES): Promise<FileStatus> => {
    checkName(name)
    const key = `${name}\u0000${maxBytes}`
    let hit = cache.get(key)
    if (!hit) {
      hit = readOne(codeDir, name, maxBytes, present.has(name))
      cache.set(key, hit)
    }
    return hit
  }
  const isRegularFile = async (name: string): Promise<boolean> => {
    checkName(name)
    if (!present.has(name)) return false
    return (await lstat(path.join(codeDir, name))).isFile()
  }
  return {
    names,
    read,
    isRegularFile,
    path: (name) => (folder === '' ? name : `${folder}/${name}`),
    head: async (name, bytes) => {
      if (!(await isRegularFile(name))) return undefined
      return (await readCapped(path.join(codeDir, name), bytes)).subarray(0, bytes).toString('utf8')
    },
    sha256: async (name) => {
      if (!(await isRegularFile(name))) return undefined
      return hashCapped(path.join(codeDir, name), MAX_HASHED_BYTES)
    }
  }
}

function checkName(name: string): void {
  if (name === '' || name.includes('/') || name.includes(path.sep) || name === '.' || name === '..')
    throw new Error(`detection reads top-level names only, got ${JSON.stringify(name)}`)
}

/** Reads at most `maxBytes + 1` bytes, so "larger than the cap" is visible without reading the rest. */
async function readCapped(file: string, maxBytes: number): Promise<Buffer> {
  // O_NOFOLLOW: if the file were swapped for a symlink between lstat and open, open fails instead of
  // following it; O_NONBLOCK: a FIFO swapped in cannot block the open. fstat then checks what was opened.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`${path.basename(file)} is not a regular file`)
    const buf = Buffer.alloc(maxBytes + 1)
    let length = 0
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    return buf.subarray(0, length)
  } finally {
    await handle.close()
  }
}

/** Streams a file through sha256 with the same open flags as readCapped; undefined when it is over the cap. */
async function hashCapped(file: string, maxBytes: number): Promise<string | undefined> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    if (!(await handle.stat()).isFile()) return undefined
    const hash = createHash('sha256')
    const buf = Buffer.alloc(1024 * 1024)
    let total = 0
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      total += bytesRead
      if (total > maxBytes) return undefined
      hash.update(buf.subarray(0, bytesRead))
    }
    return hash.digest('hex')
  } finally {
    await handle.close()
  }
}

async function readOne(codeDir: string, name: string, maxBytes: number, present: boolean): Promise<FileStatus> {
  if (!present) return { state: 'missing' }
  const file = path.join(codeDir, name)
  const st = await lstat(file)
  if (st.isSymbolicLink()) return { state: 'symlink' }
  if (!st.isFile()) return { state: 'not-a-file' }
  if (st.size > maxBytes) return { state: 'too-large', size: st.size }
  const buf = await readCapped(file, maxBytes)
  if (buf.length > maxBytes) return { state: 'too-large', size: st.size }
  return { state: 'ok', text: buf.toString('utf8').replace(/^\uFEFF/, ''), size: buf.length }
}

/** Why a file was not used, for notes and logs. */
export function describeUnreadable(
  name: string,
  status: Exclude<FileStatus, { state: 'ok' } | { state: 'missing' }>,
  maxBytes = MAX_MANIFEST_BYTES
): string {
  switch (status.state) {
    case 'symlink':
      return `${name} is a symbolic link; ignored (detection never follows links, which could point outside the code)`
    case 'not-a-file':
      return `${name} is not a regular file; ignored`
    case 'too-large':
      return `${name} is ${status.size} bytes, over the ${maxBytes}-byte limit for a manifest; ignored`
  }
}
