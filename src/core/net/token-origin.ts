/**
 * The one rule for credentials, whichever client sends them (git over HTTP,
 * the Git LFS batch API and object downloads, the container registry, the
 * dataset downloads): a credential belongs to exactly one origin
 * (scheme://host[:port]) and goes on a request only while every hop of that
 * request so far stayed on it. Once a redirect leaves the origin the request
 * is in someone else's hands (a presigned object-store URL, a CDN, a host the
 * origin merely pointed at), so no later hop gets the credential, not even
 * one that comes back to the origin: its path was chosen elsewhere.
 *
 * Each client asks `credentialForHops` with the hops it has followed; git
 * follows no redirect at all (`http.followRedirects=false`,
 * git-command-manager.ts), so its one hop is the remote itself, and the LFS
 * batch request follows none either (lfs-transfer.ts).
 *
 * The token's origin is chosen by the caller (token-origin; by default the
 * GitHub server the workflow runs against; data-token-origin has no
 * default). A job spec names its own repository and datasets, so without
 * this rule a spec from outside could point them at a host it controls and
 * collect the token.
 */
import type { GitSource } from '../spec.js'

/** A credential and the one origin it belongs to (URL.origin form: lower-case host, default port dropped). */
export interface BoundCredential<T> {
  value: T
  origin: string
}

/** The credential, when every hop so far (the first request included) is on its origin; undefined otherwise. */
export function credentialForHops<T>(bound: BoundCredential<T> | undefined, hops: readonly URL[]): T | undefined {
  if (!bound || bound.origin === '' || hops.length === 0) return undefined
  return hops.every((u) => u.origin === bound.origin) ? bound.value : undefined
}

export interface TokenDecision {
  /** The token, when it may go to this repository. */
  token?: string
  /** The repository's origin, when a token was held back from it. */
  withheldFrom?: string
}

/**
 * The git token for a repository: git's only hop is the remote (it follows
 * no redirect), so this is `credentialForHops` with that one hop. ssh and
 * local remotes never get the token (it only travels as an HTTP header).
 */
export function tokenForRepository(git: GitSource, token: string | undefined, tokenOrigin: string): TokenDecision {
  if (!token || git.origin === undefined) return {}
  const given = credentialForHops({ value: token, origin: tokenOrigin }, [new URL(git.origin)])
  return given !== undefined ? { token: given } : { withheldFrom: git.origin }
}

/** The data token and its one origin (data-token-origin). */
export interface DataAuth {
  token: string
  /** URL.origin form (lower-case host, default port dropped), as originKind produces it. */
  origin: string
}

/** The data token for the next hop of a download (see credentialForHops). */
export function dataTokenForHop(auth: DataAuth | undefined, hops: readonly URL[]): string | undefined {
  return credentialForHops(auth && { value: auth.token, origin: auth.origin }, hops)
}
