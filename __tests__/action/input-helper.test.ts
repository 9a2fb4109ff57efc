/**
 * Unit tests of the input helper's parse and merge rules, with @actions/core
 * replaced by a table of inputs (what the runner would put in INPUT_*). The
 * defaults come from action.yml itself, so a default that drifts from the
 * core's is caught here.
 */
import { beforeEach, describe, expect, jest, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { repoRoot } from './support.js'

let inputs: Record<string, string> = {}
/** Every input name the code under test asked for. */
const asked = new Set<string>()

// The same trimming and splitting as @actions/core, over the table above.
const getInput = (name: string, opts?: { trimWhitespace?: boolean }): string => {
  asked.add(name)
  const v = inputs[name] ?? ''
  return opts?.trimWhitespace === false ? v : v.trim()
}
jest.unstable_mockModule('@actions/core', () => ({
  getInput,
  getMultilineInput: (name: string) =>
    getInput(name)
      .split('\n')
      .filter((l) => l !== ''),
  setSecret: jest.fn(),
  info: jest.fn(),
  debug: jest.fn(),
  warning: jest.fn()
}))

const { getInputs, mergeSpec, parseSpecInput, inputLabel } = await import('../../src/action/input-helper.js')
const { DEFAULT_LIMITS, SpecError, resolveOptions, tokenForRepository, parseJobSpec } = await import('../../src/core/index.js')

const action = parseYaml(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }
/** Inputs as the runner passes them when a workflow sets nothing: the defaults (github.* evaluated). */
function defaults(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default === undefined) continue
    out[name] = String(spec.default)
      .replace('${{ github.token }}', 'ghs_workflow')
      .replace('${{ github.server_url }}', 'https://github.com')
  }
  return out
}

const SHA = 'a'.repeat(40)
const SEED = {
  git_url: 'https://github.com/octo/model',
  commit_hash: SHA,
  data_url: 'https://data.example/train.csv',
  command: 'python train.py'
}

function specError(fn: () => unknown): InstanceType<typeof SpecError> {
  try {
    fn()
  } catch (err) {
    if (err instanceof SpecError) return err
    throw err
  }
  throw new Error('expected a SpecError')
}

/** The seed's fields as individual inputs: getInputs validates the spec too, so most tests need a valid one. */
const SEED_INPUTS = { 'git-url': SEED.git_url, 'commit-hash': SHA, 'data-url': SEED.data_url, command: SEED.command }

beforeEach(() => {
  inputs = { ...defaults(), ...SEED_INPUTS }
})

describe('the inputs read', () => {
  test('are exactly the ones action.yml declares', () => {
    asked.clear()
    getInputs()
    expect([...asked].sort()).toEqual(Object.keys(action.inputs).sort())
  })
})

describe('defaults', () => {
  test("action.yml's defaults are the core's defaults", () => {
    const s = getInputs()
    const resolved = resolveOptions(s.options)
    expect(resolved.limits).toEqual(DEFAULT_LIMITS)
    expect(resolved).toMatchObject({
      outDir: 'jobs',
      allowProtocols: ['https'],
      allowPrivateNetwork: false,
      compressionLevel: 6,
      baseImage: undefined,
      useRepoDockerfile: false,
      token: 'ghs_workflow',
      tokenOrigin: 'https://github.com'
    })
    expect(s.upload).toEqual({ enabled: true, retentionDays: undefined, overwrite: false })
    expect(s.datasetCache).toBe('auto')
  })

  test('empty inputs (no defaults at all) fall back to the same values', () => {
    inputs = { ...SEED_INPUTS }
    const s = getInputs()
    expect(s.options.outDir).toBeUndefined()
    expect(s.options.allowProtocols).toBeUndefined()
    expect(resolveOptions(s.options).limits).toEqual(DEFAULT_LIMITS)
    expect(s.upload.enabled).toBe(true)
    expect(s.datasetCache).toBe('auto')
  })

  test('an empty token-origin means never, not the default', () => {
    inputs['token-origin'] = ''
    expect(getInputs().options.tokenOrigin).toBe('')
  })
})

