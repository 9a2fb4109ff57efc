/**
 * Run a JavaScript Action the way the GitHub runner does, as a black box.
 *
 * Why: unit tests import the Action's modules into Jest's Node, with Jest's
 * environment. The runner instead starts `runs.main` (the bundle) on its own
 * Node (node24 by default here) with `INPUT_*` variables built from
 * action.yml, file-command files for outputs/summary/env/state/path, and a
 * clean process. Bugs in the bundle, in action.yml defaults, or in output
 * formatting only show up that way.
 *
 * Nothing here knows about a particular action.yml: everything comes from
 * the file being run.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { node24Path } from './node24.js'

export interface RunActionOptions {
  /** Directory holding action.yml (or action.yaml). */
  actionDir: string
  /** The step's `with:` values. Must be declared in action.yml (the runner only warns; a test typo should fail). */
  inputs?: Record<string, string>
  /** Extra environment, applied last (e.g. an artifact backend's env). `undefined` removes a variable. */
  env?: Record<string, string | undefined>
  /** Node binary to run with; Node 24 (as `runs.using: node24`) by default. */
  nodePath?: string
  /** Working directory of the process; GITHUB_WORKSPACE by default, as on the runner. */
  cwd?: string
  /** GITHUB_WORKSPACE; a fresh temp dir by default. */
  workspace?: string
  /** Value of `${{ github.token }}` in input defaults; empty when not given. */
  githubToken?: string
  /** Contents of the GITHUB_EVENT_PATH file. */
  event?: unknown
  /** Kill the process (group) after this long. Default 120 s. */
  timeoutMs?: number
}

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

export interface RunActionResult {
  /** Exit code, or null when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
  /** Parsed from GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** Raw GITHUB_STEP_SUMMARY contents. */
  summary: string
  /** Parsed from GITHUB_ENV (what later steps would see). */
  exportedEnv: Record<string, string>
  /** Parsed from GITHUB_STATE (what a post step would get as STATE_*). */
  state: Record<string, string>
  /** Lines of GITHUB_PATH. */
  addedPath: string[]
  /** Workflow commands in stdout as the runner parses them ({@link readRunnerLog}), pause markers included. */
  commands: WorkflowCommand[]
  /** The commands of stdout the runner would carry out, pauses applied ({@link readRunnerLog}). */
  acted: WorkflowCommand[]
  /** The environment the process ran with. */
  env: Record<string, string>
  workspace: string
  runnerTemp: string
  /** Root of the temp dirs this run created (workspace too, unless it was given). */
  tempRoot: string
  /** Remove `tempRoot`. A plain function, so tests can hand it around detached (`cleanups.push(r.cleanup)`). */
  cleanup: () => Promise<void>
}

/**
 * Host variables passed through to the Action. An allowlist rather than all
 * of `process.env`, because the test process carries things the runner's
 * Action process would not: Jest's NODE_OPTIONS=--experimental-vm-modules and
 * NODE_ENV=test, npm_* script variables, and, when the tests themselves run
 * in GitHub Actions, the real job's GITHUB_*, ACTIONS_* and INPUT_* variables
 * (writing to the real GITHUB_OUTPUT, using the real runtime token).
 */
const PASS_THROUGH =
  /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_[A-Z]+|TZ|TMPDIR|TEMP|TMP|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|SystemRoot|ComSpec|PATHEXT|WINDIR)$/

/** Env var name the runner uses for an input, and that @actions/core reads. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

async function readActionYaml(actionDir: string): Promise<{ file: string; doc: Record<string, unknown> }> {
  for (const name of ['action.yml', 'action.yaml']) {
    const file = path.join(actionDir, name)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue
    }
    const doc = parseYaml(text) as unknown
    if (typeof doc !== 'object' || doc === null) throw new Error(`${file} is not a YAML mapping`)
    return { file, doc: doc as Record<string, unknown> }
  }
  throw new Error(`No action.yml or action.yaml in ${actionDir}`)
}

/**
 * Evaluate the `${{ ... }}` parts of an input default. Only plain context
 * references are supported; anything else (operators, functions) throws, so
 * a default is never silently replaced by something the runner would not
 * have produced.
 */
