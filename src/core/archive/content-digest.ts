/**
 * The content digest: one sha256 that names what a package holds — every
 * file's and symlink's path, mode and content hash, in path order — and
 * nothing about how it was packed (job id, compressor, mtimes). Two jobs with
 * the same code, data and command have the same content digest whatever
 * their ids. files.sha256 (file-list.ts) lists the same triples, one per line.
 */
import { createHash } from 'node:crypto'
import { digestMode, type ListedFile } from './file-list.js'
import type { TreeEntry } from './walk.js'

export function contentDigest(entries: readonly TreeEntry[]): string {
  const listed: ListedFile[] = []
  for (const e of entries) {
    if (e.type === 'directory') continue
    // Files are hashed by the walk or by the archive writer; digesting before either would silently name nothing.
    if (e.sha256 === undefined) throw new Error(`content digest: ${e.path} has not been hashed yet`)
    listed.push({ path: e.path, mode: digestMode(e), sha256: e.sha256 })
  }
  return listedDigest(listed)
}

/** The content digest of a file list's lines (as they stand, in their order). */
export function listedDigest(files: readonly ListedFile[]): string {
  const hash = createHash('sha256')
  for (const f of files) hash.update(`${f.mode} ${f.sha256} ${f.path}\0`)
  return `sha256:${hash.digest('hex')}`
}
