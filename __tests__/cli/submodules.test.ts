/**
 * Submodules through the bundled CLI: `--submodules` (and the spec's
 * "submodules" field) reach the core, the warning for a submodule left empty
 * names the flag that would include it, and --json lists the submodules.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { commitGitlinks, gitmodulesText, makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let lib: string
let app: string
let n = 0

beforeAll(async () => {
  root = await tempDir()
  lib = (await makeRepo(path.join(root.dir, 'lib'), { 'lib.sh': 'echo lib\n' })).commit
  await makeBareClone(path.join(root.dir, 'lib'), path.join(root.dir, 'served'), 'lib.git')
  await makeRepo(path.join(root.dir, 'app'), { 'main.sh': 'sh lib/lib.sh\n' })
  app = await commitGitlinks(path.join(root.dir, 'app'), { lib }, gitmodulesText({ lib: '../lib.git' }))
  await makeBareClone(path.join(root.dir, 'app'), path.join(root.dir, 'served'), 'app.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
})
afterAll(async () => {
  await git?.close()
  await root?.cleanup()
})

const args = (): string[] => [
  'pack',
  '--git-url',
  git.url('app.git'),
  '--commit',
  app,
  '--command',
  'sh main.sh',
  '--allow-protocols',
  'https,http',
  '--allow-private-network',
  '--out',
  path.join(root.dir, `out-${++n}`),
  '--json'
]

describe('job-packager CLI and submodules', () => {
  it('--submodules true fetches the submodule; --json lists it', async () => {
    const res = await runCli([...args(), '--submodules', 'true'])
    expect(res.code).toBe(0)
    const json = JSON.parse(res.stdout) as { job_dir: string; submodules: unknown[]; warnings: string[] }
    expect(json.submodules).toEqual([{ path: 'lib', url: git.url('lib.git'), commit: lib, included: true }])
    expect(json.warnings).toEqual([])
    expect(await readFile(path.join(json.job_dir, 'code', 'lib', 'lib.sh'), 'utf8')).toBe('echo lib\n')
  })

  it('by default warns on stderr, naming the flag that would include it; the spec file may ask for it instead', async () => {
    const res = await runCli(args())
    expect(res.code).toBe(0)
    const warning = `Submodule lib ("${git.url('lib.git')}" at ${lib}) was left empty: --submodules is false (to include it: --submodules true).`
    expect(res.stderr).toContain(warning)
    expect((JSON.parse(res.stdout) as { warnings: string[] }).warnings).toEqual([warning])

    const spec = path.join(root.dir, 'spec.json')
    await writeFile(spec, JSON.stringify({ submodules: 'recursive' }))
    const fromSpec = await runCli([...args(), '--spec', spec])
    expect(fromSpec.code).toBe(0)
    expect((JSON.parse(fromSpec.stdout) as { submodules: Array<{ included: boolean }> }).submodules).toEqual([
      expect.objectContaining({ path: 'lib', included: true })
    ])
  })

  it('refuses a value that is not false, true or recursive', async () => {
    const res = await runCli([...args(), '--submodules', 'all'])
    expect(res.code).toBe(2)
    expect(JSON.parse(res.stdout)).toMatchObject({
      error: {
        problems: [{ field: '--submodules', problem: '"all" is not one of the choices', accepted: 'one of false, true, recursive' }]
      }
    })
  })
})
