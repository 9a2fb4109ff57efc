/**
 * Real packages for the verify/run tests: a repository committed with real
 * git and read over git's file transport, a dataset served on loopback, both
 * packed by packJob; and hand-made archives for what pack never writes.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { Header } from 'tar'
import { packJob, type PackOptions, type PackResult } from '../../src/core/index.js'
import type { DataServer } from './data-server.js'
import { makeRepo, type FileTree } from './git-server.js'

let n = 0

/** Packs `files` with `command` into `{root}/jobs-N/`; with a dataset when `data` is given. */
export async function makePackage(
  root: string,
  files: FileTree,
  command: string,
  opts: { data?: { server: DataServer; route: string }; jobId?: string; options?: Partial<PackOptions> } = {}
): Promise<PackResult> {
  const id = ++n
  const repo = await makeRepo(path.join(root, `repo-${id}`), files)
  return packJob(
    {
      git_url: repo.dir,
      commit_hash: repo.commit,
      command,
      data_url: opts.data ? [opts.data.server.url(opts.data.route)] : [],
      job_id: opts.jobId ?? `job-${id}`
    },
    {
      outDir: path.join(root, `jobs-${id}`),
      allowProtocols: ['file', 'http'],
      allowPrivateNetwork: true,
      retryDelayMs: 10,
      ...opts.options
    }
  )
}

/** A copy of a package's job folder to tamper with. */
export async function copyJobDir(pkg: PackResult, dest: string): Promise<string> {
  const dir = path.join(dest, pkg.jobId)
  await mkdir(dest, { recursive: true })
  await cp(pkg.jobDir, dir, { recursive: true, verbatimSymlinks: true })
  return dir
}

export interface RawEntry {
  path: string
  type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'FIFO'
  content?: string
  /** A file of this many zero bytes instead of `content` (compresses to almost nothing, like a gzip bomb). */
  zeros?: number
  linkpath?: string
  mode?: number
}

/** A gzip'd tar written header by header with node-tar's Header: any path, any type, no checks. */
export async function writeRawArchive(file: string, entries: readonly RawEntry[]): Promise<void> {
  const blocks: Buffer[] = []
  for (const e of entries) {
    const body = e.zeros !== undefined ? Buffer.alloc(e.zeros) : Buffer.from(e.content ?? '')
    const h = new Header({
      path: e.path,
      type: e.type,
      mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644),
      size: e.type === 'File' ? body.length : 0,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      linkpath: e.linkpath ?? ''
    })
    h.encode()
    blocks.push(h.block!)
    if (e.type === 'File') blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512))
  }
  blocks.push(Buffer.alloc(1024))
  await writeFile(file, gzipSync(Buffer.concat(blocks)))
}
