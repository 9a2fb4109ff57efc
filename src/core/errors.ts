/**
 * Typed errors. Every error the packager throws on purpose is a
 * JobPackagerError whose message is written for the person who submitted the
 * job: it names what was wrong and what is accepted, and never contains a
 * secret. The two shells (Action, CLI) catch these once, at the edge.
 */

export type ErrorKind =
  | 'invalid-spec' // the job spec or an option is wrong: fix the input
  | 'git' // the repository could not be fetched or checked out
  | 'download' // a dataset could not be downloaded or failed its checks
  | 'limit' // a size, count or time limit was exceeded
  | 'unsafe-content' // the repository or data contains something we refuse to package
  | 'output' // the output folder is unusable (exists, not writable, full disk)
  | 'interrupted' // the run was cancelled (signal or deadline)
  | 'upload' // the artifact upload failed (Action only)

export class JobPackagerError extends Error {
  readonly kind: ErrorKind

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'JobPackagerError'
    this.kind = kind
  }
}

/** A field of the job spec (or an option) failed validation. */
export class SpecError extends JobPackagerError {
  readonly field: string
  readonly problem: string
  readonly accepted: string

  /**
   * @param field    the input's name as the user wrote it (e.g. `git_url`)
   * @param problem  what is wrong with the value (already redacted)
   * @param accepted what would have been accepted
   */
  constructor(field: string, problem: string, accepted: string) {
    super('invalid-spec', `Invalid ${field}: ${problem}. Accepted: ${accepted}.`)
    this.name = 'SpecError'
    this.field = field
    this.problem = problem
    this.accepted = accepted
  }

  /** The same error for a field a shell names differently (e.g. the Action's `commit-hash`). */
  withField(field: string): SpecError {
    return new SpecError(field, this.problem, this.accepted)
  }
}

export class GitError extends JobPackagerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('git', message, options)
    this.name = 'GitError'
  }
}

export class DownloadError extends JobPackagerError {
  /** Worth another attempt (network error, 5xx, 408, 429, truncated body). */
  readonly retryable: boolean

  constructor(message: string, retryable = false, options?: { cause?: unknown }) {
    super('download', message, options)
    this.name = 'DownloadError'
    this.retryable = retryable
  }
}

export class LimitError extends JobPackagerError {
  constructor(message: string) {
    super('limit', message)
    this.name = 'LimitError'
  }
}

export class UnsafeContentError extends JobPackagerError {
  constructor(message: string) {
    super('unsafe-content', message)
    this.name = 'UnsafeContentError'
  }
}

export class OutputError extends JobPackagerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('output', message, options)
    this.name = 'OutputError'
  }
}

export class InterruptedError extends JobPackagerError {
  constructor(message = 'Interrupted: the job was cancelled before it finished; nothing was written.') {
    super('interrupted', message)
    this.name = 'InterruptedError'
  }
}

/** Throws InterruptedError (or the signal's own reason, if it is ours) when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal)
}

export function abortReason(signal: AbortSignal): JobPackagerError {
  const reason: unknown = signal.reason
  return reason instanceof JobPackagerError ? reason : new InterruptedError()
}
