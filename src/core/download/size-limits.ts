/**
 * The byte limits a dataset download is held to: its own size
 * (maxDatasetBytes) and, together with the job's earlier datasets, the total
 * (maxTotalDatasetBytes). Both are checked against Content-Length before the
 * body is read, and again as the bytes arrive, since a server need not
 * announce a length, nor tell the truth about it.
 */
import { LimitError } from '../errors.js'
import { defaultNamer, type OptionNamer } from '../options/names.js'

export interface DatasetSizeLimits {
  /** Shown in messages (e.g. `data/hw_200.csv`). */
  label: string
  /** Largest size of this one dataset. */
  maxBytes: number
  /** Bytes the job's earlier datasets already hold, and the limit on all of them together. */
  totalBytes?: { before: number; max: number }
  names?: OptionNamer
}

/** The error for a Content-Length over a limit, if it is. */
export function announcedTooLarge(limits: DatasetSizeLimits, declared: number): LimitError | undefined {
  const names = limits.names ?? defaultNamer
  if (declared > limits.maxBytes) {
    return new LimitError(
      `${limits.label}: the server announces ${declared} bytes, more than the limit of ${limits.maxBytes} (${names('maxDatasetBytes')})`
    )
  }
  const total = limits.totalBytes
  if (total && total.before + declared > total.max) {
    return new LimitError(
      `${limits.label}: the server announces ${declared} bytes; with the ${total.before} bytes of the job's other datasets that is more than the limit of ${total.max} on all datasets together (${names('maxTotalDatasetBytes')})`
    )
  }
  return undefined
}

/** The error for `received` bytes so far being over a limit, if they are. */
export function receivedTooMuch(limits: DatasetSizeLimits, received: number): LimitError | undefined {
  const names = limits.names ?? defaultNamer
  if (received > limits.maxBytes) {
    return new LimitError(`${limits.label}: more than ${limits.maxBytes} bytes received (${names('maxDatasetBytes')})`)
  }
  const total = limits.totalBytes
  if (total && total.before + received > total.max) {
    return new LimitError(
      `${limits.label}: more than ${total.max - total.before} bytes received, which with the ${total.before} bytes of the job's other datasets is more than the limit of ${total.max} on all datasets together (${names('maxTotalDatasetBytes')})`
    )
  }
  return undefined
}
