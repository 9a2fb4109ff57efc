/**
 * The option registry is the one definition of every option: these tests
 * fail when any place that restates it drifts — action.yml, the README and
 * docs tables, the CLI's --help and parser. (That the Action's input reader
 * asks for exactly action.yml's inputs is in action/input-helper.test.ts.)
 */
import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { renderAll, repoRoot } from '../../scripts/docs.js'
import { parseCliArgs, suggestFlag } from '../../src/cli/args.js'
import { renderHelp } from '../../src/cli/help.js'
import { ALL_OPTIONS, CORE_OPTIONS, isCliFlag, SHELL_OPTIONS, type OptionKey } from '../../src/core/index.js'

describe('generated files', () => {
  test.each(['action.yml', 'run/action.yml', 'README.md', 'docs/ACTION.md'])('%s is what `npm run docs` writes', (file) => {
    const want = renderAll().get(file)
    expect(want).toBeDefined()
    expect(readFileSync(path.join(repoRoot, file), 'utf8')).toBe(want)
  })

  test("action.yml declares exactly the registry's Action inputs, with its defaults", () => {
    const action = parseYaml(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: unknown }> }
    const fromRegistry = ALL_OPTIONS.filter(([, d]) => d.action).map(([, d]) => d.action!.input)
    expect(Object.keys(action.inputs)).toEqual(fromRegistry)
    expect(action.inputs['max-dataset-bytes']?.default).toBe('5G')
    expect(action.inputs.timeout?.default).toBe('3600')
    expect(action.inputs.upload?.default).toBe('true')
    // A spec may set these: a declared default would always conflict with the spec's value.
    expect(action.inputs['use-repo-dockerfile']).not.toHaveProperty('default')
    expect(action.inputs['base-image']).not.toHaveProperty('default')
  })
})

describe('the CLI', () => {
  const help = renderHelp()
  const cliEntries = ALL_OPTIONS.filter(([, d]) => d.cli)

  test('--help lists every flag, alias and environment variable of the registry, with defaults', () => {
    expect(cliEntries.length).toBeGreaterThan(20)
    for (const [, def] of cliEntries) {
      if (isCliFlag(def.cli)) for (const name of [def.cli.flag, ...(def.cli.aliases ?? [])]) expect(help).toContain(`--${name}`)
      else expect(help).toContain(`$${def.cli!.env}`)
    }
    expect(help).toMatch(/--max-dataset-bytes SIZE\s+Largest single dataset[\s\S]{0,120}\(default: 5G\)/)
    // A help text that names another option names it as a flag here.
    expect(help).toContain('only when allowed by --allow-protocols')
    expect(help).not.toContain('[[')
  })

  test('the parser knows every flag and alias the help shows', () => {
    for (const [key, def] of cliEntries) {
      if (!isCliFlag(def.cli)) continue
      for (const name of [def.cli.flag, ...(def.cli.aliases ?? [])]) {
        const args = def.kind.metavar ? [`--${name}`, 'x'] : [`--${name}`]
        const parsed = parseCliArgs(['pack', ...args], {})
        expect(parsed.problems).toEqual([])
        expect(parsed.given.get(key)?.[0]?.as).toBe(`--${name}`)
      }
    }
  })

  test('collects every problem instead of stopping at the first', () => {
    const parsed = parseCliArgs(['pack', '--comit', 'abc', '--timeout', '--json', '--frobnicate', '--job-id', 'a', '--job-id', 'b'], {})
    expect(parsed.problems.map((p) => p.field)).toEqual(['--comit', '--frobnicate'])
    // A repeated flag takes its last value.
    expect(parsed.given.get('job_id')?.map((v) => v.text)).toEqual(['a', 'b'])
    expect(parsed.problems[0]!.problem).toContain('did you mean --commit?')
    // --timeout took "--json" as its value (the next argument), so --json is not set.
    expect(parsed.given.get('timeoutMs')?.[0]?.text).toBe('--json')
    // The typo's value is not mistaken for an extra argument.
    expect(parsed.operands).toEqual([])
  })

  test('suggests the closest flag, or none when nothing is close', () => {
    const known = ['--commit', '--commit-hash', '--command', '--max-redirects', '--json']
    expect(suggestFlag('--comit', known)).toBe('--commit')
    expect(suggestFlag('--max-redirect', known)).toBe('--max-redirects')
    expect(suggestFlag('--xyzzy', known)).toBeUndefined()
  })

  test('reads the token from the environment only', () => {
    const parsed = parseCliArgs(['pack'], { JOB_PACKAGER_TOKEN: 's3cret' })
    expect(parsed.given.get('token')?.[0]).toEqual({ text: 's3cret', as: '$JOB_PACKAGER_TOKEN' })
    expect(parseCliArgs(['pack', '--token', 'x'], {}).problems[0]?.field).toBe('--token')
  })

  test('reads the data token from the environment only; neither it nor overwrite can come from a spec', () => {
    const parsed = parseCliArgs(['pack'], { JOB_PACKAGER_DATA_TOKEN: 'd4ta' })
    expect(parsed.given.get('dataToken')?.[0]).toEqual({ text: 'd4ta', as: '$JOB_PACKAGER_DATA_TOKEN' })
    expect(parseCliArgs(['pack', '--data-token', 'x'], {}).problems[0]?.field).toBe('--data-token')
    expect(CORE_OPTIONS.dataToken).toMatchObject({ secret: true, action: { input: 'data-token' } })
    for (const def of [CORE_OPTIONS.dataToken, CORE_OPTIONS.dataTokenOrigin, SHELL_OPTIONS.overwrite]) expect('spec' in def).toBe(false)
  })
})

describe('core options', () => {
  test('every core option has a default or is optional on purpose, and a kind that round-trips its default', () => {
    for (const [key, def] of Object.entries(CORE_OPTIONS) as Array<[OptionKey, (typeof CORE_OPTIONS)[keyof typeof CORE_OPTIONS]]>) {
      const d = def as { default?: unknown; kind: { format(v: unknown): string; parse(t: string): unknown } }
      if (d.default === undefined) {
        expect(['token', 'tokenOrigin', 'dataToken', 'dataTokenOrigin', 'baseImage', 'rSnapshotUrl']).toContain(key)
        continue
      }
      expect(d.kind.parse(d.kind.format(d.default))).toEqual(d.default)
    }
  })
})
