/**
 * The option registry: every field of the job spec and every option, defined
 * once. For each: the key the core uses, its name in a JSON spec (when a spec
 * may set it), its CLI flag, its Action input, its kind (parser and
 * accepted values), default, help text and group.
 *
 * Everything else is derived from this table: the CLI's argument parser and
 * `--help` (cli/args.ts, cli/help.ts), the Action's input reading
 * (action/input-helper.ts), action.yml's inputs (action/action-yml.ts), the
 * README and docs tables (scripts/docs.ts), and the names in error messages
 * (names.ts). Adding an option is one entry here plus its use in the core; a
 * test fails if any of those derived places drifts.
 *
 * Who may set what: the spec (a dispatch payload, possibly from outside)
 * says *what* to package and may choose how the environment is built; only
 * the workflow or the person running the CLI sets policy (transports,
 * private network, token origin) and limits. So policy and limit options
 * have no spec name.
 */
import { DEFAULT_GPU, GPU_MODES } from '../detect/gpu.js'
import { parseSnapshotUrl, SNAPSHOT_URL_ACCEPTED } from '../detect/r.js'
import { GIT_PROTOCOLS, type GitProtocol } from '../net/protocols.js'
import { PIN_MODES } from '../oci/pin.js'
import { parseBaseImage } from '../render/dockerfile.js'
import { ENGINE_NAMES, NETWORK_MODES } from '../run/types.js'
import {
  booleanKind,
  decimalKind,
  enumKind,
  enumListKind,
  integerKind,
  KindProblem,
  originKind,
  sizeKind,
  textKind,
  type Kind
} from './kinds.js'

/** Where the Action keeps pinned datasets between runs (src/action/dataset-caches.ts). */
export const DATASET_CACHE_MODES = ['auto', 'actions', 'tool', 'off'] as const
export type DatasetCacheMode = (typeof DATASET_CACHE_MODES)[number]

export type OptionGroup = 'spec' | 'output' | 'network' | 'limits' | 'environment' | 'action' | 'package' | 'engine'

export const GROUP_TITLES: Record<OptionGroup, string> = {
  spec: 'The job spec',
  output: 'Output',
  network: 'Network and credentials',
  limits: 'Limits',
  environment: 'The image (Dockerfile)',
  action: 'The workflow artifact',
  package: 'The package',
  engine: 'The container engine'
}

/**
 * The CLI's commands (and the Action each belongs to): `pack` makes a
 * package (the main Action), `verify` checks one, `run` verifies, builds and
 * runs one and keeps its results (the `run` sub-action).
 */
export const COMMAND_NAMES = ['pack', 'verify', 'run'] as const
export type CommandName = (typeof COMMAND_NAMES)[number]

export interface CliFlag {
  /** Without the dashes. */
  flag: string
  /** Older or shorter names that keep working. */
  aliases?: readonly string[]
  /** One-letter form. */
  short?: string
  /** May be given several times (values collected in order). */
  repeatable?: boolean
  /** Help text when it differs from the entry's. */
  help?: string
  /** The default as the CLI shows it, when it differs from the core's (e.g. read from the environment). */
  defaultText?: string
}

export interface CliEnv {
  /** Read from this environment variable instead of a flag (secrets never go on a command line). */
  env: string
  help?: string
}

export interface ActionInput {
  input: string
  /** One value per line. */
  multiline?: boolean
  /** Description when it differs from the entry's help. */
  description?: string
  /** The default written into action.yml, when it is not the core's (e.g. an expression). */
  defaultText?: string
  /**
   * An empty input is a value, not "not given": for inputs whose action.yml
   * default is an expression, so that only a workflow that writes `''` gets
   * the empty value (token-origin: never send the token).
   */
  emptyIsValue?: boolean
}

export interface OptionDef<T> {
  kind: Kind<T>
  group: OptionGroup
  /**
   * One or two sentences, for --help, action.yml and the docs. `[[key]]`
   * names another option the way each shell does (see helpText).
   */
  help: string
  /** The core's default (in the core's units); undefined: none. */
  default?: T
  /** Name in a JSON job spec, when a spec may set it. */
  spec?: string
  cli?: CliFlag | CliEnv
  action?: ActionInput
  /** Never shown in a log or an error message. */
  secret?: boolean
  /** The commands that take it (CLI subcommands, and the Action of each: pack → action.yml, run → run/action.yml). Default: pack. */
  commands?: readonly CommandName[]
}

/**
 * An identity that keeps each entry's own type (T inferred from its kind, and
 * whether it has a default), so the value types below can be derived and a
 * shell can read `ENTRY.default` as a T.
 */
function option<T, const D extends OptionDef<T>>(def: D & OptionDef<T>): D {
  return def
}

/** Raw text: the job spec's own parser (spec.ts) checks these fields, with field-specific messages. */
const raw = (metavar: string, accepted: string): Kind<string> => textKind(metavar, accepted)

/**
 * The fields of the job spec (the request body of the service this project
 * grew from, extended). Their values are parsed by spec.ts; the registry
 * knows their names and help.
 */
