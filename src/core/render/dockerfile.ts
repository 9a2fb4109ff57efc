/**
 * Renders the `Dockerfile` (and its `.dockerignore`, see dockerignore.ts)
 * that builds and runs the package as-is:
 * `docker build -t job . && docker run --rm job`.
 *
 * What goes in comes from environment detection (detect/), and only in
 * validated form: the base image reference (parseBaseImage), versions from
 * our own lists, our own file names, apt package names that passed Debian's
 * naming rules, a commit id, an ISO date and a URL of a strict character
 * set. The first line is fixed and holds no `=`, so no text can become a
 * `# syntax=` or `# escape=` parser directive, and comment lines are reduced
 * to printable ASCII so nothing can start a new instruction.
 *
 * Layout, for layer reuse: system packages, then the dependency manifests
 * alone and their install, then the whole package; installs that need the
 * whole tree (a project install, install scripts, local requirements) run
 * after it; the repository's postBuild last, as the job's user, run from
 * where it was copied (never written into this file). The job runs as a
 * numeric non-root user; run.sh and this file
 * hold no job id, so equal jobs have equal content digests.
 */
import { frozenReport, GPU_RUN, runsOnGpu, type Environment, type Float, type InstallStep } from '../detect/index.js'
import { SpecError } from '../errors.js'
import { describeValue } from '../redact.js'
import type { ManifestEnvironment } from './manifest.js'
import { joined, line, own, sanitized, text, type Text } from './text.js'

/** Numeric, so the image needs no /etc/passwd entry for it and `USER` cannot mean root. */
export const JOB_UID = 10001
/** Writable HOME for the job's user (pip, npm and many tools write caches and config there). */
export const JOB_HOME = '/home/job'
/** What each system step installs, for the comment above them. */
const SYSTEM_FROM: Readonly<Record<string, string>> = { gpu: "the CUDA base's Python" }

export interface DockerfileInput {
  /** What detect/ found; default: nothing (a generic image that only copies the package). */
  environment?: Environment
  /** The image to build on: the base-image option when given, else the detected one. */
  baseImage: string
  /** Default 'detection'. */
  baseImageFrom?: 'detection' | 'base-image option'
  commit: string
  /** ISO 8601, from the commit time: the clock would make builds differ. */
  created: string
  /** Repository URL for the source label, when it is a public-form URL. */
  sourceUrl?: string
  /** The tag `baseImage` was pinned from (oci/pin.ts), named in the header comment. */
  pinnedFrom?: string
}

export type { InstallStep } from '../detect/index.js'

// name[:port]/path...:tag[@sha256:digest] — a tag or a digest is required, and the tag may not be `latest`.
const IMAGE_NAME =
  /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const DIGEST = /^sha256:[0-9a-f]{64}$/

/** Validates an image reference for `ARG BASE_IMAGE`. */
export function parseBaseImage(value: string): string {
  const accepted = 'an image reference with a tag other than latest and/or a sha256 digest, e.g. python:3.12-slim or debian@sha256:<64 hex>'
  const [nameTag, digest, ...rest] = value.split('@')
  let ok = false
  if (nameTag !== undefined && rest.length === 0 && (digest === undefined || DIGEST.test(digest))) {
    const slash = nameTag.lastIndexOf('/')
    const colon = nameTag.lastIndexOf(':')
    const hasTag = colon > slash
    const name = hasTag ? nameTag.slice(0, colon) : nameTag
    const tag = hasTag ? nameTag.slice(colon + 1) : undefined
    ok = IMAGE_NAME.test(name) && (tag === undefined ? digest !== undefined : TAG.test(tag) && tag !== 'latest')
  }
  if (!ok) throw new SpecError('base_image', `${describeValue(value, 100)} is not a pinned image reference`, accepted)
  return value
}

const LABEL_SAFE = /^[A-Za-z0-9._~:/@%+=,-]+$/
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/

/** The install steps the Dockerfile runs, in order; also listed in job.json. */
export function planInstall(env: Environment): InstallStep[] {
  return env.install
}

const NOTHING_DETECTED: Environment = {
  dockerfile: 'generated',
  runtime: 'generic',
  aptPackages: [],
  install: [],
  installs: [],
  floats: [],
  env: [],
  reasons: ['nothing detected'],
  notes: [],
  warnings: []
}

