/**
 * Issue 19, item 5, end to end: a real repository (served by git on
 * loopback) whose pyproject.toml declares a dependency with line breaks that
 * would add a `FROM evilbase` stage and a `RUN` to the generated Dockerfile,
 * packed by the CLI with no option. Decision: the dependency is dropped from
 * the Dockerfile with a warning (on stderr and in job.json), never silently;
 * the Dockerfile keeps its one FROM, and verify passes on what was written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/workspace.js'

const require = createRequire(import.meta.url)
const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast')

const INJECTED = 'alpha; python_version > \\"3\\"\\nFROM evilbase AS injected\\nRUN echo INJECTED > pwned'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let commit: string

beforeAll(async () => {
  root = await tempDir('jp-injection-')
  commit = (
    await makeRepo(path.join(root.dir, 'src'), {
      'pyproject.toml': `[project]\nname = "demo"\nversion = "1.0"\ndependencies = [\n  "requests>=2",\n  "${INJECTED}",\n]\n`,
      'main.py': 'print("hi")\n'
    })
  ).commit
  await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
})
afterAll(async () => {
  await git?.close()
  await root?.cleanup()
})

const LOOPBACK = ['--allow-protocols', 'https,http', '--allow-private-network', '--pin-base-image', 'off']

describe('a pyproject.toml dependency that would inject Dockerfile lines', () => {
  it('is dropped from the Dockerfile with a warning naming it; one FROM, nothing injected; verify passes', async () => {
    const out = path.join(root.dir, 'out')
    const res = await runCli([
      'pack',
      '--git-url',
      git.url('repo.git'),
      '--commit',
      commit,
      '--command',
      'python3 main.py',
      ...LOOPBACK,
      '--out',
      out,
      '--job-id',
      'inj'
    ])
    expect(res.code).toBe(0)
    expect(res.stderr).toMatch(
      /warning: pyproject\.toml: the dependency "alpha; python_version .*FROM evilbase AS injected.*" holds a line break/
    )
    const dockerfile = await readFile(path.join(out, 'inj', 'Dockerfile'), 'utf8')
    const instructions = DockerfileParser.parse(dockerfile).getInstructions()
    expect(instructions.filter((i) => i.getKeyword() === 'FROM')).toHaveLength(1)
    expect(dockerfile).not.toMatch(/evilbase|INJECTED/)
    // The safe dependency is still installed ahead of the code: only the bad one was dropped.
    expect(dockerfile).toContain("'requests>=2'")
    const job = JSON.parse(await readFile(path.join(out, 'inj', 'job.json'), 'utf8')) as { environment: { warnings: string[] } }
    expect(job.environment.warnings.join('\n')).toContain('holds a line break or control character')
    const verify = await runCli(['verify', path.join(out, 'inj.tar.gz')])
    expect(verify.code).toBe(0)
  }, 60_000)
})
