/**
 * Unit tests of the Action's smaller parts: the log guard and secret forms,
 * the upload's checks (with a fake artifact client: a digest mismatch cannot
 * be provoked through the real one), and the summary's escaping.
 */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'

const printed: string[] = []
const secrets: string[] = []
jest.unstable_mockModule('@actions/core', () => ({
  info: (m: string) => printed.push(m),
  debug: (m: string) => printed.push(`::debug::${m}`),
  warning: (m: string) => printed.push(`::warning::${m}`),
  setSecret: (s: string) => secrets.push(s),
  group: async (_n: string, fn: () => Promise<unknown>) => fn(),
  getInput: () => '',
  summary: {}
}))

const { logUntrusted, mightBeWorkflowCommand, secretForms, maskSecret } = await import('../../src/action/action-logger.js')
const { uploadArchive, artifactUrl, isTransientUploadFailure, UploadError } = await import('../../src/action/upload.js')
const { renderSummary, imageName, runCommands, escapeHtml } = await import('../../src/action/summary.js')
const { silentLogger } = await import('../../src/core/index.js')

const savedEnv = { ...process.env }
beforeEach(() => {
  printed.length = 0
  secrets.length = 0
})
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k]
  Object.assign(process.env, savedEnv)
})

describe('the log guard', () => {
  test.each([
    ['::set-output name=x::y', true],
    ['ok\n::add-mask::s', true],
    ['ok\r::add-mask::s', true],
    ['ok\n \t::error::x', true],
    ['text ##[add-mask]x', true],
    // The runner's TrimStart() removes all Unicode white space, not only ASCII.
    ['ok\n\u3000::set-output name=x::y', true],
    ['\u2003::add-mask::s', true],
    ['\u2028::error::x', true],
    ['ok\n\u0085::warning::x', true],
    ['\ufeff::add-mask::s', true],
    ['\u00a0\u3000\ufeff::add-mask::s', true],
    ['plain text', false],
    ['a :: b', false],
    ['https://host/x::y', false]
  ])('%j could be a command: %s', (text, expected) => {
    expect(mightBeWorkflowCommand(text)).toBe(expected)
  })

  test('plain text is printed as is; command-like text between a fresh stop token and its resume', () => {
    logUntrusted('plain')
    expect(printed).toEqual(['plain'])
    printed.length = 0
    logUntrusted('a\n::add-mask::x')
    logUntrusted('a\n::add-mask::x')
    expect(printed).toHaveLength(6)
    const [stop1, text1, resume1, stop2, , resume2] = printed
    expect(text1).toBe('a\n::add-mask::x')
    const t1 = stop1!.replace('::stop-commands::', '')
    const t2 = stop2!.replace('::stop-commands::', '')
    expect(t1).toMatch(/^[0-9a-f]{32}$/)
    expect(resume1).toBe(`::${t1}::`)
    expect(resume2).toBe(`::${t2}::`)
    expect(t1).not.toBe(t2)
  })
})

describe('secrets', () => {
  test('the token and its base64 forms, as in an Authorization header', () => {
    expect(secretForms('ghs_abc')).toEqual([
      'ghs_abc',
      Buffer.from('ghs_abc').toString('base64'),
      Buffer.from('x-access-token:ghs_abc').toString('base64')
    ])
    expect(secretForms('')).toEqual([])
  })

  test('are masked only inside Actions, where ::add-mask:: is not just printing them', () => {
    delete process.env.GITHUB_ACTIONS
    maskSecret('ghs_abc')
    expect(secrets).toEqual([])
    process.env.GITHUB_ACTIONS = 'true'
    maskSecret('ghs_abc')
    expect(secrets).toEqual(secretForms('ghs_abc'))
  })
})