function evaluateDefault(value: string, context: Record<string, string>, where: string): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
    if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(expr)) {
      throw new Error(`runAction cannot evaluate \${{ ${expr} }} in ${where}: only context references like github.token are supported`)
    }
    const found = context[expr.toLowerCase()]
    if (found === undefined) {
      throw new Error(`runAction has no value for \${{ ${expr} }} in ${where}; known: ${Object.keys(context).join(', ')}`)
    }
    return found
  })
}

/**
 * Parse a file-command file (GITHUB_OUTPUT/ENV/STATE) the way the runner
 * does: `name=value` lines, or `name<<DELIM` heredocs (what @actions/core
 * writes, with a random `ghadelimiter_*`) ending at a line equal to DELIM.
 * A malformed file fails the step on the runner, so it throws here.
 */
export function parseFileCommand(text: string, label: string): Record<string, string> {
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  const result: Record<string, string> = {}
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]! // i < lines.length
    if (line === '') continue
    const eq = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq)
      if (!name) throw new Error(`${label}: empty name in line ${i + 1}`)
      result[name] = line.slice(eq + 1)
    } else if (heredoc > 0) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      if (!delimiter) throw new Error(`${label}: empty delimiter for ${name} in line ${i + 1}`)
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`${label}: matching delimiter not found: ${delimiter}`)
      result[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else {
      throw new Error(`${label}: invalid line ${i + 1}: ${JSON.stringify(line)}`)
    }
  }
  return result
}

/**
 * The commands the runner registers (actions/runner, ActionCommandManager and
 * its IActionCommandExtension classes). A line naming anything else is not a
 * command and is shown as text; `internal-set-repo-path` is only registered
 * for the runner's own plugins. While commands are stopped, the stop token is
 * registered too.
 */
export const RUNNER_COMMANDS: readonly string[] = [
  'stop-commands',
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'warning'
]

/**
 * Split a step's output into the lines the runner reads. .NET's
 * StreamReader.ReadLine ends a line at LF, CR or CRLF and nowhere else: not at
 * U+0085, U+2028 or U+2029. The reader drops a byte order mark only at the very
 * start of the stream (it detects the encoding from it); one anywhere else is a
 * character of the line.
 */
export function runnerLines(output: string): string[] {
  const lines = output.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  // ReadLine returns no empty line for the end of the stream.
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/**
 * String.TrimStart() with no arguments removes what char.IsWhiteSpace calls
 * white space: exactly Unicode's White_Space property (U+0009–U+000D, U+0020,
 * U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
 * U+3000). Not U+FEFF, U+200B or U+180E, which JavaScript's `\s` and older
 * .NET Frameworks treat differently.
 */
const RUNNER_TRIM_START = /^\p{White_Space}+/u

/**
 * The runner's two parsers (actions/runner, ActionCommand.TryParseV2 and
 * TryParse), tried in that order on one line. `names` are the registered
 * commands, compared ignoring case. The runner compares `::` and `##[`
 * culture-sensitively (ICU), which skips "ignorable" code points; its parse
 * then takes the command name at a fixed offset, so a match that spans such a
 * code point yields a name starting with `:`, `[` or the code point, which is
 * never registered. Ordinal matching, as here, gives the same commands.
 */
export function parseRunnerLine(line: string, names: ReadonlySet<string>): WorkflowCommand | undefined {
  const registered = (name: string): boolean => names.has(name.toLowerCase())
  const v2 = line.replace(RUNNER_TRIM_START, '')
  if (v2.startsWith('::')) {
    const end = v2.indexOf('::', 2)
    if (end >= 0) {
      const info = v2.slice(2, end)
      const space = info.indexOf(' ')
      const command = space < 0 ? info : info.slice(0, space)
      if (registered(command)) {
        const properties: Record<string, string> = {}
        if (space > 0) {
          for (const pair of info
            .slice(space + 1)
            .trim()
            .split(',')
            .filter(Boolean)) {
            const eq = pair.indexOf('=')
            // .NET's Split('=', 2, RemoveEmptyEntries): an empty name or value is no pair.
            if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescapeRunner(pair.slice(eq + 1), PROPERTY_ESCAPES)
          }
        }
        return { command, properties, message: unescapeRunner(v2.slice(end + 2), DATA_ESCAPES) }
      }
    }
  }
  // The legacy form: `##[` anywhere in the (untrimmed) line.
  const prefix = line.indexOf('##[')
  if (prefix < 0) return undefined
  const rb = line.indexOf(']', prefix)
  if (rb < 0) return undefined
  const info = line.slice(prefix + 3, rb)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!registered(command)) return undefined
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const eq = pair.indexOf('=')
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescapeRunner(pair.slice(eq + 1), LEGACY_ESCAPES)
    }
  }
  return { command, properties, message: unescapeRunner(line.slice(rb + 1), LEGACY_ESCAPES) }
}

