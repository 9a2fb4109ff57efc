/**
 * Asks a container registry which manifest a tag names, over the OCI
 * distribution API: `GET /v2/<repository>/manifests/<tag>`, with an Accept
 * header listing the four manifest types (OCI index, Docker manifest list,
 * OCI manifest, Docker manifest v2), so that a multi-platform tag answers
 * with its index and the digest pins every platform at once.
 *
 * The digest is always the sha256 of the manifest's bytes as served (read
 * whole, at most 4 MiB, the limit the spec sets for manifests); a
 * `Docker-Content-Digest` header must agree with it. A HEAD answer's digest
 * alone is never recorded: it names bytes nobody has seen, and a registry can
 * name a manifest it would never serve. (A GET of a manifest counts toward
 * Docker Hub's anonymous pull limit where a HEAD does not: one GET per pack
 * is the price of a pin that names real bytes.)
 *
 * Authentication is the anonymous bearer-token flow Docker Hub and GHCR use:
 * a 401 with `WWW-Authenticate: Bearer realm=…,service=…` sends us to the
 * realm for a token scoped to pulling this one repository; no credentials
 * are ever sent. The realm must be https (`tokenRealmVerdict`). The token
 * goes by the one credential rule (net/token-origin.ts): to the registry's
 * own origin, only while every hop of the request stayed there. It is secret
 * by construction, so it is redacted from log messages; being the server's
 * choice, it is used only when it looks like a real token (at least
 * `MIN_TOKEN_CHARS` characters), so that it cannot be a short, common string
 * that would blank out log text where it happens to occur.
 *
 * Every request goes through net/http-request.ts: https only, the address
 * policy at every hop (the realm, a redirect), redirects checked, idle
 * timeout, the caller's signal; transient failures are retried.
 */
import { createHash } from 'node:crypto'
import { DownloadError } from '../errors.js'
import {
  openUrl,
  readSmallBody,
  retryAfter,
  RETRY_STATUS,
  RetryableDownloadError,
  type NetPolicy,
  type OpenRequest
} from '../net/http-request.js'
import { credentialForHops } from '../net/token-origin.js'
import { withRetry } from '../retry.js'
import { qualifiedName, registryApiOrigin, type ImageReference } from './reference.js'

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const MANIFEST_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST]
const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST])
/** The distribution spec's limit on a manifest a registry must accept. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024
const DIGEST = /^sha256:[0-9a-f]{64}$/
/** What a bearer token may contain (RFC 6750's b64token, plus the dots of a JWT). */
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/
/**
 * The shortest bearer token used. Real ones are JWTs or long random strings;
 * a short one (`1.2.3.4`) is no secret worth the name, and as a registered
 * secret it would mask that text wherever it occurs in the log.
 */
export const MIN_TOKEN_CHARS = 16

export interface RegistryRequest extends NetPolicy {
  attempts: number
  retryDelayMs: number
}

export interface ResolvedManifest {
  digest: string
  mediaType: string
  /** An index of platforms (OCI index, Docker manifest list), not one platform's manifest. */
  multiArch: boolean
}

/**
 * The registry answered, and the answer means the tag cannot be pinned (no
 * such tag or repository, access refused, an unsupported manifest). Not
 * retried: asking again gives the same answer.
 */
export class RegistryAnswerError extends DownloadError {
  constructor(
    message: string,
    readonly reason: 'unknown-tag' | 'refused' | 'unsupported'
  ) {
    super(message, false)
  }
}

/** Resolves `ref`'s tag to the digest of the manifest (or index) it names. */
export async function resolveTagDigest(ref: ImageReference, req: RegistryRequest): Promise<ResolvedManifest> {
  if (ref.tag === undefined) throw new Error('resolveTagDigest: the reference has no tag')
  return withRetry(
    { attempts: req.attempts, delayMs: req.retryDelayMs, signal: req.signal, logger: req.logger, what: `Resolving ${qualifiedName(ref)}` },
    () => resolveOnce(ref, ref.tag!, req),
    (err) => err instanceof DownloadError && err.retryable,
    (err) => (err instanceof RetryableDownloadError ? err.retryAfterMs : undefined)
  )
}

