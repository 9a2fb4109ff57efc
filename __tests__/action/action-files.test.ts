/**
 * The files a user sees first: action.yml and the workflows, checked with
 * real validators — action.yml with @action-validator/cli (SchemaStore's
 * schema, run as WebAssembly), the workflows with GitHub's own parser
 * (@actions/workflow-parser, through scripts/validate-workflows.ts: its schema
 * knows today's keys, like the `attestations` permission, and it checks
 * expressions too) —
 * plus what a schema cannot know: that workflows only pass inputs action.yml
 * declares and read outputs it sets. (That action.yml and the docs' tables are
 * generated from the option registry is checked in option-registry.test.ts.)
 */
import { describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { repoRoot } from './support.js'

const exec = promisify(execFile)
const VALIDATOR = path.join(repoRoot, 'node_modules', '@action-validator', 'cli', 'cli.mjs')
const workflowDir = path.join(repoRoot, '.github', 'workflows')
const workflows = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string }>
  outputs: Record<string, unknown>
  runs: { using: string; main: string }
}
const actionText = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')
const action = parseYaml(actionText) as ActionYml
const runActionText = readFileSync(path.join(repoRoot, 'run', 'action.yml'), 'utf8')
const runAction = parseYaml(runActionText) as ActionYml
/** The actions of this repository a workflow can use, by `uses:`. */
const OUR_ACTIONS: Record<string, ActionYml> = { './': action, './run': runAction }

const VALIDATE_WORKFLOWS = path.join(repoRoot, 'scripts', 'validate-workflows.ts')
const TSX = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs')

/** GitHub's workflow parser on several files at once (one tsx start-up): the errors of each. */
async function validateWorkflows(files: string[]): Promise<Record<string, string[]>> {
  const res = await exec(process.execPath, [TSX, VALIDATE_WORKFLOWS, ...files]).catch(
    (err: { stdout?: string; code?: number; stderr?: string }) => {
      if (err.code !== 1 || !err.stdout) throw new Error(`validate-workflows failed: ${err.stderr ?? ''}`)
      return { stdout: err.stdout }
    }
  )
  return JSON.parse(res.stdout) as Record<string, string[]>
}

/** Runs action-validator on one file; it decides "action" or "workflow" by the file name. */
async function validate(file: string): Promise<{ ok: boolean; report: string }> {
  try {
    await exec(process.execPath, [VALIDATOR, file])
    return { ok: true, report: '' }
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string }
    return { ok: false, report: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message }
  }
}

async function withTemp<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jp-validate-'))
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text)
    return await fn(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe('validator', () => {
  test('is real: it rejects a broken action and a broken workflow', async () => {
    await withTemp(
      {
        'action.yml': actionText.replace('    default: jobs\n', '    defualt: jobs\n').replace('using: node24', 'using: node20'),
        'bad.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo hi\n'
      },
      async (dir) => {
        const a = await validate(path.join(dir, 'action.yml'))
        expect(a.ok).toBe(false)
        expect(a.report).toContain("Additional property 'defualt' is not allowed")
      }
    )
    await withTemp(
      {
        'bad.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo hi\n',
        'bad-expr.yml':
          'on: push\npermissions:\n  bogus: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ foo.bar }}\n',
        'good.yml':
          'on: push\npermissions:\n  attestations: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n'
      },
      async (dir) => {
        const r = await validateWorkflows(['bad.yml', 'bad-expr.yml', 'good.yml'].map((f) => path.join(dir, f)))
        expect(r[path.join(dir, 'bad.yml')]!.join('\n')).toContain("Unexpected value 'step'")
        expect(r[path.join(dir, 'bad-expr.yml')]!.join('\n')).toContain("Unexpected value 'bogus'")
        expect(r[path.join(dir, 'bad-expr.yml')]!.join('\n')).toContain("Unrecognized named-value: 'foo'")
        expect(r[path.join(dir, 'good.yml')]).toEqual([])
      }
    )
  })

  test('action.yml is valid (node24 checked separately: the bundled schema stops at node20)', async () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(path.join(repoRoot, action.runs.main))).toBe(true)
    const asNode20 = actionText.replace(/^(\s+using:\s*)node24\s*$/m, '$1node20')
    // Exactly that one value differs from the file on disk.
    expect(asNode20.split('\n').filter((l, i) => l !== actionText.split('\n')[i])).toEqual(['  using: node20'])
    const r = await withTemp({ 'action.yml': asNode20 }, (dir) => validate(path.join(dir, 'action.yml')))
    expect(r.report).toBe('')
    expect(r.ok).toBe(true)
  })

  test('run/action.yml is valid, and its main is the run bundle in dist/', async () => {
    expect(runAction.runs).toEqual({ using: 'node24', main: '../dist/run/index.js' })
    expect(existsSync(path.resolve(repoRoot, 'run', runAction.runs.main))).toBe(true)
    // The runner resolves main from the action's folder (run/), the way the bundle script lays dist/ out.
    expect(readFileSync(path.join(repoRoot, 'scripts', 'bundle.mjs'), 'utf8')).toContain("{ entry: 'src/action-run/index.ts', dir: 'run' }")
    const asNode20 = runActionText.replace(/^(\s+using:\s*)node24\s*$/m, '$1node20')
    expect(asNode20.split('\n').filter((l, i) => l !== runActionText.split('\n')[i])).toEqual(['  using: node20'])
    const r = await withTemp({ 'action.yml': asNode20 }, (dir) => validate(path.join(dir, 'action.yml')))
    expect(r.report).toBe('')
    expect(r.ok).toBe(true)
  })

  test('the workflows are the ones documented', () => {
    expect(workflows).toEqual([
      'ci.yml',
      'example-matrix.yml',
      'package-dispatch.yml',
      'package-matrix.yml',
      'package-repository-dispatch.yml',
      'package.yml'
    ])
  })

  test('every workflow is valid', async () => {
    const files = workflows.map((f) => path.join(workflowDir, f))
    const report = await validateWorkflows(files)
    expect(report).toEqual(Object.fromEntries(files.map((f) => [f, []])))
  })
})

