/**
 * Test fixtures for everything git: deterministic repositories and a real
 * git smart-HTTP(S) server on 127.0.0.1.
 *
 * Why this looks the way it does:
 *
 * - Every git invocation is asynchronous (`spawn`). The servers started here
 *   live in the test's own process; a synchronous child process
 *   (`execFileSync`, `spawnSync`) would block the event loop that has to
 *   answer the very git client it is waiting for, and the test hangs.
 * - Commits use a fixed author, committer and date, and git runs with the
 *   machine's system/global config switched off, so the same files give the
 *   same commit SHA on every machine and every run. Tests may hard-code SHAs
 *   produced with these defaults if they want to.
 * - The server runs the real `git http-backend` as a CGI program, so the
 *   product is tested against the same protocol code GitHub-like hosts speak,
 *   including protocol v2, gzip-compressed requests, shallow fetches and 401s.
 * - `protocolV0: true` makes the server ignore the client's `Git-Protocol`
 *   header and answer with protocol v0. With protocol v2 git hands out any
 *   commit it has whatever `uploadpack.allowAnySHA1InWant` says, so v0 is the
 *   only way to see an "unadvertised object" refusal and exercise the
 *   product's fall-back-to-a-full-fetch path.
 * - The inherited environment of this machine sets GIT_SSL_CAINFO (and other
 *   GIT_* variables may leak in from a hook or a CI runner); `cleanGitEnv()`
 *   drops all of them so a test says explicitly which CA git trusts.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gunzipSync } from 'node:zlib'

// ---------------------------------------------------------------------------
// Running git (and other programs) asynchronously
// ---------------------------------------------------------------------------

/** Date used for every fixture commit unless a test passes its own. */
export const FIXED_DATE = '2024-01-02T03:04:05Z'
/** Identity used for every fixture commit (author and committer). */
export const TEST_IDENTITY = { name: 'Job Packager Test', email: 'test@job-packager.invalid' } as const

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  stdoutBuffer: Buffer
}

export interface RunOptions {
  cwd?: string
  /** Full environment for the child. Defaults to `cleanGitEnv()`. */
  env?: NodeJS.ProcessEnv
  /** Bytes written to the child's stdin (stdin is closed afterwards). */
  input?: string | Buffer
  /** Resolve instead of rejecting when the exit code is not 0. */
  allowFailure?: boolean
  /** Kill the child (SIGKILL) after this many ms. */
  timeoutMs?: number
}

/**
 * The environment fixture git commands run with: the current environment
 * minus every `GIT_*` variable, with the system and global git config turned
 * off (no credential helpers, no user-set defaults), prompts disabled and
 * English messages. `extra` is applied last.
 */
export function cleanGitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('GIT_')) env[k] = v
  }
  env.GIT_CONFIG_NOSYSTEM = '1'
  env.GIT_CONFIG_GLOBAL = '/dev/null'
  env.GIT_TERMINAL_PROMPT = '0'
  env.GIT_ASKPASS = ''
  env.SSH_ASKPASS = ''
  env.LC_ALL = 'C'
  env.LANGUAGE = 'C'
  return { ...env, ...extra }
}

/**
 * Run a program asynchronously and collect its output. Rejects with an Error
 * carrying stdout/stderr when the exit code is not 0 (unless `allowFailure`).
 */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? cleanGitEnv(),
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    let timer: NodeJS.Timeout | undefined
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs)
    child.on('error', (e) => {
      if (timer) clearTimeout(timer)
      reject(e)
    })
    // EPIPE when the child exits without reading all input is not our concern.
    child.stdin.on('error', () => undefined)
    child.stdin.end(opts.input ?? undefined)
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      const stdoutBuffer = Buffer.concat(out)
      const result: RunResult = {
        code,
        signal,
        stdout: stdoutBuffer.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBuffer
      }
      if (code !== 0 && !opts.allowFailure) {
        const e = new Error(
          `${cmd} ${args.join(' ')} failed (code ${code}, signal ${signal}):\n${result.stderr}${result.stdout}`
        ) as Error & { result?: RunResult }
        e.result = result
        reject(e)
      } else {
        resolve(result)
      }
    })
  })
}

