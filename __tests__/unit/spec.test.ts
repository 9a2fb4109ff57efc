import { describe, expect, it } from '@jest/globals'
import { cliNamer } from '../../src/cli/cli-names.js'
import { SpecError } from '../../src/core/errors.js'
import { dataFileName, parseCommit, parseGitUrl, parseJobId, parseJobSpec, type GitProtocol } from '../../src/core/spec.js'

const httpsOnly = { allowProtocols: new Set<GitProtocol>(['https']) }
const all = { allowProtocols: new Set<GitProtocol>(['https', 'http', 'ssh', 'file']) }
const SHA = '7fd1a60b01f91b314f59955a4e4d4e80d8edf11d'

function specError(fn: () => unknown): SpecError {
  try {
    fn()
  } catch (err) {
    if (err instanceof SpecError) return err
    throw err
  }
  throw new Error('expected a SpecError')
}

describe('parseJobSpec', () => {
  it("accepts the seed's exact request body", () => {
    const spec = parseJobSpec(
      {
        git_url: 'https://github.com/octocat/Hello-World',
        commit_hash: SHA,
        data_url: 'https://people.sc.fsu.edu/~jburkardt/data/csv/hw_200.csv',
        command: 'python main.py'
      },
      httpsOnly
    )
    expect(spec.git).toEqual({ url: 'https://github.com/octocat/Hello-World', protocol: 'https', origin: 'https://github.com' })
    expect(spec.commit).toEqual({ value: SHA, full: true })
    expect(spec.datasets).toHaveLength(1)
    expect(spec.datasets[0]!.fileName).toBe('hw_200.csv')
    expect(spec.jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('accepts a code-only job and lists of datasets with pinned digests', () => {
    expect(parseJobSpec({ git_url: 'https://h/r', commit_hash: SHA, command: 'true' }, httpsOnly).datasets).toEqual([])
    const digest = 'a'.repeat(64)
    const spec = parseJobSpec(
      {
        git_url: 'https://h/r',
        commit_hash: SHA,
        command: 'true',
        data_url: ['https://d/x/a.csv', { url: 'https://d/y/a.csv', sha256: `sha256:${digest.toUpperCase()}` }],
        data_sha256: ['b'.repeat(64)]
      },
      httpsOnly
    )
    expect(spec.datasets.map((d) => [d.fileName, d.sha256])).toEqual([
      ['a.csv', 'b'.repeat(64)],
      ['a-2.csv', digest]
    ])
  })

  it('names the field, the problem and what is accepted', () => {
    const err = specError(() => parseJobSpec({ git_url: 'https://h/r', commit_hash: 'main', command: 'x' }, httpsOnly))
    expect(err.field).toBe('commit_hash')
    expect(err.message).toMatch(
      /^Invalid commit_hash: "main" refs, branch names and revision expressions are not accepted\. Accepted: a commit SHA/
    )
  })

  it('refuses unknown fields and non-objects', () => {
    expect(
      specError(() => parseJobSpec({ git_url: 'https://h/r', commit_hash: SHA, command: 'x', comand: 'y' }, httpsOnly)).message
    ).toContain('unknown field "comand"')
    expect(specError(() => parseJobSpec([], httpsOnly)).field).toBe('spec')
  })

  it('refuses too many digests, bad digests and wrong types', () => {
    expect(
      specError(() => parseJobSpec({ git_url: 'https://h/r', commit_hash: SHA, command: 'x', data_sha256: 'a'.repeat(64) }, httpsOnly))
        .field
    ).toBe('data_sha256')
    expect(
      specError(() =>
        parseJobSpec({ git_url: 'https://h/r', commit_hash: SHA, command: 'x', data_url: 'https://d/a', data_sha256: 'abc' }, httpsOnly)
      ).field
    ).toBe('data_sha256')
    expect(specError(() => parseJobSpec({ git_url: 'https://h/r', commit_hash: SHA, command: 5 }, httpsOnly)).message).toContain(
      'expected a string, got number'
    )
  })

  it('refuses data URLs with other schemes, credentials or plain http when not allowed', () => {
    const bad = (data_url: string) =>
      specError(() => parseJobSpec({ git_url: 'https://h/r', commit_hash: SHA, command: 'x', data_url }, httpsOnly))
    expect(bad('file:///etc/passwd').message).toContain('uses the scheme "file:"')
    expect(bad('ftp://h/x').field).toBe('data_url')
    expect(bad('http://h/x').message).toContain('plain http://')
    expect(bad('https://u:secret@h/x').message).not.toContain('secret')
  })

  it('refuses more datasets than max-datasets and a command over max-command-bytes, with the other problems, naming the options', () => {
    const spec = {
      git_url: 'https://h/r',
      commit_hash: 'main',
      command: 'x'.repeat(65 * 1024),
      data_url: Array.from({ length: 21 }, (_, i) => `https://d/${i}.csv`)
    }
    const err = specError(() => parseJobSpec(spec, { ...httpsOnly, names: cliNamer }))
    expect(err.problems.map((p) => p.field).sort()).toEqual(['command', 'commit_hash', 'data_url'])
    expect(err.message).toContain(
      'Invalid data_url: lists 21 datasets, more than the limit of 20 (--max-datasets). Accepted: at most 20 datasets; put many small files into one archive, or raise the limit (--max-datasets 21).'
    )
    expect(err.message).toContain(
      'Invalid command: is 66560 bytes long, more than the limit of 64K (--max-command-bytes). Accepted: a command of at most 64K bytes;'
    )
    // Counted in UTF-8 bytes, and overridable.
    expect(() =>
      parseJobSpec({ ...spec, commit_hash: SHA, command: 'é'.repeat(32 * 1024) }, { ...httpsOnly, maxDatasets: 21 })
    ).not.toThrow()
    expect(
      specError(() => parseJobSpec({ ...spec, commit_hash: SHA, command: 'é'.repeat(32 * 1024 + 1) }, { ...httpsOnly, maxDatasets: 21 }))
        .field
    ).toBe('command')
    expect(
      parseJobSpec({ ...spec, commit_hash: SHA }, { ...httpsOnly, maxDatasets: 21, maxCommandBytes: 65 * 1024 }).datasets
    ).toHaveLength(21)
    expect(specError(() => parseJobSpec({ ...spec, commit_hash: SHA, command: 'true' }, { ...httpsOnly, maxDatasets: 0 })).field).toBe(
      'data_url'
    )
  })
})

describe('parseCommit', () => {
  it('accepts full SHA-1 and SHA-256 ids and short prefixes', () => {
    expect(parseCommit(SHA.toUpperCase())).toEqual({ value: SHA, full: true })
    expect(parseCommit('a'.repeat(64))).toEqual({ value: 'a'.repeat(64), full: true })
    expect(parseCommit('7fd1a60')).toEqual({ value: '7fd1a60', full: false })
  })
  it.each(['7fd1a6', '--upload-pack=x', 'HEAD~1', 'refs/heads/main', 'abc def1234', 'g'.repeat(40), 'a'.repeat(65), ''])(
    'refuses %j',
    (value) => {
      expect(() => parseCommit(value)).toThrow(SpecError)
    }
  )
})

describe('parseGitUrl', () => {
  it('allows https by default and everything else only when allowed', () => {
    expect(parseGitUrl('https://example.com/a/b.git', httpsOnly).protocol).toBe('https')
    for (const url of [
      'http://example.com/a',
      'ssh://git@example.com/a',
      'git@example.com:a/b.git',
      'file:///srv/repo',
      '/srv/repo',
      './repo'
    ]) {
      expect(specError(() => parseGitUrl(url, httpsOnly)).message).toContain('not allowed here')
      expect(() => parseGitUrl(url, all)).not.toThrow()
    }
  })

  it.each([
    ['--upload-pack=touch /tmp/x', 'option'],
    ['ext::sh -c touch% /tmp/pwned', 'remote helper'],
    ['fd::17', 'remote helper'],
    ['https://user:hunter2@example.com/r', 'credentials'],
    ['https://example.com/r\nfoo', 'control'],
    ['https://example.com/r%0afoo', 'percent-encoded'],
    ['https://example.com/r?x=1', 'query'],
    ['-oProxyCommand=x@host:r', 'option'],
    ['git@-oProxyCommand=x:r', 'starts with "-"'],
    ['ssh://-oProxyCommand=x/r', 'starts with "-"'],
    ['ssh://-oProxyCommand=touch%20pwned@example.com/r', 'user name that starts with "-"'],
    ['ssh://%2DoProxyCommand=x@example.com/r', 'user name that starts with "-"'],
    ['gopher://example.com/r', 'unsupported scheme']
  ])('refuses %j', (url, why) => {
    const err = specError(() => parseGitUrl(url, all))
    expect(err.field).toBe('git_url')
    expect(err.message).toContain(why)
    expect(err.message).not.toContain('hunter2')
  })
})

describe('parseJobId', () => {
  it('defaults to a UUID v4 and accepts safe names', () => {
    expect(parseJobId(undefined)).not.toBe(parseJobId(undefined))
    expect(parseJobId('run_1.2-a')).toBe('run_1.2-a')
    expect(parseJobId('a'.repeat(64))).toBe('a'.repeat(64))
  })
  it.each(['../x', 'a/b', '.hidden', '-rf', 'a\nb', 'a:b', 'a'.repeat(65), 'é'])('refuses %j', (id) => {
    expect(() => parseJobId(id)).toThrow(/Invalid job_id/)
  })
})

describe('dataFileName', () => {
  it.each([
    ['https://h/data/hw_200.csv', 'hw_200.csv'],
    ['https://h/a/..%2F..%2Fetc%2Fpasswd', '.._.._etc_passwd'.replace(/^[.]+/, '')],
    ['https://h/', 'dataset'],
    ['https://h/%2e%2e', 'dataset'],
    ['https://h/x/..%5c..%5cwin.ini', '_.._win.ini'],
    ['https://h/a%00b.csv', 'a_b.csv'],
    ['https://h/r%C3%A9sum%C3%A9.csv', 'résumé.csv'],
    ['https://h/bad%E0%A4%A.csv', 'bad%E0%A4%A.csv']
  ])('%s → %s', (url, name) => {
    const got = dataFileName(new URL(url))
    expect(got).toBe(name)
    expect(got).not.toMatch(/[/\\\0]/)
    expect(got.startsWith('.')).toBe(false)
  })
  it('shortens very long names, keeping the extension', () => {
    const name = dataFileName(new URL(`https://h/${'x'.repeat(500)}.csv`))
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200)
    expect(name.endsWith('.csv')).toBe(true)
  })
  it.each([
    ['a long extension of emoji', `${'😀'.repeat(60)}.${'😀'.repeat(15)}`],
    ['a stem of emoji', `${'😀'.repeat(80)}.csv`],
    ['combining marks and flags', `${'e\u0301🇫🇷'.repeat(40)}.csv`],
    ['three-byte characters', `${'文'.repeat(90)}.${'件'.repeat(10)}`]
  ])('cuts %s on a character boundary: the name survives UTF-8 unchanged', (_what, long) => {
    const name = dataFileName(new URL(`https://h/d/${encodeURIComponent(long)}`))
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200)
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name)
    expect(name).not.toMatch(/\uFFFD/)
    expect(long.startsWith(name.slice(0, 10))).toBe(true)
  })
  it('replaces bidi controls, C1 controls and line separators, which would make a name read differently', () => {
    expect(dataFileName(new URL('https://h/report%E2%80%AEgpj.exe'))).toBe('report_gpj.exe')
    const all = [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200e',
      '\u200f',
      '\u061c',
      '\u0085',
      '\u009b',
      '\u2028',
      '\u2029'
    ]
    const name = dataFileName(new URL(`https://h/${encodeURIComponent(`a${all.join('')}b.csv`)}`))
    expect(name).toBe(`a${'_'.repeat(all.length)}b.csv`)
  })
})