export const SPEC_FIELDS_DEFS = {
  git_url: option({
    kind: raw('URL', 'a repository URL'),
    group: 'spec',
    spec: 'git_url',
    help: 'Repository to package. https:// by default; http://, ssh:// and local paths only when allowed by [[allowProtocols]].',
    cli: { flag: 'git-url' },
    action: { input: 'git-url' }
  }),
  commit_hash: option({
    kind: raw('SHA', 'a commit SHA'),
    group: 'spec',
    spec: 'commit_hash',
    help: 'Commit to package: 40 or 64 hex digits, or an unambiguous prefix of at least 7. Branch and tag names are refused.',
    cli: { flag: 'commit-hash', aliases: ['commit'] },
    action: { input: 'commit-hash' }
  }),
  data_url: option({
    kind: raw('URL', 'an http(s) URL'),
    group: 'spec',
    spec: 'data_url',
    help: 'Dataset URL, downloaded into data/. Several are allowed; none for a code-only job.',
    cli: { flag: 'data-url', repeatable: true, help: 'Dataset URL, downloaded into data/; repeat for several, omit for a code-only job.' },
    action: {
      input: 'data-url',
      multiline: true,
      description: 'Dataset URLs, one per line, downloaded into data/. Leave empty for a code-only job.'
    }
  }),
  data_sha256: option({
    kind: raw('HEX', 'a sha256 digest'),
    group: 'spec',
    spec: 'data_sha256',
    help: 'Pinned sha256 of the dataset at the same position. A pinned dataset is checked after download and can be reused from a cache.',
    cli: { flag: 'data-sha256', repeatable: true },
    action: {
      input: 'data-sha256',
      multiline: true,
      description:
        'Pinned sha256 digests, one per line, matching data-url line by line. A pinned dataset is checked after download and can be reused from the dataset cache (dataset-cache).'
    }
  }),
  command: option({
    kind: raw('CMD', 'a shell command'),
    group: 'spec',
    spec: 'command',
    help: 'Shell command that run.sh runs inside code/ (several lines allowed).',
    cli: { flag: 'command' },
    action: { input: 'command' }
  }),
  job_id: option({
    kind: raw('ID', 'a job id'),
    group: 'spec',
    spec: 'job_id',
    help: 'Names the job folder and the archive ({job_id}.tar.gz): 1-64 of A-Z a-z 0-9 . _ - not starting with . or -. Default: a random UUID.',
    cli: { flag: 'job-id' },
    action: {
      input: 'job-id',
      description:
        'Names the job folder, the archive and the artifact ({job-id}.tar.gz). 1-64 of A-Z a-z 0-9 . _ - not starting with . or -. Must be unique in the workflow run. Empty: spec.job_id, else a random UUID.'
    }
  })
} as const

export type SpecFieldName = keyof typeof SPEC_FIELDS_DEFS

/**
 * The core's options: what PackOptions accepts (options.ts). Keys are the
 * PackOptions property names.
 */
