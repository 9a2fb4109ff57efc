/**
 * The one way text gets into a generated file. A line-oriented file (the
 * Dockerfile) gives a line break a meaning: a value carrying `\n` adds an
 * instruction (a `FROM evilbase` stage, a `RUN`) that nobody asked for, and
 * a value ending in a backslash joins the next line into its own. Parsers
 * validate what they read, but a parser that lets one through (issue 19:
 * `\s` in a PEP 508 pattern matched newlines) must not be enough to change
 * the build: the renderer refuses it too, as the last line of defence.
 *
 * Enforced by type: the renderer builds each line with `line\`…\``, whose
 * literal parts are ours and whose every substitution must be `Text`, and
 * the only ways to make a `Text` are `text()` (which checks, and throws a
 * RenderError naming the file and the field) and `sanitized()` (which
 * replaces, for comments). A plain string from the repository cannot be
 * interpolated by mistake: it does not type-check.
 */
import { UnsafeContentError } from '../errors.js'
import { describeValue } from '../redact.js'

declare const checked: unique symbol
/** A string safe to place where it is put: checked to hold no line break or other control character, or quoted as one shell word. */
export type Text = string & { readonly [checked]: true }

// C0 and C1 controls (CR, LF, tab, escape, …), DEL, and the Unicode line and paragraph separators and NEL.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u

/** Whether `value` holds a character a generated line-oriented file refuses (parsers use it to drop such values early). */
export function hasControl(value: string): boolean {
  return CONTROL.test(value)
}

/** Text from the repository (or derived from it) refused from a generated file. */
export class RenderError extends UnsafeContentError {
  constructor(
    /** The generated file: "Dockerfile", "run.sh". */
    readonly file: string,
    /** What the value is, and where it came from. */
    readonly field: string,
    message: string
  ) {
    super(message)
    this.name = 'RenderError'
  }
}

/** `value`, checked for the line-oriented generated `file`; a RenderError naming `file` and `field` otherwise. */
export function text(file: string, field: string, value: string): Text {
  const bad = CONTROL.exec(value)
  if (bad)
    throw new RenderError(
      file,
      field,
      `Refused: ${field} holds a control character (U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) that would add or change lines of the generated ${file}: ${describeValue(value, 120)}. Remove it from the repository's file.`
    )
  // An empty (or blank) value on a continuation line leaves an empty line after a backslash: Docker's parser then
  // joins the next instruction into this one, as a trailing backslash does.
  if (value.trim() === '')
    throw new RenderError(
      file,
      field,
      `Refused: ${field} is empty, which would join the next line of the generated ${file} into the one before it. Remove the empty entry from the repository's file.`
    )
  // Inside an instruction continued over several lines, a line starting with # is a comment Docker skips: an ENV
  // entry "#…" at the start of a continuation line would vanish and the backslash before it join the next line in.
  if (value.trimStart().startsWith('#'))
    throw new RenderError(
      file,
      field,
      `Refused: ${field} starts with #, which the generated ${file} would read as a comment line: ${describeValue(value, 120)}. Remove it from the repository's file.`
    )
  // A trailing backslash (spaces after it allowed) continues the line: the next instruction would become part of this one.
  if (value.trimEnd().endsWith('\\'))
    throw new RenderError(
      file,
      field,
      `Refused: ${field} ends with a backslash, which would join the next line of the generated ${file} into it: ${describeValue(value, 120)}. Remove it from the repository's file.`
    )
  return value as Text
}

/** Our own constant text (a file name we chose, a fixed path): checked like any other, so a typo cannot slip through either. */
export function own(value: string): Text {
  return text('generated file', 'a constant of job-packager', value)
}

/** For comment lines: every character that is not printable ASCII becomes `?`, so nothing can start a line. */
export function sanitized(value: string): Text {
  return value.replace(/[^\x20-\x7e]/g, '?').replace(/\\+$/, '') as Text
}

/**
 * One POSIX sh word, single-quoted: inside the quotes nothing is special but
 * the quote itself, so a line break there is part of the word, not a new
 * line of the script. For run.sh's command, which the user submitted to be
 * run exactly as written (multi-line commands included).
 */
export function shellWord(value: string): Text {
  return `'${value.replace(/'/g, `'\\''`)}'` as Text
}

/** Several checked values joined with `sep` (ours). */
export function joined(values: readonly Text[], sep: string): Text {
  return values.join(sep) as Text
}

/** One line (or one instruction with our own continuation lines): literal parts are ours, substitutions checked. */
export function line(strings: TemplateStringsArray, ...values: Text[]): Text {
  let out = strings[0]!
  values.forEach((v, i) => (out += v + strings[i + 1]!))
  return out as Text
}
