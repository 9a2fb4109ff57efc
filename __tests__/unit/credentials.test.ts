/**
 * The pure decisions behind issue 20: the one credential rule every client
 * asks (net/token-origin.ts), which token realms are asked for a token
 * (oci/registry-client.ts), and what the Redactor takes (redact.ts).
 */
import { describe, expect, it } from '@jest/globals'
import { credentialForHops, dataTokenForHop, tokenForRepository } from '../../src/core/net/token-origin.js'
import { tokenRealmVerdict } from '../../src/core/oci/registry-client.js'
import { Redactor, redactUrl } from '../../src/core/redact.js'
import { validateJob } from '../../src/core/packager.js'
import { SpecError } from '../../src/core/errors.js'

const hops = (...urls: string[]): URL[] => urls.map((u) => new URL(u))
const bound = { value: 'secret-value', origin: 'https://git.example' }

describe('credentialForHops', () => {
  it('gives the credential while every hop is on its origin', () => {
    expect(credentialForHops(bound, hops('https://git.example/a'))).toBe('secret-value')
    expect(credentialForHops(bound, hops('https://git.example/a', 'https://GIT.example:443/b'))).toBe('secret-value')
  })

  it('withholds it from another origin, and from every hop after a redirect left the origin, even back on it', () => {
    expect(credentialForHops(bound, hops('https://other.example/a'))).toBeUndefined()
    expect(credentialForHops(bound, hops('http://git.example/a'))).toBeUndefined()
    expect(credentialForHops(bound, hops('https://git.example:8443/a'))).toBeUndefined()
    expect(credentialForHops(bound, hops('https://git.example/a', 'https://cdn.example/x'))).toBeUndefined()
    expect(credentialForHops(bound, hops('https://git.example/a', 'https://cdn.example/x', 'https://git.example/chosen'))).toBeUndefined()
  })

  it('gives nothing without a credential, an origin or a hop', () => {
    expect(credentialForHops(undefined, hops('https://git.example/a'))).toBeUndefined()
    expect(credentialForHops({ value: 'x', origin: '' }, hops('https://git.example/a'))).toBeUndefined()
    expect(credentialForHops(bound, [])).toBeUndefined()
  })

  it('is the rule of the git token and the data token too', () => {
    const git = { url: 'https://git.example/o/r.git', protocol: 'https' as const, origin: 'https://git.example' }
    expect(tokenForRepository(git, 't', 'https://git.example')).toEqual({ token: 't' })
    expect(tokenForRepository(git, 't', 'https://other.example')).toEqual({ withheldFrom: 'https://git.example' })
    expect(tokenForRepository(git, 't', '')).toEqual({ withheldFrom: 'https://git.example' })
    const auth = { token: 'd', origin: 'https://git.example' }
    expect(dataTokenForHop(auth, hops('https://git.example/a', 'https://s3.example/x', 'https://git.example/b'))).toBeUndefined()
  })
})

describe('tokenRealmVerdict', () => {
  const https = new URL('https://registry.example')
  const http = new URL('http://registry.example:5000')
  it('accepts https anywhere, and plain http only on the registry’s own origin when the registry is http', () => {
    expect(tokenRealmVerdict(new URL('https://auth.example/token'), https)).toBe('ok')
    expect(tokenRealmVerdict(new URL('http://registry.example:5000/token'), http)).toBe('ok')
    expect(tokenRealmVerdict(new URL('http://auth.example/token'), https)).toBe('plain-http')
    expect(tokenRealmVerdict(new URL('http://auth.example/token'), http)).toBe('plain-http')
    expect(tokenRealmVerdict(new URL('http://registry.example/token'), https)).toBe('plain-http')
    expect(tokenRealmVerdict(new URL('file:///etc/passwd'), https)).toBe('not-http')
    expect(tokenRealmVerdict(new URL('ftp://auth.example/t'), https)).toBe('not-http')
  })
})

describe('redaction', () => {
  it('structural redaction keeps host, port and path, and drops userinfo and the query', () => {
    expect(redactUrl('https://u:p@data.example:8443/a/b.csv?X-Amz-Signature=abc&x=1')).toBe('https://***@data.example:8443/a/b.csv?***')
  })

  it('the Redactor masks a registered secret in log text, and ignores ones too short to be secrets', () => {
    const r = new Redactor()
    r.add('abc')
    r.add('s3cr3t-token')
    expect(r.apply('abc then s3cr3t-token and its base64 czNjcjN0LXRva2Vu')).toBe('abc then *** and its base64 ***')
  })
})

describe('a secret in a URL that would be recorded', () => {
  it('is refused before any network, naming the field and never showing the secret', () => {
    const spec = {
      git_url: 'https://git.example/o/r.git',
      commit_hash: 'a'.repeat(40),
      command: 'true',
      data_url: ['https://data.example/ok.csv', 'https://data.example/d4t4-t0ken-value/file.csv']
    }
    const options = { dataToken: 'd4t4-t0ken-value', dataTokenOrigin: 'https://data.example' }
    let err: unknown
    try {
      validateJob(spec, options)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(SpecError)
    const message = (err as Error).message
    expect(message).toMatch(
      /^Invalid data_url\[1\]: holds the value of dataToken in its address, which job\.json and the provenance statement would record\. Accepted: a URL without the secret/
    )
    expect(message).not.toContain('d4t4-t0ken-value')
    // In the query it is redacted structurally, so it is not recorded: accepted.
    expect(() => validateJob({ ...spec, data_url: ['https://data.example/f.csv?sig=d4t4-t0ken-value'] }, options)).not.toThrow()
  })
})
