/**
 * The CLI shell over the packager: arguments (registry-driven, args.ts) and an
 * optional spec file become a spec and PackOptions; packJob runs; the result
 * is printed. Errors are caught here, once: exit 2 for invalid input, 1 for
 * any other failure, 130/143 when interrupted by SIGINT/SIGTERM (after
 * cleaning up). With --json, stdout carries the result or the error as JSON.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  buildProvenance,
  DirectoryDatasetCache,
  handleInterrupts,
  INTERRUPT_GRACE_MS,
  InterruptedError,
  isCliFlag,
  JobPackagerError,
  KindProblem,
  optionDef,
  packagerBuilderId,
  packJob,
  ProblemCollector,
  SHELL_OPTIONS,
  SPEC_FIELDS,
  SpecError,
  specOptionFields,
  splitFieldPath,
  validateJob,
  writeProvenance,
  type CoreOptionKey,
  type OptionKey,
  type PackOptions,
  type ShellOptionValues
} from '../core/index.js'
import { PACKAGER_NAME, PACKAGER_VERSION } from '../version.js'
import { COMMANDS, parseCliArgs, type CliArgs } from './args.js'
import { cliNamer } from './cli-names.js'
import { createCliLogger } from './cli-logger.js'
import { renderHelp } from './help.js'
import { describeResult, errorJson, resultJson } from './output.js'
import {
  describeRun,
  describeVerify,
  readPackageInvocation,
  runCommand,
  runExitCode,
  runJson,
  verifyCommand,
  verifyJson
} from './run-command.js'

const SPEC_FIELD_KEYS = new Set<OptionKey>(SPEC_FIELDS)

interface Invocation {
  spec: Record<string, unknown>
  options: PackOptions
  shell: Partial<ShellOptionValues>
}

export async function run(argv: string[]): Promise<void> {
  // Until we finish on purpose the exit code says "failed": if a stream never
  // settles and Node runs out of work, it must not exit 0 with nothing done.
  process.exitCode = 1
  const args = parseCliArgs(argv)
  const json = args.given.get('json')?.at(-1)?.text === 'true'
  if (argv.length === 0) {
    // Nothing asked for: show how to ask, on stderr, and say it was not a success.
    process.stderr.write(renderHelp())
    process.exitCode = 2
    return
  }
  if (args.help || args.command === 'help') {
    const about = args.command === 'help' ? args.operands[0] : args.command
    process.stdout.write(renderHelp(COMMANDS.find((c) => c === about)))
    process.exitCode = 0
    return
  }
  if (args.version) {
    process.stdout.write(`${PACKAGER_VERSION}\n`)
    process.exitCode = 0
    return
  }

  const controller = new AbortController()
  const packageCommand = args.command === 'verify' || args.command === 'run' ? args.command : undefined
  let interruptedBy: NodeJS.Signals | undefined
  let logger: ReturnType<typeof createCliLogger> | undefined
  const stopHandling = handleInterrupts({
    onInterrupt(sig) {
      interruptedBy = sig
      if (packageCommand) {
        logger?.warn(`${sig} received: stopping the ${packageCommand === 'run' ? 'job' : 'check'}…`)
        controller.abort(new InterruptedError(`Interrupted by ${sig}.`))
        return
      }
      logger?.warn(`${sig} received: stopping and removing partial output…`)
      controller.abort(new InterruptedError(`Interrupted by ${sig}; no job folder or archive was left behind.`))
    },
    onForcedExit(sig, why) {
      process.stderr.write(
        why === 'again'
          ? `error: ${sig} received again; exiting without finishing the clean-up.\n`
          : `error: the clean-up after ${sig} did not finish within ${INTERRUPT_GRACE_MS / 1000} s (something is still blocked); exiting now. A partial output folder left behind is removed by the next run.\n`
      )
    }
  })
  try {
    if (packageCommand) {
      const inv = readPackageInvocation(args, packageCommand)
      logger = createCliLogger({
        quiet: args.given.get('quiet')?.at(-1)?.text === 'true',
        verbose: args.given.get('verbose')?.at(-1)?.text === 'true',
        progress: 'off'
      })
      if (packageCommand === 'verify') {
        const result = await verifyCommand(inv, logger, controller.signal)
        process.stdout.write(json ? `${JSON.stringify(verifyJson(result), null, 2)}\n` : describeVerify(result))
        process.exitCode = 0
        return
      }
      const result = await runCommand(inv, logger, controller.signal, json)
      process.stdout.write(json ? `${JSON.stringify(runJson(result), null, 2)}\n` : describeRun(result))
      process.exitCode = interruptedBy ? (interruptedBy === 'SIGINT' ? 130 : 143) : runExitCode(result)
      return
    }
    const { spec, options, shell } = await readInvocation(args)
    logger = createCliLogger({
      quiet: shell.quiet ?? false,
      verbose: shell.verbose ?? false,
      progress: shell.progress ?? SHELL_OPTIONS.progress.default
    })
    const datasetCache = shell.cacheDir ? new DirectoryDatasetCache(shell.cacheDir) : undefined
    const startedOn = new Date()
    const result = await packJob(spec, { ...options, datasetCache, logger, signal: controller.signal })
    const provenance =
      (shell.provenance ?? SHELL_OPTIONS.provenance.default)
        ? await writeProvenance(
            result.archivePath,
            buildProvenance(
              { archiveName: path.basename(result.archivePath), archiveSha256: result.archiveSha256, manifest: result.manifest },
              { builderId: packagerBuilderId(), startedOn, finishedOn: new Date() }
            )
          )
        : undefined
    process.stdout.write(json ? `${JSON.stringify(resultJson(result, provenance), null, 2)}\n` : describeResult(result, provenance))
    process.exitCode = 0
  } catch (err) {
    const code = interruptedBy ? (interruptedBy === 'SIGINT' ? 130 : 143) : err instanceof SpecError ? 2 : 1
    fail(code, err, json)
  } finally {
    stopHandling()
  }
}

function fail(code: number, err: unknown, json: boolean): void {
  const message =
    err instanceof JobPackagerError
      ? err.message
      : // Not one of ours: a bug or an unexpected system error. Say so, with the detail.
        `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
  const hint = err instanceof SpecError ? `\nRun '${PACKAGER_NAME} --help' for usage.` : ''
  process.stderr.write(`error: ${message}${hint}\n`)
  if (json) process.stdout.write(`${JSON.stringify(errorJson(err, message, code), null, 2)}\n`)
  process.exitCode = code
}

/**
 * Everything the user asked for, checked all at once: the command word, the
 * flags, the --spec file and the spec itself. Throws one SpecError listing
 * every problem, each named as the user wrote it.
 */