async function resolveOnce(ref: ImageReference, tag: string, req: RegistryRequest): Promise<ResolvedManifest> {
  const origin = registryApiOrigin(ref.registry)
  const url = new URL(`${origin}/v2/${ref.repository}/manifests/${encodeURIComponent(tag)}`)
  const name = qualifiedName(ref)
  let token: string | undefined
  const get = (): Promise<Awaited<ReturnType<typeof openUrl>>> =>
    openUrl({
      ...req,
      url,
      method: 'GET',
      label: `base image ${name}`,
      subject: { name: `the container registry of ${name}`, rule: 'Container registries must be on public addresses' },
      // The token for the registry's origin only, and only while every hop stayed there (a blob store, a CDN get none).
      headers: (hops) => {
        const bearer = credentialForHops(token === undefined ? undefined : { value: token, origin }, hops)
        return { accept: MANIFEST_TYPES.join(', '), ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}) }
      }
    })

  let got = await get()
  if (got.res.statusCode === 401) {
    got.res.resume()
    token = await fetchToken(ref, new URL(origin), got.res.headers['www-authenticate'], req)
    got = await get()
  }
  const status = got.res.statusCode ?? 0
  if (status !== 200) {
    got.res.resume()
    throwForStatus(status, got.res.headers['retry-after'], name, token !== undefined)
  }
  // The bytes themselves, hashed here: what is pinned is what was served.
  const body = await readSmallBody(got.res, got.url, MAX_MANIFEST_BYTES, req)
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`
  const said = header(got.res.headers['docker-content-digest'])
  // Another algorithm's digest (sha512) cannot be checked here, and is not what is recorded.
  if (said !== undefined && DIGEST.test(said) && said !== digest) {
    throw new RegistryAnswerError(
      `${name}: the registry said the manifest's digest is ${said}, but its bytes hash to ${digest}; not pinned to either`,
      'unsupported'
    )
  }
  const mediaType = contentType(got.res.headers['content-type']) ?? mediaTypeOf(body)
  if (mediaType === undefined || !MANIFEST_TYPES.includes(mediaType)) {
    throw new RegistryAnswerError(
      `${name}: the registry answered with a manifest of type ${mediaType ?? '(none)'}, not an OCI or Docker v2 manifest or index`,
      'unsupported'
    )
  }
  return { digest, mediaType, multiArch: INDEX_TYPES.has(mediaType) }
}

function throwForStatus(status: number, retryAfterHeader: string | undefined, name: string, hadToken: boolean): never {
  if (status === 404) {
    throw new RegistryAnswerError(`${name}: the registry has no such tag (or repository) (HTTP 404)`, 'unknown-tag')
  }
  if (status === 401 || status === 403) {
    throw new RegistryAnswerError(
      `${name}: the registry refused ${hadToken ? 'the anonymous token' : 'anonymous access'} (HTTP ${status}); a private image cannot be pinned without credentials`,
      'refused'
    )
  }
  const message = `${name}: the registry answered HTTP ${status}`
  if (RETRY_STATUS(status)) throw new RetryableDownloadError(message, retryAfter(retryAfterHeader))
  throw new DownloadError(message)
}

/**
 * Whether a token realm may be asked for a token, as a decision for the
 * caller to word: https anywhere (the address policy still applies), plain
 * http only on the registry's own origin when the registry itself is served
 * over http (the token then travels no worse than every request to the
 * registry). Registries are reached over https (reference.ts), so in
 * practice a realm must be https, whatever allow-protocols says for git and
 * datasets: an http realm elsewhere would carry the token in clear.
 */
export type RealmVerdict = 'ok' | 'plain-http' | 'not-http'

export function tokenRealmVerdict(realm: URL, registry: URL): RealmVerdict {
  if (realm.protocol === 'https:') return 'ok'
  if (realm.protocol !== 'http:') return 'not-http'
  return registry.protocol === 'http:' && realm.origin === registry.origin ? 'ok' : 'plain-http'
}