/** `run('git', args, …)`; cwd is required on purpose so nothing ever runs git in the project checkout by accident. */
export function git(cwd: string, args: string[], opts: Omit<RunOptions, 'cwd'> = {}): Promise<RunResult> {
  return run('git', args, { ...opts, cwd })
}

/** Environment for a commit with the fixed identity and the given date. */
function commitEnv(date: string): NodeJS.ProcessEnv {
  return cleanGitEnv({
    GIT_AUTHOR_NAME: TEST_IDENTITY.name,
    GIT_AUTHOR_EMAIL: TEST_IDENTITY.email,
    GIT_COMMITTER_NAME: TEST_IDENTITY.name,
    GIT_COMMITTER_EMAIL: TEST_IDENTITY.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date
  })
}

// ---------------------------------------------------------------------------
// Repositories
// ---------------------------------------------------------------------------

/**
 * What to put at a path in a fixture tree.
 * - string / Buffer: a regular file with mode 0644;
 * - `{ content, mode }`: a regular file; git records only 0644 or 0755, so any
 *   mode with an execute bit becomes 100755 in the commit;
 * - `{ symlink: target }`: a symbolic link (target stored verbatim, may be
 *   absolute or point outside the repository: that is the point of some tests);
 * - `null` (only meaningful for `commitFiles`): delete the path.
 */
export type FileSpec =
  | string
  | Buffer
  | { content: string | Buffer; mode?: number; symlink?: undefined }
  | { symlink: string; content?: undefined; mode?: undefined }
  | null

export type FileTree = Record<string, FileSpec>

export interface MakeRepoOptions {
  /** Commit date (author and committer), any format git accepts. Default FIXED_DATE. */
  date?: string
  /** Commit message. Default "initial". */
  message?: string
  /** Initial branch name. Default "main". */
  branch?: string
  /** 'sha256' needs a git that supports it, see `sha256Supported()`. */
  objectFormat?: 'sha1' | 'sha256'
}

export interface RepoInfo {
  dir: string
  /** SHA of the commit just made. */
  commit: string
}

/** Write `files` under `dir`, refusing paths that would escape it. */
export async function writeTree(dir: string, files: FileTree): Promise<void> {
  const root = path.resolve(dir)
  for (const [rel, spec] of Object.entries(files)) {
    const full = path.resolve(root, rel)
    if (path.isAbsolute(rel) || !full.startsWith(root + path.sep)) {
      throw new Error(`fixture path escapes the repository: ${rel}`)
    }
    if (spec === null) {
      await rm(full, { recursive: true, force: true })
      continue
    }
    await mkdir(path.dirname(full), { recursive: true })
    await rm(full, { recursive: true, force: true })
    if (typeof spec === 'string' || Buffer.isBuffer(spec)) {
      await writeFile(full, spec)
      await chmod(full, 0o644)
    } else if (spec.symlink !== undefined) {
      await symlink(spec.symlink, full)
    } else {
      await writeFile(full, spec.content)
      // chmod explicitly: the process umask must not change the tree's SHA.
      await chmod(full, spec.mode ?? 0o644)
    }
  }
}

/**
 * Create a non-bare repository in `dir` (created if missing) with one commit
 * holding `files`. Same files + same options ⇒ same commit SHA, always.
 */
export async function makeRepo(dir: string, files: FileTree, opts: MakeRepoOptions = {}): Promise<RepoInfo> {
  await mkdir(dir, { recursive: true })
  const initArgs = ['init', '-q', '-b', opts.branch ?? 'main']
  if (opts.objectFormat === 'sha256') initArgs.push('--object-format=sha256')
  await git(dir, [...initArgs, '.'])
  await writeTree(dir, files)
  const commit = await commitAll(dir, opts.message ?? 'initial', opts.date ?? FIXED_DATE)
  return { dir, commit }
}