export function renderDockerfile(input: DockerfileInput): string {
  const env = input.environment ?? NOTHING_DETECTED
  if (env.dockerfile !== 'generated') throw new Error("renderDockerfile: the repository's own Dockerfile is used as-is")
  if (!COMMIT.test(input.commit) || !ISO_DATE.test(input.created))
    throw new Error('renderDockerfile: commit and created must be validated values')
  // Every value below reaches the file through text() (checked: no line break, no control character,
  // no trailing backslash) or sanitized() (comments); line`…` accepts nothing else (render/text.ts).
  const t = (field: string, value: string): Text => text('Dockerfile', field, value)
  const baseImage = t('the base image', parseBaseImage(input.baseImage))
  const uid = own(String(JOB_UID))
  const home = own(JOB_HOME)
  const labels = [
    line`org.opencontainers.image.revision="${t('the commit', input.commit)}"`,
    line`org.opencontainers.image.created="${t('the commit time', input.created)}"`
  ]
  if (input.sourceUrl && LABEL_SAFE.test(input.sourceUrl))
    labels.unshift(line`org.opencontainers.image.source="${t('the repository URL', input.sourceUrl)}"`)

  const envVars = ['DATA_DIR=/job/data', `HOME=${JOB_HOME}`, 'LANG=C.UTF-8'].map(own)
  // Unbuffered output, so the job's prints reach `docker logs` as they happen; pip quiet about itself.
  if (env.runtime === 'python' || env.runtime === 'conda')
    envVars.push(...['PYTHONUNBUFFERED=1', 'PIP_DISABLE_PIP_VERSION_CHECK=1', 'PIP_ROOT_USER_ACTION=ignore'].map(own))
  envVars.push(...env.env.map((e) => t(`the environment variable ${describeValue(e, 60)}`, e)))

  const steps = planInstall(env)
  const system = steps.filter((s) => s.stage === 'system')
  const before = steps.filter((s) => s.stage === 'before-code')
  const after = steps.filter((s) => s.stage === 'after-code')
  const postBuild = steps.filter((s) => s.stage === 'post-build')
  const commands = (list: InstallStep[]): Text[] =>
    list.flatMap((s) => s.run.split(' && ').map((c) => t(`the install command from ${describeValue(s.from, 60)}`, c)))
  const run = (list: Text[]): Text => line`RUN ${joined(list, ' \\\n    && ')}`

  const pinned = input.pinnedFrom ? `${input.pinnedFrom} pinned by digest to ${baseImage}` : baseImage
  const base =
    input.baseImageFrom === 'base-image option' ? `${pinned}, from the base-image option (detected: ${env.baseImage ?? 'none'})` : pinned
  const lines: Text[] = [
    // Fixed, and free of "=": a first comment line is where a parser directive would be read.
    line`# Generated by job-packager: builds an image that runs this package (run.sh, code/, data/) as-is.`,
    line`# ${sanitized(`Detected: ${env.reasons.join('; ')}.`)}`,
    line`# ${sanitized(`Base image: ${base}.`)}`,
    line`# Build and run: docker build -t job . && docker run --rm job`,
    // A job whose dependencies use CUDA is told how to reach the GPU, whatever its base.
    ...(runsOnGpu(env.gpu)
      ? [
          line`# On a GPU: ${own(GPU_RUN)}`,
          line`# (the host needs the NVIDIA driver and the NVIDIA Container Toolkit; without --gpus the job sees no GPU).`
        ]
      : []),
    line`# Another base image: docker build --build-arg BASE_IMAGE=<image> -t job .`,
    line`ARG BASE_IMAGE=${baseImage}`,
    line`FROM \${BASE_IMAGE}`,
    // micromamba's image runs as its own user; the installs need root, and the job's USER comes last.
    ...(env.asRoot ? [line`USER root`] : []),
    // The base's own Python first, in an instruction of its own: an installer's PATH entry below then goes in front of it.
    ...(env.baseEnv && env.baseEnv.length > 0
      ? [
          line`# The base's own Python, installed below (the CUDA base has none), comes first on PATH.`,
          line`ENV ${joined(
            env.baseEnv.map((e) => t("the base's environment variable", e)),
            ' \\\n    '
          )}`
        ]
      : []),
    line`ENV ${joined(envVars, ' \\\n    ')}`,
    // Created and owned up front, whatever the builder does with the ownership of folders that
    // exist before a COPY: the job may write into its working folder, and tools into HOME.
    system.length > 0
      ? line`# ${sanitized(`The job's user owns its home and code folder; then the system packages (${system.map((s) => SYSTEM_FROM[s.from] ?? `from ${s.from}`).join('; ')}).`)}`
      : line`# The job's user owns its home and code folder.`,
    run([line`mkdir -p ${home} /job/code`, line`chown ${uid}:${uid} ${home} /job /job/code`, ...commands(system)]),
    line`WORKDIR /job/code`
  ]
  if (before.length > 0) {
    const copy = [...new Set(before.flatMap((s) => s.copy))].map((f) =>
      t(`the file name ${describeValue(f, 60)} copied before the code`, f)
    )
    if (copy.length > 0) {
      lines.push(line`# The dependency manifests alone, then their install: a change to the code alone reuses this layer.`)
      // One COPY per folder (the root, or a configuration folder such as binder/), so each file lands where it is in code/.
      const folders = [...new Set(copy.map((f) => folderOf(f)))]
      for (const folder of folders)
        lines.push(
          line`COPY ${joined(
            copy.filter((f) => folderOf(f) === folder).map((f) => line`code/${f}`),
            ' '
          )} ${folder === '' ? line`/job/code/` : line`/job/code/${t('the configuration folder', folder)}/`}`
        )
      lines.push(run(commands(before)))
    } else {
      // Nothing to copy (dependencies named on the RUN line itself): one more layer before the code.
      lines.push(line`# The declared dependencies, before the code: a change to the code alone reuses this layer.`, run(commands(before)))
    }
  }
  lines.push(
    line`# The package: code/, data/, run.sh, job.json and files.sha256, owned by the job's user so it can write beside its code.`,
    line`COPY --chown=${uid}:${uid} . /job`
  )
  if (after.length > 0) {
    lines.push(
      line`# ${sanitized(`Installed after the code, which they need: ${after.map((s) => s.from).join(', ')}.`)}`,
      run(commands(after))
    )
  }
  if (postBuild.length > 0) {
    // The repository's own script, copied with the code and run from there, never written into this file.
    lines.push(
      line`# ${sanitized(`Last, as the job's user: ${postBuild.map((s) => s.from).join(', ')} (made executable first).`)}`,
      line`USER ${uid}:${uid}`,
      run(commands(postBuild))
    )
  }
  // Last before USER: the labels change with every commit, and an instruction that changes
  // invalidates the cache of every layer after it — the dependency layers must come first.
  lines.push(line`LABEL ${joined(labels, ' \\\n      ')}`, line`USER ${uid}:${uid}`, line`ENTRYPOINT ["/bin/sh", "/job/run.sh"]`, line``)
  return lines.join('\n')
}

