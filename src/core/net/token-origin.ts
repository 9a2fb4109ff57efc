/**
 * The one-origin rule for credentials: a token is sent to exactly one origin
 * (scheme://host[:port]), which the caller chooses (token-origin; by default
 * the GitHub server the workflow runs against). A job spec names its own
 * repository, so without this rule a spec from outside could point git_url at
 * a host it controls and collect the token.
 */
import type { GitSource } from '../spec.js'

export interface TokenDecision {
  /** The token, when it may go to this repository. */
  token?: string
  /** The repository's origin, when a token was held back from it. */
  withheldFrom?: string
}

/** ssh and local remotes never get the token (it only travels as an HTTP header). */
export function tokenForRepository(git: GitSource, token: string | undefined, tokenOrigin: string): TokenDecision {
  if (!token || git.origin === undefined) return {}
  // Both sides are URL.origin forms: lower-case host, default port dropped.
  if (tokenOrigin !== '' && git.origin === tokenOrigin) return { token }
  return { withheldFrom: git.origin }
}

/**
 * The data token's rule, per request of a download: the token goes only to
 * its one origin, and only while every hop so far stayed on it. Once a
 * redirect leaves the origin the download is in someone else's hands (a
 * presigned object-store URL, which must not get an Authorization header
 * anyway, or a host the origin merely pointed at), so no later hop gets the
 * token, even one that comes back to the origin: its path was chosen
 * elsewhere.
 */
export interface DataAuth {
  token: string
  /** URL.origin form (lower-case host, default port dropped), as originKind produces it. */
  origin: string
}

export function dataTokenForHop(auth: DataAuth | undefined, hops: readonly URL[]): string | undefined {
  if (!auth || hops.length === 0) return undefined
  return hops.every((u) => u.origin === auth.origin) ? auth.token : undefined
}
