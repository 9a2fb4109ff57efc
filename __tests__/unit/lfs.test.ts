/** The pure parts of Git LFS support: the pointer format and the endpoint git-lfs would derive. */
import { describe, expect, it } from '@jest/globals'
import { deriveLfsEndpoint, parseLfsPointer } from '../../src/core/git/lfs.js'
import type { GitSource } from '../../src/core/spec.js'

const OID = '4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393'

describe('parseLfsPointer', () => {
  it('reads oid and size from a pointer', () => {
    expect(parseLfsPointer(`version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 12345\n`)).toEqual({
      oid: OID,
      size: 12345
    })
  })

  it('accepts extension keys between the fields', () => {
    const text = `version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${'0'.repeat(64)}\noid sha256:${OID}\nsize 0\n`
    expect(parseLfsPointer(text)).toEqual({ oid: OID, size: 0 })
  })

  it.each([
    ['another spec version', `version https://example.invalid/spec/v2\noid sha256:${OID}\nsize 1\n`],
    ['an upper-case oid', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID.toUpperCase()}\nsize 1\n`],
    ['a short oid', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID.slice(1)}\nsize 1\n`],
    ['no size', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\n`],
    ['a negative size', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize -1\n`],
    ['trailing text', `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 1\nhello world!\n`],
    ['an ordinary file', 'print("hello")\n']
  ])('refuses %s', (_, text) => {
    expect(parseLfsPointer(text)).toBeUndefined()
  })
})

describe('deriveLfsEndpoint', () => {
  const source = (url: string, protocol: GitSource['protocol']): GitSource => ({ url, protocol })

  it.each([
    ['https://git.example.invalid/org/repo', 'https', 'https://git.example.invalid/org/repo.git/info/lfs'],
    ['https://git.example.invalid/org/repo.git', 'https', 'https://git.example.invalid/org/repo.git/info/lfs'],
    ['https://git.example.invalid/org/repo.git/', 'https', 'https://git.example.invalid/org/repo.git/info/lfs'],
    ['http://127.0.0.1:8080/repo.git', 'http', 'http://127.0.0.1:8080/repo.git/info/lfs'],
    ['ssh://git@git.example.invalid/org/repo.git', 'ssh', 'https://git.example.invalid/org/repo.git/info/lfs'],
    ['git@git.example.invalid:org/repo.git', 'ssh', 'https://git.example.invalid/org/repo.git/info/lfs']
  ] as const)('%s → %s', (url, protocol, endpoint) => {
    expect(deriveLfsEndpoint(source(url, protocol))?.href).toBe(endpoint)
  })

  it('has none for a local repository', () => {
    expect(deriveLfsEndpoint(source('file:///srv/repo.git', 'file'))).toBeUndefined()
  })
})
