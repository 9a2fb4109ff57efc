/**
 * RunOptions from the `run` command's registry values: what was given, else
 * the registry's default. Both shells (the CLI's `run`, the run sub-action)
 * build their RunOptions here, so a default lives in one place.
 */
import { RUN_OPTIONS, type RunOptionValues } from '../options/registry.js'
import type { RunOptions, VerifyOptions } from './types.js'

/** What of the run options verification takes (the CLI's verify, and run before it builds). */
export function verifyOptionsOf(
  o: Pick<RunOptions, 'expectedSha256' | 'statement' | 'maxPackageBytes' | 'maxPackageEntries'>
): VerifyOptions {
  return {
    expectedSha256: o.expectedSha256,
    statement: o.statement,
    maxPackageBytes: o.maxPackageBytes,
    maxPackageEntries: o.maxPackageEntries
  }
}

export function runOptionsFrom(o: Partial<RunOptionValues>): Omit<RunOptions, 'signal' | 'onOutput'> {
  return {
    engine: o.engine ?? RUN_OPTIONS.engine.default,
    // RunOptions.timeoutMs is the registry's runTimeoutMs (named apart from packing's timeoutMs).
    timeoutMs: o.runTimeoutMs ?? RUN_OPTIONS.runTimeoutMs.default,
    memory: o.memory,
    cpus: o.cpus,
    network: o.network ?? RUN_OPTIONS.network.default,
    gpus: o.gpus,
    workDir: o.workDir,
    resultsDir: o.resultsDir ?? RUN_OPTIONS.resultsDir.default,
    expectedSha256: o.expectedSha256,
    statement: o.statement,
    maxPackageBytes: o.maxPackageBytes ?? RUN_OPTIONS.maxPackageBytes.default,
    maxPackageEntries: o.maxPackageEntries ?? RUN_OPTIONS.maxPackageEntries.default,
    maxOutputBytes: o.maxOutputBytes ?? RUN_OPTIONS.maxOutputBytes.default,
    maxLogBytes: o.maxLogBytes ?? RUN_OPTIONS.maxLogBytes.default,
    buildArgs: o.buildArgs as string[] | undefined,
    trustPackage: o.trustPackage ?? RUN_OPTIONS.trustPackage.default
  }
}