async function commitAll(dir: string, message: string, date: string): Promise<string> {
  const env = commitEnv(date)
  await git(dir, ['add', '-A'], { env })
  await git(dir, ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], { env })
  return (await git(dir, ['rev-parse', 'HEAD'], { env })).stdout.trim()
}

/**
 * Add a commit on the current branch of the non-bare repo `dir` with
 * `files` written (or deleted, for `null`) on top of the existing tree.
 * Returns the new commit's SHA.
 */
export async function commitFiles(dir: string, files: FileTree, message = 'update', date: string = FIXED_DATE): Promise<string> {
  await writeTree(dir, files)
  return commitAll(dir, message, date)
}

/**
 * Add a commit to the non-bare repo `dir` holding gitlinks (mode 160000
 * entries: submodules at `path` → commit) and `.gitmodules` as given, the
 * way `git submodule add` would leave them, but without cloning anything:
 * the commits need not exist anywhere (a test of a missing one wants that).
 * Returns the new commit's SHA.
 */
export async function commitGitlinks(
  dir: string,
  links: Record<string, string>,
  gitmodules: string | null,
  message = 'submodules',
  date: string = FIXED_DATE
): Promise<string> {
  const env = commitEnv(date)
  if (gitmodules !== null) {
    await writeFile(path.join(dir, '.gitmodules'), gitmodules)
    await git(dir, ['add', '.gitmodules'], { env })
  }
  for (const [p, sha] of Object.entries(links)) await git(dir, ['update-index', '--add', '--cacheinfo', `160000,${sha},${p}`], { env })
  await git(dir, ['commit', '-q', '--no-verify', '-m', message], { env })
  return (await git(dir, ['rev-parse', 'HEAD'], { env })).stdout.trim()
}

/** `.gitmodules` text for submodules at path → url (each named after its path). */
export function gitmodulesText(urls: Record<string, string>): string {
  return Object.entries(urls)
    .map(([p, url]) => `[submodule "${p}"]\n\tpath = ${p}\n\turl = ${url}\n`)
    .join('')
}

/** Tag `ref` (default HEAD); annotated when `message` is given (with the fixed identity and date). */
export async function addTag(dir: string, name: string, opts: { ref?: string; message?: string; date?: string } = {}): Promise<string> {
  const env = commitEnv(opts.date ?? FIXED_DATE)
  const args = opts.message ? ['tag', '-a', '-m', opts.message, name] : ['tag', name]
  if (opts.ref) args.push(opts.ref)
  await git(dir, args, { env })
  return (await git(dir, ['rev-parse', `refs/tags/${name}`], { env })).stdout.trim()
}

/**
 * Create a commit object (child of HEAD, same tree, given message) that no
 * ref points to. A server holding it can be asked for it by SHA but never
 * advertises it; even a v0 HTTP server that allows reachable SHAs refuses it.
 * `makeBareClone` copies it along (local clones copy the object store).
 */