/** The runner's unescape tables, applied in its order. */
const DATA_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%']
]
const PROPERTY_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%']
]
const LEGACY_ESCAPES: [string, string][] = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%']
]
function unescapeRunner(text: string, table: [string, string][]): string {
  return table.reduce((s, [escaped, plain]) => s.replaceAll(escaped, plain), text)
}

export interface RunnerCommand extends WorkflowCommand {
  /** Index of the line in {@link runnerLines}. */
  line: number
}

/**
 * What the runner does with a step's output (ActionCommandManager.TryProcessCommand):
 * `commands` are every line it parses as a command, in order, pause markers
 * included; `acted` are those it carries out. After `::stop-commands::TOKEN`
 * nothing is carried out until a command named TOKEN (any case), which is
 * registered for the purpose. Stop and resume count as acted.
 */
export function readRunnerLog(output: string): { lines: string[]; commands: RunnerCommand[]; acted: RunnerCommand[] } {
  const lines = runnerLines(output)
  const names = new Set(RUNNER_COMMANDS)
  const commands: RunnerCommand[] = []
  const acted: RunnerCommand[] = []
  let stopToken: string | undefined
  lines.forEach((text, line) => {
    const parsed = parseRunnerLine(text, names)
    if (!parsed) return
    const command = { ...parsed, line }
    commands.push(command)
    if (stopToken !== undefined) {
      if (command.command.toLowerCase() !== stopToken.toLowerCase()) return
      names.delete(stopToken.toLowerCase())
      stopToken = undefined
    } else if (command.command.toLowerCase() === 'stop-commands') {
      // The runner refuses (fails the step on) an empty or registered token; no test relies on that.
      stopToken = command.message
      names.add(stopToken.toLowerCase())
    }
    acted.push(command)
  })
  return { lines, commands, acted }
}

/** Workflow commands from a step's output, as the runner parses them (pause markers included, pauses not applied). */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  return readRunnerLog(stdout).commands.map(({ command, properties, message }) => ({ command, properties, message }))
}