describe('individual inputs', () => {
  test('build the spec; data-url and data-sha256 are one per line', () => {
    Object.assign(inputs, {
      'data-url': ' https://a.example/x.csv \n\n  https://b.example/y.csv?a=1,2\r\n',
      'data-sha256': `${'1'.repeat(64)}\n${'2'.repeat(64)}`,
      command: 'make train',
      'job-id': 'job-1'
    })
    const s = getInputs()
    expect(s.spec).toEqual({
      git_url: SEED.git_url,
      commit_hash: SHA,
      data_url: ['https://a.example/x.csv', 'https://b.example/y.csv?a=1,2'],
      data_sha256: ['1'.repeat(64), '2'.repeat(64)],
      command: 'make train',
      job_id: 'job-1'
    })
    expect(Object.values(s.sources)).toEqual(Array(6).fill('input'))
  })

  test('numbers: seconds become milliseconds, sizes take units, ranges are checked', () => {
    Object.assign(inputs, {
      timeout: '90',
      'idle-timeout': '5',
      'max-dataset-bytes': '500M',
      'max-checkout-bytes': '1024',
      attempts: '1',
      'retention-days': '7',
      'compression-level': '9'
    })
    const s = getInputs()
    expect(s.options).toMatchObject({
      timeoutMs: 90_000,
      idleTimeoutMs: 5_000,
      maxDatasetBytes: 500 * 1024 ** 2,
      maxCheckoutBytes: 1024,
      attempts: 1,
      compressionLevel: 9
    })
    expect(s.upload.retentionDays).toBe(7)
    for (const [name, value, why] of [
      ['timeout', '1h', /^Invalid timeout: "1h" is not a whole number\. Accepted: a whole number of seconds from 1 to 604800\./],
      ['timeout', '0', /^Invalid timeout: "0" is out of range\./],
      ['attempts', '0', /^Invalid attempts: "0" is out of range\. Accepted: a whole number from 1 to 20\./],
      ['compression-level', '10', /^Invalid compression-level: "10" is out of range\. Accepted: a whole number from 1 to 9\./],
      ['retention-days', '-1', /^Invalid retention-days:/],
      ['max-dataset-bytes', 'lots', /^Invalid max-dataset-bytes: "lots" is not a size/],
      ['max-redirects', '2.5', /^Invalid max-redirects:/]
    ] as const) {
      inputs = { ...defaults(), ...SEED_INPUTS, [name]: value }
      const err = specError(() => getInputs())
      expect(err.field).toBe(name)
      expect(err.message).toMatch(why)
    }
  })

  test('every bad input is reported at once, with the spec problems', () => {
    Object.assign(inputs, { attempts: '0', upload: 'yes', 'commit-hash': 'main', 'allow-protocols': 'ftp' })
    const err = specError(() => getInputs())
    expect(err.problems.map((p) => p.field).sort()).toEqual(['allow-protocols', 'attempts', 'commit-hash', 'upload'])
    expect(err.message).toMatch(/^4 problems with the job spec and options:\n {2}- Invalid /)
  })

  test('booleans are YAML 1.2 core booleans, and a typo names the input', () => {
    Object.assign(inputs, { upload: 'False', 'allow-private-network': 'TRUE', 'dataset-cache': 'false' })
    const s = getInputs()
    expect(s.upload.enabled).toBe(false)
    expect(s.options.allowPrivateNetwork).toBe(true)
    expect(s.datasetCache).toBe('off')
    inputs.upload = 'yes'
    expect(specError(() => getInputs()).message).toBe('Invalid upload: "yes" is not a boolean. Accepted: true or false.')
  })

  test('allow-protocols is a list; an unknown transport names the input', () => {
    inputs['allow-protocols'] = 'HTTPS, http\nssh'
    expect(getInputs().options.allowProtocols).toEqual(['https', 'http', 'ssh'])
    inputs['allow-protocols'] = 'https,ext'
    const err = specError(() => getInputs())
    expect(err.field).toBe('allow-protocols')
    expect(err.message).toContain('"ext" is not one of https, http, ssh, file')
  })

  test('a policy refusal says which input would allow it', () => {
    inputs['git-url'] = 'http://git.example/repo.git'
    expect(specError(() => getInputs()).message).toContain('to allow it: allow-protocols: https,http')
  })

  test('token-origin keeps only the origin and refuses what is not one', () => {
    inputs['token-origin'] = 'https://git.example.com:8443/some/path'
    expect(getInputs().options.tokenOrigin).toBe('https://git.example.com:8443')
    for (const bad of ['git.example.com', 'ssh://git.example.com', 'https://user:pw@git.example.com']) {
      inputs['token-origin'] = bad
      const err = specError(() => getInputs())
      expect(err.field).toBe('token-origin')
      expect(err.message).not.toContain('pw@')
    }
  })

  test('base-image and use-repo-dockerfile may come from the spec too, and must agree with the inputs', () => {
    inputs = { ...defaults(), spec: JSON.stringify({ ...SEED, base_image: 'python:3.12-slim', use_repo_dockerfile: true }) }
    const s = getInputs()
    expect(s.spec).toMatchObject({ base_image: 'python:3.12-slim', use_repo_dockerfile: true })
    inputs['base-image'] = 'python:3.11-slim'
    expect(specError(() => getInputs()).field).toBe('base-image')
    inputs = { ...defaults(), spec: JSON.stringify({ ...SEED, base_image: 'python:latest' }) }
    const err = specError(() => getInputs())
    expect(err.field).toBe('spec.base_image')
    expect(err.message).toContain('is not a pinned image reference')
  })
})

