/**
 * Redaction, in two kinds that are never mixed:
 *
 * - Structural (`redactUrl`), for what is recorded (job.json, the provenance
 *   statement) as well as for messages: a URL loses its userinfo and its
 *   whole query string, where signed-URL credentials live (S3's
 *   `X-Amz-Signature`, Azure's SAS `sig`, GCS's `X-Goog-Signature`, a
 *   `token=`). What a URL keeps (scheme, host, port, path) is never rewritten.
 * - By value (`Redactor`), for log lines and error messages only: every
 *   occurrence of a registered secret is replaced. It takes only secrets the
 *   user gave (the token, the data token) and values secret by construction
 *   (a registry's bearer token), never a string a server merely calls a
 *   header: a server could name any text (`1.2.3.4:8080`) and have it masked
 *   wherever it occurs. Recorded fields never go through it, so no secret,
 *   whoever chose it, can change what job.json or the statement says.
 *
 * Secrets shorter than `MIN_SECRET_CHARS` are not registered: a 1–3 character
 * "token" would mask every occurrence of those characters, and is no secret
 * anyway. A user's longer secret is masked wherever it occurs, even inside
 * common text: the log then shows `***` where that text was, which is the
 * user's own choice of token and the safe side. A registry token is the
 * server's choice: registry-client.ts uses only one of at least 16
 * characters, so a registry cannot mask a short, common string either.
 */

const REDACTED = '***'

/** Replaces `user:pass@` and `?query` in every URL-looking run of `text`. */
export function redactUrl(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi, `$1${REDACTED}@`)
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?[^\s#]*/gi, `$1?${REDACTED}`)
}

/**
 * Renders a user value for an error message: redacted, control characters made
 * visible, and shortened so a 200 KB input cannot flood a log.
 */
export function describeValue(value: string, max = 120): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point: they are shown escaped
  const visible = redactUrl(value).replace(/[\u0000-\u001f\u007f]/g, (c) => {
    const code = c.charCodeAt(0)
    return code === 10 ? '\\n' : code === 13 ? '\\r' : code === 9 ? '\\t' : `\\x${code.toString(16).padStart(2, '0')}`
  })
  const short = visible.length > max ? `${visible.slice(0, max)}… (${value.length} characters)` : visible
  return JSON.stringify(short)
}

/** Shorter secrets are not registered (see above). */
export const MIN_SECRET_CHARS = 4

/** Removes every occurrence of each secret (and its base64 forms) from log text. Never for recorded fields. */
export class Redactor {
  private readonly secrets: string[] = []

  /** Registers a user's secret or one secret by construction; never a value a server chose to send as a header. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_CHARS) return
    for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(`x-access-token:${secret}`).toString('base64')]) {
      if (!this.secrets.includes(form)) this.secrets.push(form)
    }
    // Longest first: the token's own base64 is a suffix of the `x-access-token:` form's.
    this.secrets.sort((a, b) => b.length - a.length)
  }

  apply(text: string): string {
    let out = redactUrl(text)
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED)
    return out
  }
}

/**
 * Whether a URL as it will be recorded (after `redactUrl`) still holds one
 * of the user's secrets, e.g. a token pasted into a dataset's path: recorded
 * fields are never string-redacted, so such a URL is refused before anything
 * is fetched rather than published in job.json. The caller words it.
 */
export function recordedUrlHoldsSecret(url: string, secrets: ReadonlyArray<string | undefined>): boolean {
  const recorded = redactUrl(url)
  return secrets.some((secret) => secret !== undefined && secret.length >= MIN_SECRET_CHARS && recorded.includes(secret))
}
