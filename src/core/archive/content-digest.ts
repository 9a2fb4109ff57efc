/**
 * The content digest: one sha256 that names what a package holds — every
 * file's and symlink's path, mode and content hash, in path order — and
 * nothing about how it was packed (job id, compressor, mtimes). Two jobs with
 * the same code, data and command have the same content digest whatever
 * their ids.
 */
import { createHash } from 'node:crypto'
import type { TreeEntry } from './walk.js'

export function contentDigest(entries: readonly TreeEntry[]): string {
  const hash = createHash('sha256')
  for (const e of entries) {
    if (e.type === 'directory') continue
    // Files are hashed by the walk or by the archive writer; digesting before either would silently name nothing.
    if (e.sha256 === undefined) throw new Error(`content digest: ${e.path} has not been hashed yet`)
    const mode = e.type === 'symlink' ? '120000' : e.mode === 0o755 ? '100755' : '100644'
    hash.update(`${mode} ${e.sha256} ${e.path}\0`)
  }
  return `sha256:${hash.digest('hex')}`
}
