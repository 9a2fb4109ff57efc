/**
 * Tar headers for the archive writer (tar-archive.ts), encoded by node-tar's
 * Header and Pax classes: POSIX ustar, with a pax extended header only for
 * what ustar cannot hold (a long path or link target, a size of 8 GiB or
 * more). Owner 0/0 with no user or group names and one fixed mtime: nothing
 * about the machine that packed it, so the same tree gives the same bytes.
 *
 * node-tar encodes the format; we drive the stream. Its own `create` reads
 * each file itself, so the content digest would need a second read of every
 * byte, and it has been seen never to settle on some trees (TESTING-NOTES);
 * the writer reads each file once, into the buffers that are compressed.
 */
import { Header, Pax, type HeaderData } from 'tar'

export const RECORD = 512

export type TarType = 'file' | 'directory' | 'symlink'

export interface TarHeader {
  /** Full path in the archive; directories end with '/'. */
  path: string
  type: TarType
  mode: number
  size: number
  /** Seconds since the epoch. */
  mtime: number
  linkname?: string
}

const NODE_TAR_TYPE: Record<TarType, HeaderData['type']> = { file: 'File', directory: 'Directory', symlink: 'SymbolicLink' }

/** Bytes of the header(s) for one entry: 512, or a pax header and its data first when ustar is not enough. */
export function encodeHeader(h: TarHeader): Buffer {
  const data: HeaderData = {
    path: h.path,
    type: NODE_TAR_TYPE[h.type],
    mode: h.mode,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size: h.size,
    mtime: new Date(h.mtime * 1000),
    linkpath: h.linkname ?? ''
  }
  const header = new Header(data)
  const needsPax = header.encode()
  const ustar = header.block!
  if (!needsPax) return ustar
  // Only what ustar could not hold goes into the extended header (no atime/ctime: portable).
  const pax = new Pax({ path: h.path, linkpath: h.linkname, size: h.size, mtime: data.mtime }, false)
  return Buffer.concat([pax.encode(), ustar])
}

/** Zero bytes that follow `size` bytes of content to fill the last 512-byte record. */
export function padding(size: number): number {
  return (RECORD - (size % RECORD)) % RECORD
}
