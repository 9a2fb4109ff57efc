/**
 * What each detector says besides its finding: `notes` explain choices and
 * files seen but not used; `warnings` are things the user probably wants to
 * fix (a manifest that was refused, a version that could not be honoured).
 * Both end up in job.json and the logs, in detection order, so the same code
 * always gives the same text.
 */
export interface Report {
  notes: string[]
  warnings: string[]
}

export function newReport(): Report {
  return { notes: [], warnings: [] }
}
