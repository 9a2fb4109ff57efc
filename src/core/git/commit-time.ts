/**
 * The commit's committer time, as the package records it: every entry's tar
 * mtime, `commit_time` in job.json and the Dockerfile's created label. git
 * stores any 64-bit number there, and a repository can claim the year
 * 3170843; a JavaScript Date cannot hold that (toISOString throws), and ISO
 * 8601 dates past 9999 need a sign and six digits that the label check and
 * many readers refuse. So the time is clamped to 1970-01-01T00:00:00Z …
 * 9999-12-31T23:59:59Z: the package stays reproducible (the same commit gives
 * the same clamped time) and every reader can read it. The caller says so in
 * the log when it happens.
 */

/** 9999-12-31T23:59:59Z, in seconds since the epoch. */
export const LATEST_COMMIT_TIME = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000

/** `seconds` within 0 … LATEST_COMMIT_TIME (what is not a number at all becomes 0). */
export function clampCommitTime(seconds: number): number {
  if (Number.isNaN(seconds) || seconds < 0) return 0
  if (seconds > LATEST_COMMIT_TIME) return LATEST_COMMIT_TIME
  return Math.floor(seconds)
}
