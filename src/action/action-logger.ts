/**
 * The Action's side of the core's Logger, and the two rules for what reaches
 * the runner's log.
 *
 * 1. User text is never read as a workflow command. The runner reads what a
 *    step prints (stdout and stderr) line by line, splitting at LF, CRLF and a
 *    lone CR only (.NET's StreamReader.ReadLine: U+0085, U+2028 and U+2029
 *    do not end a line). It takes a line as `::name …::value` after
 *    String.TrimStart(), which removes every Unicode White_Space character
 *    (U+3000, U+2003, U+2028, U+0085, U+00A0, …, not only spaces and tabs),
 *    and as the legacy `##[name …]value` anywhere in the line. A job's
 *    `command`, a repository's error output or a server's message could
 *    otherwise print `::add-mask::`, `::set-output::` or `::error::` lines of
 *    their own. Each info message that could contain one is printed between
 *    `::stop-commands::TOKEN` and `::TOKEN::`, TOKEN being 128 fresh random
 *    bits per message (so the text cannot end the pause itself). We pause
 *    commands rather than escape the text because it then appears in the log
 *    byte for byte, as the user wrote it. Warnings, errors and debug lines
 *    need no pause: @actions/core escapes CR and LF in them, so the whole
 *    message is the value of one command on one line, and the characters the
 *    runner does not split at cannot start another.
 * 2. The token and its base64 forms (as they appear in an HTTP Basic header)
 *    are registered as secrets before anything is logged, but only inside
 *    Actions: elsewhere `::add-mask::` is just the secret printed to stdout.
 *
 * Progress comes as plain lines, one per running item every 10 s and one when
 * it is done: the log is not a terminal, a redrawn line would leave every
 * frame in it. They follow rule 1, since a label can be a dataset's file name.
 */
import { randomBytes } from 'node:crypto'
import * as core from '@actions/core'
import { formatProgress, ProgressMeter, type Logger } from '../core/index.js'

/**
 * What may precede `::` at the start of a line the runner would parse: its
 * TrimStart() removes exactly Unicode's White_Space (that is .NET's
 * char.IsWhiteSpace). The guard allows more, on purpose: the runner finds
 * `::` and `##[` with culture-sensitive comparisons (ICU on Linux), which skip
 * "ignorable" code points (U+FEFF, U+200B, U+00AD, U+0000, …). Reading the
 * runner's parser, such a code point can only make its parse fail, and a
 * StreamReader drops a BOM only at the very start of the stream; but pausing
 * costs two log lines, so the guard does not bet on either.
 */
const LEADING = String.raw`[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}]`
const IGNORABLE = String.raw`[\p{Default_Ignorable_Code_Point}\p{Cc}]`
/**
 * Lines the runner could take as a workflow command. A line starts after LF or
 * a lone CR, and (again more than the runner) after U+0085, U+2028, U+2029.
 */
const COMMAND_LIKE = new RegExp(String.raw`(?:^|[\r\n\u0085\u2028\u2029])${LEADING}*:${IGNORABLE}*:|#${IGNORABLE}*#${IGNORABLE}*\[`, 'u')

export function mightBeWorkflowCommand(text: string): boolean {
  return COMMAND_LIKE.test(text)
}

/** Prints `text` as plain log lines, commands paused around it when it could hold one. */
export function logUntrusted(text: string): void {
  if (!mightBeWorkflowCommand(text)) {
    core.info(text)
    return
  }
  let token = randomBytes(16).toString('hex')
  // 2^-128 per message; checking costs nothing and makes it a guarantee. The
  // runner matches the token ignoring case, so the check does too.
  const lower = text.toLowerCase()
  while (lower.includes(token)) token = randomBytes(16).toString('hex')
  core.info(`::stop-commands::${token}`)
  core.info(text)
  core.info(`::${token}::`)
}

/** How often a progress line is printed per running item (the log is not a terminal: nothing is redrawn). */
export const PROGRESS_INTERVAL_MS = 10_000

export function createActionLogger(opts: { now?: () => number } = {}): Logger {
  const meter = new ProgressMeter({ intervalMs: PROGRESS_INTERVAL_MS, now: opts.now })
  return {
    info: logUntrusted,
    warn: (message) => core.warning(message),
    debug: (message) => core.debug(message),
    // One collapsible group per phase; the core never nests them.
    group: (name, fn) =>
      core.group(name, async () => {
        try {
          return await fn()
        } finally {
          // Whatever the phase left running (it failed) is over with it.
          meter.clear()
        }
      }),
    progress: (update) => {
      const report = meter.record(update)
      // A dataset's file name is the user's text: it could spell a workflow command.
      if (report) logUntrusted(formatProgress(report))
    }
  }
}

/** The forms of a git token that can end up in a log: itself, and base64 as in `Authorization: basic …`. */
export function secretForms(token: string): string[] {
  if (!token) return []
  return [...new Set([token, Buffer.from(token).toString('base64'), Buffer.from(`x-access-token:${token}`).toString('base64')])]
}

export function maskSecret(token: string): void {
  if (process.env.GITHUB_ACTIONS !== 'true') return
  for (const form of secretForms(token)) core.setSecret(form)
}