export async function makeDanglingCommit(dir: string, message = 'dangling', date: string = FIXED_DATE): Promise<string> {
  const env = commitEnv(date)
  const res = await git(dir, ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', message], { env })
  return res.stdout.trim()
}

export interface HistoryOptions {
  /** Branch to extend (created if missing). Default "main". */
  branch?: string
  /** Unix seconds of the first new commit; each next one is 1 s later. Default = FIXED_DATE. */
  startEpoch?: number
  /** File rewritten by every commit. Default "history.txt". */
  file?: string
}

/**
 * Append `count` commits to `branch` of repository `dir` (bare or not; a
 * missing repo is initialised) using one `git fast-import` run: thousands of
 * commits take well under a second, unlike a commit loop. Each commit
 * rewrites one file with "commit <i>\n". Deterministic. A non-bare repo whose
 * checked-out branch is extended gets its work tree reset to the new tip.
 * Returns the new SHAs, oldest first.
 */
export async function makeHistory(dir: string, count: number, opts: HistoryOptions = {}): Promise<string[]> {
  const branch = opts.branch ?? 'main'
  const ref = `refs/heads/${branch}`
  if (!existsSync(dir)) await mkdir(dir, { recursive: true })
  const env = cleanGitEnv()
  const inside = await git(dir, ['rev-parse', '--git-dir'], { env, allowFailure: true })
  if (inside.code !== 0) await git(dir, ['init', '-q', '-b', branch, '.'], { env })
  const parent = await git(dir, ['rev-parse', '-q', '--verify', `${ref}^{commit}`], { env, allowFailure: true })
  const parentSha = parent.code === 0 ? parent.stdout.trim() : undefined
  const start = opts.startEpoch ?? Math.floor(Date.parse(FIXED_DATE) / 1000)
  const file = opts.file ?? 'history.txt'
  const who = `${TEST_IDENTITY.name} <${TEST_IDENTITY.email}>`

  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    const msg = `history ${i}\n`
    const content = `commit ${i}\n`
    parts.push(
      `commit ${ref}\n` +
        `mark :${i + 1}\n` +
        `author ${who} ${start + i} +0000\n` +
        `committer ${who} ${start + i} +0000\n` +
        `data ${Buffer.byteLength(msg)}\n${msg}` +
        (i === 0 && parentSha ? `from ${parentSha}\n` : '') +
        `M 100644 inline ${file}\n` +
        `data ${Buffer.byteLength(content)}\n${content}\n`
    )
  }
  parts.push('done\n')
  await git(dir, ['fast-import', '--quiet', '--done', '--date-format=raw'], { env, input: parts.join('') })

  const list = await git(dir, ['rev-list', '--reverse', `--max-count=${count}`, ref], { env })
  const shas = list.stdout.trim().split('\n').filter(Boolean)

  const bare = (await git(dir, ['rev-parse', '--is-bare-repository'], { env })).stdout.trim() === 'true'
  if (!bare) {
    const head = await git(dir, ['symbolic-ref', '-q', 'HEAD'], { env, allowFailure: true })
    if (head.stdout.trim() === ref) await git(dir, ['reset', '-q', '--hard', ref], { env })
  }
  return shas
}

/**
 * `git clone --bare srcDir root/name` and return the new path. Serving bare
 * repos avoids the "refusing to update checked-out branch" class of surprises.
 * Because the clone is local, the whole object store is copied, including
 * commits no ref reaches (see `makeDanglingCommit`).
 */
export async function makeBareClone(srcDir: string, root: string, name: string): Promise<string> {
  await mkdir(root, { recursive: true })
  const dest = path.join(root, name)
  await run('git', ['clone', '-q', '--bare', path.resolve(srcDir), dest], { cwd: root })
  return dest
}

let sha256Probe: Promise<boolean> | undefined
/** Whether this git can create SHA-256 repositories (`git init --object-format=sha256`). */
export function sha256Supported(): Promise<boolean> {
  sha256Probe ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'jp-sha256-probe-'))
    try {
      const r = await git(dir, ['init', '-q', '--object-format=sha256', '.'], { allowFailure: true })
      if (r.code !== 0) return false
      const fmt = await git(dir, ['rev-parse', '--show-object-format'], { allowFailure: true })
      return fmt.code === 0 && fmt.stdout.trim() === 'sha256'
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })()
  return sha256Probe
}

// ---------------------------------------------------------------------------
// TLS material
// ---------------------------------------------------------------------------

export interface TestCert {
  /** PEM of the throwaway CA: give it to GIT_SSL_CAINFO / NODE_EXTRA_CA_CERTS / `ca`. */
  caFile: string
  /** PEM of the server certificate (SAN IP:127.0.0.1, DNS:localhost). */
  certFile: string
  /** PEM of the server key (unencrypted). */
  keyFile: string
}

/**
 * Create a throwaway CA and a server certificate for 127.0.0.1 / localhost in
 * `dir`, using the `openssl` CLI (EC P-256 keys: fast to generate). Valid for
 * 30 days from now. Our own minimal config is passed so the machine's
 * openssl.cnf cannot add or clash with extensions.
 */
