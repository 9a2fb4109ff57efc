/**
 * File-system errors in words a user can act on: the errno codes a full disk,
 * a read-only or unwritable output folder, or a quota produce, instead of
 * Node's "ENOSPC: no space left on device, write".
 */

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ENOTDIR':
      return 'a part of the path is not a folder'
    case 'ENOENT':
      return 'no such file or folder'
    case 'EDQUOT':
      return 'disk quota exceeded'
    default:
      return (err as Error).message
  }
}
