/**
 * An image reference as Docker reads it, split into what the registry API
 * needs: which registry, which repository, which tag or digest.
 *
 * Docker's rules for a name without a registry: the first component is a
 * registry host only when it contains a dot or a colon, or is `localhost`;
 * otherwise the image is on Docker Hub (`docker.io`), and a name of one
 * component is an official image under `library/` (`python:3.12` is
 * `docker.io/library/python:3.12`). Docker Hub's registry API is not served
 * at `docker.io` itself but at its API host, the one place that mapping
 * lives (`registryApiOrigin`).
 *
 * The reference has already passed `parseBaseImage` (render/dockerfile.ts):
 * lower-case name, a tag other than `latest` and/or a sha256 digest.
 */

export interface ImageReference {
  /** The reference as given (and as written into the Dockerfile when it is not pinned). */
  text: string
  /** `docker.io`, or the registry's host[:port]. */
  registry: string
  /** The repository path on that registry, e.g. `library/python`. */
  repository: string
  tag?: string
  /** `sha256:<hex>`, when the reference already names one. */
  digest?: string
}

export const DOCKER_HUB = 'docker.io'
/** Docker Hub's registry API host (Docker's own default; `docker.io` names the registry, this host serves it). */
const DOCKER_HUB_API = 'registry-1.docker.io'

export function parseImageReference(text: string): ImageReference {
  const at = text.indexOf('@')
  const nameTag = at === -1 ? text : text.slice(0, at)
  const digest = at === -1 ? undefined : text.slice(at + 1)
  const slash = nameTag.lastIndexOf('/')
  const colon = nameTag.lastIndexOf(':')
  const tag = colon > slash ? nameTag.slice(colon + 1) : undefined
  const name = tag === undefined ? nameTag : nameTag.slice(0, colon)
  const first = name.split('/')[0] ?? ''
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  let registry = hasRegistry ? first : DOCKER_HUB
  let repository = hasRegistry ? name.slice(first.length + 1) : name
  // Docker's other spellings of Docker Hub.
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`
  return { text, registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) }
}

/**
 * Where the registry's HTTP API is: always https. An image reference has no
 * scheme, and a redirect from https down to http is refused like any other.
 */
export function registryApiOrigin(registry: string): string {
  return `https://${registry === DOCKER_HUB ? DOCKER_HUB_API : registry}`
}

/**
 * The reference by digest alone: `name@sha256:…`, the name as given (so
 * `python` stays `python`). Not `name:tag@sha256:…`: Docker and BuildKit
 * accept that form and ignore the tag, but buildah and skopeo 1.x (Debian
 * 12's) refuse it as an invalid reference. The tag is kept in the
 * Dockerfile's header comment and in job.json.
 */
export function withDigest(ref: ImageReference, digest: string): string {
  const at = ref.text.indexOf('@')
  const nameTag = at === -1 ? ref.text : ref.text.slice(0, at)
  const name = ref.tag === undefined ? nameTag : nameTag.slice(0, nameTag.length - ref.tag.length - 1)
  return `${name}@${digest}`
}

/** `docker.io/library/python:3.12`: the fully qualified name, for messages and job.json. */
export function qualifiedName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}`
}
