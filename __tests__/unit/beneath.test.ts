/**
 * The claim fs/beneath.ts rests on: on Linux, opening
 * `/proc/self/fd/<dirfd>/<name>` with O_NOFOLLOW resolves `name` in the open
 * folder itself (like openat), whatever has since happened to that folder's
 * path, and follows no symlink.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { treeBytes } from '../../src/core/run/capture.js'
import { DirHandle, readFileBeneath } from '../../src/core/fs/beneath.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  root = await tempDir('jp-beneath-')
})
afterAll(async () => {
  await root?.cleanup()
})

describe('walking beneath a folder by descriptor', () => {
  it('reads a folder through its descriptor after its path was swapped for a symlink', async () => {
    const host = path.join(root.dir, 'host')
    await mkdir(host)
    await writeFile(path.join(host, 'f'), 'HOST\n')
    const d = path.join(root.dir, 'a', 'd')
    await mkdir(d, { recursive: true })
    await writeFile(path.join(d, 'f'), 'JOB\n')
    const dir = await DirHandle.open(d)
    try {
      // The folder moves away and a symlink to the host folder takes its path.
      await rename(d, path.join(root.dir, 'a', 'moved'))
      await symlink(host, d)
      expect(await dir.names()).toEqual(['f'])
      const opened = await dir.openFile('f')
      if (!('file' in opened)) throw new Error(opened.reason)
      expect(await opened.file.readFile('utf8')).toBe('JOB\n')
      await opened.file.close()
      // The path now leads to the host: a path walk would read it, a descriptor walk never does.
      const parent = await DirHandle.open(path.join(root.dir, 'a'))
      expect(await parent.openDir('d')).toEqual({ reason: expect.stringMatching(/no longer a folder|symlink/) })
      expect(await parent.openFile('d')).toEqual({ reason: 'a symlink; only files and folders are kept' })
      await parent.close()
    } finally {
      await dir.close()
    }
  })

  it('reads a file beneath a root only if no component is a symlink', async () => {
    const r = path.join(root.dir, 'r')
    await mkdir(path.join(r, 'sub'), { recursive: true })
    await writeFile(path.join(r, 'sub', 'x'), 'x\n')
    await symlink(path.join(root.dir, 'host'), path.join(r, 'link'))
    await symlink(path.join(r, 'sub', 'x'), path.join(r, 'xlink'))
    expect((await readFileBeneath(r, 'sub/x'))?.toString()).toBe('x\n')
    expect(await readFileBeneath(r, 'link/f')).toBeUndefined()
    expect(await readFileBeneath(r, 'xlink')).toBeUndefined()
    expect(await readFileBeneath(r, '../host/f')).toBeUndefined()
    expect(await readFileBeneath(r, 'sub')).toBeUndefined()
  })

  it('counts the output limit without following symlinks', async () => {
    const t = path.join(root.dir, 't')
    await mkdir(path.join(t, 'sub'), { recursive: true })
    await writeFile(path.join(t, 'sub', 'x'), '12345')
    await symlink('/etc', path.join(t, 'etc'))
    await symlink('/etc/passwd', path.join(t, 'passwd'))
    expect(await treeBytes(t)).toBe(5)
    await rm(t, { recursive: true })
    expect(await treeBytes(t)).toBe(0)
  })
})
