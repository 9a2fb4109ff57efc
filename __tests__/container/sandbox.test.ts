/**
 * A hostile package against `run` with buildah, for real (issue 19, items 1, 2
 * and 4): a package's build and run must not reach this machine.
 *
 * The packages use their repository's own Dockerfile (use-repo-dockerfile)
 * on a tiny image built here: `buildah from scratch` + Debian's static
 * busybox + a static probe compiled here with `gcc -static` (PROBE_C). The
 * probe does what the outside review did: the classic chroot escape (chroot
 * into a subfolder, chdir("..") 64 times, chroot(".")) and then writes a
 * host path, and it connects to a server on the host's loopback. The server
 * counts the requests it gets; the host paths are checked afterwards.
 *
 * Environments: buildah's default configuration (BUILDAH_ISOLATION unset,
 * runc installed: run picks OCI isolation itself), and the one the review
 * ran and this suite used to set (BUILDAH_ISOLATION=chroot), in which an
 * untrusted package is refused and a trusted one runs as configured.
 *
 * Needs root, buildah, runc, gcc with libc6-dev and busybox-static:
 * `npm run test:container`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { runPackage, type Logger, type PackResult, type RunOptions } from '../../src/core/index.js'
import { run } from '../helpers/git-server.js'
import { makePackage } from '../helpers/package.js'
import { tempDir } from '../helpers/workspace.js'
import { buildah, imageExists, prepareState, removeImage, RUN_ROOT, STORAGE_ROOT } from './buildah.js'

/** The probe: `probe escape HOSTPATH` tries the chroot escape and writes HOSTPATH; `probe connect PORT NAME` asks 127.0.0.1:PORT for /NAME. */
const PROBE_C = `
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "escape") == 0) {
    mkdir("/tmp/probe-sub", 0755);
    if (chroot("/tmp/probe-sub") != 0) printf("probe: chroot refused: %s\\n", strerror(errno));
    for (int i = 0; i < 64; i++) chdir("..");
    if (chroot(".") != 0) printf("probe: second chroot refused: %s\\n", strerror(errno));
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { printf("probe: cannot write %s: %s\\n", argv[2], strerror(errno)); return 0; }
    char buf[64];
    snprintf(buf, sizeof buf, "escaped uid=%d\\n", (int)getuid());
    write(fd, buf, strlen(buf));
    close(fd);
    printf("probe: wrote %s\\n", argv[2]);
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "connect") == 0) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) { printf("probe: no loopback: %s\\n", strerror(errno)); return 0; }
    char req[256];
    snprintf(req, sizeof req, "GET /%s HTTP/1.0\\r\\n\\r\\n", argv[3]);
    write(s, req, strlen(req));
    read(s, req, sizeof req);
    printf("probe: loopback reached\\n");
    return 0;
  }
  return 2;
}
`

let root: { dir: string; cleanup: () => Promise<void> }
let image: string
let server: Server
let port: number
const requests: string[] = []
const built: string[] = []
const saved = { ...process.env }
const ENV_KEYS = ['CONTAINERS_STORAGE_CONF', 'STORAGE_DRIVER', 'BUILDAH_ISOLATION', 'BUILDAH_RUNTIME', 'TMPDIR', 'PATH']