export async function makeTestCert(dir: string): Promise<TestCert> {
  await mkdir(dir, { recursive: true })
  const f = (n: string) => path.join(dir, n)
  await writeFile(
    f('openssl.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = job-packager throwaway test CA',
      '[srv_dn]',
      'CN = 127.0.0.1',
      '[v3_ca]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier = hash',
      '[v3_srv]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1,DNS:localhost',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      ''
    ].join('\n')
  )
  const opt = { cwd: dir, env: { ...process.env, OPENSSL_CONF: f('openssl.cnf') } }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-config',
      f('openssl.cnf'),
      '-extensions',
      'v3_ca',
      ...ec,
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.pem'),
      '-days',
      '30'
    ],
    opt
  )
  await run(
    'openssl',
    ['req', '-new', '-config', f('openssl.cnf'), '-subj', '/CN=127.0.0.1', ...ec, '-keyout', f('server.key'), '-out', f('server.csr')],
    opt
  )
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      f('server.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-set_serial',
      '0x' + randomBytes(8).toString('hex'),
      '-days',
      '30',
      '-extfile',
      f('openssl.cnf'),
      '-extensions',
      'v3_srv',
      '-out',
      f('server.pem')
    ],
    opt
  )
  return { caFile: f('ca.pem'), certFile: f('server.pem'), keyFile: f('server.key') }
}

let shared: { cert: Promise<TestCert>; dir: Promise<string>; refs: number } | undefined

/**
 * Borrow the process-wide throwaway CA + server certificate, generating it
 * on first use. Servers started without `cert` borrow it, so while they are
 * open a single `caFile` trusts all of them (git server and data server
 * alike). `release()` when done: the files are deleted once nobody holds
 * them (so do not read `caFile` after closing the last server), and the next
 * `acquireTestCert()` generates a fresh CA. Reference counting instead of a
 * process 'exit' hook because Jest does not forward `process` events from the
 * test sandbox: such a hook never runs and temp dirs pile up.
 */
export async function acquireTestCert(): Promise<{ cert: TestCert; release: () => Promise<void> }> {
  if (!shared) {
    const dir = mkdtemp(path.join(tmpdir(), 'jp-test-cert-'))
    shared = { dir, cert: dir.then((d) => makeTestCert(d)), refs: 0 }
  }
  const mine = shared
  mine.refs++
  let released = false
  const release = async () => {
    if (released) return
    released = true
    mine.refs--
    if (mine.refs === 0) {
      if (shared === mine) shared = undefined
      await rm(await mine.dir, { recursive: true, force: true })
    }
  }
  try {
    return { cert: await mine.cert, release }
  } catch (e) {
    await release()
    throw e
  }
}

/** Read the key/cert files into node:https server options. */
export async function tlsServerOptions(cert: TestCert): Promise<https.ServerOptions> {
  return { key: await readFile(cert.keyFile), cert: await readFile(cert.certFile) }
}

// ---------------------------------------------------------------------------
// pkt-line decoding (for asserting what a client asked for)
// ---------------------------------------------------------------------------

/**
 * Decode the pkt-lines at the start of a git protocol body. Flush/delim/
 * response-end packets become "0000"/"0001"/"0002"; data lines lose their
 * trailing newline. Stops at the first thing that is not a pkt-line (e.g.
 * the pack data of a push).
 */
export function parsePktLines(buf: Buffer): string[] {
  const lines: string[] = []
  let i = 0
  while (i + 4 <= buf.length) {
    const hex = buf.subarray(i, i + 4).toString('latin1')
    if (!/^[0-9a-f]{4}$/.test(hex)) break
    const len = parseInt(hex, 16)
    if (len < 4) {
      lines.push(hex)
      i += 4
      continue
    }
    if (i + len > buf.length) break
    lines.push(
      buf
        .subarray(i + 4, i + len)
        .toString('utf8')
        .replace(/\n$/, '')
    )
    i += len
  }
  return lines
}

// ---------------------------------------------------------------------------
// The smart-HTTP server
// ---------------------------------------------------------------------------

