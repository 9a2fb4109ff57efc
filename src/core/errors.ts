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
  | 'verification' // a package is not what was packed (verify, run): tampered, incomplete or unsafe
  | 'engine' // the container engine is missing or failed to build or start the job (run)

export class JobPackagerError extends Error {
  readonly kind: ErrorKind

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'JobPackagerError'
    this.kind = kind
  }
}

/** One thing wrong with one field of the job spec or one option. */
export interface Problem {
  /**
   * What the user has to fix. The core names spec fields as the spec does
   * (`git_url`, `data_url[1]`) and options by their PackOptions key
   * (`timeoutMs`); each shell relabels them to what its user wrote (a CLI
   * flag, an Action input, a field of `--spec`), see options/names.ts.
   */
  field: string
  /** What is wrong with the value (already redacted). */
  problem: string
  /** What would have been accepted. */
  accepted: string
}

/**
 * The job spec or the options failed validation. It carries every problem
 * found, not just the first, so a user fixes them all in one round.
 */
export class SpecError extends JobPackagerError {
  readonly problems: readonly Problem[]

  constructor(field: string, problem: string, accepted: string)
  constructor(problems: readonly Problem[])
  constructor(fieldOrProblems: string | readonly Problem[], problem = '', accepted = '') {
    const problems = typeof fieldOrProblems === 'string' ? [{ field: fieldOrProblems, problem, accepted }] : fieldOrProblems
    if (problems.length === 0) throw new RangeError('A SpecError needs at least one problem')
    super('invalid-spec', renderProblems(problems))
    this.name = 'SpecError'
    this.problems = problems
  }

  /** The first problem's field (most errors have exactly one). */
  get field(): string {
    return this.first.field
  }

  get problem(): string {
    return this.first.problem
  }

  get accepted(): string {
    return this.first.accepted
  }

  private get first(): Problem {
    // The constructor refuses an empty list.
    return this.problems[0]!
  }

  /** The same problems with each field named the way a shell's user wrote it. */
  relabel(label: (field: string) => string): SpecError {
    return new SpecError(this.problems.map((p) => ({ ...p, field: label(p.field) })))
  }
}

export function renderProblem(p: Problem): string {
  // "did you mean --commit?" already ends its sentence.
  const stop = /[.?!]$/.test(p.problem) ? '' : '.'
  return `Invalid ${p.field}: ${p.problem}${stop} Accepted: ${p.accepted}.`
}

function renderProblems(problems: readonly Problem[]): string {
  if (problems.length === 1) return renderProblem(problems[0]!)
  return `${problems.length} problems with the job spec and options:\n${problems.map((p) => `  - ${renderProblem(p)}`).join('\n')}`
}

/**
 * Collects the SpecErrors of several independent checks, so that one run
 * reports all of them. Other errors pass through at once: they are not about
 * the input.
 */
export class ProblemCollector {
  private readonly problems: Problem[] = []

  /** Runs `check`; its SpecError is remembered and `undefined` returned instead. */
  check<T>(check: () => T): T | undefined {
    try {
      return check()
    } catch (err) {
      if (!(err instanceof SpecError)) throw err
      this.problems.push(...err.problems)
      return undefined
    }
  }

  add(problem: Problem): void {
    this.problems.push(problem)
  }

  get size(): number {
    return this.problems.length
  }

  /** Throws one SpecError with everything collected, if anything was. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new SpecError([...this.problems])
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

/**
 * A package failed verification: a file differs from what job.json records,
 * one is missing or extra, job.json itself was edited, or the archive's
 * sha256 is not the expected one. `path` names the file (relative to the
 * package's top folder), or the archive itself.
 */
export class VerificationError extends JobPackagerError {
  readonly path: string

  constructor(path: string, message: string) {
    super('verification', message)
    this.name = 'VerificationError'
    this.path = path
  }
}

/** The container engine is missing, or could not build the image or start the job. */
export class EngineError extends JobPackagerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('engine', message, options)
    this.name = 'EngineError'
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
