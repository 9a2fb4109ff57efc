/**
 * Reads the run sub-action's inputs into one typed settings object. Which
 * inputs exist, how each is parsed and what it defaults to come from the
 * option registry: every entry of the `run` command with an Action input
 * (run/action.yml is generated from the same entries, see
 * action/action-yml.ts). They are of two kinds:
 * - the sub-action's own (RUN_ACTION_OPTIONS): where the package comes from
 *   (job-id, run-id, repository, github-token), the result artifact (upload,
 *   retention-days) and what a failed job does to the step
 *   (fail-on-job-failure);
 * - the core's run options (RUN_OPTIONS: engine, limits, results folder,
 *   expected sha256), handed to runPackage as RunOptions, as the CLI's `run`
 *   does.
 *
 * Every problem is collected and thrown as one SpecError, each named by its
 * input, before anything is downloaded.
 */
import path from 'node:path'
import * as core from '@actions/core'
import {
  KindProblem,
  ProblemCollector,
  RUN_ACTION_OPTIONS,
  runOptionsFrom,
  type OptionDef,
  type OptionKey,
  type RunActionOptionValues,
  type RunOptions,
  type RunOptionValues
} from '../core/index.js'
import { actionInputs } from '../action/action-yml.js'
import type { UploadSettings } from '../action/input-helper.js'
import type { OtherRun } from './download.js'

/** The input holding the token for another run's artifacts: masked before anything else is read. */
export const RUN_TOKEN_INPUT = RUN_ACTION_OPTIONS.artifactToken.action.input

export interface RunActionSettings {
  /** The package to run: the artifact `{jobId}.tar.gz`. */
  jobId: string
  /** Undefined: this workflow run. */
  from?: OtherRun
  /** The core's run options; main.ts adds the signal and the output callback. */
  run: Omit<RunOptions, 'signal' | 'onOutput'>
  failOnJobFailure: boolean
  upload: UploadSettings
}

/** The input's text, one entry per line for a multi-line input; undefined when empty. */
function readInput(def: OptionDef<unknown>, input: string): string[] | undefined {
  if (def.action?.multiline) {
    const lines = core
      .getMultilineInput(input)
      .map((l) => l.trim())
      .filter(Boolean)
    return lines.length > 0 ? lines : undefined
  }
  // Empty inputs are absent: the runner cannot tell "not given" from "given empty".
  const value = core.getInput(input)
  return value === '' ? undefined : [value]
}

export function getRunInputs(env: NodeJS.ProcessEnv = process.env): RunActionSettings {
  const problems = new ProblemCollector()
  const values: Partial<Record<OptionKey, unknown>> = {}
  const invalid = new Set<OptionKey>()
  const inputs = actionInputs('run')
  for (const { key, def, input } of inputs) {
    const raw = readInput(def, input.input)
    if (raw === undefined) continue
    try {
      // A multi-line input (build-args) is a list, each line parsed on its own, as the CLI's repeated flag.
      const parsed = raw.map((line) => def.kind.parse(line))
      values[key] = def.action?.multiline ? parsed : parsed[0]
    } catch (err) {
      if (!(err instanceof KindProblem)) throw err
      invalid.add(key)
      problems.add({ field: input.input, problem: def.secret ? 'is not valid' : err.problem, accepted: err.accepted })
    }
  }

  const own = values as Partial<RunActionOptionValues>
  const name = (key: keyof typeof RUN_ACTION_OPTIONS): string => RUN_ACTION_OPTIONS[key].action.input
  if (own.packageJobId === undefined && !invalid.has('packageJobId'))
    problems.add({
      field: name('packageJobId'),
      problem: 'is empty',
      accepted: 'the job id the packaging step used (its job-id output), e.g. job-id: ${{ needs.package.outputs.job-id }}'
    })
  let from: OtherRun | undefined
  if (own.packageRunId !== undefined) {
    const repository = own.packageRepository ?? env.GITHUB_REPOSITORY
    if (!repository)
      problems.add({ field: name('packageRepository'), problem: 'is empty and GITHUB_REPOSITORY is not set', accepted: 'owner/name' })
    if (!own.artifactToken)
      problems.add({
        field: name('artifactToken'),
        problem: `is empty, but ${name('packageRunId')} is set`,
        accepted: "a token that may read that repository's Actions artifacts (actions: read), e.g. ${{ github.token }}"
      })
    if (repository && own.artifactToken) from = { runId: own.packageRunId, repository, token: own.artifactToken }
  } else if (own.packageRepository !== undefined) {
    problems.add({
      field: name('packageRepository'),
      problem: `is set without ${name('packageRunId')}`,
      accepted: `${name('packageRepository')} together with ${name('packageRunId')} (the run that packaged the job), or neither for this run`
    })
  }

  // The core's run options (as the CLI's `run` has them); the results folder is relative to the workspace, like the
  // packaging Action's output-dir.
  const given = runOptionsFrom(values as Partial<RunOptionValues>)
  const run: RunActionSettings['run'] = { ...given, resultsDir: path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), given.resultsDir) }

  problems.throwIfAny()
  return {
    jobId: own.packageJobId!, // checked above
    from,
    run,
    failOnJobFailure: own.failOnJobFailure ?? RUN_ACTION_OPTIONS.failOnJobFailure.default,
    upload: {
      enabled: own.uploadResult ?? RUN_ACTION_OPTIONS.uploadResult.default,
      retentionDays: own.resultRetentionDays,
      overwrite: own.overwriteResult ?? RUN_ACTION_OPTIONS.overwriteResult.default
    }
  }
}
