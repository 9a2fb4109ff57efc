/** The packager core's public API. Nothing here imports @actions/core: both shells (Action, CLI) build on it. */
export { packJob, validateJob, type PackResult } from './packager.js'
export {
  parseJobSpec,
  SPEC_FIELDS,
  GIT_PROTOCOLS,
  specFieldNames,
  specOptionFields,
  splitFieldPath,
  type RawJobSpec,
  type JobSpec,
  type GitProtocol
} from './spec.js'
export * from './options/index.js'
export { type Logger, silentLogger } from './logger.js'
export { formatProgress, ProgressMeter, trackProgress, type ProgressReport, type ProgressUpdate } from './progress.js'
export * from './errors.js'
export { DiskFullError } from './fs/disk-full.js'
export {
  CacheEntryRefused,
  DirectoryDatasetCache,
  fileKind,
  readCacheEntry,
  type DatasetCache,
  type RestoreOptions
} from './download/dataset-cache.js'
export { sha256File } from './fs/sha256.js'
export { handleInterrupts, INTERRUPT_GRACE_MS, type InterruptOptions } from './interrupt.js'
export { formatBytes, parseByteSize } from './units.js'
export { Redactor, redactUrl, describeValue } from './redact.js'
export { tokenForRepository, type TokenDecision } from './net/token-origin.js'
export {
  buildProvenance,
  packagerBuilderId,
  provenancePath,
  writeProvenance,
  type BuildContext,
  type ProvenanceStatement
} from './provenance.js'
export { withRetry, type RetryPolicy } from './retry.js'
export { FLOATS, PIN_DEADLINE_MS, type BaseImagePinRecord, type PinMode } from './oci/pin.js'
export { describeFloat, describeFrozen, type FrozenReport, type Float, type Verdict } from './detect/frozen.js'
export { CUDA_IMAGES, CUDA_VERSION, GPU_MODES, runsOnGpu, type GpuChoice, type GpuMode } from './detect/gpu.js'
export * from './run/types.js'
export { verifyPackage } from './verify.js'
export { runPackage } from './run/runner.js'
export { runOptionsFrom, verifyOptionsOf } from './run/run-options.js'