/** Run `runs.main` of the action in `actionDir`; see {@link RunActionOptions}. Never synchronous, so in-process servers keep serving. */
export async function runAction(options: RunActionOptions): Promise<RunActionResult> {
  const actionDir = path.resolve(options.actionDir)
  const { file: actionFile, doc } = await readActionYaml(actionDir)
  const runs = (doc.runs ?? {}) as Record<string, unknown>
  const using = typeof runs.using === 'string' ? runs.using : undefined
  if (using !== undefined && !/^node\d+$/.test(using)) {
    throw new Error(`runAction only runs JavaScript actions; ${actionFile} has runs.using: ${using}`)
  }
  const main = path.resolve(actionDir, typeof runs.main === 'string' ? runs.main : 'dist/index.js')
  const nodePath = options.nodePath ?? node24Path()
  // Input names are case-insensitive on the runner.
  const declared = (doc.inputs ?? {}) as Record<string, { default?: unknown } | null>
  const given = options.inputs ?? {}
  const unknown = Object.keys(given).filter((k) => !Object.keys(declared).some((d) => d.toLowerCase() === k.toLowerCase()))
  if (unknown.length > 0) {
    throw new Error(
      `runAction: input(s) ${unknown.join(', ')} not declared in ${actionFile}; declared: ${Object.keys(declared).join(', ')}`
    )
  }

  const tempRoot = await mkdtemp(path.join(tmpdir(), 'run-action-'))
  const runnerTemp = path.join(tempRoot, 'runner-temp')
  const toolCache = path.join(tempRoot, 'tool-cache')
  const fileCommands = path.join(tempRoot, 'file-commands')
  const workspace = options.workspace ? path.resolve(options.workspace) : path.join(tempRoot, 'workspace')
  await Promise.all([runnerTemp, toolCache, fileCommands, workspace].map((d) => mkdir(d, { recursive: true })))
  const files = {
    GITHUB_OUTPUT: path.join(fileCommands, `set_output_${randomUUID()}`),
    GITHUB_STEP_SUMMARY: path.join(fileCommands, `step_summary_${randomUUID()}`),
    GITHUB_ENV: path.join(fileCommands, `set_env_${randomUUID()}`),
    GITHUB_STATE: path.join(fileCommands, `save_state_${randomUUID()}`),
    GITHUB_PATH: path.join(fileCommands, `add_path_${randomUUID()}`)
  }
  const eventPath = path.join(fileCommands, 'event.json')
  await Promise.all([...Object.values(files).map((f) => writeFile(f, '')), writeFile(eventPath, JSON.stringify(options.event ?? {}))])

  const runner = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION: '__job-packager',
    GITHUB_ACTION_REPOSITORY: 'octo-org/job-packager',
    GITHUB_ACTION_REF: 'v0',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '1',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_JOB: 'test',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_ID: '1',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_REPOSITORY_OWNER_ID: '1',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_RUN_ID: '1000000001',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'job-packager-test-runner',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    RUNNER_WORKSPACE: path.dirname(workspace),
    ...files
  }
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && PASS_THROUGH.test(k)) env[k] = v
  Object.assign(env, runner)

  // Inputs: every declared one gets INPUT_*, from `with:` or the default.
  const context: Record<string, string> = {
    'github.token': options.githubToken ?? '',
    'github.workspace': workspace,
    'github.repository': runner.GITHUB_REPOSITORY,
    'github.run_id': runner.GITHUB_RUN_ID,
    'github.sha': runner.GITHUB_SHA,
    'github.ref': runner.GITHUB_REF,
    'github.server_url': runner.GITHUB_SERVER_URL,
    'github.api_url': runner.GITHUB_API_URL,
    'runner.temp': runnerTemp,
    'runner.tool_cache': toolCache,
    'runner.os': runner.RUNNER_OS,
    'runner.arch': runner.RUNNER_ARCH
  }
  for (const [name, spec] of Object.entries(declared)) {
    const givenEntry = Object.entries(given).find(([k]) => k.toLowerCase() === name.toLowerCase())
    const fallback = spec?.default
    let value: string
    if (givenEntry !== undefined) value = givenEntry[1]
    else if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean') {
      value = evaluateDefault(String(fallback), context, `${actionFile} inputs.${name}.default`)
    } else if (fallback === undefined || fallback === null) value = ''
    // The runner would not turn a YAML mapping or list into an input either.
    else throw new Error(`runAction: ${actionFile} inputs.${name}.default is not a scalar`)
    env[inputEnvName(name)] = value
  }

  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }

  const timeoutMs = options.timeoutMs ?? 120000
  const { code, signal, stdout, stderr, timedOut } = await new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
    stdout: string
    stderr: string
    timedOut: boolean
  }>((resolve, reject) => {
    // Own process group, so a timeout can also stop what the action spawned (git, tar...).
    const child = spawn(nodePath, [main], {
      cwd: options.cwd ?? workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, timeoutMs)
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`runAction could not start ${nodePath}: ${e.message}`))
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8')
      })
    })
  })

  const read = (f: string) => readFile(f, 'utf8')
  const [outputText, summary, envText, stateText, pathText] = await Promise.all([
    read(files.GITHUB_OUTPUT),
    read(files.GITHUB_STEP_SUMMARY),
    read(files.GITHUB_ENV),
    read(files.GITHUB_STATE),
    read(files.GITHUB_PATH)
  ])
  let outputs: Record<string, string>, exportedEnv: Record<string, string>, state: Record<string, string>
  try {
    outputs = parseFileCommand(outputText, 'GITHUB_OUTPUT')
    exportedEnv = parseFileCommand(envText, 'GITHUB_ENV')
    state = parseFileCommand(stateText, 'GITHUB_STATE')
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- exit code ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`, { cause: e })
  }

  return {
    code,
    signal,
    timedOut,
    stdout,
    stderr,
    outputs,
    summary,
    exportedEnv,
    state,
    addedPath: pathText.split(/\r?\n/).filter(Boolean),
    commands: parseWorkflowCommands(stdout),
    acted: readRunnerLog(stdout).acted,
    env,
    workspace,
    runnerTemp,
    tempRoot,
    cleanup: () => rm(tempRoot, { recursive: true, force: true })
  }
}