export const CORE_OPTIONS = {
  submodules: option({
    kind: enumKind(['false', 'true', 'recursive'] as const),
    group: 'spec',
    spec: 'submodules',
    default: 'false',
    help: 'Submodules to fetch into code/, each at the commit its gitlink records: false (none; each one left empty is named in the log, the summary and job.json), true (those of the repository itself), recursive (nested ones too, at most [[maxSubmoduleDepth]] deep). Their URLs must pass the same checks as git-url.',
    cli: { flag: 'submodules' },
    action: { input: 'submodules' }
  }),
  outDir: option({
    kind: textKind('DIR', 'a folder path'),
    group: 'output',
    default: 'jobs',
    help: 'Folder that receives {job_id}/ and {job_id}.tar.gz.',
    cli: { flag: 'output-dir', aliases: ['out'] },
    action: { input: 'output-dir', description: 'Folder (relative to the workspace) that receives {job-id}/ and {job-id}.tar.gz.' }
  }),
  compressionLevel: option({
    kind: integerKind({ min: 1, max: 9 }),
    group: 'output',
    default: 6,
    help: 'gzip level of the archive, 1 (fastest) to 9 (smallest).',
    cli: { flag: 'compression-level' },
    action: { input: 'compression-level' }
  }),
  allowProtocols: option({
    kind: enumListKind<GitProtocol>(GIT_PROTOCOLS),
    group: 'network',
    default: ['https'] as GitProtocol[],
    help: 'Comma-separated transports allowed for git-url, from https, http, ssh, file. http also allows http:// dataset URLs.',
    cli: { flag: 'allow-protocols' },
    action: { input: 'allow-protocols' }
  }),
  allowPrivateNetwork: option({
    kind: booleanKind(),
    group: 'network',
    default: false,
    help: "Allow the repository and datasets on loopback, private and link-local addresses (off so a spec cannot reach a self-hosted runner's metadata endpoint or network).",
    cli: { flag: 'allow-private-network' },
    action: { input: 'allow-private-network' }
  }),
  token: option({
    kind: textKind('TOKEN', 'a token'),
    group: 'network',
    secret: true,
    help: 'Token for an https git host, sent only when the repository is on [[tokenOrigin]]. Never logged, never stored in the job.',
    cli: { env: 'JOB_PACKAGER_TOKEN', help: 'Token for a private https git host (never a flag), sent only to --token-origin.' },
    action: { input: 'token', defaultText: '${{ github.token }}' }
  }),
  tokenOrigin: option({
    kind: originKind(),
    group: 'network',
    help: 'The only origin (scheme://host[:port]) the token is sent to; another repository host gets no token, so a spec cannot collect it. Empty: never send the token.',
    cli: { flag: 'token-origin', defaultText: '$GITHUB_SERVER_URL, else https://github.com' },
    action: { input: 'token-origin', defaultText: '${{ github.server_url }}', emptyIsValue: true }
  }),
  dataToken: option({
    kind: textKind('TOKEN', 'a token'),
    group: 'network',
    secret: true,
    help: 'Token for private datasets, sent as "Authorization: Bearer" only to [[dataTokenOrigin]], which must then be set, and never after a redirect to another origin. Never logged, never stored in the job.',
    cli: { env: 'JOB_PACKAGER_DATA_TOKEN', help: 'Token for private datasets (never a flag), sent only to --data-token-origin.' },
    action: { input: 'data-token' }
  }),
  dataTokenOrigin: option({
    kind: originKind(),
    group: 'network',
    help: 'The only origin (scheme://host[:port]) the data token is sent to; required when the data token is set (no default: the spec chooses the dataset URLs, so it must not choose where the token goes). Datasets elsewhere are fetched without it.',
    cli: { flag: 'data-token-origin' },
    action: { input: 'data-token-origin' }
  }),
  lfs: option({
    kind: enumKind(['auto', 'true', 'false'] as const),
    group: 'network',
    spec: 'lfs',
    default: 'auto',
    help: 'Git LFS objects: auto fetches them when the commit has LFS pointers (git-lfs must then be on PATH); true requires git-lfs and the objects; false keeps the pointer files, with a warning in the log, the summary and job.json.',
    cli: { flag: 'lfs' },
    action: { input: 'lfs' }
  }),
  maxDatasetBytes: option({
    kind: sizeKind({ min: 1 }),
    group: 'limits',
    default: 5 * 1024 ** 3,
    help: 'Largest single dataset, in bytes or with K, M, G, T (powers of 1024).',
    cli: { flag: 'max-dataset-bytes' },
    action: { input: 'max-dataset-bytes' }
  }),
  maxTotalDatasetBytes: option({
    kind: sizeKind({ min: 1 }),
    group: 'limits',
    // 20G: four datasets at the single-dataset limit. Every byte is on disk twice (the job folder and the archive), so
    // this is about what a large runner's disk can take; without it, a spec could ask for max-datasets × 5G.
    default: 20 * 1024 ** 3,
    help: 'Largest total of all datasets of a job together, in bytes or with K, M, G, T.',
    cli: { flag: 'max-total-dataset-bytes' },
    action: { input: 'max-total-dataset-bytes' }
  }),
  maxDatasets: option({
    kind: integerKind({ min: 0, max: 10_000 }),
    group: 'limits',
    // 20: a job's data is a handful of files (a few sources, train/test splits). Each dataset is a download of its own
    // (with retries), a line in run.sh, job.json, the log and the job summary; many small files belong in one archive.
    default: 20,
    help: 'Most datasets (data_url entries) in one job.',
    cli: { flag: 'max-datasets' },
    action: { input: 'max-datasets' }
  }),
  maxCommandBytes: option({
    kind: sizeKind({ min: 1 }),
    group: 'limits',
    // 64K: half of Linux's 128 KiB limit on one argument or environment string (MAX_ARG_STRLEN). The Action gets the
    // command as an environment variable (INPUT_COMMAND, and inside INPUT_SPEC), so a longer one cannot even start
    // the step ("Argument list too long"); it is also copied into run.sh and job.json. A longer program belongs in a
    // script in the repository.
    default: 64 * 1024,
    help: 'Largest command, in bytes of UTF-8 (K, M allowed); a longer program belongs in a script in the repository.',
    cli: { flag: 'max-command-bytes' },
    action: { input: 'max-command-bytes' }
  }),
  maxCheckoutBytes: option({
    kind: sizeKind({ min: 1 }),
    group: 'limits',
    default: 2 * 1024 ** 3,
    help: 'Largest checked-out tree (sum of file sizes, submodules and Git LFS objects included), in bytes or with K, M, G, T.',
    cli: { flag: 'max-checkout-bytes' },
    action: { input: 'max-checkout-bytes' }
  }),
  maxFetchBytes: option({
    kind: sizeKind({ min: 1 }),
    group: 'limits',
    default: 4 * 1024 ** 3,
    help: 'Most bytes the git fetches of a job may download together (the repository and its submodules, as git counts them while receiving), in bytes or with K, M, G, T; the fetch is stopped beyond it. The Git LFS objects of a commit together are held to it too.',
    cli: { flag: 'max-fetch-bytes' },
    action: { input: 'max-fetch-bytes' }
  }),
  maxCheckoutFiles: option({
    kind: integerKind({ min: 1 }),
    group: 'limits',
    default: 200_000,
    help: 'Most files in the checked-out tree, submodules included.',
    cli: { flag: 'max-checkout-files' },
    action: { input: 'max-checkout-files' }
  }),
  maxSubmoduleDepth: option({
    kind: integerKind({ min: 1, max: 100 }),
    group: 'limits',
    // 8: nesting deeper than a few levels is rare in real projects; the limit exists so that submodules that include
    // each other (at ever new commits) cannot make a job fetch without end.
    default: 8,
    help: 'Deepest nesting of submodules fetched with submodules: recursive (1: only those of the repository itself); deeper ones are an error.',
    cli: { flag: 'max-submodule-depth' },
    action: { input: 'max-submodule-depth' }
  }),
  timeoutMs: option({
    kind: integerKind({ min: 1, max: 7 * 24 * 3600 }, { unit: 'seconds', scale: 1000, metavar: 'SECONDS' }),
    group: 'limits',
    default: 3600 * 1000,
    help: 'Deadline for packaging (checkout, downloads, archive), in seconds.',
    cli: { flag: 'timeout' },
    action: { input: 'timeout' }
  }),
  idleTimeoutMs: option({
    kind: integerKind({ min: 1, max: 24 * 3600 }, { unit: 'seconds', scale: 1000, metavar: 'SECONDS' }),
    group: 'limits',
    default: 60 * 1000,
    help: 'A transfer that receives nothing for this many seconds is abandoned (then retried).',
    cli: { flag: 'idle-timeout' },
    action: { input: 'idle-timeout' }
  }),
  maxRedirects: option({
    kind: integerKind({ min: 0, max: 20 }),
    group: 'limits',
    default: 5,
    help: 'Redirects followed per dataset download.',
    cli: { flag: 'max-redirects' },
    action: { input: 'max-redirects' }
  }),
  attempts: option({
    kind: integerKind({ min: 1, max: 20 }),
    group: 'limits',
    default: 3,
    help: 'Attempts per network operation (git fetch, each download; in the Action also the artifact upload), the first included.',
    cli: { flag: 'attempts' },
    action: { input: 'attempts' }
  }),
  retryDelayMs: option({
    kind: integerKind({ min: 0, max: 600_000 }, { unit: 'milliseconds', metavar: 'MS' }),
    group: 'limits',
    default: 1000,
    help: 'First back-off delay between attempts, in milliseconds; doubles each time.',
    cli: { flag: 'retry-delay-ms' },
    action: { input: 'retry-delay-ms' }
  }),
  baseImage: option({
    kind: textKind(
      'IMAGE',
      'an image reference with a tag other than latest and/or a sha256 digest, e.g. python:3.12-slim',
      parseBaseImage
    ),
    group: 'environment',
    spec: 'base_image',
    help: 'BASE_IMAGE of the generated Dockerfile instead of the detected one (a tag or digest, never latest). Empty: detected from the repository (see docs/CONTAINER.md).',
    cli: { flag: 'base-image' },
    action: { input: 'base-image' }
  }),
  pinBaseImage: option({
    kind: enumKind(PIN_MODES),
    group: 'environment',
    default: 'auto',
    help: "Pin the Dockerfile's base image by digest, resolved through the registry's API when packaging. auto: keep the tag with a warning when the registry cannot be reached or has no such tag; require: fail instead; off: do not ask (the base floats, and job.json says so). A base image given with a digest is kept as is.",
    cli: { flag: 'pin-base-image' },
    action: { input: 'pin-base-image' }
  }),
  gpu: option({
    kind: textKind(
      'auto|cuda|off|IMAGE',
      'auto, cuda, off, or a CUDA image reference (Ubuntu based) with a tag other than latest and/or a digest',
      gpuValue
    ),
    group: 'environment',
    spec: 'gpu',
    default: DEFAULT_GPU,
    help: "A CUDA runtime base for a Python job (nvidia/cuda's cudnn-runtime image, Python from Ubuntu's python3 in a virtual environment), pinned by digest like any base. auto: when the dependencies use CUDA (torch, jax[cuda], cupy, …); cuda: always; off: never; an image reference: like cuda, on that CUDA image (another CUDA release, a mirror). [[baseImage]] wins over it. At run time a GPU job needs docker run --gpus all (see docs/CONTAINER.md).",
    cli: { flag: 'gpu' },
    action: { input: 'gpu' }
  }),
  rSnapshotUrl: option({
    kind: textKind('URL', SNAPSHOT_URL_ACCEPTED, parseSnapshotUrl),
    group: 'environment',
    help: "A dated R package snapshot server, with {date} where the date goes: a runtime.txt r-X.Y.Z-YYYY-MM-DD (or r-YYYY-MM-DD) then sets R's CRAN repository to that day's snapshot, in the image's Rprofile.site. Empty: no snapshot server, and the date is named as not applied (R packages come from the base image's repository).",
    cli: { flag: 'r-snapshot-url' },
    action: { input: 'r-snapshot-url' }
  }),
  useRepoDockerfile: option({
    kind: booleanKind(),
    group: 'environment',
    spec: 'use_repo_dockerfile',
    default: false,
    help: "Build with the repository's own Dockerfile (at its root, build context code/) instead of generating one. Ignored, with a warning, when the repository has none.",
    cli: { flag: 'use-repo-dockerfile' },
    action: { input: 'use-repo-dockerfile' }
  })
} as const