interface Step {
  id?: string
  name?: string
  uses?: string
  with?: Record<string, unknown>
  run?: string
  env?: Record<string, string>
}
interface Job {
  steps?: Step[]
  outputs?: Record<string, string>
  needs?: string | string[]
}
const loaded = workflows.map((file) => ({
  file,
  doc: parseYaml(readFileSync(path.join(workflowDir, file), 'utf8')) as { jobs: Record<string, Job> }
}))

describe('workflows use the action as declared', () => {
  test.each(workflows.filter((f) => f !== 'ci.yml'))(
    '%s: `uses: ./` and `uses: ./run` steps pass only declared inputs and read only declared outputs',
    (file) => {
      const { doc } = loaded.find((l) => l.file === file)!
      const text = readFileSync(path.join(workflowDir, file), 'utf8')
      const ourSteps: string[] = []
      for (const job of Object.values(doc.jobs)) {
        for (const step of job.steps ?? []) {
          if (!step.uses?.startsWith('./')) continue
          // './.job-packager': this repository checked out into that folder (the reusable package.yml).
          const used = OUR_ACTIONS[step.uses] ?? (step.uses === './.job-packager' ? action : undefined)
          expect(used).toBeDefined()
          if (!used) continue
          ourSteps.push(step.uses)
          // A local action needs the repository checked out first, into the folder it is used from.
          const checkout = job.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!
          expect(job.steps!.indexOf(checkout)).toBeLessThan(job.steps!.indexOf(step))
          const folder = (p: string): string => path.posix.normalize(p).replace(/\/$/, '')
          const root = folder((checkout.with?.path as string | undefined) ?? '.')
          expect(root === '.' || folder(step.uses) === root).toBe(true)
          for (const key of Object.keys(step.with ?? {})) expect(Object.keys(used.inputs)).toContain(key)
          expect(step.id).toBeDefined()
          for (const [, name] of text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, 'g')))
            expect(Object.keys(used.outputs)).toContain(name)
        }
      }
      expect(ourSteps).toEqual(file === 'example-matrix.yml' ? ['./', './run'] : file === 'package.yml' ? ['./.job-packager'] : ['./'])
    }
  )

  test('run: scripts never paste ${{ }} expressions (values reach the shell through env)', () => {
    for (const { doc } of loaded) {
      for (const job of Object.values(doc.jobs)) for (const step of job.steps ?? []) if (step.run) expect(step.run).not.toContain('${{')
    }
  })

  test('the dispatch example downloads, unpacks, builds and runs the artifact', () => {
    const { doc } = loaded.find((l) => l.file === 'package-dispatch.yml')!
    const downstream = Object.values(doc.jobs).find(
      (j) => j.needs === 'package' || (Array.isArray(j.needs) && j.needs.includes('package'))
    )!
    const steps = downstream.steps!
    expect(steps[0]!.uses).toMatch(/^actions\/download-artifact@v([89]|\d\d)$/)
    const script = steps.map((s) => s.run ?? '').join('\n')
    for (const cmd of ['sha256sum --check', 'tar -xzf', 'docker build', 'docker run --rm']) expect(script).toContain(cmd)
    expect(
      loaded.find((l) => l.file === 'package-repository-dispatch.yml')!.doc.jobs.package!.steps!.find((s) => s.uses === './')!.with
    ).toEqual({
      spec: '${{ toJSON(github.event.client_payload) }}'
    })
  })

  test('the example runs each package with the sub-action and gathers every result', () => {
    const { doc } = loaded.find((l) => l.file === 'example-matrix.yml')!
    const jobs = doc.jobs as Record<string, Job & { strategy?: { matrix?: Record<string, unknown> }; if?: string }>
    // One plan of ids, shared by both matrices: the run job downloads exactly what the package job uploaded.
    const plan = jobs.plan!.steps!.find((s) => s.id === 'plan')! as Step & { env?: Record<string, string> }
    for (const part of ['github.run_id', 'github.run_attempt']) expect(plan.env!.PREFIX).toContain(part)
    expect(jobs.package!.strategy!.matrix!.job).toBe('${{ fromJSON(needs.plan.outputs.jobs) }}')
    expect(jobs.run!.strategy!.matrix!.job).toBe('${{ fromJSON(needs.plan.outputs.jobs) }}')
    expect(jobs.package!.steps!.find((s) => s.uses === './')!.with!['job-id']).toBe('${{ matrix.job.id }}')
    const runStep = jobs.run!.steps!.find((s) => s.uses === './run')!
    expect(runStep.with).toMatchObject({ 'job-id': '${{ matrix.job.id }}', 'fail-on-job-failure': false })
    expect(jobs.run!.needs).toEqual(['plan', 'package'])
    // The gather job reads every result the sub-action uploaded, even after a failure.
    expect(jobs.gather!.needs).toBe('run')
    expect(jobs.gather!.if).toBe('${{ !cancelled() }}')
    const download = jobs.gather!.steps![0]!
    expect(download.uses).toMatch(/^actions\/download-artifact@v([89]|\d\d)$/)
    expect(download.with).toMatchObject({ pattern: '*-result.tar.gz', 'merge-multiple': true })
    expect(jobs.gather!.steps!.map((s) => s.run ?? '').join('\n')).toContain('result.json')
  })

  test('matrix job ids cannot collide within a run or across attempts', () => {
    const { doc } = loaded.find((l) => l.file === 'package-matrix.yml')!
    const step = doc.jobs.package!.steps!.find((s) => s.uses === './')!
    const id = String(step.with!['job-id'])
    for (const part of ['github.run_id', 'github.run_attempt', 'strategy.job-index']) expect(id).toContain(part)
  })

  test('the reusable workflow passes every input it declares to the action, and its outputs come from the action', () => {
    const doc = parseYaml(readFileSync(path.join(workflowDir, 'package.yml'), 'utf8')) as {
      on: {
        workflow_call: { inputs: Record<string, unknown>; outputs: Record<string, { value: string }>; secrets: Record<string, unknown> }
      }
      jobs: Record<string, Job>
    }
    const call = doc.on.workflow_call
    const step = doc.jobs.package!.steps!.find((s) => s.id === 'pack')!
    const passed = Object.values(step.with ?? {}).join('\n')
    for (const input of Object.keys(call.inputs).filter((i) => !i.startsWith('packager-'))) expect(passed).toContain(`inputs.${input}`)
    for (const secret of Object.keys(call.secrets)) expect(passed).toContain(`secrets.${secret}`)
    // Every spec field can be given one by one, or as one JSON spec.
    for (const field of ['git_url', 'commit_hash', 'data_url', 'data_sha256', 'command', 'job_id', 'spec'])
      expect(Object.keys(call.inputs)).toContain(field)
    for (const [name, out] of Object.entries(call.outputs)) {
      expect(out.value).toBe(`\${{ jobs.package.outputs.${name} }}`)
      expect(doc.jobs.package!.outputs![name]).toBe(`\${{ steps.pack.outputs.${name} }}`)
      expect(Object.keys(action.outputs)).toContain(name)
    }
  })

  test("the matrix example hands every leg's job on: its record and collect scripts, run for real", async () => {
    const { doc } = loaded.find((l) => l.file === 'package-matrix.yml')!
    const record = doc.jobs.package!.steps!.find((s) => s.name === 'Record this job')!
    const merge = doc.jobs.collect!.steps!.find((s) => s.id === 'merge')!
    expect(doc.jobs.collect!.outputs!.jobs).toBe('${{ steps.merge.outputs.jobs }}')
    await withTemp({}, async (dir) => {
      // Three legs, each in its own workspace, as on three runners; then the
      // collect job sees their records merged into one folder (merge-multiple).
      const records = path.join(dir, 'job-records')
      await mkdir(records)
      for (const [i, id] of ['job-b', 'job-a', 'job-c'].entries()) {
        const leg = path.join(dir, `leg${i}`)
        await mkdir(leg)
        await exec('bash', ['-euo', 'pipefail', '-c', record.run!], {
          cwd: leg,
          env: { ...process.env, JOB_ID: id, ARTIFACT_ID: String(100 + i), ARCHIVE_SHA256: 'ab'.repeat(32) }
        })
        await rename(path.join(leg, 'job-record', `${id}.json`), path.join(records, `${id}.json`))
      }
      const output = path.join(dir, 'output')
      const summary = path.join(dir, 'summary')
      await exec('bash', ['-euo', 'pipefail', '-c', merge.run!], {
        cwd: dir,
        env: { ...process.env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }
      })
      const line = readFileSync(output, 'utf8').trim()
      expect(line.startsWith('jobs=')).toBe(true)
      expect(JSON.parse(line.slice('jobs='.length))).toEqual([
        { job_id: 'job-a', artifact_id: '101', archive_sha256: 'ab'.repeat(32) },
        { job_id: 'job-b', artifact_id: '100', archive_sha256: 'ab'.repeat(32) },
        { job_id: 'job-c', artifact_id: '102', archive_sha256: 'ab'.repeat(32) }
      ])
      expect(readFileSync(summary, 'utf8')).toContain('- `job-c` (artifact 102')
    })
  })

  test('CI installs, type-checks, lints, checks formatting and dist/, and tests', () => {
    const { doc } = loaded.find((l) => l.file === 'ci.yml')!
    const runs = Object.values(doc.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run).filter(Boolean))
    expect(runs).toEqual([
      'npm ci',
      'npm ci --prefix tools/node24',
      'npm run typecheck',
      'npm run lint',
      'npm run format:check',
      'npm run check-dist',
      'npm test'
    ])
  })
})

