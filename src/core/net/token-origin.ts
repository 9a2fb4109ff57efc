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