/** Options only a shell reads: how it presents results, and what it does around the core. */
export const SHELL_OPTIONS = {
  spec: option({
    kind: textKind('FILE', 'a file path, or - for standard input'),
    group: 'spec',
    help: 'The job spec as JSON: {"git_url", "commit_hash", "data_url", "command", "job_id", "data_sha256", "submodules", "lfs", "base_image", "gpu", "use_repo_dockerfile"}.',
    cli: { flag: 'spec', help: 'JSON job spec file ("-" reads standard input); the flags below override its fields.' },
    action: {
      input: 'spec',
      description:
        'The whole job spec as one JSON object: {"git_url", "commit_hash", "data_url", "command"} plus optional "job_id", "data_sha256", "submodules", "lfs", "base_image", "gpu" and "use_repo_dockerfile". Typically `${{ toJSON(github.event.client_payload) }}`. The individual inputs may add fields; git-url, commit-hash, data-url, data-sha256, command, submodules, lfs, base-image, gpu and use-repo-dockerfile must agree with the spec when both are given, job-id replaces spec.job_id (see docs/ACTION.md, "Spec and inputs"). Unknown fields are an error.'
    }
  }),
  json: option({
    kind: booleanKind(),
    group: 'output',
    default: false,
    commands: ['pack', 'verify', 'run'],
    help: "Print the result (or the error) as JSON on stdout (run: the job's own output then goes to stderr).",
    cli: { flag: 'json' }
  }),
  quiet: option({
    kind: booleanKind(),
    group: 'output',
    default: false,
    commands: ['pack', 'verify', 'run'],
    help: 'Only warnings and errors on stderr.',
    cli: { flag: 'quiet', short: 'q' }
  }),
  verbose: option({
    kind: booleanKind(),
    group: 'output',
    default: false,
    commands: ['pack', 'verify', 'run'],
    help: 'Also debug lines (git commands, redirects).',
    cli: { flag: 'verbose', short: 'v' }
  }),
  progress: option({
    kind: enumKind(['auto', 'line', 'plain', 'off'] as const),
    group: 'output',
    default: 'auto',
    help: 'How progress is shown on stderr: line (one line redrawn in place), plain (a line per item every 10 s), off; auto: line on a terminal, plain elsewhere.',
    cli: { flag: 'progress' }
  }),
  cacheDir: option({
    kind: textKind('DIR', 'a folder path'),
    group: 'network',
    help: 'Reuse datasets with a pinned sha256 from this folder, and keep new ones there. Entries are re-hashed before use.',
    cli: { flag: 'cache-dir' }
  }),
  datasetCache: option({
    kind: enumKind(DATASET_CACHE_MODES, { aliases: { true: 'auto', false: 'off' } }),
    group: 'network',
    default: 'auto',
    help: "Where pinned datasets (data-sha256) are kept between runs: actions (the repository's Actions cache, which survives GitHub-hosted runners), tool (the runner's tool cache, for self-hosted runners), off; auto: actions on GitHub-hosted runners, tool elsewhere. Restored files are re-hashed before use; only a successful pack saves.",
    action: { input: 'dataset-cache' }
  }),
  provenance: option({
    kind: booleanKind(),
    group: 'output',
    default: true,
    help: 'Write {job-id}.intoto.json beside the archive: an in-toto statement (SLSA provenance v1) that names the archive by its sha256 and the commit and datasets it was made from. The Action uploads it as a second artifact.',
    cli: { flag: 'provenance', help: 'Write {job-id}.intoto.json beside the archive (--provenance=false: do not).' },
    action: { input: 'provenance' }
  }),
  attest: option({
    kind: booleanKind(),
    group: 'action',
    default: false,
    help: "Have GitHub sign the provenance statement (an attestation, checked later with `gh attestation verify`). Needs provenance: true and the workflow's `permissions: id-token: write` and `attestations: write`.",
    action: { input: 'attest' }
  }),
  githubToken: option({
    kind: textKind('TOKEN', 'a token'),
    group: 'action',
    secret: true,
    help: "Token for GitHub's API in this workflow: storing the attestation (attest). Never logged.",
    action: { input: 'github-token', defaultText: '${{ github.token }}' }
  }),
  upload: option({
    kind: booleanKind(),
    group: 'action',
    default: true,
    help: 'Upload {job-id}.tar.gz as an artifact of this run (unzipped, named after the file). false: only write the job folder and archive.',
    action: { input: 'upload' }
  }),
  overwrite: option({
    kind: booleanKind(),
    group: 'action',
    default: false,
    help: 'Replace an artifact of the same name already in this workflow run (a re-run of the job, or an earlier step with the same job id): it is deleted, then the new one uploaded. false: such a name conflict fails the step.',
    action: { input: 'overwrite' }
  }),
  retentionDays: option({
    kind: integerKind({ min: 1, max: 90 }),
    group: 'action',
    help: "Days to keep the artifact. Empty for the repository's default.",
    action: { input: 'retention-days' }
  })
} as const

