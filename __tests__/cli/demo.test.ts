/** `npm run demo`, the README's first command, works offline and runs the packaged job. */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/cli.js'
import { listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
beforeAll(async () => {
  root = await tempDir()
})
afterAll(async () => {
  await root?.cleanup()
})

it('packages the bundled example, runs it with job-packager run and shows the output and the results', async () => {
  const out = path.join(root.dir, 'jobs')
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'demo.mjs'), '--out', out], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let text = ''
    child.stdout.on('data', (c: Buffer) => (text += c.toString()))
    child.on('error', reject)
    child.on('close', (c) => resolve({ code: c, stdout: text }))
  })
  expect(code).toBe(0)
  // The example commit is made with a fixed date and identity: its id never changes.
  expect(stdout).toContain('at commit cb8c6003f497790b86736d26b4bbbe1f4237a3fe')
  const jobId = /job id: ([0-9a-f-]{36})/.exec(stdout)?.[1]
  expect(jobId).toBeDefined()
  expect(stdout).toContain(`${jobId}/data/measurements.csv`)
  expect(stdout).toMatch(new RegExp(`job ${jobId}: 200 rows from measurements.csv`))
  expect(stdout).toMatch(/height_cm: min +149\.40 +mean +172\.66 +max +196\.80/)
  expect(await listAll(out)).toEqual([jobId, `${jobId}.tar.gz`])
  // It ends with `job-packager run`: the job's output above, then the exit code and where the results are.
  expect(stdout).toMatch(/exit code +0\n/)
  expect(stdout).toMatch(/engine +(docker|podman|buildah|none) /)
  expect(await listAll(path.join(root.dir, 'results'))).toEqual([`${jobId}-result`, `${jobId}-result.tar.gz`])
  expect(await listAll(path.join(root.dir, 'results', `${jobId}-result`))).toEqual(['output', 'result.json', 'stderr.log', 'stdout.log'])
})