async function readInvocation(args: CliArgs): Promise<Invocation> {
  const problems = new ProblemCollector()
  for (const p of args.problems) problems.add(p)
  if (args.command === undefined || !(COMMANDS as readonly string[]).includes(args.command)) {
    problems.add({
      field: `${PACKAGER_NAME} COMMAND`,
      problem: args.command === undefined ? 'missing' : `${JSON.stringify(args.command)} is not a command`,
      accepted: COMMANDS.join(', ')
    })
  }
  if (args.operands.length > 0) {
    problems.add({
      field: `${PACKAGER_NAME} ${args.command ?? ''}`.trim(),
      problem: `unexpected argument ${JSON.stringify(args.operands[0])}`,
      accepted: 'options only (see --help)'
    })
  }

  const core: Partial<Record<CoreOptionKey, unknown>> = {}
  const shell: Partial<ShellOptionValues> = {}
  const flagFields: Record<string, unknown> = {}
  for (const [key, list] of args.given) {
    const def = optionDef(key)
    const last = list.at(-1)
    if (!def || !last) continue
    if (SPEC_FIELD_KEYS.has(key)) {
      flagFields[key] = isCliFlag(def.cli) && def.cli.repeatable ? list.map((v) => v.text) : last.text
      continue
    }
    try {
      const value = def.kind.parse(last.text)
      // The kind parsed it, so the value has the type the registry declares for the key.
      if (key in SHELL_OPTIONS) Object.assign(shell, { [key]: value })
      else core[key as CoreOptionKey] = value
    } catch (err) {
      if (!(err instanceof KindProblem)) throw err
      problems.add({ field: last.as, problem: def.secret ? 'is not valid' : err.problem, accepted: err.accepted })
    }
  }

  const fromFile = await readSpecFile(shell.spec, problems)
  // Flags override the fields of --spec, and the options a spec may set.
  const spec: Record<string, unknown> = { ...fromFile, ...flagFields }
  const options: PackOptions = { ...(core as PackOptions), names: cliNamer }
  const relabel = specLabels(args, shell.spec)
  // An unreadable --spec is already a problem; checking the rest without it would only add noise.
  if (shell.spec === undefined || fromFile !== undefined) {
    try {
      validateJob(spec, options)
    } catch (err) {
      if (!(err instanceof SpecError)) throw err
      for (const p of err.relabel(relabel).problems) problems.add(p)
    }
  }
  problems.throwIfAny()
  return { spec, options, shell }
}

async function readSpecFile(file: string | undefined, problems: ProblemCollector): Promise<Record<string, unknown> | undefined> {
  if (file === undefined) return undefined
  let text: string
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8')
  } catch (err) {
    problems.add({
      field: '--spec',
      problem: `cannot read ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      accepted: 'a readable JSON file, or - for standard input'
    })
    return undefined
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    problems.add({ field: '--spec', problem: `is not valid JSON (${(err as Error).message})`, accepted: 'a JSON object with the job spec' })
    return undefined
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add({ field: '--spec', problem: 'is not a JSON object', accepted: 'a JSON object with the job spec' })
    return undefined
  }
  return value as Record<string, unknown>
}

/**
 * The core names spec fields as the spec does (`git_url`, `data_url[1]`); the
 * CLI's user wrote either a flag or a field of the --spec file. Options the
 * core names through cliNamer are already flags.
 */
function specLabels(args: CliArgs, specFile: string | undefined): (field: string) => string {
  const optionFields = specOptionFields()
  return (field) => {
    if (field === 'spec') return specFile === undefined ? 'the spec' : `--spec ${specFile}`
    const path = splitFieldPath(field)
    if (!path) return field
    const { name, index } = path
    const key: OptionKey | undefined = SPEC_FIELD_KEYS.has(name as OptionKey) ? (name as OptionKey) : optionFields.get(name)
    const def = key && optionDef(key)
    if (!key || !def || !isCliFlag(def.cli)) return field
    const given = args.given.get(key)
    if (given?.length) {
      const as = given[index ?? given.length - 1]?.as ?? `--${def.cli.flag}`
      return index === undefined || given.length < 2 ? as : `${as} (#${index + 1})`
    }
    if (specFile !== undefined) return `${field} in --spec ${specFile}`
    return `--${def.cli.flag}`
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