const hex64 = (text: string): string => {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '')
  if (!/^[0-9a-f]{64}$/.test(t)) throw new Error('is not a sha256 digest')
  return t
}

/** docker's --memory syntax: a whole number with an optional b, k, m or g (powers of 1024). */
const memoryLimit = (text: string): string => {
  const m = /^(\d{1,15})([bkmg]?)$/.exec(text.trim().toLowerCase())
  if (!m) throw new Error('is not a memory size')
  const bytes = Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2] || ' ')
  // docker refuses less than 6 MiB; no job starts in less.
  if (bytes < 6 * 1024 ** 2) throw new Error('is less than 6m')
  return `${m[1]}${m[2] || 'b'}`
}

/** The gpu option: one of GPU_MODES (any case), or an image reference checked as base-image's. */
function gpuValue(text: string): string {
  const word = text.trim().toLowerCase()
  if ((GPU_MODES as readonly string[]).includes(word)) return word
  return parseBaseImage(text.trim())
}

/** docker's --gpus values we pass on: all, a count, or device=ID[,ID…]. */
const gpuRequest = (text: string): string => {
  const t = text.trim()
  if (!/^(?:all|[1-9]\d{0,2}|device=[A-Za-z0-9._:-]+(?:,[A-Za-z0-9._:-]+)*)$/.test(t)) throw new Error('is not a GPU request')
  return t
}

