/**
 * Pins the Dockerfile's base image by digest at pack time, so a build later
 * starts from the same bytes the tag named today (a tag such as
 * `python:3.12-slim-bookworm` moves with every patch release).
 *
 * `pin-base-image` (a policy, never set by a spec):
 * - auto (default): resolve the tag; when the registry cannot be reached in
 *   time or has no such tag, keep the tag and warn that the base floats;
 * - require: the same, but a failure to pin fails the job;
 * - off: do not ask; the base floats, and the log and job.json say so.
 *
 * A reference that already has a digest is kept exactly as given. A
 * multi-platform tag is pinned to its index (the manifest list), not to one
 * platform's manifest, so the package still builds on every platform the
 * tag served. The whole resolution has its own short deadline
 * (`PIN_DEADLINE_MS`) so that a machine without a route to the registry
 * loses seconds, not the job's whole time limit.
 */
import { JobPackagerError } from '../errors.js'
import { policyNames, type NetPolicy } from '../net/http-request.js'
import { redactUrl } from '../redact.js'
import type { ManifestEnvironment } from '../render/manifest.js'
import { RegistryAnswerError, resolveTagDigest } from './registry-client.js'
import { parseImageReference, qualifiedName, withDigest } from './reference.js'

export type PinMode = 'auto' | 'require' | 'off'
export const PIN_MODES: readonly PinMode[] = ['auto', 'require', 'off']

/** The whole resolution (the manifest GET, the token, the GET again, retries) must finish within this. */
export const PIN_DEADLINE_MS = 10_000

/** What job.json records about the base image's pin (`environment.base_image_pin`). */
export interface BaseImagePinRecord {
  /**
   * pinned: resolved here, by digest; given: the reference already had a
   * digest; floats: a tag without digest (`reason` says why).
   */
  status: 'pinned' | 'given' | 'floats'
  /** The reference as chosen (detected or the base-image option), before pinning. */
  requested: string
  /** Registry and repository it was resolved on, e.g. docker.io/library/python:3.12-slim-bookworm. */
  resolved_from?: string
  digest?: string
  media_type?: string
  /** The digest names an index of platforms, so the package still builds on each of them. */
  multi_arch?: boolean
  /** Why the base floats. */
  reason?: string
}

export interface PinResult {
  /** The reference to build on: `name@sha256:…` when pinned (reference.ts, withDigest), else as requested. */
  reference: string
  record: BaseImagePinRecord
  /** The warning said in the log and the job summary when the base floats. */
  warning?: string
  /** Said instead of a warning when the user chose not to pin (off): a choice, not a failure. job.json still records it. */
  note?: string
}

export interface PinRequest extends NetPolicy {
  image: string
  mode: PinMode
  attempts: number
  retryDelayMs: number
  /** Overrides PIN_DEADLINE_MS (tests). */
  deadlineMs?: number
}

/** The error of `pin-base-image: require` when the base image could not be pinned. */
export class BaseImagePinError extends JobPackagerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('base-image', message, options)
    this.name = 'BaseImagePinError'
  }
}

export const FLOATS = 'base image floats (tag without digest)'

export async function pinBaseImage(req: PinRequest): Promise<PinResult> {
  const ref = parseImageReference(req.image)
  const names = policyNames(req)
  if (ref.digest !== undefined) {
    return { reference: req.image, record: { status: 'given', requested: req.image, digest: ref.digest } }
  }
  if (req.mode === 'off') {
    const reason = `not resolved (${names('pinBaseImage', 'off')})`
    const { warning, ...chosen } = floats(req.image, reason)
    return { ...chosen, note: warning }
  }

  const deadline = AbortSignal.timeout(req.deadlineMs ?? PIN_DEADLINE_MS)
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline
  try {
    const resolved = await resolveTagDigest(ref, { ...req, signal })
    const reference = withDigest(ref, resolved.digest)
    req.logger.info(
      `Base image ${req.image} pinned: ${reference} (${qualifiedName(ref)}; ${resolved.multiArch ? 'a multi-platform index, so every platform stays buildable' : 'a single-platform manifest'})`
    )
    return {
      reference,
      record: {
        status: 'pinned',
        requested: req.image,
        resolved_from: qualifiedName(ref),
        digest: resolved.digest,
        media_type: resolved.mediaType,
        multi_arch: resolved.multiArch
      }
    }
  } catch (err) {
    // The job's own cancellation or deadline is not ours to turn into a warning.
    if (req.signal?.aborted) throw req.signal.reason ?? err
    const why = deadline.aborted
      ? `${qualifiedName(ref)}: no answer from the registry within ${Math.round((req.deadlineMs ?? PIN_DEADLINE_MS) / 1000)} s`
      : err instanceof JobPackagerError
        ? err.message
        : `${qualifiedName(ref)}: ${(err as Error).message}`
    const reason = err instanceof RegistryAnswerError && err.reason === 'unknown-tag' ? `unknown tag: ${why}` : why
    if (req.mode === 'require') {
      throw new BaseImagePinError(
        `Could not pin the base image ${req.image} by digest (${names('pinBaseImage', 'require')}): ${req.redactor.apply(reason)}. Give a reference with a digest (name@sha256:…), or keep the tag with ${names('pinBaseImage', 'auto')}.`,
        { cause: err }
      )
    }
    // The reason is recorded (job.json's base_image_pin and warnings): redacted structurally, never by the registered
    // secrets, which include the registry's own token and would let it rewrite the record (redact.ts).
    return floats(req.image, redactUrl(reason))
  }
}

function floats(image: string, reason: string): PinResult {
  return {
    reference: image,
    record: { status: 'floats', requested: image, reason },
    warning: `${FLOATS}: ${image}; ${reason}. A later build may start from other bytes.`
  }
}

/**
 * job.json's environment section with the pin recorded next to the base
 * image (`base_image_pin`), and the warning, when the base floats, among the
 * section's warnings.
 */
export function withBaseImagePin(env: ManifestEnvironment, pin: PinResult): ManifestEnvironment {
  const out: Record<string, unknown> = {}
  const after = env.detected_base_image !== undefined ? 'detected_base_image' : 'base_image_from'
  for (const [key, value] of Object.entries(env)) {
    out[key] = value
    if (key === after) out.base_image_pin = pin.record
  }
  out.base_image_pin ??= pin.record
  if (pin.warning) out.warnings = [...(env.warnings ?? []), pin.warning]
  if (pin.note) out.notes = [...(env.notes ?? []), pin.note]
  return out as unknown as ManifestEnvironment
}
