/**
 * The CLI as a user runs it: flags and spec files in, exit codes and output
 * out, signals mid-run, against loopback git and data servers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { redirect, requireBearer, serveBuffer, stall, startDataServer, type DataServer } from '../helpers/data-server.js'
import { makeBareClone, makeRepo, startGitServer, type GitServer } from '../helpers/git-server.js'
import { cliEnv, runCli } from '../helpers/cli.js'
import { gnuTarList, listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let git: GitServer
let slowGit: GitServer
let data: DataServer
let commit: string
let n = 0

beforeAll(async () => {
  root = await tempDir()
  commit = (await makeRepo(path.join(root.dir, 'src'), { 'main.sh': 'cat "$DATA_FILE"\n' })).commit
  await makeBareClone(path.join(root.dir, 'src'), path.join(root.dir, 'served'), 'repo.git')
  git = await startGitServer({ root: path.join(root.dir, 'served') })
  slowGit = await startGitServer({ root: path.join(root.dir, 'served'), stall: true })
  data = await startDataServer()
  data.route('/d.csv', serveBuffer('1,2\n'))
  data.route('/stall.csv', stall({ headers: true, contentLength: 100 }))
})
afterAll(async () => {
  await Promise.all([git?.close(), slowGit?.close(), data?.close()])
  await root?.cleanup()
})

const LOOPBACK = ['--allow-protocols', 'https,http', '--allow-private-network', '--pin-base-image', 'off']
const outDir = () => path.join(root.dir, `out-${++n}`)
const base = () => [
  'pack',
  '--git-url',
  git.url('repo.git'),
  '--commit',
  commit,
  '--data-url',
  data.url('/d.csv'),
  '--command',
  'sh main.sh'
]

describe('job-packager CLI', () => {
  it('prints help and version', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: job-packager pack [options]')
    expect(help.stdout).toContain('JOB_PACKAGER_TOKEN')
    const version = await runCli(['--version'])
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    // No arguments at all: the usage, on stderr, and not a success.
    const bare = await runCli([])
    expect(bare.code).toBe(2)
    expect(bare.stdout).toBe('')
    expect(bare.stderr).toContain('Usage: job-packager pack [options]')
  })

  it('packages a job and prints machine-readable JSON with --json', async () => {
    const out = outDir()
    const res = await runCli([...base(), ...LOOPBACK, '--out', out, '--job-id', 'cli-1', '--json'])
    expect(res.stderr).toContain('== Fetch code and data')
    expect(res.code).toBe(0)
    const json = JSON.parse(res.stdout) as Record<string, unknown>
    expect(json).toMatchObject({
      job_id: 'cli-1',
      commit,
      job_dir: path.join(out, 'cli-1'),
      archive_path: path.join(out, 'cli-1.tar.gz'),
      fetch: 'shallow'
    })
    expect(json.archive_sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(json.content_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    // A shell job installs nothing: only the base image floats (not pinned: --pin-base-image off, no registry here).
    expect(json.frozen).toEqual({
      verdict: 'partly',
      floats: [{ kind: 'base-image', name: 'debian:bookworm-slim', why: 'not resolved (--pin-base-image off)' }]
    })
    expect(res.stderr).toContain('Environment partly frozen: 1 thing floats (base image debian:bookworm-slim)')
    // Not pinning was asked for: said, but not as a warning.
    expect(res.stderr).not.toContain('warning: base image floats')
    expect(await gnuTarList(path.join(out, 'cli-1.tar.gz'))).toContain('cli-1/data/d.csv')
  })

  it('writes a provenance statement beside the archive naming it, the commit and the dataset; --provenance=false writes none', async () => {
    const out = outDir()
    const res = await runCli([...base(), ...LOOPBACK, '--out', out, '--job-id', 'prov', '--json'])
    expect(res.code).toBe(0)
    const json = JSON.parse(res.stdout) as { archive_sha256: string; provenance_path: string; content_digest: string }
    expect(json.provenance_path).toBe(path.join(out, 'prov.intoto.json'))
    const statement = JSON.parse(await readFile(json.provenance_path, 'utf8')) as {
      _type: string
      subject: Array<{ name: string; digest: { sha256: string } }>
      predicateType: string
      predicate: {
        buildDefinition: {
          externalParameters: { job: { job_id: string; git_url: string; command: string } }
          internalParameters: { content_digest: string }
          resolvedDependencies: Array<{ uri: string; name: string; digest: Record<string, string> }>
        }
        runDetails: { builder: { id: string }; metadata: { startedOn: string; finishedOn: string } }
      }
    }
    expect(statement._type).toBe('https://in-toto.io/Statement/v1')
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1')
    // The subject is the archive on disk, by the digest of its actual bytes.
    const onDisk = createHash('sha256')
      .update(await readFile(path.join(out, 'prov.tar.gz')))
      .digest('hex')
    expect(statement.subject).toEqual([{ name: 'prov.tar.gz', digest: { sha256: onDisk } }])
    expect(json.archive_sha256).toBe(onDisk)
    const build = statement.predicate.buildDefinition
    expect(build.externalParameters.job).toMatchObject({ job_id: 'prov', git_url: git.url('repo.git'), command: 'sh main.sh' })
    expect(build.internalParameters.content_digest).toBe(json.content_digest)
    expect(build.resolvedDependencies).toEqual([
      { uri: `git+${git.url('repo.git')}@${commit}`, name: 'code', digest: { gitCommit: commit } },
      { uri: data.url('/d.csv'), name: 'data/d.csv', digest: { sha256: createHash('sha256').update('1,2\n').digest('hex') } }
    ])
    expect(statement.predicate.runDetails.builder.id).toMatch(/^pkg:npm\/job-packager@\d+\.\d+\.\d+$/)
    expect(Date.parse(statement.predicate.runDetails.metadata.finishedOn)).toBeGreaterThanOrEqual(
      Date.parse(statement.predicate.runDetails.metadata.startedOn)
    )
    const off = outDir()
    const none = await runCli([...base(), ...LOOPBACK, '--out', off, '--job-id', 'noprov', '--provenance=false'])
    expect(none.code).toBe(0)
    expect(none.stdout).not.toContain('provenance')
    expect(await listAll(off)).toEqual(['noprov', 'noprov.tar.gz'])
  })

  it('prints the frozen verdict and what floats in its text result', async () => {
    const src = path.join(root.dir, 'src-floats')
    const floating = (await makeRepo(src, { 'requirements.txt': 'numpy\nrequests==2.32.3\n', 'main.py': 'print(1)\n' })).commit
    await makeBareClone(src, path.join(root.dir, 'served'), 'floats.git')
    const res = await runCli([
      'pack',
      '--git-url',
      git.url('floats.git'),
      '--commit',
      floating,
      '--command',
      'python3 main.py',
      ...LOOPBACK,
      '--out',
      outDir(),
      '--job-id',
      'cli-floats'
    ])
    expect(res.code).toBe(0)
    expect(res.stdout).toContain(
      'environment     partly frozen: 3 things float (python requirement numpy in requirements.txt; dependencies not listed in requirements.txt; base image python:3.12-slim-bookworm)\n'
    )
    expect(res.stderr).toMatch(/requirements\.txt has requirements without an exact == pin \(1\)/)
  })

  it('reads the seed JSON body from --spec (file or stdin), with flags overriding its fields', async () => {
    const specFile = path.join(root.dir, 'spec.json')
    await writeFile(
      specFile,
      JSON.stringify({ git_url: git.url('repo.git'), commit_hash: commit, data_url: data.url('/d.csv'), command: 'sh main.sh' })
    )
    const out = outDir()
    const fromFile = await runCli([
      'pack',
      '--spec',
      specFile,
      ...LOOPBACK,
      '--out',
      out,
      '--job-id',
      'from-file',
      '--command',
      'echo overridden',
      '--json'
    ])
    expect(fromFile.code).toBe(0)
    const manifest = (await import(path.join(out, 'from-file', 'job.json'), { with: { type: 'json' } })) as {
      default: { spec: { command: string } }
    }
    expect(manifest.default.spec.command).toBe('echo overridden')
    const fromStdin = await runCli(['pack', '--spec', '-', ...LOOPBACK, '--out', out, '--json'], {
      input: JSON.stringify({ git_url: git.url('repo.git'), commit_hash: commit, command: 'true' })
    })
    expect(fromStdin.code).toBe(0)
    expect((JSON.parse(fromStdin.stdout) as { job_id: string }).job_id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it.each([
    [['--commit', 'main'], /Invalid --commit: "main"/],
    [['--job-id', '../escape'], /Invalid --job-id: "..\/escape" is not a safe name/],
    [['--command', ''], /Invalid --command: is empty/],
    [['--git-url', 'ext::sh -c id'], /remote helper transport/],
    [['--compression-level', '11'], /Invalid --compression-level: "11" is out of range/],
    [['--max-dataset-bytes', 'lots'], /Invalid --max-dataset-bytes/],
    [['--base-image', 'python:latest'], /Invalid --base-image: "python:latest" is not a pinned image reference/],
    [['--bogus'], /Invalid --bogus: is not a known option\. Accepted: the options listed by --help\./]
  ])('exits 2 with a specific message for %j, writing nothing', async (extra, message) => {
    const out = outDir()
    const res = await runCli([...base(), ...LOOPBACK, '--out', out, ...extra])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(message)
    expect(res.stdout).toBe('')
    expect(await listAll(out)).toEqual([])
  })

  it('refuses an unreadable or invalid --spec with exit 2', async () => {
    expect((await runCli(['pack', '--spec', path.join(root.dir, 'missing.json')])).stderr).toMatch(
      /Invalid --spec: cannot read .* \(ENOENT\)/
    )
    const bad = await runCli(['pack', '--spec', '-'], { input: '{"git_url": ' })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/Invalid --spec: is not valid JSON/)
    const unknown = await runCli(['pack', '--spec', '-'], {
      input: '{"git_url": "https://h/r", "commit_hash": "abcdef1", "command": "x", "priority": 1}'
    })
    expect(unknown.stderr).toMatch(/unknown field "priority"/)
  })

  it('reports every problem in one run, named as typed, with a suggestion for a typo', async () => {
    const res = await runCli(['pack', '--comit', 'abc', '--attempts', '0', '--allow-protocols', 'ftp'])
    expect(res.code).toBe(2)
    expect(res.stdout).toBe('')
    const lines = res.stderr.split('\n').filter((l) => l.startsWith('  - '))
    expect(lines.map((l) => /Invalid (\S+):/.exec(l)?.[1])).toEqual([
      '--comit',
      '--attempts',
      '--allow-protocols',
      '--git-url',
      '--commit-hash',
      '--command'
    ])
    expect(res.stderr).toContain('Invalid --comit: is not a known option; did you mean --commit?')
    expect(res.stderr).toContain('Invalid --attempts: "0" is out of range. Accepted: a whole number from 1 to 20.')
    expect(res.stderr).toMatch(/^error: 6 problems with the job spec and options:/)
    // No internal names (limits.attempts, compression_level, allow_protocols) reach the user.
    expect(res.stderr).not.toMatch(/limits\.|_protocols|compression_level|attemptsMs/)
  })

  it('with --json, prints a parseable error object on stdout with the same exit code', async () => {
    const res = await runCli(['pack', '--comit', 'abc', '--timeout', '0', '--compression-level', '12', '--json'])
    expect(res.code).toBe(2)
    const { error } = JSON.parse(res.stdout) as {
      error: { kind: string; exit_code: number; problems: Array<{ field: string; problem: string }> }
    }
    expect(error.kind).toBe('invalid-spec')
    expect(error.exit_code).toBe(2)
    expect(error.problems.map((p) => p.field)).toEqual([
      '--comit',
      '--timeout',
      '--compression-level',
      '--git-url',
      '--commit-hash',
      '--command'
    ])
    // A failure that is not about the input: kind and exit code 1 (the loopback git server is refused without --allow-private-network).
    const out = outDir()
    const blocked = await runCli([...base(), '--allow-protocols', 'https,http', '--out', out, '--json'])
    expect(blocked.code).toBe(1)
    expect(JSON.parse(blocked.stdout)).toMatchObject({ error: { kind: 'git', exit_code: 1 } })
  })

  it('names the exact flag that would allow a refused transport, and problems of the --spec file by field', async () => {
    const http = await runCli(['pack', '--git-url', 'http://git.example/r.git', '--commit', commit, '--command', 'true'])
    expect(http.code).toBe(2)
    expect(http.stderr).toContain('to allow it: --allow-protocols https,http')
    const fromFile = await runCli(['pack', '--spec', '-', '--job-id', '-bad'], {
      input: JSON.stringify({ git_url: 'https://h/r', commit_hash: 'main', command: 'x', base_image: 'python:latest' })
    })
    expect(fromFile.code).toBe(2)
    expect(fromFile.stderr).toContain('Invalid commit_hash in --spec -: "main" refs, branch names')
    expect(fromFile.stderr).toContain('Invalid base_image in --spec -: "python:latest" is not a pinned image reference')
    expect(fromFile.stderr).toContain('Invalid --job-id: "-bad" is not a safe name')
  })

  it('blocks loopback git and datasets by default and exits 1', async () => {
    const out = outDir()
    const res = await runCli([...base(), '--allow-protocols', 'https,http', '--out', out])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/Refused to connect to 127\.0\.0\.1 .*\(to allow it: --allow-private-network\)/)
    expect(await listAll(out)).toEqual([])
  })

  it('takes the token from JOB_PACKAGER_TOKEN and never prints it or a workflow command', async () => {
    const token = 'cli-canary-token-9876'
    const secure = await startGitServer({ root: path.join(root.dir, 'served'), requireAuth: { token } })
    try {
      const out = outDir()
      const args = [
        'pack',
        '--git-url',
        secure.url('repo.git'),
        '--commit',
        commit,
        '--command',
        'true',
        ...LOOPBACK,
        '--out',
        out,
        '--verbose'
      ]
      const denied = await runCli(args)
      expect(denied.code).toBe(1)
      expect(denied.stderr).toMatch(/Authentication to .* failed/)
      // The token goes to one origin only: by default the GitHub server, not this loopback host.
      const withheld = await runCli(args, { env: cliEnv({ JOB_PACKAGER_TOKEN: token }) })
      expect(withheld.code).toBe(1)
      const origin = new URL(secure.url('repo.git')).origin
      expect(withheld.stderr).toContain(`The token is not sent to ${origin}: it is only sent to https://github.com (--token-origin).`)
      const ok = await runCli([...args, '--token-origin', origin], { env: cliEnv({ JOB_PACKAGER_TOKEN: token }) })
      expect(ok.code).toBe(0)
      for (const text of [ok.stdout, ok.stderr, denied.stderr, withheld.stderr]) {
        expect(text).not.toContain(token)
        expect(text).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'))
        expect(text).not.toMatch(/^::/m)
      }
    } finally {
      await secure.close()
    }
  })

  it('takes the data token from JOB_PACKAGER_DATA_TOKEN, sends it to --data-token-origin only, never prints it', async () => {
    const token = 'cli-data-canary-5432'
    data.route('/private.csv', requireBearer(token, '3,4\n'))
    const args = [...base().slice(0, 5), '--data-url', data.url('/private.csv'), '--command', 'true', ...LOOPBACK, '--verbose']
    const denied = await runCli([...args, '--out', outDir()])
    expect(denied.code).toBe(1)
    expect(denied.stderr).toContain(`A private dataset needs a token: set $JOB_PACKAGER_DATA_TOKEN and --data-token-origin ${data.origin}`)
    const noOrigin = await runCli([...args, '--out', outDir()], { env: cliEnv({ JOB_PACKAGER_DATA_TOKEN: token }) })
    expect(noOrigin.code).toBe(2)
    expect(noOrigin.stderr).toMatch(/--data-token-origin.*is not set, but \$JOB_PACKAGER_DATA_TOKEN is/)
    const before = data.requests.length
    const ok = await runCli([...args, '--data-token-origin', data.origin, '--out', outDir()], {
      env: cliEnv({ JOB_PACKAGER_DATA_TOKEN: token })
    })
    expect(ok.code).toBe(0)
    expect(data.requests.slice(before).map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`])
    for (const text of [ok.stdout, ok.stderr, denied.stderr, noOrigin.stderr]) expect(text).not.toContain(token)
  })

  it.each([
    ['SIGTERM', 143, 'download', () => ['--data-url', data.url('/stall.csv')], /Downloading/],
    ['SIGINT', 130, 'checkout', () => ['--git-url', slowGit.url('repo.git')], /Fetching commit/]
  ] as const)('on %s, exits %i; interrupting the %s leaves nothing behind', async (sig, code, _phase, extra, when) => {
    const out = outDir()
    const tmp = path.join(root.dir, `tmp-${n}`)
    await mkdir(tmp)
    const res = await runCli([...base(), ...LOOPBACK, '--out', out, ...extra()], {
      env: cliEnv({ TMPDIR: tmp }),
      onStderr: { match: when, then: (pid) => setTimeout(() => process.kill(pid, sig), 300) }
    })
    expect(res.code).toBe(code)
    expect(res.stderr).toMatch(new RegExp(`Interrupted by ${sig}`))
    expect(await listAll(out)).toEqual([])
    expect(await readdir(tmp)).toEqual([])
  })

  it('caps the datasets, the command and the total download, each named by its flag and raised by it', async () => {
    const out = outDir()
    // Count and command size are spec problems: reported together with exit 2, before any network.
    // base() has one --data-url: 21 in all.
    const many = Array.from({ length: 20 }, (_, i) => ['--data-url', data.url(`/many-${i}.csv`)]).flat()
    const dataBefore = data.requests.length
    const tooMany = await runCli([...base(), ...LOOPBACK, '--out', out, ...many, '--command', 'x'.repeat(100 * 1024)])
    expect(tooMany.code).toBe(2)
    expect(tooMany.stderr).toContain(
      'Invalid --data-url: lists 21 datasets, more than the limit of 20 (--max-datasets). Accepted: at most 20 datasets; put many small files into one archive, or raise the limit (--max-datasets 21).'
    )
    expect(tooMany.stderr).toContain('Invalid --command: is 102400 bytes long, more than the limit of 64K (--max-command-bytes).')
    expect(tooMany.stderr).toContain('or raise the limit (--max-command-bytes 100K).')
    // A 10 MB command in a --spec file (the CLI used to package it; the Action could not even start with it).
    const specFile = path.join(root.dir, `big-command-${++n}.json`)
    await writeFile(
      specFile,
      JSON.stringify({ git_url: git.url('repo.git'), commit_hash: commit, command: `: '${'c'.repeat(10 * 1024 * 1024)}'` })
    )
    const huge = await runCli(['pack', '--spec', specFile, ...LOOPBACK, '--out', out, '--json'])
    expect(huge.code).toBe(2)
    expect(JSON.parse(huge.stdout)).toMatchObject({
      error: {
        kind: 'invalid-spec',
        problems: [{ field: 'command in --spec ' + specFile, problem: expect.stringMatching(/^is 10485764 bytes long/) }]
      }
    })
    expect(data.requests.length).toBe(dataBefore)
    // The total across datasets is enforced as the bytes arrive.
    data.route('/600k-a.csv', serveBuffer(Buffer.alloc(600 * 1024, 'a'))).route('/600k-b.csv', serveBuffer(Buffer.alloc(600 * 1024, 'b')))
    const two = ['--data-url', data.url('/600k-a.csv'), '--data-url', data.url('/600k-b.csv')]
    const total = await runCli([
      ...base().slice(0, 5),
      ...two,
      '--command',
      'true',
      ...LOOPBACK,
      '--out',
      out,
      '--max-total-dataset-bytes',
      '1M'
    ])
    expect(total.code).toBe(1)
    expect(total.stderr).toMatch(
      /error: data\/600k-b\.csv: the server announces 614400 bytes; .* more than the limit of 1048576 on all datasets together \(--max-total-dataset-bytes\)/
    )
    expect(await listAll(out)).toEqual([])
    // Each limit is an option: raised, the same inputs are packaged.
    const raised = await runCli([
      ...base().slice(0, 5),
      ...two,
      '--command',
      `: '${'x'.repeat(70 * 1024)}'`,
      ...LOOPBACK,
      '--out',
      out,
      '--max-total-dataset-bytes',
      '2M',
      '--max-command-bytes',
      '128K',
      '--max-datasets',
      '2'
    ])
    expect(raised.stderr).not.toContain('error:')
    expect(raised.code).toBe(0)
  })

  it('needs no temporary folder at all: an unusable TMPDIR does not matter, and nothing secret is written anywhere', async () => {
    // git gets its settings (and the token's header) through its environment, never a file,
    // so packaging works with a TMPDIR that does not exist or lies under a file.
    const file = path.join(root.dir, `tmp-file-${++n}`)
    await writeFile(file, 'x')
    for (const tmp of [path.join(root.dir, 'no-such-tmp'), path.join(file, 'tmp')]) {
      const out = outDir()
      const res = await runCli([...base(), ...LOOPBACK, '--out', out], { env: cliEnv({ TMPDIR: tmp }) })
      expect(res.stderr).not.toMatch(/Unexpected error|^\s+at /m)
      expect(res.code).toBe(0)
      expect((await listAll(out)).some((p) => p.endsWith('.tar.gz'))).toBe(true)
    }
    await expect(readdir(path.join(root.dir, 'no-such-tmp'))).rejects.toThrow(/ENOENT/)
  })

  it('refuses a download redirected from https down to http', async () => {
    const secureData = await startDataServer({ https: true })
    try {
      secureData.route('/down', redirect(data.url('/d.csv')))
      const out = outDir()
      const res = await runCli([...base(), ...LOOPBACK, '--out', out, '--data-url', secureData.url('/down')], {
        env: cliEnv({ NODE_EXTRA_CA_CERTS: secureData.caFile })
      })
      expect(res.stderr).toMatch(/redirected from https down to http/)
      expect(res.code).toBe(1)
      // The same CA makes an https download work: the refusal above is about the downgrade.
      secureData.route('/ok.csv', serveBuffer('1,2\n'))
      const ok = await runCli([...base(), ...LOOPBACK, '--out', out, '--data-url', secureData.url('/ok.csv')], {
        env: cliEnv({ NODE_EXTRA_CA_CERTS: secureData.caFile })
      })
      expect(ok.code).toBe(0)
    } finally {
      await secureData.close()
    }
  })
})