/** KEY=VALUE on one line. */
const buildArg = (text: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=[^\n\r\0]*$/.test(text)) throw new Error('is not KEY=VALUE')
  return text
}

/**
 * The options of `verify` and `run` (RunOptions in run/types.ts; the keys are
 * its property names, except `runTimeoutMs`, RunOptions.timeoutMs, named so
 * to stay apart from packing's timeoutMs). None can come from a job spec: how
 * a package runs is the runner's decision, never the package's.
 */
export const RUN_OPTIONS = {
  expectedSha256: option({
    kind: textKind('HEX', 'a sha256 digest: 64 hex digits, optionally prefixed sha256:', hex64),
    group: 'package',
    commands: ['verify', 'run'],
    help: "The package archive's sha256 (from pack's output or the Action's archive-sha256 output); the archive is refused unless its bytes match. Only for an archive, not a job folder.",
    cli: { flag: 'sha256' },
    action: { input: 'sha256' }
  }),
  statement: option({
    kind: textKind('FILE', 'a file path'),
    group: 'package',
    commands: ['verify', 'run'],
    help: "The provenance statement ({job_id}.intoto.json) the package must match: its archive's sha256, commit, datasets and content digest. Default: the one beside the archive, when there is one.",
    cli: { flag: 'statement' }
  }),
  maxPackageBytes: option({
    kind: sizeKind({ min: 1 }),
    group: 'limits',
    // 24G: what pack's own limits allow (a 2G checkout and 20G of datasets), with room to spare. A few megabytes of
    // gzip can expand to terabytes; the sizes the archive declares are added up before anything is written.
    default: 24 * 1024 ** 3,
    commands: ['verify', 'run'],
    help: "Most bytes a package archive may unpack to (the sum of its files' sizes; K, M, G, T allowed); a larger one is refused before it is written. run also refuses one that would not fit the free space of its work folder.",
    cli: { flag: 'max-package-bytes' },
    action: { input: 'max-package-bytes' }
  }),
  maxPackageEntries: option({
    kind: integerKind({ min: 1 }),
    group: 'limits',
    // 500,000: pack's 200,000 files with their folders, and the datasets, with room to spare.
    default: 500_000,
    commands: ['verify', 'run'],
    help: 'Most entries (files, folders and symlinks) a package archive may hold.',
    cli: { flag: 'max-package-entries' },
    action: { input: 'max-package-entries' }
  }),
  engine: option({
    kind: enumKind(ENGINE_NAMES),
    group: 'engine',
    default: 'auto',
    commands: ['run'],
    help: 'What builds and runs the job: docker, podman, buildah, or none (run.sh straight on this machine, no container: only for trusted jobs on a self-hosted runner). auto: docker if its daemon answers, else podman, else buildah; never none.',
    cli: { flag: 'engine' },
    action: { input: 'engine' }
  }),
  network: option({
    kind: enumKind(NETWORK_MODES),
    group: 'engine',
    default: 'none',
    commands: ['run'],
    help: "The job's network: none (no network at all) or default (the engine's default network). The image build always has the network, to install dependencies.",
    cli: { flag: 'network' },
    action: { input: 'network' }
  }),
  trustPackage: option({
    kind: booleanKind(),
    group: 'engine',
    default: false,
    commands: ['run'],
    help: "Trust the package: let the engine build and run it with weaker isolation than a hostile package needs (buildah's chroot isolation, the host's network for the build). Off: buildah builds and runs under OCI isolation (runc or crun), without CAP_SYS_CHROOT, the build in a network of its own, and refuses the package where it cannot (docs/SECURITY.md).",
    cli: { flag: 'trust-package' },
    action: { input: 'trust-package' }
  }),
  gpus: option({
    kind: textKind('GPUS', 'all, a number of GPUs, or device=ID[,ID...]', gpuRequest),
    group: 'engine',
    commands: ['run'],
    help: "GPUs for the job, as docker's --gpus takes them (all, 2, device=0,1); docker and podman only.",
    cli: { flag: 'gpus' },
    action: { input: 'gpus' }
  }),
  buildArgs: option({
    kind: textKind('KEY=VALUE', 'KEY=VALUE', buildArg),
    group: 'engine',
    commands: ['run'],
    help: 'Build argument for the image, e.g. BASE_IMAGE=registry.example/python:3.12-slim for a mirrored base image. Recorded in result.json.',
    cli: {
      flag: 'build-arg',
      repeatable: true,
      help: 'Build argument for the image, e.g. BASE_IMAGE=my-mirror/python:3.12-slim. Recorded in result.json.'
    },
    action: {
      input: 'build-args',
      multiline: true,
      description:
        'Build arguments for the image, KEY=VALUE, one per line (e.g. BASE_IMAGE for a mirrored base image). Recorded in result.json.'
    }
  }),
  workDir: option({
    kind: textKind('DIR', 'a folder path'),
    group: 'engine',
    commands: ['run'],
    help: "Where the package is unpacked and the job's output folder lives while it runs. Default: a new temporary folder, removed afterwards.",
    cli: { flag: 'work-dir' }
  }),
  resultsDir: option({
    kind: textKind('DIR', 'a folder path'),
    group: 'output',
    default: 'results',
    commands: ['run'],
    help: 'Folder that receives {job_id}-result/ and {job_id}-result.tar.gz.',
    cli: { flag: 'results-dir' },
    action: { input: 'results-dir' }
  }),
  runTimeoutMs: option({
    kind: integerKind({ min: 1, max: 7 * 24 * 3600 }, { unit: 'seconds', scale: 1000, metavar: 'SECONDS' }),
    group: 'limits',
    default: 3600 * 1000,
    commands: ['run'],
    help: "Deadline for the job's run (the image build not included), in seconds; the container or process group is then stopped.",
    cli: { flag: 'timeout' },
    action: { input: 'timeout' }
  }),
  memory: option({
    kind: textKind('SIZE', 'a memory size as docker takes it: a number with b, k, m or g, at least 6m (e.g. 512m, 2g)', memoryLimit),
    group: 'limits',
    commands: ['run'],
    help: "Memory limit of the job's container (512m, 2g). docker and podman enforce it; buildah and none cannot (a warning says so).",
    cli: { flag: 'memory' },
    action: { input: 'memory' }
  }),
  cpus: option({
    kind: decimalKind({ min: 0.01, max: 1024 }, 'CPUS'),
    group: 'limits',
    commands: ['run'],
    help: "CPUs the job's container may use (1.5 allowed). docker and podman enforce it; buildah and none cannot (a warning says so).",
    cli: { flag: 'cpus' },
    action: { input: 'cpus' }
  }),
  maxOutputBytes: option({
    kind: sizeKind({ min: 1 }),
    group: 'limits',
    default: 1024 ** 3,
    commands: ['run'],
    help: 'Most bytes the job may write into OUTPUT_DIR (K, M, G, T allowed); past it the job is stopped and what is over is left out of the result, which says so.',
    cli: { flag: 'max-output-bytes' },
    action: { input: 'max-output-bytes' }
  }),
  maxLogBytes: option({
    kind: sizeKind({ min: 1024 }),
    group: 'limits',
    default: 10 * 1024 ** 2,
    commands: ['run'],
    help: "Most bytes of the job's stdout, and of its stderr, kept in the result (K, M, G allowed); the rest is counted, not kept.",
    cli: { flag: 'max-log-bytes' },
    action: { input: 'max-log-bytes' }
  })
} as const