describe('the spec input', () => {
  test("is the seed's body; empty and null are no spec", () => {
    inputs = { ...defaults(), spec: JSON.stringify(SEED, null, 2) }
    const s = getInputs()
    expect(s.spec).toEqual(SEED)
    expect(Object.values(s.sources)).toEqual(Array(4).fill('spec'))
    expect(parseSpecInput('')).toEqual({})
    expect(parseSpecInput('null')).toEqual({})
  })

  test('must be a JSON object of known fields', () => {
    expect(specError(() => parseSpecInput('[1]')).message).toMatch(/^Invalid spec: is a JSON list, not an object/)
    expect(specError(() => parseSpecInput('"x"')).message).toMatch(/^Invalid spec: is JSON string, not an object/)
    expect(specError(() => parseSpecInput('{nope}')).message).toMatch(/^Invalid spec: is not valid JSON/)
    const err = specError(() => parseSpecInput(JSON.stringify({ ...SEED, Command: 'x', extra: 1 })))
    expect(err.field).toBe('spec')
    expect(err.message).toMatch(
      /^Invalid spec: has unknown fields "Command", "extra"\. Accepted: only git_url, commit_hash, data_url, data_sha256, command, job_id, submodules, lfs, base_image, gpu, use_repo_dockerfile\.$/
    )
  })

  test('an input fills a field the spec lacks', () => {
    const { spec, sources } = mergeSpec({ ...SEED }, { data_sha256: ['f'.repeat(64)], job_id: 'j' })
    expect(spec).toEqual({ ...SEED, data_sha256: ['f'.repeat(64)], job_id: 'j' })
    expect(sources).toMatchObject({ git_url: 'spec', data_sha256: 'input', job_id: 'input' })
  })

  test('the same value in both places is not a conflict, and keeps the spec form', () => {
    const spec = {
      ...SEED,
      commit_hash: SHA.toUpperCase(),
      command: 'a\r\nb',
      data_url: [{ url: 'https://d.example/x', sha256: 'e'.repeat(64) }],
      data_sha256: null
    }
    const merged = mergeSpec(spec, { commit_hash: ` ${SHA} `, command: 'a\nb\n', data_url: ['https://d.example/x'], git_url: SEED.git_url })
    expect(merged.spec).toEqual({ ...spec, data_sha256: undefined })
    expect(merged.spec).not.toHaveProperty('data_sha256')
    expect(mergeSpec({ data_url: 'https://d.example/x' }, { data_url: ['https://d.example/x'] }).spec.data_url).toBe('https://d.example/x')
    expect(mergeSpec({ data_sha256: `sha256:${'A'.repeat(64)}` }, { data_sha256: ['a'.repeat(64)] }).sources.data_sha256).toBe('spec')
  })

  test('different values are a conflict naming the input and the spec field', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'git-url',
        { git_url: 'https://github.com/octo/other' },
        /^Invalid git-url: conflicts with spec\.git_url: the input says "https:\/\/github.com\/octo\/other", the spec says "https:\/\/github.com\/octo\/model"\./
      ],
      ['commit-hash', { commit_hash: 'b'.repeat(40) }, /conflicts with spec\.commit_hash/],
      [
        'data-url',
        { data_url: ['https://data.example/train.csv', 'https://data.example/more.csv'] },
        /conflicts with spec\.data_url: the input says \["https:\/\/data\.example\/train\.csv","https:\/\/data\.example\/more\.csv"\]/
      ],
      ['command', { command: 'python evil.py' }, /conflicts with spec\.command/]
    ]
    for (const [input, given, message] of cases) {
      const err = specError(() => mergeSpec({ ...SEED }, given))
      expect(err.field).toBe(input)
      expect(err.message).toMatch(message)
      expect(err.message).toMatch(/Accepted: the field in one place only \(the spec or the .* input\), or the same value in both\.$/)
    }
    const sha = specError(() => mergeSpec({ ...SEED, data_sha256: 'c'.repeat(64) }, { data_sha256: ['d'.repeat(64)] }))
    expect(sha.field).toBe('data-sha256')
  })

  test("a conflict message does not echo a signed URL's query", () => {
    const err = specError(() =>
      mergeSpec({ data_url: 'https://d.example/x?sig=SECRET1' }, { data_url: ['https://d.example/y?sig=SECRET2'] })
    )
    expect(err.message).not.toMatch(/SECRET/)
    expect(err.message).toContain('https://d.example/y?***')
  })

  test('job-id replaces spec.job_id, and says which it replaced', () => {
    const m = mergeSpec({ ...SEED, job_id: 'from-spec' }, { job_id: 'from-input' })
    expect(m.spec.job_id).toBe('from-input')
    expect(m.replacedJobId).toBe('from-spec')
    expect(mergeSpec({ ...SEED, job_id: 'same' }, { job_id: 'same' }).replacedJobId).toBeUndefined()
  })
})