export interface GitServerOptions {
  /** Directory whose subdirectories (repos, bare preferred) are served. */
  root: string
  /** Serve HTTPS with `cert` (default: borrowed from `acquireTestCert()`, released on close). */
  https?: boolean
  cert?: TestCert
  /** Answer with protocol v0 whatever the client asks for. */
  protocolV0?: boolean
  /** Demand `Authorization: Basic base64(user:token)`; any user when `username` is omitted. */
  requireAuth?: { username?: string; token: string }
  /** Wait this long before handling each request. */
  delayMs?: number
  /** Accept connections and requests but never answer. */
  stall?: boolean
  /**
   * Answer every request with a redirect (302) to this origin (or URL
   * prefix) plus the request's own path and query, e.g. to a second server
   * whose `requests` show which headers followed the redirect.
   */
  redirectTo?: string
  /**
   * Extra server-side git config for http-backend/upload-pack, e.g.
   * `{ 'uploadpack.allowReachableSHA1InWant': 'true', 'uploadpack.allowFilter': 'true' }`.
   */
  config?: Record<string, string>
  /**
   * Answers a request before http-backend sees it, returning true when it
   * did: e.g. the Git LFS batch API next to the repository
   * (`createLfsStore().handle`, see lfs-server.ts). Such requests are not
   * recorded in `requests`.
   */
  handle?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean
}

export interface GitRequestRecord {
  method: string
  /** Raw request target, e.g. "/repo.git/info/refs?service=git-upload-pack". */
  url: string
  /** Decoded path part of `url`. */
  path: string
  /** "git-upload-pack" / "git-receive-pack" (from the query or the path), else undefined. */
  service?: string
  /** All request headers as received, `authorization` included (unredacted). */
  headers: http.IncomingHttpHeaders
  /** The `Git-Protocol` header the client sent (passed on only without protocolV0). */
  gitProtocol?: string
  /** Request body, gunzipped if it was sent with Content-Encoding: gzip. */
  body: Buffer
  /** Size of the body as it arrived on the wire. */
  wireBodyBytes: number
  /** `parsePktLines(body)`, e.g. ["command=fetch", …, "want <sha>", "deepen 1", "done"]. */
  pktLines: string[]
  /** The `want` SHAs in the body. */
  wants: string[]
  /** `deepen*` / `shallow` / `filter` lines in the body (empty for full fetches). */
  shallowLines: string[]
  /** Status code answered (set when the response starts). */
  status?: number
  /** Bytes of response body sent. */
  responseBytes: number
  /** First 4 KiB of the response body (e.g. to check for "version 2"). */
  responsePreview: Buffer
  /** http-backend's stderr, for debugging failures. */
  stderr: string
}

export interface GitServer {
  /** `http(s)://127.0.0.1:PORT/<repoName>`. */
  url(repoName: string): string
  origin: string
  port: number
  /** Requests in arrival order (records are filled in as the responses go out). */
  requests: GitRequestRecord[]
  /** CA to trust for an https server. */
  caFile?: string
  cert?: TestCert
  /** Stop listening, drop every open connection and kill running CGIs. */
  close(): Promise<void>
}

const PREVIEW_BYTES = 4096