describe('upload checks', () => {
  const SHA = 'a'.repeat(64)
  const fakeClient = (response: { id?: number; size?: number; digest?: string }, opts: { deleteFails?: boolean } = {}) => {
    const calls: { upload: unknown[][]; deleted: string[] } = { upload: [], deleted: [] }
    const client = {
      // Promises, like the real client's: a failure is a rejection, never a synchronous throw.
      uploadArtifact: (...args: unknown[]) => {
        calls.upload.push(args)
        return Promise.resolve(response)
      },
      deleteArtifact: (name: string) => {
        calls.deleted.push(name)
        return opts.deleteFails ? Promise.reject(new Error('service down')) : Promise.resolve({ id: 1 })
      }
    }
    return { client: client as never, calls }
  }
  beforeEach(() => {
    Object.assign(process.env, {
      ACTIONS_RUNTIME_TOKEN: 'x.y.z',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '7'
    })
  })

  test('uploads the one file raw, under its own name, with the retention asked for', async () => {
    const { client, calls } = fakeClient({ id: 5, size: 10, digest: SHA })
    const up = await uploadArchive({ archivePath: '/w/jobs/j1.tar.gz', archiveSha256: SHA, retentionDays: 3, logger: silentLogger, client })
    expect(calls.upload).toEqual([['j1.tar.gz', ['/w/jobs/j1.tar.gz'], '/w/jobs', { skipArchive: true, retentionDays: 3 }]])
    expect(up).toEqual({ id: 5, name: 'j1.tar.gz', size: 10, digest: SHA, url: 'https://github.com/o/r/actions/runs/7/artifacts/5' })
  })

  test("a digest that is not the archive's fails, and the artifact is deleted", async () => {
    const { client, calls } = fakeClient({ id: 5, size: 10, digest: `sha256:${'b'.repeat(64)}` })
    const err = await uploadArchive({ archivePath: '/w/jobs/j1.tar.gz', archiveSha256: SHA, logger: silentLogger, client }).catch(
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(UploadError)
    expect((err as Error).message).toMatch(
      new RegExp(`has digest sha256:${'b'.repeat(64)}, but the archive's sha256 is ${SHA}\\. It was deleted\\.`)
    )
    expect(calls.deleted).toEqual(['j1.tar.gz'])
  })

  test('no digest at all is a mismatch too; a failed delete is reported', async () => {
    const { client } = fakeClient({ id: 5, size: 10 }, { deleteFails: true })
    const err = (await uploadArchive({ archivePath: '/w/j.tar.gz', archiveSha256: SHA, logger: silentLogger, client }).catch(
      (e: unknown) => e
    )) as Error
    expect(err.message).toMatch(/has digest \(none reported\).*Deleting it failed too \(service down\); do not use it\./)
  })

  test('the digest may come with or without its sha256: prefix, in any case', async () => {
    const { client } = fakeClient({ id: 5, size: 10, digest: `sha256:${SHA.toUpperCase()}` })
    await expect(uploadArchive({ archivePath: '/w/j.tar.gz', archiveSha256: SHA, logger: silentLogger, client })).resolves.toMatchObject({
      digest: SHA
    })
  })

  test('without the run coordinates there is no URL', () => {
    delete process.env.GITHUB_RUN_ID
    expect(artifactUrl(5)).toBeUndefined()
  })
})

describe('which upload failures are retried', () => {
  const coded = (message: string, props: Record<string, unknown>): Error => Object.assign(new Error(message), props)
  // The shapes the artifact client's errors really take (node_modules/@actions/artifact/lib/internal/shared).
  test.each([
    [
      'a reset of a service call (NetworkError rewrapped: only the text)',
      new Error('Failed to CreateArtifact: Unable to make request: ECONNRESET\nIf you are using self-hosted runners…'),
      true
    ],
    ['a refused connection', new Error('Failed to FinalizeArtifact: Unable to make request: ECONNREFUSED'), true],
    [
      'a blob upload reset (NetworkError with its code)',
      coded('Unable to make request: ECONNRESET', { name: 'NetworkError', code: 'ECONNRESET' }),
      true
    ],
    [
      'the client giving up on 5xx',
      new Error('Failed to CreateArtifact: Failed to make request after 5 attempts: Failed request: (503) Service Unavailable'),
      true
    ],
    [
      'a 500 the client did not retry',
      new Error('Failed to CreateArtifact: Received non-retryable error: Failed request: (500) Internal Server Error'),
      true
    ],
    ['429', new Error('Failed to CreateArtifact: Failed to make request after 5 attempts: Failed request: (429) Too Many Requests'), true],
    [
      'non-JSON answers the client gave up on',
      new Error('Failed to CreateArtifact: Failed to make request after 5 attempts: Unexpected token < in JSON'),
      true
    ],
    ['a blob storage 503 (RestError)', coded('The server is busy.', { name: 'RestError', statusCode: 503 }), true],
    ['a stalled blob upload', new Error('Upload progress stalled.'), true],
    [
      '409 conflict',
      new Error(
        'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run'
      ),
      false
    ],
    ['403', new Error('Failed to CreateArtifact: Received non-retryable error: Failed request: (403) Forbidden'), false],
    ['404', new Error('Failed to FinalizeArtifact: Received non-retryable error: Failed request: (404) Not Found'), false],
    ['a blob storage 403 (RestError)', coded('Server failed to authenticate the request.', { name: 'RestError', statusCode: 403 }), false],
    ['an unknown host', new Error('Failed to CreateArtifact: Unable to make request: ENOTFOUND'), false],
    ['a missing file', coded('No files were found to upload: /w/x', { name: 'FilesNotFoundError' }), false],
    ['not an Error', 'boom', false]
  ])('%s → %s', (_what, err, transient) => {
    expect(isTransientUploadFailure(err)).toBe(transient)
  })
})

describe('summary', () => {
  const result = {
    jobId: 'Train_Run.1',
    archiveBytes: 2048,
    archiveSha256: 'c'.repeat(64),
    contentDigest: `sha256:${'d'.repeat(64)}`,
    commit: 'e'.repeat(40),
    commitTime: '2024-01-02T03:04:05.000Z',
    manifest: {
      source: {
        git_url: 'https://host/<b>repo</b>',
        lfs: { fetched: false, objects: [{ path: 'w<i>eights.bin', oid: 'a'.repeat(64), size: 5 }] }
      }
    },
    datasets: [{ name: 'a&b<c>.csv', size: 10, sha256: 'f'.repeat(64), url: 'https://x', cached: false }],
    submodules: [
      { path: 'lib/<i>x</i>', url: 'https://host/x.git', commit: '1'.repeat(40), included: true },
      { path: 'lib/y', commit: '2'.repeat(40), included: false }
    ],
    warnings: [
      'Submodule lib/y (no url in .gitmodules at 222) was left empty: submodules is false.\n<script>',
      'kept "w<i>eights.bin"\nas a pointer'
    ]
  } as never

  test('escapes user text everywhere and keeps table rows on one line', () => {
    const md = renderSummary({
      result,
      command: 'run\n\n</code></pre><img src=x onerror=alert(1)>',
      artifactNote: 'not uploaded (upload: false)'
    })
    expect(md).not.toMatch(/<b>|<img|<\/code><\/pre><img/)
    expect(md).toContain('https://host/&lt;b&gt;repo&lt;/b&gt;')
    expect(md).toContain('<code>data/a&amp;b&lt;c&gt;.csv</code>')
    // Submodules: each one, fetched or left empty; what was left out, in a list of its own.
    expect(md).toContain(
      `<tr><td><code>code/lib/&lt;i&gt;x&lt;/i&gt;</code></td><td><code>${'1'.repeat(40)}</code></td><td>https://host/x.git</td><td>included</td></tr>`
    )
    expect(md).toContain('<td>no url in .gitmodules</td><td><strong>left empty</strong></td>')
    expect(md).toContain('<h3>Left out</h3>')
    expect(md).toContain('<li>Submodule lib/y (no url in .gitmodules at 222) was left empty: submodules is false.<br>&lt;script&gt;</li>')
    expect(md).toContain('<pre><code>run\n\n&lt;/code&gt;&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;</code></pre>')
    // A blank line ends an HTML block in Markdown: none inside a table.
    for (const table of md.match(/<table>[\s\S]*?<\/table>/g)!) expect(table).not.toContain('\n')
    expect(md).toContain('not uploaded (upload: false)')
    // LFS files and warnings: escaped, and said (nothing left out silently).
    expect(md).toContain('<code>code/w&lt;i&gt;eights.bin</code>')
    expect(md).toContain('packaged as pointer files, without their content')
    expect(md).toContain('<li>kept &quot;w&lt;i&gt;eights.bin&quot;<br>as a pointer</li>')
  })

  test('shows the base image: pinned by digest, or flagged when it floats (a tag without digest)', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    const withPin = (environment: unknown) =>
      renderSummary({
        result: { ...(result as object), manifest: { source: { git_url: 'https://host/r' }, environment } } as never,
        command: 'true'
      })
    const pinned = withPin({
      base_image: `python:3.12-slim@${digest}`,
      base_image_pin: { status: 'pinned', requested: 'python:3.12-slim', digest, multi_arch: true }
    })
    expect(pinned).toContain(
      `<tr><th align="left">Base image</th><td><code>python:3.12-slim@${digest}</code> pinned by digest (multi-platform index)</td></tr>`
    )
    expect(pinned).not.toContain('floats')
    const floating = withPin({
      base_image: 'python:3.12-slim',
      base_image_pin: { status: 'floats', requested: 'python:3.12-slim', reason: 'https://r/v2/x: ENOTFOUND <host not found>' }
    })
    expect(floating).toContain(
      '<code>python:3.12-slim</code><br>⚠️ <strong>base image floats (tag without digest)</strong>: https://r/v2/x: ENOTFOUND &lt;host not found&gt;'
    )
    // The repository's own Dockerfile: no base image of ours, no row.
    expect(withPin({ dockerfile: 'code/Dockerfile' })).not.toContain('Base image')
  })

  test('shows the frozen verdict, the file each ecosystem used and what floats, escaped', () => {
    const withEnv = {
      ...(result as object),
      manifest: {
        source: { git_url: 'https://host/r' },
        environment: {
          frozen: {
            verdict: 'partly',
            ecosystems: [
              { ecosystem: 'python', file: 'requirements.txt', sha256: 'a'.repeat(64), installer: 'pip install -r', pinning: 'partial' }
            ],
            floats: [
              { kind: 'requirement', ecosystem: 'python', name: 'numpy<script>', from: 'requirements.txt', why: 'no exact == pin' },
              { kind: 'base-image', name: 'python:3.12-slim-bookworm', why: 'a tag without a digest' }
            ]
          }
        }
      }
    } as never
    const md = renderSummary({ result: withEnv, command: 'run' })
    expect(md).toContain('<h3>Environment</h3>')
    expect(md).toContain('<strong>Partly frozen: the items below are chosen when the image is built.</strong>')
    expect(md).toContain(
      `<td>python</td><td><code>requirements.txt</code></td><td>pip install -r</td><td>partial</td><td><code>${'a'.repeat(64)}</code></td>`
    )
    expect(md).toContain('<tr><td>python requirement numpy&lt;script&gt; in requirements.txt</td><td>no exact == pin</td></tr>')
    expect(md).toContain('<tr><td>base image python:3.12-slim-bookworm</td><td>a tag without a digest</td></tr>')
    for (const table of md.match(/<table>[\s\S]*?<\/table>/g)!) expect(table).not.toContain('\n')
    // Without an environment section in job.json (older packages), nothing is shown.
    expect(renderSummary({ result, command: 'run' })).not.toContain('Environment')
  })

  test("names detection's warnings and notes (files ignored, as in job.json), escaped, warnings first", () => {
    const withEnv = {
      ...(result as object),
      manifest: {
        source: { git_url: 'https://host/r' },
        environment: {
          frozen: { verdict: 'frozen', ecosystems: [], floats: [] },
          warnings: ['binder/ is the configuration folder, so these files at the root are ignored: requirements.txt'],
          notes: ['binder/ holds the environment files <x>']
        }
      }
    } as never
    const md = renderSummary({ result: withEnv, command: 'run' })
    expect(md).toContain('<details open><summary>Detection: 1 warning(s), 1 note(s)</summary>')
    expect(md).toContain(
      '<ul><li>⚠️ binder/ is the configuration folder, so these files at the root are ignored: requirements.txt</li><li>binder/ holds the environment files &lt;x&gt;</li></ul>'
    )
  })

  test('GPU jobs: the CUDA base, or the CUDA packages on a plain base, and --gpus all in the run command; nothing for other jobs', () => {
    const withGpu = (gpu: unknown) =>
      renderSummary({
        result: { ...(result as object), manifest: { source: { git_url: 'https://host/r' }, environment: { gpu } } } as never,
        command: 'true'
      })
    const selected = withGpu({
      requested: 'auto',
      detected: ['torch'],
      selected: true,
      base: 'nvidia/cuda:12.6.3-x<b>',
      reason: 'gpu: auto, for torch'
    })
    expect(selected).toContain(
      '<tr><th align="left">GPU</th><td>CUDA runtime base <code>nvidia/cuda:12.6.3-x&lt;b&gt;</code> (gpu: auto, for torch)</td></tr>'
    )
    expect(selected).toContain('docker run --rm --gpus all train_run.1</code></pre>')
    expect(selected).toContain('the NVIDIA driver and the NVIDIA Container Toolkit')
    const off = withGpu({ requested: 'off', detected: ['torch', 'cupy<i>'], selected: false, reason: 'gpu: off' })
    expect(off).toContain('<td>torch, cupy&lt;i&gt; use CUDA; no CUDA base (gpu: off)</td>')
    expect(off).toContain('--gpus all')
    const none = withGpu({ requested: 'auto', detected: [], selected: false, reason: 'no CUDA-using packages found' })
    expect(none).not.toMatch(/GPU|--gpus/)
  })

  test('the run commands use a Docker-valid image name', () => {
    expect(runCommands('Train_Run.1')).toEqual([
      'tar -xzf Train_Run.1.tar.gz && cd Train_Run.1',
      'docker build -t train_run.1 .',
      'docker run --rm train_run.1'
    ])
    // A job that uses CUDA is run with the GPUs.
    expect(runCommands('Train_Run.1', true).at(-1)).toBe('docker run --rm --gpus all train_run.1')
    expect(imageName('_x')).toBe('x')
    expect(imageName('a..b')).toBe('a-b')
    expect(imageName('a___b-')).toBe('a-b')
    expect(imageName('A--B')).toBe('a--b')
    expect(imageName('___')).toBe('job')
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;')
  })
})