describe('the token goes to its origin only', () => {
  const git = (url: string) =>
    parseJobSpec({ ...SEED, git_url: url }, { allowProtocols: new Set(['https', 'http', 'ssh', 'file'] as const) }).git
  test.each([
    ['https://github.com/octo/model', { token: 'tok' }],
    ['https://GITHUB.com:443/octo/model', { token: 'tok' }],
    ['https://gitlab.com/octo/model', { withheldFrom: 'https://gitlab.com' }],
    ['http://github.com/octo/model', { withheldFrom: 'http://github.com' }],
    ['https://github.com.evil.example/x', { withheldFrom: 'https://github.com.evil.example' }],
    ['git@github.com:octo/model.git', {}],
    ['/srv/repo', {}]
  ])('%s', (gitUrl, expected) => {
    expect(tokenForRepository(git(gitUrl), 'tok', 'https://github.com')).toEqual(expected)
  })
  test('an empty token-origin: never; no token: nothing to send', () => {
    expect(tokenForRepository(git('https://github.com/o/r'), 'tok', '')).toEqual({ withheldFrom: 'https://github.com' })
    expect(tokenForRepository(git('https://github.com/o/r'), '', 'https://github.com')).toEqual({})
  })
})

describe("the core's errors name what to fix in the workflow", () => {
  test('fields map to the input or the spec field they came from', () => {
    expect(inputLabel('commit_hash', { commit_hash: 'input' })).toBe('commit-hash')
    expect(inputLabel('commit_hash', { commit_hash: 'spec' })).toBe('spec.commit_hash')
    expect(inputLabel('data_url[1]', { data_url: 'input' })).toBe('data-url line 2')
    expect(inputLabel('data_sha256[0]', { data_sha256: 'spec' })).toBe('spec.data_sha256[0]')
    expect(inputLabel('command', {})).toBe('command (or spec.command)')
    expect(inputLabel('timeoutMs', {})).toBe('timeout')
    expect(inputLabel('base_image', { base_image: 'input' })).toBe('base-image')
    expect(inputLabel('base_image', { base_image: 'spec' })).toBe('spec.base_image')
  })

  test("the message keeps the core's wording with the new name", () => {
    const err = new SpecError('data_url[1]', '"ftp://x" uses the scheme "ftp:"', 'an http(s) URL')
    const relabeled = err.relabel((f) => inputLabel(f, { data_url: 'input' }))
    expect(relabeled.message).toBe('Invalid data-url line 2: "ftp://x" uses the scheme "ftp:". Accepted: an http(s) URL.')
    expect(relabeled.kind).toBe('invalid-spec')
    expect(new SpecError('spec', 'x', 'y').relabel((f) => inputLabel(f, {})).field).toBe('spec')
  })
})