describe.each(['README.md', 'docs/ACTION.md'])('%s', (file) => {
  // Whole workflows shown in the docs are copied as they are: each must be valid.
  const blocks = [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)
  const whole = blocks.filter((b) => /^on:/m.test(b) && /^jobs:/m.test(b))
  if (whole.length > 0)
    test('its workflows are valid', async () => {
      const files = Object.fromEntries(whole.map((text, i) => [`workflow-${i + 1}.yml`, text]))
      await withTemp(files, async (dir) => {
        const report = await validateWorkflows(Object.keys(files).map((f) => path.join(dir, f)))
        for (const errors of Object.values(report)) expect(errors).toEqual([])
        expect(Object.keys(report)).toHaveLength(whole.length)
      })
    })
  if (file === 'README.md')
    test('opens with a complete workflow whose dispatch inputs all have descriptions', () => {
      expect(whole.length).toBeGreaterThanOrEqual(2)
      const first = parseYaml(whole[0]!) as { on: { workflow_dispatch: { inputs: Record<string, { description?: string }> } } }
      const inputs = Object.values(first.on.workflow_dispatch.inputs)
      expect(inputs.length).toBeGreaterThanOrEqual(4)
      for (const input of inputs) expect(input.description).toBeTruthy()
      // A user's first contact says what the product does, not where it came from.
      const opening = readFileSync(path.join(repoRoot, file), 'utf8').split('## Background')[0]!
      expect(opening).not.toMatch(/\bseed\b/i)
    })

  test('its Action tables list every input and output of action.yml', () => {
    const doc = readFileSync(path.join(repoRoot, file), 'utf8')
    const start = '<!-- action-docs:start -->\n'
    const between = doc.slice(doc.indexOf(start) + start.length, doc.indexOf('<!-- action-docs:end -->'))
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(between).toContain(`| \`${name}\` |`)
    expect(between).toContain('| `token` | Token for an https git host')
    expect(between).toContain('| `${{ github.token }}` |')
  })
})

test("docs/ACTION.md's sub-action tables list every input and output of run/action.yml", () => {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'ACTION.md'), 'utf8')
  const start = '<!-- run-action-docs:start -->\n'
  const between = doc.slice(doc.indexOf(start) + start.length, doc.indexOf('<!-- run-action-docs:end -->'))
  for (const name of [...Object.keys(runAction.inputs), ...Object.keys(runAction.outputs)]) expect(between).toContain(`| \`${name}\` |`)
  expect(between).toContain('| `fail-on-job-failure` |')
  expect(between).toContain('| `result-artifact-id` |')
})
