/**
 * Redaction of user-supplied text before it reaches an error message, a log
 * line or the manifest. URLs lose their userinfo and query string (where
 * signed-URL tokens live); registered secrets are replaced wherever they occur.
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

/** Removes every occurrence of each secret (and its base64 forms) from text. */
export class Redactor {
  private readonly secrets: string[] = []

  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return
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
