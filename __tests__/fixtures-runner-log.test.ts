/**
 * Self-tests of the runner's log reading in __tests__/helpers/run-action.ts
 * (runnerLines, parseRunnerLine, readRunnerLog), each case taken from the
 * runner's source (actions/runner: ProcessInvoker's StreamReader.ReadLine,
 * ActionCommand.TryParseV2/TryParse, ActionCommandManager), and the Action's
 * log guard checked against it: whatever the runner would parse, the guard
 * must flag.
 */
import { describe, expect, test } from '@jest/globals'
import { mightBeWorkflowCommand } from '../src/action/action-logger.js'
import { parseRunnerLine, readRunnerLog, RUNNER_COMMANDS, runnerLines } from './helpers/run-action.js'

const ALL = new Set(RUNNER_COMMANDS)

/** Every Unicode White_Space character: what .NET's TrimStart() removes. */
const RUNNER_WHITE_SPACE = [
  ...'\t\n\v\f\r \u0085\u00a0\u1680',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
  ...'\u2028\u2029\u202f\u205f\u3000'
]
/** Not white space to .NET (though JavaScript's \s has U+FEFF, and old .NET Frameworks trimmed U+200B and U+FEFF). */
const NOT_TRIMMED = ['\ufeff', '\u200b', '\u180e', '\u00ad', '\u0000']

describe('lines, as StreamReader.ReadLine splits them', () => {
  test('at LF, CRLF and a lone CR; not at U+0085, U+2028, U+2029', () => {
    expect(runnerLines('a\nb\r\nc\rd\u0085e\u2028f\u2029g\n')).toEqual(['a', 'b', 'c', 'd\u0085e\u2028f\u2029g'])
  })
  test('a byte order mark is dropped at the start of the stream only', () => {
    expect(runnerLines('\ufeffa\n\ufeffb')).toEqual(['a', '\ufeffb'])
  })
})

describe('one line, as TryParseV2 then TryParse read it', () => {
  test.each(RUNNER_WHITE_SPACE.filter((c) => c !== '\n' && c !== '\r').map((c) => [c.codePointAt(0)!.toString(16)]))(
    'U+%s before :: is trimmed',
    (hex) => {
      const ws = String.fromCodePoint(parseInt(hex, 16))
      expect(parseRunnerLine(`${ws}${ws}::set-output name=x::y`, ALL)).toEqual({
        command: 'set-output',
        properties: { name: 'x' },
        message: 'y'
      })
    }
  )

  test.each(NOT_TRIMMED.map((c) => [c.codePointAt(0)!.toString(16)]))('U+%s before :: is not', (hex) => {
    expect(parseRunnerLine(`${String.fromCodePoint(parseInt(hex, 16))}::set-output name=x::y`, ALL)).toBeUndefined()
  })

  test('names are registered commands, in any case; properties and data unescaped', () => {
    expect(parseRunnerLine('::no-such-command::x', ALL)).toBeUndefined()
    expect(parseRunnerLine('::Add-Mask::x', ALL)?.command).toBe('Add-Mask')
    expect(parseRunnerLine('::error file=a%2Cb,title=t%3A1::50%25%0Adone', ALL)).toEqual({
      command: 'error',
      properties: { file: 'a,b', title: 't:1' },
      message: '50%\ndone'
    })
    expect(parseRunnerLine('a :: b', ALL)).toBeUndefined()
  })

  test('the legacy form anywhere in a line, without trimming', () => {
    expect(parseRunnerLine('download data/x##[add-mask]s%5D: 100%', ALL)).toEqual({
      command: 'add-mask',
      properties: {},
      message: 's]: 100%'
    })
    expect(parseRunnerLine('x ##[error file=a;line=2]boom', ALL)).toEqual({
      command: 'error',
      properties: { file: 'a', line: '2' },
      message: 'boom'
    })
    expect(parseRunnerLine('##[section]Starting', ALL)).toBeUndefined()
  })
})

describe('a log, with the stop-commands rule', () => {
  test('nothing is acted on between ::stop-commands::TOKEN and ::TOKEN:: (any case)', () => {
    const log = [
      '::add-mask::a',
      '::stop-commands::t0ken',
      '::add-mask::b',
      '\u3000::t0ken::',
      '::add-mask::c',
      '::T0KEN::',
      '::add-mask::d'
    ].join('\n')
    const { commands, acted } = readRunnerLog(log)
    // The token is a command only while it is registered.
    expect(commands.map((c) => c.command)).toEqual(['add-mask', 'stop-commands', 'add-mask', 't0ken', 'add-mask', 'add-mask'])
    expect(acted.map((c) => `${c.command}:${c.message}`)).toEqual([
      'add-mask:a',
      'stop-commands:t0ken',
      't0ken:',
      'add-mask:c',
      'add-mask:d'
    ])
  })
})

describe("the Action's guard flags every line the runner could parse", () => {
  const lead = [...RUNNER_WHITE_SPACE, ...NOT_TRIMMED]
  const injections = ['::set-output name=x::y', '::add-mask::s', '##[error]e']
  const cases: string[] = []
  for (const a of lead) for (const b of ['', ...lead]) for (const inj of injections) cases.push(`ok${a}${b}${inj}`, `${a}${b}${inj}`)
  cases.push('\u3000\u2003\u00a0\ufeff\u2028\u0085::set-output name=x::y')

  test(`${cases.length} texts: parsed by the runner implies flagged`, () => {
    const missed = cases.filter((text) => readRunnerLog(text).commands.length > 0 && !mightBeWorkflowCommand(text))
    expect(missed.map((t) => JSON.stringify(t))).toEqual([])
    // Not vacuous: the runner does parse many of them.
    expect(cases.filter((text) => readRunnerLog(text).commands.length > 0).length).toBeGreaterThan(cases.length / 2)
  })

  test('plain text is not flagged', () => {
    for (const text of ['plain text', 'a :: b', 'https://host/x::y', 'C# [1]', '\u3000indented'])
      expect(mightBeWorkflowCommand(text)).toBe(false)
  })
})
