/**
 * run/sandbox.ts's two rules, as pure decisions: may an engine build and run
 * a package (sandboxVerdict), and which numeric user a job runs as
 * (resolveJobUser). The real engines carry them out in
 * container/sandbox.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { resolveJobUser, sandboxVerdict } from '../../src/core/run/sandbox.js'

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1::/:/bin/false',
  'boss:x:0:0::/:/bin/sh',
  'app:x:1000:1001::/home/app:/bin/sh',
  ''
].join('\n')
const GROUP = ['root:x:0:', 'staff:x:50:', 'app:x:1001:', ''].join('\n')
const accounts = { passwd: PASSWD, group: GROUP }

describe('sandboxVerdict', () => {
  const weak = { kind: 'weak', why: 'no OCI runtime' } as const
  it('refuses an untrusted package where only weak isolation is left, naming why', () => {
    expect(sandboxVerdict('buildah', weak, false)).toEqual({ verdict: 'refused', why: 'no OCI runtime' })
  })
  it('lets a trusted package run with the weak isolation, and says so', () => {
    expect(sandboxVerdict('buildah', weak, true)).toEqual({ verdict: 'trusted', isolation: weak })
  })
  it('isolates an untrusted package where the engine can', () => {
    expect(sandboxVerdict('buildah', { kind: 'isolated' }, false)).toEqual({ verdict: 'isolated' })
    expect(sandboxVerdict('docker', { kind: 'isolated' }, false)).toEqual({ verdict: 'isolated' })
  })
  it('never refuses the none engine (chosen by name, documented as trusted-only)', () => {
    expect(sandboxVerdict('none', { kind: 'none' }, false)).toEqual({ verdict: 'trusted', isolation: { kind: 'none' } })
  })
})

describe('resolveJobUser', () => {
  it.each([
    ['', 10001, 10001, true],
    ['root', 10001, 10001, true],
    ['0', 10001, 10001, true],
    ['0:0', 10001, 10001, true],
    ['1000', 1000, 1001, false],
    ['0010', 10, 10, false],
    ['app', 1000, 1001, false],
    ['app:staff', 1000, 50, false],
    ['2000:0', 2000, 0, false],
    [' 10001:10001 ', 10001, 10001, false]
  ])('USER %j runs as %i:%i', (declared, uid, gid, replaced) => {
    expect(resolveJobUser(declared, accounts, false)).toEqual({ user: { uid, gid }, replaced })
  })

  it.each(['00', '000', '000:0', '00:app', 'boss', 'boss:staff'])(
    'USER %j (root under another name) is refused; trusted, it runs as 10001',
    (declared) => {
      const v = resolveJobUser(declared, accounts, false)
      expect('refused' in v && v.refused).toMatch(/is root \(uid 0.*\) under another name; a job never runs as root\. .*--trust-package/)
      expect(resolveJobUser(declared, accounts, true)).toEqual({ user: { uid: 10001, gid: 10001 }, replaced: true })
    }
  )

  it('refuses names the image does not have, and ids past the largest', () => {
    expect(resolveJobUser('nobody', accounts, false)).toEqual({
      refused: expect.stringMatching(/no user "nobody" in its \/etc\/passwd/) as unknown
    })
    expect(resolveJobUser('app', {}, false)).toEqual({ refused: expect.stringMatching(/\(it has no \/etc\/passwd\)/) as unknown })
    expect(resolveJobUser('app:wheel', accounts, false)).toEqual({ refused: expect.stringMatching(/no group "wheel"/) as unknown })
    expect(resolveJobUser('4294967295', accounts, false)).toEqual({ refused: expect.stringMatching(/is not a uid/) as unknown })
    expect(resolveJobUser('app', { unreadable: 'docker images are not mounted' }, false)).toEqual({
      refused: expect.stringMatching(/cannot be resolved to a uid here \(docker images are not mounted\); give USER as a number/) as unknown
    })
  })
})
