/**
 * files.sha256: the package's list of what the content digest covers, one
 * line per file or symlink — `mode sha256 path`, the very triples
 * content-digest.ts hashes, in the same order. It exists so that `verify`
 * can name the file that changed: the content digest alone says only that
 * something did.
 *
 * The list is tied to job.json without a field of its own: the digest of its
 * lines must be job.json's content_digest, so an edited list is caught as
 * surely as an edited file. It is itself outside the digest, like job.json.
 *
 * A path that could break the line format (a newline, a backslash, a quote,
 * any control character, or a leading space) is written as a JSON string,
 * the way git quotes such paths in its own listings; every other path is
 * written as it is, so the list reads like `git ls-tree` output.
 */
import type { TreeEntry } from './walk.js'

/** The list's name in the package's top folder. */
export const FILE_LIST = 'files.sha256'

export interface ListedFile {
  path: string
  /** '100644', '100755' or '120000' (symlink), as in the content digest. */
  mode: string
  sha256: string
}

// Control characters (C0 and DEL), a quote or a backslash anywhere, or a leading space.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_QUOTING = /[\u0000-\u001f\u007f"\\]|^ /

export function digestMode(entry: TreeEntry): string {
  return entry.type === 'symlink' ? '120000' : entry.mode === 0o755 ? '100755' : '100644'
}

/** The list's text for the entries the content digest covers (directories are skipped, as the digest skips them). */
export function renderFileList(entries: readonly TreeEntry[]): string {
  let text = ''
  for (const e of entries) {
    if (e.type === 'directory') continue
    if (e.sha256 === undefined) throw new Error(`file list: ${e.path} has not been hashed yet`)
    text += `${digestMode(e)} ${e.sha256} ${NEEDS_QUOTING.test(e.path) ? JSON.stringify(e.path) : e.path}\n`
  }
  return text
}

const LINE = /^(100644|100755|120000) ([0-9a-f]{64}) (.+)$/

/** The list's lines, or the number of the first line that is not one (1-based). */
export function parseFileList(text: string): { files: ListedFile[] } | { badLine: number } {
  const files: ListedFile[] = []
  if (text !== '' && !text.endsWith('\n')) return { badLine: text.split('\n').length }
  const lines = text.split('\n').slice(0, -1)
  for (const [i, line] of lines.entries()) {
    const m = LINE.exec(line)
    if (!m) return { badLine: i + 1 }
    let p = m[3]!
    if (p.startsWith('"')) {
      try {
        p = JSON.parse(p) as string
      } catch {
        return { badLine: i + 1 }
      }
    }
    files.push({ mode: m[1]!, sha256: m[2]!, path: p })
  }
  return { files }
}

export type FileDifference =
  | { path: string; kind: 'changed'; listed: ListedFile; actual: ListedFile }
  | { path: string; kind: 'added'; actual: ListedFile }
  | { path: string; kind: 'missing'; listed: ListedFile }

/** What differs between the list and the tree's entries (directories ignored), in path order of the tree then the list. */
export function compareFileList(listed: readonly ListedFile[], entries: readonly TreeEntry[]): FileDifference[] {
  const expected = new Map(listed.map((f) => [f.path, f]))
  const differences: FileDifference[] = []
  const seen = new Set<string>()
  for (const e of entries) {
    if (e.type === 'directory') continue
    seen.add(e.path)
    const actual: ListedFile = { path: e.path, mode: digestMode(e), sha256: e.sha256 ?? '' }
    const l = expected.get(e.path)
    if (!l) differences.push({ path: e.path, kind: 'added', actual })
    else if (l.mode !== actual.mode || l.sha256 !== actual.sha256) differences.push({ path: e.path, kind: 'changed', listed: l, actual })
  }
  for (const l of listed) if (!seen.has(l.path)) differences.push({ path: l.path, kind: 'missing', listed: l })
  return differences
}

/** One difference in words, for an error message. */
export function describeDifference(d: FileDifference): string {
  const kind = (mode: string): string => (mode === '120000' ? 'a symlink' : mode === '100755' ? 'an executable file' : 'a file')
  switch (d.kind) {
    case 'added':
      return `${d.path} is not in the package's file list (${FILE_LIST}): it was added after packing`
    case 'missing':
      return `${d.path} is missing: the package was packed with it (${kind(d.listed.mode)}, sha256 ${d.listed.sha256})`
    case 'changed':
      return d.listed.mode !== d.actual.mode
        ? `${d.path} has changed: it is ${kind(d.actual.mode)}, but was packed as ${kind(d.listed.mode)}`
        : `${d.path} has changed: its sha256 is ${d.actual.sha256}, but it was packed with ${d.listed.sha256}`
  }
}
