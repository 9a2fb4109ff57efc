/**
 * The Action's side of the core's Logger, and the two rules for what reaches
 * the runner's log.
 *
 * 1. User text is never read as a workflow command. The runner scans every
 *    line a step prints (stdout and stderr) for `::name::value` (after leading
 *    white space) and for the legacy `##[name]value` (anywhere in a line); a
 *    job's `command`, a repository's error output or a server's message could
 *    otherwise print `::add-mask::`, `::set-output::` or `::error::` lines of
 *    their own. Each info message that could contain one is printed between
 *    `::stop-commands::TOKEN` and `::TOKEN::`, TOKEN being 128 fresh random
 *    bits per message (so the text cannot end the pause itself). We pause
 *    commands rather than escape the text because it then appears in the log
 *    byte for byte, as the user wrote it. Warnings and debug lines need no
 *    pause: @actions/core escapes new lines in them, so the whole message is
 *    the value of one command.
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

/** Lines the runner could take as a workflow command. Its line reader also splits on a lone CR. */
const COMMAND_LIKE = /(^|[\r\n])[ \t\f\v\u00a0\ufeff]*::|##\[/

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
  // 2^-128 per message; checking costs nothing and makes it a guarantee.
  while (text.includes(token)) token = randomBytes(16).toString('hex')
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