/** Start a git smart-HTTP(S) server on 127.0.0.1 on a free port. */
export async function startGitServer(opts: GitServerOptions): Promise<GitServer> {
  const root = path.resolve(opts.root)
  const st = await stat(root)
  if (!st.isDirectory()) throw new Error(`not a directory: ${root}`)
  const borrowed = opts.https && !opts.cert ? await acquireTestCert() : undefined
  const cert = opts.https ? (opts.cert ?? borrowed?.cert) : undefined
  const requests: GitRequestRecord[] = []
  const sockets = new Set<Socket>()
  const children = new Set<ReturnType<typeof spawn>>()
  const timers = new Set<NodeJS.Timeout>()

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (opts.handle?.(req, res)) return
    const url = req.url ?? '/'
    const qIndex = url.indexOf('?')
    const rawPath = qIndex >= 0 ? url.slice(0, qIndex) : url
    const query = qIndex >= 0 ? url.slice(qIndex + 1) : ''
    let pathInfo: string
    try {
      pathInfo = decodeURIComponent(rawPath)
    } catch {
      pathInfo = rawPath
    }
    const serviceFromQuery = new URLSearchParams(query).get('service') ?? undefined
    const serviceFromPath = /\/(git-upload-pack|git-receive-pack)$/.exec(pathInfo)?.[1]
    const gitProtocol = headerValue(req.headers['git-protocol'])
    const record: GitRequestRecord = {
      method: req.method ?? 'GET',
      url,
      path: pathInfo,
      service: serviceFromQuery ?? serviceFromPath,
      headers: { ...req.headers },
      gitProtocol,
      body: Buffer.alloc(0),
      wireBodyBytes: 0,
      pktLines: [],
      wants: [],
      shallowLines: [],
      responseBytes: 0,
      responsePreview: Buffer.alloc(0),
      stderr: ''
    }
    requests.push(record)

    if (opts.stall) {
      tapBody(req, record) // read the body (so it is recorded), never answer
      return
    }
    if (opts.redirectTo) {
      tapBody(req, record)
      record.status = 302
      res.writeHead(302, { Location: opts.redirectTo.replace(/\/+$/, '') + url, 'Content-Type': 'text/plain' })
      res.end('moved\n')
      return
    }

    const proceed = () => {
      if (opts.requireAuth && !authorized(req.headers.authorization, opts.requireAuth)) {
        tapBody(req, record)
        record.status = 401
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"', 'Content-Type': 'text/plain' })
        res.end('authentication required\n')
        return
      }
      runBackend(req, res, record, pathInfo, query, gitProtocol)
    }
    if (opts.delayMs && opts.delayMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t)
        proceed()
      }, opts.delayMs)
      timers.add(t)
    } else {
      proceed()
    }
  }

  const runBackend = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: GitRequestRecord,
    pathInfo: string,
    query: string,
    gitProtocol: string | undefined
  ) => {
    const configEntries = Object.entries(opts.config ?? {})
    const env: NodeJS.ProcessEnv = cleanGitEnv({
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: headerValue(req.headers['content-type']) ?? '',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
      GATEWAY_INTERFACE: 'CGI/1.1'
    })
    const contentLength = headerValue(req.headers['content-length'])
    if (contentLength !== undefined) env.CONTENT_LENGTH = contentLength
    const contentEncoding = headerValue(req.headers['content-encoding'])
    if (contentEncoding) env.HTTP_CONTENT_ENCODING = contentEncoding
    if (gitProtocol && !opts.protocolV0) env.GIT_PROTOCOL = gitProtocol
    if (opts.requireAuth) env.REMOTE_USER = basicUser(req.headers.authorization) ?? 'test'
    if (configEntries.length) {
      env.GIT_CONFIG_COUNT = String(configEntries.length)
      configEntries.forEach(([k, v], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = k
        env[`GIT_CONFIG_VALUE_${i}`] = v
      })
    }

    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    children.add(child)
    child.on('close', () => children.delete(child))
    child.stdin.on('error', () => undefined)
    child.stderr.on('data', (c: Buffer) => (record.stderr += c.toString('utf8')))
    tapBody(req, record, child.stdin)
    res.on('close', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })

    let headerBuf = Buffer.alloc(0)
    let headersDone = false
    const sendBody = (chunk: Buffer) => {
      if (!chunk.length) return true
      record.responseBytes += chunk.length
      if (record.responsePreview.length < PREVIEW_BYTES) {
        record.responsePreview = Buffer.concat([record.responsePreview, chunk]).subarray(0, PREVIEW_BYTES)
      }
      return res.write(chunk)
    }
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        if (!sendBody(chunk)) {
          child.stdout.pause()
          res.once('drain', () => child.stdout.resume())
        }
        return
      }
      headerBuf = Buffer.concat([headerBuf, chunk])
      const end = findHeaderEnd(headerBuf)
      if (!end) return
      headersDone = true
      const { status, headers } = parseCgiHeaders(headerBuf.subarray(0, end.index).toString('latin1'))
      record.status = status
      for (const [k, v] of headers) {
        const prev = res.getHeader(k)
        res.setHeader(k, prev === undefined ? v : ([] as string[]).concat(prev as string | string[], v))
      }
      res.writeHead(status)
      if (!sendBody(headerBuf.subarray(end.index + end.length))) {
        child.stdout.pause()
        res.once('drain', () => child.stdout.resume())
      }
    })
    child.on('error', (e) => {
      record.stderr += String(e)
      if (!res.headersSent) {
        record.status = 500
        res.writeHead(500).end(String(e))
      } else res.destroy()
    })
    child.stdout.on('end', () => {
      if (!headersDone) {
        record.status = 502
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' })
        res.end(`http-backend gave no CGI headers\n${record.stderr}`)
      } else res.end()
    })
  }

  let server: http.Server | https.Server
  if (cert) server = https.createServer(await tlsServerOptions(cert), handler)
  else server = http.createServer(handler)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
  } catch (e) {
    await borrowed?.release()
    throw e
  }
  const port = (server.address() as AddressInfo).port
  const origin = `${cert ? 'https' : 'http'}://127.0.0.1:${port}`

  return {
    url: (repoName: string) => `${origin}/${repoName.replace(/^\/+/, '')}`,
    origin,
    port,
    requests,
    caFile: cert?.caFile,
    cert,
    close: async () => {
      for (const t of timers) clearTimeout(t)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      for (const c of children) c.kill('SIGKILL')
      await closed
      await borrowed?.release()
    }
  }
}

