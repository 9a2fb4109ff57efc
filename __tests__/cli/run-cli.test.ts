/**
 * `job-packager verify` and `job-packager run` as a user types them (the
 * bundled CLI), on real packages: what they print, their exit statuses, and
 * how the command line is read now that options belong to commands.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { PackResult } from '../../src/core/index.js'
import { runCli } from '../helpers/cli.js'
import { copyJobDir, makePackage } from '../helpers/package.js'
import { listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let pkg: PackResult

beforeAll(async () => {
  root = await tempDir('jp-run-cli-')
  pkg = await makePackage(
    root.dir,
    { 'hello.sh': 'echo "hello from $JOB_ID"\necho "result" > "$OUTPUT_DIR/r.txt"\nexit 5\n' },
    'sh hello.sh'
  )
})
afterAll(async () => {
  await root?.cleanup()
})

describe('job-packager verify', () => {
  it('says an intact package is intact, and refuses a tampered one naming the path', async () => {
    const ok = await runCli(['verify', pkg.archivePath, '--sha256', pkg.archiveSha256])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`content digest  ${pkg.contentDigest}`)
    expect(ok.stdout).toContain('(matches --sha256)')
    const dir = await copyJobDir(pkg, path.join(root.dir, 'tampered'))
    await writeFile(path.join(dir, 'evil.txt'), 'x')
    const bad = await runCli(['verify', dir, '--json'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/error: evil\.txt is not part of the package/)
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { kind: 'verification', path: 'evil.txt' } })
  })

  it('reads options per command: a pack option is not one of verify, and a missing package is said', async () => {
    const res = await runCli(['verify', '--engine', 'none'])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/Invalid --engine: is an option of run, not of verify/)
    expect(res.stderr).toMatch(/Invalid job-packager verify: no package given/)
    const pack = await runCli(['run', pkg.archivePath, '--git-url', 'https://example.invalid/r.git'])
    expect(pack.stderr).toMatch(/Invalid --git-url: is an option of pack, not of run/)
  })

  it('still takes pack without its command word', async () => {
    const res = await runCli(['--git-url', 'https://example.invalid/r.git', '--command', 'true'])
    expect(res.code).toBe(2)
    expect(res.stderr).not.toMatch(/is not a command/)
    expect(res.stderr).toMatch(/Invalid --commit-hash: missing/)
  })

  it('shows help per command', async () => {
    const res = await runCli(['run', '--help'])
    expect(res.code).toBe(0)
    for (const flag of [
      '--engine',
      '--timeout SECONDS',
      '--memory',
      '--cpus',
      '--network',
      '--gpus',
      '--max-output-bytes',
      '--results-dir'
    ]) {
      expect(res.stdout).toContain(flag)
    }
    expect(res.stdout).not.toContain('--git-url')
  })
})

describe('job-packager run', () => {
  it("prints the job's output, the exit code and where the results are, and exits with the job's status", async () => {
    const results = path.join(root.dir, 'results')
    const res = await runCli(['run', pkg.archivePath, '--engine', 'none', '--network', 'default', '--results-dir', results])
    expect(res.code).toBe(5)
    expect(res.stdout).toContain(`hello from ${pkg.jobId}\n`)
    expect(res.stdout).toMatch(/exit code +5\n/)
    expect(res.stdout).toContain(`results         ${path.join(results, `${pkg.jobId}-result`)}`)
    expect(await listAll(results)).toEqual([`${pkg.jobId}-result`, `${pkg.jobId}-result.tar.gz`])
  })

  it('on SIGTERM stops the job, keeps the results saying so, and exits 143', async () => {
    const slow = await makePackage(root.dir, { 'slow.sh': 'echo started\nsleep 300\n' }, 'sh slow.sh')
    const results = path.join(root.dir, 'results-signal')
    const res = await runCli(['run', slow.archivePath, '--engine', 'none', '--network', 'default', '--results-dir', results], {
      onStderr: { match: /== Run /, then: (pid) => setTimeout(() => process.kill(pid, 'SIGTERM'), 500) }
    })
    expect(res.code).toBe(143)
    expect(res.stdout).toContain('stopped by a signal')
    const result = JSON.parse(await readFile(path.join(results, `${slow.jobId}-result`, 'result.json'), 'utf8')) as { stopped: string }
    expect(result.stopped).toBe('signal')
  })

  it('refuses a tampered package and runs nothing', async () => {
    const dir = await copyJobDir(pkg, path.join(root.dir, 'tampered-run'))
    await writeFile(path.join(dir, 'code', 'hello.sh'), 'echo pwned\n')
    const results = path.join(root.dir, 'results-tampered')
    const res = await runCli(['run', dir, '--engine', 'none', '--results-dir', results])
    expect(res.code).toBe(1)
    expect(res.stdout).not.toContain('pwned')
    expect(res.stderr).toMatch(/error: code\/hello\.sh has changed: its sha256 is [0-9a-f]{64}, but it was packed with [0-9a-f]{64}/)
    expect(await listAll(results)).toEqual([])
  })
})