describe('git_url validation (property)', () => {
  const fc = import('fast-check')
  it('anything accepted is safe to hand to git; anything else is a SpecError', async () => {
    const { default: check } = await fc
    const pieces = [
      '-',
      '--upload-pack=',
      'ext::',
      'fd::',
      '::',
      'https://',
      'http://',
      'ssh://',
      'file://',
      'git@',
      ':',
      '/',
      '..',
      '%0a',
      '%00',
      '\n',
      '\r',
      ' ',
      'host',
      'example.com',
      'repo.git',
      '@',
      '?',
      '#',
      'user:pw@',
      '-oProxyCommand=x'
    ]
    const arb = check.oneof(
      check.string({ unit: 'binary', maxLength: 40 }),
      check.array(check.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(''))
    )
    check.assert(
      check.property(arb, (value) => {
        for (const policy of [httpsOnly, all]) {
          let source
          try {
            source = parseGitUrl(value, policy)
          } catch (err) {
            expect(err).toBeInstanceOf(SpecError)
            continue
          }
          expect(policy.allowProtocols.has(source.protocol)).toBe(true)
          expect(source.url.startsWith('-')).toBe(false)
          // eslint-disable-next-line no-control-regex -- the property is "no control characters"
          expect(source.url).not.toMatch(/[\u0000-\u001f\u007f]/)
          expect(source.url).not.toMatch(/^[a-z][a-z0-9+.-]*::/i)
          if (source.protocol === 'https' || source.protocol === 'http') {
            const url = new URL(source.url)
            expect(url.username + url.password + url.search + url.hash).toBe('')
          }
        }
      }),
      { numRuns: 2000 }
    )
  })
})
