/**
 * SIGINT and SIGTERM, the same way in every shell (the CLI, the Action, the
 * run sub-action): the first signal asks the work to stop (the shell aborts
 * its AbortController and the core cleans up), and the process ends within
 * INTERRUPT_GRACE_MS whatever it is blocked on.
 *
 * Why a hard end is needed at all: an abort signal only reaches code that
 * listens for it. A read in libuv's thread pool (a FIFO given as --spec, a
 * file on a hung network mount) cannot be cancelled, and it keeps Node alive
 * after every promise has settled. Worse, `process.exit` does not help: on
 * the way out libuv joins its thread pool, so the exit itself waits for the
 * blocked read (a SIGTERM once took 645 s and a SIGKILL). So when the grace
 * period is over we re-raise the signal with its default action, which the
 * kernel carries out without asking the process: the exit status then says
 * "killed by SIGTERM", which is what it was. A partial output folder left
 * behind that way is removed by the next run (fs/job-output.ts).
 *
 * The timer is unref'd: a clean-up that finishes in time ends the process
 * the ordinary way, with the exit code the shell chose.
 */

/** How long the clean-up may take after the first signal; under the 5 s the project promises. */
export const INTERRUPT_GRACE_MS = 4000

export interface InterruptOptions {
  /** Called on the first SIGINT or SIGTERM: stop the work (abort). */
  onInterrupt(sig: NodeJS.Signals): void
  /** Called just before the process is ended by force, to say so (a second signal, or the grace period over). */
  onForcedExit(sig: NodeJS.Signals, why: 'again' | 'timeout'): void
  /** Tests only. */
  graceMs?: number
}

/** Installs the handlers; the returned function removes them (a forced end already under way still happens). */
export function handleInterrupts(options: InterruptOptions): () => void {
  let first: NodeJS.Signals | undefined
  const onSignal = (sig: NodeJS.Signals): void => {
    if (first) {
      // A second signal while cleaning up: the user wants out now.
      options.onForcedExit(sig, 'again')
      endBySignal(sig)
      return
    }
    first = sig
    setTimeout(() => {
      options.onForcedExit(sig, 'timeout')
      endBySignal(sig)
    }, options.graceMs ?? INTERRUPT_GRACE_MS).unref()
    options.onInterrupt(sig)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/**
 * Ends the process by `sig` with its default action (no JavaScript exit
 * handlers, no join of the thread pool). Should the signal be ignored (a
 * parent can start us with SIGINT ignored), SIGKILL follows.
 */
function endBySignal(sig: NodeJS.Signals): void {
  process.removeAllListeners(sig)
  process.kill(process.pid, sig)
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 100).unref()
}