/** The probe image, built once per recipe (its tag hashes the probe's source and busybox); not under base-images.ts's repository, which removes what is not its own. */
async function ensureProbeImage(dir: string): Promise<string> {
  const busybox = await readFile('/bin/busybox')
  const tag = `localhost/job-packager-test-probe/busybox:${createHash('sha256').update(PROBE_C).update(busybox).digest('hex').slice(0, 12)}`
  if (await imageExists(tag)) return tag
  await writeFile(path.join(dir, 'probe.c'), PROBE_C)
  await run('gcc', ['-static', '-O2', '-o', path.join(dir, 'probe'), path.join(dir, 'probe.c')])
  const ctr = (await buildah(['from', 'scratch'])).stdout.trim()
  try {
    const mnt = (await buildah(['mount', ctr])).stdout.trim()
    for (const d of ['bin', 'etc', 'tmp']) await mkdir(path.join(mnt, d), { recursive: true, mode: 0o1777 })
    await cp('/bin/busybox', path.join(mnt, 'bin', 'busybox'))
    await cp(path.join(dir, 'probe'), path.join(mnt, 'bin', 'probe'))
    const applets = (await run('/bin/busybox', ['--list'])).stdout.split('\n').filter((a) => /^[a-z0-9_.[-]+$/.test(a) && a !== 'busybox')
    for (const a of applets) await symlink('busybox', path.join(mnt, 'bin', a)).catch(() => undefined)
    await writeFile(path.join(mnt, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
    await writeFile(path.join(mnt, 'etc', 'group'), 'root:x:0:\n')
    await buildah(['umount', ctr])
    await buildah(['config', '--env', 'PATH=/bin', '--cmd', '/bin/sh', ctr])
    await buildah(['commit', '--quiet', ctr, tag])
  } finally {
    await buildah(['rm', ctr], { allowFailure: true })
  }
  return tag
}

beforeAll(async () => {
  for (const tool of ['gcc', 'buildah', 'runc']) {
    const found =
      (await run('sh', ['-c', `command -v ${tool}`], { env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` }, allowFailure: true }))
        .code === 0
    if (!found) throw new Error(`the sandbox tests need ${tool} (apt-get install -y buildah runc gcc libc6-dev busybox-static, as root)`)
  }
  if (!existsSync('/bin/busybox')) throw new Error('the sandbox tests need a static /bin/busybox (apt-get install -y busybox-static)')
  prepareState()
  root = await tempDir('jp-container-sandbox-')
  image = await ensureProbeImage(root.dir)
  const conf = path.join(root.dir, 'storage.conf')
  writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${STORAGE_ROOT}"\nrunroot = "${RUN_ROOT}"\n`)
  Object.assign(process.env, {
    CONTAINERS_STORAGE_CONF: conf,
    STORAGE_DRIVER: 'vfs',
    TMPDIR: path.join(STORAGE_ROOT, '..', 'tmp'),
    PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`
  })
  delete process.env.BUILDAH_ISOLATION
  delete process.env.BUILDAH_RUNTIME
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    res.end('reached\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
}, 120_000)

afterAll(async () => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  await new Promise((resolve) => server?.close(resolve))
  for (const tag of built) await removeImage(tag)
  await root?.cleanup()
})

/** Runs `fn` with buildah's environment changed, then puts it back. */
async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  const set = (values: Record<string, string | undefined>): void => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  set(env)
  try {
    return await fn()
  } finally {
    set(before)
  }
}

let n = 0
function options(over: Partial<RunOptions> = {}): RunOptions {
  return {
    engine: 'buildah',
    timeoutMs: 120_000,
    network: 'none',
    resultsDir: path.join(root.dir, `results-${++n}`),
    maxOutputBytes: 1024 * 1024,
    maxLogBytes: 1024 * 1024,
    ...over
  }
}

/** A package whose repository Dockerfile is `FROM` the probe image plus `lines`, running `command`. */
async function hostilePackage(lines: string[], command: string): Promise<PackResult> {
  return makePackage(root.dir, { Dockerfile: [`FROM ${image}`, ...lines, ''].join('\n'), 'job.sh': 'true\n' }, command, {
    options: { useRepoDockerfile: true, pinBaseImage: 'off' }
  })
}

/** A logger that keeps every line, the build's output included (debug). */
function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const logger: Logger = {
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(m),
    debug: (m) => void lines.push(m),
    group: (_name, fn) => fn()
  }
  return { logger, lines }
}

async function runIt(pkg: PackResult, opts: RunOptions, logger: Logger) {
  const r = await runPackage(pkg.archivePath, opts, logger)
  if (r.imageTag) built.push(r.imageTag)
  return r
}

/** The pids of processes whose command line holds `marker` (ours excluded). */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(marker)) found.push(Number(entry))
  }
  return found
}

describe('a hostile package: the build and the run do not reach this machine', () => {
  it('default settings: the escape helper in a RUN step writes no host file and reaches no loopback server; the job neither', async () => {
    const hostBuild = path.join(root.dir, 'escaped-by-build')
    const hostJob = path.join(root.dir, 'escaped-by-job')
    const pkg = await hostilePackage(
      [`RUN /bin/probe escape ${hostBuild}; /bin/probe connect ${port} from-build`],
      `/bin/probe escape ${hostJob}; /bin/probe connect ${port} from-job; echo "pid $$"; echo net $(ls /sys/class/net)`
    )
    for (const env of [{ BUILDAH_ISOLATION: undefined }, { BUILDAH_ISOLATION: 'oci' }]) {
      const { logger, lines } = recorder()
      requests.length = 0
      const r = await withEnv(env, () => runIt(pkg, options(), logger))
      expect(r.exitCode).toBe(0)
      // The build step ran, as root, without CAP_SYS_CHROOT, and got no further than its own /tmp.
      expect(lines).toContain('probe: chroot refused: Operation not permitted')
      expect(lines.some((l) => l.startsWith('probe: no loopback'))).toBe(true)
      expect(existsSync(hostBuild)).toBe(false)
      expect(existsSync(hostJob)).toBe(false)
      expect(requests).toEqual([])
      // The job is the first process of a PID namespace of its own, and (--network none) has no interface but lo.
      expect(r.stdoutTail).toMatch(/^probe: chroot refused: Operation not permitted\n(.*\n)*pid 1\nnet lo\n$/)
      expect(r.stdoutTail).toContain('probe: no loopback')
      expect(r.isolated).toBe(true)
    }
  })

  it('with BUILDAH_ISOLATION=chroot (as the review ran it), or no OCI runtime: refused, nothing built; with trust-package it runs', async () => {
    const hostBuild = path.join(root.dir, 'escaped-by-chroot-build')
    const pkg = await hostilePackage([`RUN /bin/probe escape ${hostBuild}; /bin/probe connect ${port} from-chroot-build`], 'id -u')
    const tag = `localhost/job-packager/${pkg.jobId}:${pkg.contentDigest.slice(7, 19)}`
    for (const [env, why] of [
      [{ BUILDAH_ISOLATION: 'chroot' }, /BUILDAH_ISOLATION=chroot asks for chroot isolation/],
      [{ BUILDAH_RUNTIME: path.join(root.dir, 'no-such-runtime') }, /its OCI runtime .*no-such-runtime \(BUILDAH_RUNTIME\) does not answer/]
    ] as const) {
      requests.length = 0
      const opts = options()
      const err = await withEnv(env, () => runIt(pkg, opts, recorder().logger)).then(
        () => undefined,
        (e: unknown) => e as Error
      )
      expect(err?.name).toBe('EngineError')
      expect(err?.message).toMatch(why)
      expect(err?.message).toMatch(
        /cannot isolate this package: .*Nothing was built\. Install an OCI runtime \(apt-get install runc, or crun\).*pass --trust-package/
      )
      expect(await imageExists(tag)).toBe(false)
      expect(existsSync(hostBuild)).toBe(false)
      expect(requests).toEqual([])
      expect(existsSync(opts.resultsDir)).toBe(false)
    }
    // Trusted, it is built and run as buildah is configured: chroot isolation, the build on the host's network (the
    // escape then works: that is what trusting means; the file is removed at once).
    const { logger, lines } = recorder()
    const r = await withEnv({ BUILDAH_ISOLATION: 'chroot' }, () => runIt(pkg, options({ trustPackage: true }), logger))
    await rm(hostBuild, { force: true })
    expect(r.exitCode).toBe(0)
    expect(r.isolated).toBe(false)
    expect(r.stdoutTail).toBe('10001\n')
    expect(r.warnings.join('\n')).toMatch(
      /The package is trusted \(--trust-package\): buildah builds and runs it as it is configured \(BUILDAH_ISOLATION=chroot/
    )
    expect(lines).toContain('probe: loopback reached')
  })

  it('USER 00, USER 000:0, a name the image maps to uid 0, and a symlinked /etc/passwd never run the job as root', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['USER 00'], /USER 00 is root \(uid 0\) under another name; a job never runs as root/],
      [['USER 000:0'], /USER 000:0 is root \(uid 0\) under another name/],
      [["RUN echo 'boss:x:0:0::/:/bin/sh' >> /etc/passwd", 'USER boss'], /USER boss is root \(uid 0 in the image's \/etc\/passwd\)/],
      [['RUN ln -sf /proc/self/root/etc/passwd /etc/passwd', 'USER daemon'], /The image's \/etc\/passwd is a symlink/]
    ]
    for (const [lines, refused] of cases) {
      const pkg = await hostilePackage(lines, 'id -u')
      const opts = options()
      const err = await runIt(pkg, opts, recorder().logger).then(
        (r) => new Error(`ran as ${r.stdoutTail.trim()}`),
        (e: unknown) => e as Error
      )
      expect(err.message).toMatch(refused)
      expect(existsSync(opts.resultsDir)).toBe(false)
      built.push(`localhost/job-packager/${pkg.jobId}:${pkg.contentDigest.slice(7, 19)}`)
    }
    // A name that is not root runs as its numbers; a trusted hidden root runs as 10001, never 0.
    const named = await hostilePackage(["RUN echo 'worker:x:2000:3000::/:/bin/sh' >> /etc/passwd", 'USER worker'], 'id -u; id -g')
    expect((await runIt(named, options(), recorder().logger)).stdoutTail).toBe('2000\n3000\n')
    const hidden = await hostilePackage(['USER 00'], 'id -u')
    const trusted = await runIt(hidden, options({ trustPackage: true }), recorder().logger)
    expect(trusted).toMatchObject({ user: '10001:10001', stdoutTail: '10001\n' })
  })

  describe('a job that leaves a setsid loop behind: gone when run returns', () => {
    /** The job: a detached loop writing a heartbeat into OUTPUT_DIR every 50 ms, waited for until it has beaten. */
    function heartbeatJob(marker: string, then: string): string {
      return [
        `setsid sh -c 'while :; do echo ${marker} >> "$OUTPUT_DIR/hb"; sleep 0.05; done' </dev/null >/dev/null 2>&1 &`,
        'while [ ! -s "$OUTPUT_DIR/hb" ]; do sleep 0.01; done',
        'echo beating',
        then
      ].join('\n')
    }

    /** Long enough for the loop to start on a loaded machine (the job says "beating" first, which the test checks). */
    const TIMEOUT_MS = 15_000
    const engines: Array<[string, Partial<RunOptions>, Record<string, string | undefined>]> = [
      ['buildah, untrusted (OCI isolation)', {}, {}],
      ['buildah, trusted, chroot isolation', { trustPackage: true }, { BUILDAH_ISOLATION: 'chroot' }],
      ['none', { engine: 'none' }, {}]
    ]
    for (const [label, over, env] of engines) {
      it(`${label}: after the job exits, and at the timeout`, async () => {
        for (const [then, stopped] of [
          ['exit 0', undefined],
          ['sleep 300', 'timeout']
        ] as const) {
          const marker = `jp-heartbeat-${++n}-${process.pid}`
          const pkg = await hostilePackage([], heartbeatJob(marker, then))
          const r = await withEnv(env, () => runIt(pkg, options({ timeoutMs: stopped ? TIMEOUT_MS : 120_000, ...over }), recorder().logger))
          expect(r.stopped).toBe(stopped)
          expect(r.stdoutTail).toBe('beating\n')
          // The loop ran (its heartbeat is in the result) and no process of it is left.
          expect(await readFile(path.join(r.resultDir, 'output', 'hb'), 'utf8')).toContain(marker)
          const left = await processesWith(marker)
          // A failing run must not leave the loop running on the machine.
          for (const pid of left) process.kill(pid, 'SIGKILL')
          expect(left).toEqual([])
        }
      })
    }
  })
})