/** The anonymous bearer-token flow: the challenge's realm gives a token for pulling this repository. */
async function fetchToken(
  ref: ImageReference,
  registry: URL,
  challengeHeader: string | string[] | undefined,
  req: RegistryRequest
): Promise<string> {
  const name = qualifiedName(ref)
  const challenge = parseBearerChallenge(header(challengeHeader))
  if (!challenge) {
    throw new RegistryAnswerError(
      `${name}: the registry asks for credentials without offering a bearer token (${describeChallenge(header(challengeHeader))}); only anonymous access is used`,
      'refused'
    )
  }
  let realm: URL
  try {
    realm = new URL(challenge.realm)
  } catch {
    throw new RegistryAnswerError(`${name}: the registry's token realm is not a URL`, 'unsupported')
  }
  const verdict = tokenRealmVerdict(realm, registry)
  if (verdict !== 'ok') {
    const shown = req.redactor.apply(realm.href)
    throw new RegistryAnswerError(
      verdict === 'not-http'
        ? `${name}: refused the token realm ${shown}: a ${realm.protocol} URL; a token realm must be an https URL`
        : `${name}: refused the token realm ${shown}: plain http, which would carry the token in clear; a token realm must be https (http only on the registry's own origin, when the registry itself is http)`,
      'refused'
    )
  }
  if (challenge.service !== undefined) realm.searchParams.set('service', challenge.service)
  // Our own scope, whatever the challenge proposes: pulling this one repository is all we need.
  realm.searchParams.set('scope', `repository:${ref.repository}:pull`)
  const opened = await openUrl({
    ...req,
    url: realm,
    method: 'GET',
    label: `token for ${name}`,
    subject: { name: `the token realm of ${name}`, rule: 'Token realms must be on public addresses' },
    headers: () => ({ accept: 'application/json' })
  } satisfies OpenRequest)
  const status = opened.res.statusCode ?? 0
  if (status !== 200) {
    opened.res.resume()
    const message = `${name}: the token service ${req.redactor.apply(realm.origin)} answered HTTP ${status}`
    if (RETRY_STATUS(status)) throw new RetryableDownloadError(message, retryAfter(header(opened.res.headers['retry-after'])))
    throw new RegistryAnswerError(`${message}; no anonymous token`, 'refused')
  }
  const body = await readSmallBody(opened.res, opened.url, MAX_TOKEN_ANSWER_BYTES, req)
  let token: unknown
  try {
    const json = JSON.parse(body.toString('utf8')) as { token?: unknown; access_token?: unknown }
    token = json.token ?? json.access_token
  } catch {
    token = undefined
  }
  if (typeof token !== 'string' || !TOKEN_CHARS.test(token) || token.length < MIN_TOKEN_CHARS) {
    throw new RegistryAnswerError(
      `${name}: the token service's answer holds no usable token (a bearer token of at least ${MIN_TOKEN_CHARS} characters, without spaces)`,
      'unsupported'
    )
  }
  // Secret by construction (it lets anyone pull as us): kept out of log messages. Records are not string-redacted.
  req.redactor.add(token)
  return token
}

export interface BearerChallenge {
  realm: string
  service?: string
  scope?: string
}

/** `Bearer realm="…",service="…",scope="…"` (quoted or bare values; other schemes in the same header skipped). */
export function parseBearerChallenge(text: string | undefined): BearerChallenge | undefined {
  if (!text) return undefined
  const start = text.search(/(?:^|[\s,])Bearer\s/i)
  if (start === -1) return undefined
  const params: Record<string, string> = {}
  const rest = text.slice(start).replace(/^[\s,]*Bearer\s+/i, '')
  const param = /\s*([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y
  for (let m = param.exec(rest); m; m = param.exec(rest)) {
    const key = m[1]!.toLowerCase()
    params[key] ??= (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1')
    if (param.lastIndex >= rest.length) break
  }
  if (!params.realm) return undefined
  return {
    realm: params.realm,
    ...(params.service !== undefined ? { service: params.service } : {}),
    ...(params.scope !== undefined ? { scope: params.scope } : {})
  }
}

function describeChallenge(text: string | undefined): string {
  const scheme = text?.trim().split(/\s/)[0]
  return scheme ? `WWW-Authenticate: ${scheme.replace(/[^A-Za-z0-9-]/g, '?').slice(0, 20)}` : 'no WWW-Authenticate header'
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function contentType(value: string | undefined): string | undefined {
  const type = value?.split(';')[0]?.trim().toLowerCase()
  return type || undefined
}

function mediaTypeOf(body: Buffer): string | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as { mediaType?: unknown }
    return typeof json.mediaType === 'string' ? json.mediaType : undefined
  } catch {
    return undefined
  }
}