/**
 * Options only the run sub-action (run/action.yml) reads: which package to
 * fetch and from where, what happens to the result artifact, and what a
 * failed job does to the step. (How the package runs — engine, limits,
 * results folder, expected sha256 — are RUN_OPTIONS, shared with the CLI's
 * `run`.) No CLI flags: `job-packager run` takes a file.
 */
export const RUN_ACTION_OPTIONS = {
  packageJobId: option({
    kind: textKind('ID', "a job id: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'", parsePackageJobId),
    group: 'action',
    help: 'The job to run: the artifact {job-id}.tar.gz is downloaded (the job-id output of the packaging step). Required.',
    commands: ['run'],
    action: { input: 'job-id' }
  }),
  packageRunId: option({
    kind: integerKind({ min: 1 }),
    group: 'action',
    help: 'Download the package from this workflow run (its github.run_id) instead of the current one; needs [[artifactToken]] with actions: read on [[packageRepository]]. Empty: this run.',
    commands: ['run'],
    action: { input: 'run-id' }
  }),
  packageRepository: option({
    kind: textKind('OWNER/NAME', 'owner/name of a GitHub repository', parseRepository),
    group: 'action',
    help: 'The repository (owner/name) of [[packageRunId]]. Empty: this repository.',
    commands: ['run'],
    action: { input: 'repository' }
  }),
  artifactToken: option({
    kind: textKind('TOKEN', 'a token'),
    group: 'action',
    secret: true,
    help: 'Token that may read the Actions artifacts of [[packageRepository]], used only with [[packageRunId]]. Never logged.',
    commands: ['run'],
    action: { input: 'github-token', defaultText: '${{ github.token }}' }
  }),
  uploadResult: option({
    kind: booleanKind(),
    group: 'action',
    default: true,
    commands: ['run'],
    help: 'Upload {job-id}-result.tar.gz as an artifact of this run (unzipped, named after the file). false: only write the result folder and archive.',
    action: { input: 'upload' }
  }),
  overwriteResult: option({
    kind: booleanKind(),
    group: 'action',
    // true, unlike packing's overwrite: a result is named after the package it ran, so the only other artifact of that
    // name in the run is an earlier attempt's (Re-run jobs), and the newest run's result is the one wanted. The log says
    // which artifact was replaced.
    default: true,
    commands: ['run'],
    help: 'Replace a {job-id}-result.tar.gz artifact already in this workflow run (an earlier attempt of this job, after Re-run jobs); the log names the one replaced. false: fail instead.',
    action: { input: 'overwrite' }
  }),
  resultRetentionDays: option({
    kind: integerKind({ min: 1, max: 90 }),
    group: 'action',
    commands: ['run'],
    help: "Days to keep the result artifact. Empty for the repository's default.",
    action: { input: 'retention-days' }
  }),
  failOnJobFailure: option({
    kind: booleanKind(),
    group: 'action',
    default: true,
    help: 'Fail the step when the job exits with a non-zero code or is stopped (timeout, output limit). false: the step passes and exit-code tells.',
    commands: ['run'],
    action: { input: 'fail-on-job-failure' }
  })
} as const