/**
 * Consume the request body: record it (gunzipped when needed, decoded as
 * pkt-lines) and, when `sink` is given, forward it with back-pressure.
 * Attached only when the body is about to be consumed: a 'data' listener
 * starts the flow, and chunks emitted before the CGI exists would be lost.
 */
function tapBody(req: http.IncomingMessage, record: GitRequestRecord, sink?: NodeJS.WritableStream): void {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => {
    chunks.push(c)
    if (sink && !sink.write(c)) {
      req.pause()
      sink.once('drain', () => req.resume())
    }
  })
  req.on('end', () => {
    sink?.end()
    const wire = Buffer.concat(chunks)
    record.wireBodyBytes = wire.length
    let body = wire
    if (/gzip/i.test(headerValue(req.headers['content-encoding']) ?? '')) {
      try {
        body = gunzipSync(wire)
      } catch {
        body = wire
      }
    }
    record.body = body
    record.pktLines = parsePktLines(body)
    record.wants = record.pktLines.filter((l) => l.startsWith('want ')).map((l) => l.split(' ')[1] ?? '')
    record.shallowLines = record.pktLines.filter((l) => /^(deepen|shallow|filter)\b/.test(l))
  })
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v
}

function basicUser(authorization: string | undefined): string | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (!m) return undefined
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon >= 0 ? decoded.slice(0, colon) : undefined
}

/** `Authorization: Basic base64(user:token)` with the right token (and user, if one is required). */
function authorized(authorization: string | undefined, want: { username?: string; token: string }): boolean {
  const m = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (!m) return false
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return false
  const user = decoded.slice(0, colon)
  const token = decoded.slice(colon + 1)
  return token === want.token && (want.username === undefined || user === want.username)
}

/** `Basic` credentials header value for tests: `basicAuthHeader('x-access-token', tok)`. */
export function basicAuthHeader(username: string, token: string): string {
  return `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`
}

function findHeaderEnd(buf: Buffer): { index: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n')
  const lf = buf.indexOf('\n\n')
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 }
  if (lf >= 0) return { index: lf, length: 2 }
  return undefined
}

function parseCgiHeaders(text: string): { status: number; headers: Array<[string, string]> } {
  let status = 200
  const headers: Array<[string, string]> = []
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (name.toLowerCase() === 'status') {
      const code = parseInt(value, 10)
      if (code >= 100 && code < 600) status = code
    } else {
      headers.push([name, value])
    }
  }
  return { status, headers }
}
