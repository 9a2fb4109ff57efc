/**
 * User text that tries to pass for workflow commands behind Unicode white
 * space, as the runner runs the step (dist/index.js on Node 24) and reads its
 * output (readRunnerLog: lines split at LF/CR only, TrimStart() of all
 * Unicode White_Space, `::name::` and the legacy `##[name]` anywhere, the
 * stop-commands rule). Each source of user text: the command (main.ts logs
 * it), a dataset's file name (progress and log lines), git's error text from
 * a server's message, and a warning about the repository's package.json.
 *
 * Run `npm run bundle` first: these tests run dist/, not src/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { makeBareClone, makeRepo } from '../helpers/git-server.js'
import { serveBuffer } from '../helpers/data-server.js'
import { readRunnerLog, runAction, type RunActionResult, type WorkflowCommand } from '../helpers/run-action.js'
import { DATASET, repoRoot, startFixture, transcript, type Fixture } from './support.js'
import { dataFileName } from '../../src/core/spec.js'

/** What the runner trims before `::`, and what it does not but a guard must not rely on. */
const LEADS = ['\u3000', '\u2003', '\u2028', '\u0085', '\ufeff', '\u00a0', '\u3000\u2003\u00a0\ufeff\u2028\u0085']
/** Each injection names its source, so an acted-on command shows where it came from. */
const injections = (source: string): string[] =>
  LEADS.flatMap((lead) => [
    `${lead}::set-output name=${source}::pwned`,
    `${lead}::add-mask::${source}-mask`,
    `${lead}::error title=${source}::pwned`,
    `${lead}##[set-output name=${source}]pwned`
  ])

/** Short enough to be quoted whole; the characters the runner does not split at, then commands. */
const ENGINES = '\u2028::set-output name=warning::x\u0085::add-mask::warning-mask\u3000##[add-mask]warning-mask'

let fx: Fixture
let nodeCommit: string
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  fx = await startFixture()
  // A repository whose package.json earns a warning quoting engines.node (its first 80 characters).
  nodeCommit = (
    await makeRepo(path.join(fx.work, 'node-src'), {
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', engines: { node: ENGINES } }),
      'index.js': 'console.log(1)\n'
    })
  ).commit
  await makeBareClone(path.join(fx.work, 'node-src'), path.join(fx.work, 'srv'), 'node.git')
})

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

afterAll(async () => {
  await fx?.close()
})

async function step(inputs: Record<string, string>): Promise<RunActionResult> {
  const r = await runAction({
    actionDir: repoRoot,
    githubToken: 'ghs_defaultWorkflowToken0123456789',
    inputs: { upload: 'false', ...fx.loopback, 'git-url': fx.git.url('model.git'), 'commit-hash': fx.commit, ...inputs }
  })
  cleanups.push(r.cleanup)
  return r
}

/**
 * The runner carries out nothing of the user's: no output, no mask of theirs,
 * no annotation but the Action's own, and stderr holds no command at all.
 */
function expectNoneFromUser(r: RunActionResult, source: string): WorkflowCommand[] {
  // The Action's own warning or error may quote the text: as its value, which is fine.
  const fromUser = (c: WorkflowCommand): boolean =>
    c.command.toLowerCase() === 'set-output' ||
    (c.command.toLowerCase() === 'add-mask' && c.message.includes(`${source}-mask`)) ||
    c.properties.title === source
  expect(r.acted.filter(fromUser)).toEqual([])
  expect(r.outputs[source]).toBeUndefined()
  expect(readRunnerLog(r.stderr).commands).toEqual([])
  return r.acted
}

describe('Unicode white space before a workflow command', () => {
  // One step per lead: the command is logged as one message, so a line the guard does flag would shelter the others.
  test.each(
    LEADS.map((lead) => [[...lead].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' '), lead])
  )('in the command, after %s: shown as written, never acted on', async (_label, lead) => {
    const lines = [
      'python train.py',
      `${lead}::set-output name=command::pwned`,
      `${lead}::add-mask::command-mask`,
      `${lead}::error title=command::pwned`
    ]
    const r = await step({ command: lines.join('\n'), 'job-id': 'unicode-command', 'data-url': fx.data.url('/data/train.csv') })
    expect(r.code).toBe(0)
    expectNoneFromUser(r, 'command')
    // Each of the command's lines is in the log as written.
    const { lines: logLines } = readRunnerLog(r.stdout)
    for (const line of lines) expect(logLines).toContain(line)
  })

  test("in a dataset's file name: its progress and log lines are shown, never acted on", async () => {
    // ':' never survives into a file name (it becomes '_'), so only the legacy form is left to try.
    const name = `x${LEADS.join('')}##[add-mask]dataset-mask ##[set-output name=dataset]pwned.csv`
    fx.data.route(`/${encodeURIComponent(name)}`, serveBuffer(DATASET, { contentType: 'text/csv' }))
    const r = await step({ command: 'true', 'job-id': 'unicode-dataset', 'data-url': fx.data.url(`/${encodeURIComponent(name)}`) })
    if (r.code !== 0) throw new Error(transcript(r))
    expectNoneFromUser(r, 'dataset')
    const { lines } = readRunnerLog(r.stdout)
    // The file name is the URL's last segment made safe (line separators and C1 controls become "_").
    const fileName = dataFileName(new URL(fx.data.url(`/${encodeURIComponent(name)}`)))
    expect(fileName).toContain('##[add-mask]dataset-mask')
    expect(lines.filter((l) => l.includes(`data/${fileName}`)).length).toBeGreaterThan(0)
  })

  test("in a server's message that git reports: in the log and the error, never acted on", async () => {
    // A smart-HTTP server may answer with an ERR packet; git dies with "remote error: <its text>".
    const message = `no such repository\n${injections('git').join('\n')}`
    const payload = Buffer.from(`ERR ${message}`)
    // A pkt-line: four hex digits of length (bytes, themselves included), then the payload.
    const bytes = Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, '0')), payload])
    fx.data.route('/evil.git/info/refs', serveBuffer(bytes, { contentType: 'application/x-git-upload-pack-advertisement' }))
    const r = await step({ command: 'true', 'job-id': 'unicode-git', 'git-url': fx.data.url('/evil.git') })
    expect(r.code).toBe(1)
    const acted = expectNoneFromUser(r, 'git')
    const errors = acted.filter((c) => c.command === 'error')
    expect(errors).toHaveLength(1)
    // git's last lines, joined with " / " (describeFailure): the injections are its value, U+0085 and all.
    expect(errors[0]!.message).toContain(' / \u0085::add-mask::git-mask / \u0085::error title=git::pwned') // one error: checked above
    expect(readRunnerLog(r.stdout).lines).toContainEqual(
      expect.stringMatching(/^The one-commit fetch failed \(.*\u0085::error title=git::pwned/)
    )
  })

  test("in a warning (the repository's engines.node): one warning, the text as written", async () => {
    const r = await step({
      command: 'node index.js',
      'job-id': 'unicode-warning',
      'git-url': fx.git.url('node.git'),
      'commit-hash': nodeCommit
    })
    if (r.code !== 0) throw new Error(transcript(r))
    const acted = expectNoneFromUser(r, 'warning')
    const warnings = acted.filter((c) => c.command === 'warning' && c.message.includes('engines.node'))
    expect(warnings).toHaveLength(1)
    // The warning quotes the value as JSON, which leaves U+2028 and U+0085 as they are.
    expect(warnings[0]!.message).toContain(JSON.stringify(ENGINES)) // one warning: checked above
  })
})