/** A job id for a package to fetch: the packager's rule, and never empty (there is no package to invent). */
function parsePackageJobId(text: string): string {
  const accepted = "a job id: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'"
  if (text.trim() === '') throw new KindProblem('is empty', accepted)
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/.test(text))
    throw new KindProblem(`${JSON.stringify(text.slice(0, 80))} is not a job id`, accepted)
  return text
}

/** owner/name as GitHub spells them: letters, digits, '-', '_' and '.', one slash. */
function parseRepository(text: string): string {
  if (!/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(text) || /\/\.\.?$/.test(text))
    throw new KindProblem(
      `${JSON.stringify(text.slice(0, 120))} is not owner/name`,
      'owner/name of a GitHub repository, e.g. octo-org/octo-repo'
    )
  return text
}

type ValueOf<D> = D extends OptionDef<infer T> ? T : never

/** The typed values of the core's options, as PackOptions carries them. */
export type CoreOptionValues = { -readonly [K in keyof typeof CORE_OPTIONS]: ValueOf<(typeof CORE_OPTIONS)[K]> }
export type CoreOptionKey = keyof typeof CORE_OPTIONS
export type ShellOptionValues = { -readonly [K in keyof typeof SHELL_OPTIONS]: ValueOf<(typeof SHELL_OPTIONS)[K]> }
export type ShellOptionKey = keyof typeof SHELL_OPTIONS
export type RunActionOptionValues = { -readonly [K in keyof typeof RUN_ACTION_OPTIONS]: ValueOf<(typeof RUN_ACTION_OPTIONS)[K]> }
export type RunActionOptionKey = keyof typeof RUN_ACTION_OPTIONS

export type RunOptionValues = { -readonly [K in keyof typeof RUN_OPTIONS]: ValueOf<(typeof RUN_OPTIONS)[K]> }
export type RunOptionKey = keyof typeof RUN_OPTIONS

export type OptionKey = SpecFieldName | CoreOptionKey | ShellOptionKey | RunOptionKey | RunActionOptionKey

const GROUP_ORDER: readonly OptionGroup[] = ['spec', 'package', 'output', 'engine', 'network', 'limits', 'environment', 'action']

type Entries = ReadonlyArray<readonly [OptionKey, OptionDef<unknown>]>

/** In the order help and docs list them: by group, the spec source first, then the registry's own order within a group. */
function byGroup(entries: Array<readonly [OptionKey, OptionDef<unknown>]>): Entries {
  return entries
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => GROUP_ORDER.indexOf(a.entry[1].group) - GROUP_ORDER.indexOf(b.entry[1].group) || a.i - b.i)
    .map(({ entry }) => entry)
}

/**
 * The entries of `pack` (the CLI's default command and the main Action),
 * which the main action.yml, its input reading and the docs' tables are made
 * from; the shared shell options (json, quiet, verbose) are among them.
 */
export const ALL_OPTIONS: Entries = byGroup([
  ['spec', SHELL_OPTIONS.spec],
  ...(Object.entries(SPEC_FIELDS_DEFS) as Array<[OptionKey, OptionDef<unknown>]>),
  ...(Object.entries(CORE_OPTIONS) as Array<[OptionKey, OptionDef<unknown>]>),
  ...(Object.entries(SHELL_OPTIONS) as Array<[OptionKey, OptionDef<unknown>]>).filter(([k]) => k !== 'spec')
])

/** Every entry of every command. */
export const EVERY_OPTION: Entries = byGroup([
  ...ALL_OPTIONS,
  ...(Object.entries(RUN_OPTIONS) as Array<[OptionKey, OptionDef<unknown>]>),
  ...(Object.entries(RUN_ACTION_OPTIONS) as Array<[OptionKey, OptionDef<unknown>]>)
])

/** The commands an entry belongs to. */
export function optionCommands(def: OptionDef<unknown>): readonly CommandName[] {
  return def.commands ?? ['pack']
}

/** The entries one command takes, in help order (run's are what run/action.yml is made from). */
export function commandOptions(command: CommandName): Entries {
  return EVERY_OPTION.filter(([, def]) => optionCommands(def).includes(command))
}

/** A help text with its `[[key]]` references named the way a shell names options. */
export function helpText(text: string, names: (key: OptionKey) => string): string {
  return text.replace(/\[\[([A-Za-z_]+)\]\]/g, (_, key: string) => names(key as OptionKey))
}

export function optionDef(key: OptionKey): OptionDef<unknown> | undefined {
  return EVERY_OPTION.find(([k]) => k === key)?.[1]
}

export function isCliFlag(cli: CliFlag | CliEnv | undefined): cli is CliFlag {
  return cli !== undefined && 'flag' in cli
}