/** "binder" for "binder/requirements.txt", "" for a file at the root of code/. */
function folderOf(file: string): string {
  const slash = file.lastIndexOf('/')
  return slash < 0 ? '' : file.slice(0, slash)
}

/**
 * Where job.json says the Dockerfile and the build context are: the only two
 * pairs pack writes (verify accepts these and nothing else, since `run` hands
 * them to the engine).
 */
export const BUILD_FILES = {
  generated: { dockerfile: 'Dockerfile', build_context: '.' },
  repository: { dockerfile: 'code/Dockerfile', build_context: 'code' }
} as const

/**
 * The `environment` section of job.json: what was detected, why, what the
 * Dockerfile installs, and how frozen it is. `extraFloats` is for what
 * detection cannot see — the base image reference (a tag without a digest),
 * which the code that resolves base images adds.
 */
export function environmentManifest(
  env: Environment,
  baseImage: string | undefined,
  baseImageFrom: NonNullable<DockerfileInput['baseImageFrom']>,
  extraFloats: Float[] = []
): ManifestEnvironment {
  const repository = env.dockerfile === 'repository'
  const out: ManifestEnvironment = {
    summary: env.reasons.join('; '),
    ...BUILD_FILES[repository ? 'repository' : 'generated'],
    runtime: env.runtime
  }
  if (!repository) {
    out.base_image = baseImage
    out.base_image_from = baseImageFrom
    if (baseImageFrom === 'base-image option') out.detected_base_image = env.baseImage
    if (env.gpu) out.gpu = env.gpu
  }
  if (env.configFolder) out.config_folder = env.configFolder
  if (env.start) out.start = env.start
  if (env.version) out.version = env.version
  if (env.versionFrom) out.version_from = env.versionFrom
  if (env.constraint !== undefined) out.version_constraint = env.constraint
  out.system_packages = env.aptPackages
  out.install = repository ? [] : planInstall(env).map(({ from, stage, run }) => ({ from, stage, run }))
  // The repository's own Dockerfile is opaque to us: nothing can be said frozen about it.
  out.frozen = repository
    ? {
        verdict: 'not',
        ecosystems: [],
        floats: [
          {
            kind: 'unlisted-dependencies',
            name: 'code/Dockerfile',
            from: 'Dockerfile',
            why: "the repository's own Dockerfile decides the environment; job-packager does not read it"
          }
        ]
      }
    : frozenReport(env.installs, env.floats, extraFloats)
  out.notes = env.notes
  out.warnings = env.warnings
  return out
}
