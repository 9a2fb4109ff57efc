/**
 * Retries an operation with exponential back-off. Only errors the operation
 * marks as transient are retried; a cancelled run stops waiting at once.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from './logger.js'

export interface RetryPolicy {
  attempts: number
  delayMs: number
  signal?: AbortSignal
  logger: Logger
  /** What is being tried, for the log line. */
  what: string
}

export async function withRetry<T>(
  policy: RetryPolicy,
  op: (attempt: number) => Promise<T>,
  isTransient: (err: unknown) => boolean,
  delayFor?: (err: unknown) => number | undefined
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt)
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err) || policy.signal?.aborted) throw err
      const delay = delayFor?.(err) ?? policy.delayMs * 2 ** (attempt - 1)
      policy.logger.warn(
        `${policy.what} failed (attempt ${attempt} of ${policy.attempts}): ${(err as Error).message} — retrying in ${(delay / 1000).toFixed(1)} s`
      )
      await sleep(delay, undefined, { signal: policy.signal }).catch(() => {
        throw policy.signal?.reason ?? err
      })
    }
  }
}
