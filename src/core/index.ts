/** The packager core's public API. Nothing here imports @actions/core: both shells (Action, CLI) build on it. */
export { packJob, resolveSettings, type PackResult } from './packager.js'
export { parseJobSpec, SPEC_FIELDS, GIT_PROTOCOLS, type RawJobSpec, type JobSpec, type GitProtocol } from './spec.js'
export { DEFAULT_LIMITS, type Limits, type PackOptions } from './options.js'
export { type Logger, silentLogger } from './logger.js'
export * from './errors.js'
export { DirectoryDatasetCache, type DatasetCache } from './download/dataset-cache.js'
export { formatBytes } from './download/http-download.js'
export { Redactor, redactUrl } from './redact.js'
