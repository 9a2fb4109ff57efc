#!/usr/bin/env node
// The performance benchmark: our CLI (dist/cli/index.js) against the
// pipeline people write by hand — `git clone` + `curl -o` + `tar czf` (GNU
// tar, gzip -6) — on the same inputs, in one process tree, interleaved.
//
//   npm run bench                 full run: 10 MB, 300 MB and 1 GB of CSV and
//                                 300 MB of incompressible bytes; 3 runs each
//                                 (10-15 minutes on 2 cores)
//   npm run bench -- --quick      small run (10 and 50 MB; 2 runs; about a minute)
//   options: --runs N   --json FILE (raw results)   --inputs DIR (build inputs
//            there and keep them for the next run)
//
// Everything is generated locally under a temporary folder (removed at the
// end) and served on 127.0.0.1 by bench/servers.mjs, a child process: a git
// repository with a long history over smart HTTP (`git http-backend`) and the
// datasets over plain HTTP. Results are printed as Markdown tables, ready for
// docs/PERFORMANCE.md.
//
// Fairness: the same inputs, servers and environment (no system or global git
// config) for both; the order alternates run by run (ours first on odd runs,
// the baseline first on even ones); `sync` before every timed command so that
// neither pays for the other's dirty pages; a warm-up of each, untimed. Wall
// times are measured here around each process.
//
// Memory: the whole process tree of a run is sampled every 20 ms (/proc: every
// process descending from the one we started, RSS summed), and each process's
// own peak (VmHWM) is kept; every command also runs under /usr/bin/time, for
// the kernel's exact peak of its largest process and for its CPU time (its
// own and that of every child it waited for).
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { makeRepository, run, writeCsv, writeIncompressible } from './inputs.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'dist', 'cli', 'index.js')
const TIME = '/usr/bin/time'
const MB = 1e6

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    runs: { type: 'string' },
    json: { type: 'string' },
    inputs: { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (opts.help) {
  process.stdout.write(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 17)
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n') + '\n'
  )
  process.exit(0)
}

const PLAN = opts.quick
  ? { mode: 'quick', runs: 2, repo: { files: 300, commits: 2000 }, csv: [10 * MB, 50 * MB], incompressible: 50 * MB, headline: 50 * MB }
  : {
      mode: 'full',
      runs: 3,
      repo: { files: 1500, commits: 20000 },
      csv: [10 * MB, 300 * MB, 1000 * MB],
      incompressible: 300 * MB,
      headline: 300 * MB
    }
if (opts.runs) PLAN.runs = Number.parseInt(opts.runs, 10)
if (!(PLAN.runs >= 1)) {
  console.error('--runs takes a whole number of at least 1.')
  process.exit(2)
}

const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`)

if (!existsSync(CLI)) {
  console.error(`${path.relative(process.cwd(), CLI)} is missing: run 'npm run bundle' first.`)
  process.exit(1)
}
for (const tool of ['git', 'curl', 'tar', 'gzip', 'cp', 'sync']) {
  if ((await exitCode('sh', ['-c', `command -v ${tool}`])) !== 0) {
    console.error(`The benchmark needs ${tool} on PATH.`)
    process.exit(1)
  }
}
const haveTime = existsSync(TIME) && (await exitCode(TIME, ['-f', '%e', 'true'])) === 0

// Git as a user would run it, minus this machine's own config.
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_'))),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C'
}

const work = opts.inputs ? path.resolve(opts.inputs) : await mkdtemp(path.join(os.tmpdir(), 'job-packager-bench-'))
const inputs = path.join(work, 'inputs')
const scratch = path.join(work, 'scratch')
let servers
const cleanup = async () => {
  servers?.kill()
  await rm(opts.inputs ? scratch : work, { recursive: true, force: true })
}
process.on('SIGINT', () => {
  log('interrupted: cleaning up')
  void cleanup().finally(() => process.exit(130))
})

try {
  await main()
} finally {
  await cleanup()
}

async function main() {
  const started = Date.now()
  const machine = await describeMachine()
  log(`${PLAN.mode} run, ${PLAN.runs} runs per measurement, in ${work}`)

  // ---- inputs -------------------------------------------------------------
  await mkdir(inputs, { recursive: true })
  await mkdir(scratch, { recursive: true })
  const biggest = Math.max(...PLAN.csv)
  const csvFile = path.join(inputs, `rows-${biggest}.csv`)
  const binFile = path.join(inputs, `blob-${PLAN.incompressible}.bin`)
  const repoDir = path.join(inputs, 'git', `repo-${PLAN.repo.commits}.git`)
  let t = Date.now()
  // Written under a temporary name, so that an interrupted run never leaves a short input for --inputs to reuse.
  const generate = async (file, write) => {
    if (existsSync(file)) return
    await write(`${file}.part`)
    await rename(`${file}.part`, file)
  }
  await generate(csvFile, (f) => writeCsv(f, biggest))
  await generate(binFile, (f) => writeIncompressible(f, PLAN.incompressible))
  log(`datasets ready (${((Date.now() - t) / 1000).toFixed(1)} s)`)
  t = Date.now()
  const repoInfoFile = `${repoDir}.json`
  let repo
  if (existsSync(repoInfoFile)) repo = JSON.parse(await readFile(repoInfoFile, 'utf8'))
  else {
    await rm(repoDir, { recursive: true, force: true })
    repo = await makeRepository(repoDir, PLAN.repo, ENV)
    await writeFile(repoInfoFile, JSON.stringify(repo))
  }
  log(
    `repository ready: ${PLAN.repo.commits} commits, ${PLAN.repo.files} files, pack ${(repo.packBytes / MB).toFixed(1)} MB (${((Date.now() - t) / 1000).toFixed(1)} s)`
  )

  // The smaller CSV datasets are prefixes of the biggest, cut after a whole row.
  const files = {}
  const datasets = []
  for (const bytes of PLAN.csv) {
    const name = `rows-${label(bytes).replace(' ', '')}.csv`
    files[`/${name}`] = { path: csvFile, bytes: bytes === biggest ? bytes : await rowBoundary(csvFile, bytes) }
    datasets.push({ key: `csv-${label(bytes)}`, name, bytes: files[`/${name}`].bytes, kind: 'CSV text' })
  }
  const binName = `blob-${label(PLAN.incompressible).replace(' ', '')}.bin`
  files[`/${binName}`] = { path: binFile, bytes: PLAN.incompressible }
  datasets.push({ key: `bin-${label(PLAN.incompressible)}`, name: binName, bytes: PLAN.incompressible, kind: 'incompressible' })

  // ---- servers ------------------------------------------------------------
  const config = path.join(work, 'servers.json')
  await writeFile(config, JSON.stringify({ gitRoot: path.dirname(repoDir), files }))
  servers = spawn(process.execPath, [path.join(ROOT, 'bench', 'servers.mjs'), config], { stdio: ['pipe', 'pipe', 'inherit'], env: ENV })
  const ports = await new Promise((resolve, reject) => {
    servers.stdout.once('data', (line) => resolve(JSON.parse(String(line))))
    servers.once('exit', (code) => reject(new Error(`bench/servers.mjs exited ${code}`)))
  })
  const gitUrl = `http://127.0.0.1:${ports.git}/${path.basename(repoDir)}`
  const dataUrl = (name) => `http://127.0.0.1:${ports.data}/${name}`

  // ---- contenders ---------------------------------------------------------
  let seq = 0
  const ours = async (dataset, env = {}) => {
    const out = path.join(scratch, `ours-${++seq}`)
    await mkdir(out, { recursive: true })
    const cli = [
      CLI,
      'pack',
      '--git-url',
      gitUrl,
      '--commit',
      repo.tip,
      '--data-url',
      dataUrl(dataset.name),
      '--command',
      'python3 main.py',
      '--job-id',
      `bench-${seq}`,
      '--out',
      out,
      '--allow-protocols',
      'http',
      '--allow-private-network',
      '--json',
      '--quiet'
    ]
    await sync()
    const m = await measure(process.execPath, cli, { env: { ...ENV, ...env } })
    if (m.code !== 0) throw new Error(`our CLI failed (exit ${m.code}):\n${m.stderr}`)
    const result = JSON.parse(m.stdout)
    if (result.fetch !== 'shallow') throw new Error(`our CLI did not take the one-commit fetch path (fetch: ${result.fetch})`)
    return {
      wall: m.ms,
      cpu: m.cpu,
      timings: result.timings_ms,
      archiveBytes: result.archive_bytes,
      treePeak: m.treePeak,
      sumOfPeaks: m.sumOfPeaks,
      nodeMaxRss: m.maxRss,
      archive: result.archive_path,
      dir: out
    }
  }
  const baseline = async (dataset) => {
    const w = path.join(scratch, `baseline-${++seq}`)
    await mkdir(path.join(w, 'job', 'data'), { recursive: true })
    const steps = {}
    let treePeak = 0
    let cpu = 0
    const step = async (name, cmd, args) => {
      await sync()
      const m = await measure(cmd, args, { env: ENV })
      if (m.code !== 0) throw new Error(`baseline ${name} failed (exit ${m.code}):\n${m.stderr}`)
      steps[name] = m.ms
      treePeak = Math.max(treePeak, m.treePeak)
      cpu += m.cpu ?? NaN
    }
    await step('clone', 'git', ['clone', '-q', gitUrl, path.join(w, 'job', 'code')])
    await step('checkout', 'git', ['-C', path.join(w, 'job', 'code'), '-c', 'advice.detachedHead=false', 'checkout', '-q', repo.tip])
    await step('curl', 'curl', ['-fsS', '-o', path.join(w, 'job', 'data', dataset.name), dataUrl(dataset.name)])
    await step('tar', 'tar', ['czf', path.join(w, 'job.tar.gz'), '--exclude=.git', '-C', w, 'job'])
    const archiveBytes = (await stat(path.join(w, 'job.tar.gz'))).size
    return { wall: Object.values(steps).reduce((a, b) => a + b, 0), cpu, steps, archiveBytes, treePeak, dir: w }
  }
  const single = async (cmd, args, { stdoutFile } = {}) => {
    await sync()
    const m = await measure(cmd, args, { env: ENV, stdoutFile })
    if (m.code !== 0) throw new Error(`${cmd} failed (exit ${m.code}):\n${m.stderr}`)
    return m.ms
  }

  // ---- warm-up (untimed) and the uncompressed tar for the gzip -6 comparison ----
  const headline = datasets.find((d) => d.key === `csv-${label(PLAN.headline)}`)
  const bin = datasets.find((d) => d.kind === 'incompressible')
  log('warm-up: one untimed run of each')
  const warm = await ours(headline)
  const headlineTar = path.join(scratch, 'headline.tar')
  await single('gzip', ['-dc', warm.archive], { stdoutFile: headlineTar })
  const tarBytes = (await stat(headlineTar)).size
  await rm(warm.dir, { recursive: true, force: true })
  await rm((await baseline(headline)).dir, { recursive: true, force: true })

  // ---- the runs, interleaved ------------------------------------------------
  const results = { e2e: {}, threads1: [], gzip6: [], copy: [], oursArchiveBin: [] }
  for (const d of datasets) results.e2e[d.key] = { ours: [], baseline: [] }
  for (let r = 1; r <= PLAN.runs; r++) {
    const oursFirst = r % 2 === 1
    for (const d of datasets) {
      log(`run ${r}/${PLAN.runs}: ${d.name} (${oursFirst ? 'ours first' : 'baseline first'})`)
      const pair = oursFirst ? [() => ours(d), () => baseline(d)] : [() => baseline(d), () => ours(d)]
      for (const go of pair) {
        const res = await go()
        results.e2e[d.key][res.timings ? 'ours' : 'baseline'].push(res)
        await rm(res.dir, { recursive: true, force: true })
      }
    }
    log(`run ${r}/${PLAN.runs}: compression alone, copy`)
    const one = await ours(headline, { JOB_PACKAGER_THREADS: '1' })
    results.threads1.push(one.timings.archive)
    await rm(one.dir, { recursive: true, force: true })
    results.gzip6.push(await single('gzip', ['-6', '-c', headlineTar], { stdoutFile: path.join(scratch, 'gzip6.gz') }))
    await rm(path.join(scratch, 'gzip6.gz'), { force: true })
    results.copy.push(await single('cp', [files[`/${bin.name}`].path, path.join(scratch, 'copy.bin')]))
    await rm(path.join(scratch, 'copy.bin'), { force: true })
  }
  results.oursArchiveBin = results.e2e[bin.key].ours.map((o) => o.timings.archive)

  const report = render({ machine, repo, datasets, results, headline, bin, tarBytes, minutes: (Date.now() - started) / 60000 })
  process.stdout.write(report)
  if (opts.json) await writeFile(opts.json, JSON.stringify({ plan: PLAN, machine, repo, datasets, tarBytes, results }, null, 2))
}

// ---- report ------------------------------------------------------------------

function render({ machine, repo, datasets, results, headline, bin, tarBytes, minutes }) {
  const L = []
  const s = (ms) => (ms / 1000).toFixed(2)
  const spread = (xs) => `${s(median(xs))} s (${s(Math.min(...xs))}–${s(Math.max(...xs))})`
  const mib = (b) => (b / 2 ** 20).toFixed(1)
  L.push(`## Results (${PLAN.mode} run, ${PLAN.runs} runs each; median, min–max in parentheses)`, '')
  L.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB RAM, ${machine.kernel}, ${machine.fs} temp folder; Node ${machine.node}, ${machine.git}, ${machine.gzip}, ${machine.tar}, ${machine.curl}.`
  )
  L.push(
    `Load average before/after: ${machine.loadBefore} / ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}. Benchmark took ${minutes.toFixed(1)} min.`
  )
  L.push(
    `Repository: ${PLAN.repo.commits} commits, ${PLAN.repo.files} files, packed ${(repo.packBytes / MB).toFixed(1)} MB, served over smart HTTP on loopback.`,
    ''
  )

  L.push('### End to end: ours vs `git clone` + `curl` + `tar czf`', '')
  L.push('| dataset | ours | baseline | ours / baseline | ours archive | baseline archive | size ratio |', '|---|---|---|---|---|---|---|')
  for (const d of datasets) {
    const e = results.e2e[d.key]
    const o = e.ours.map((x) => x.wall)
    const b = e.baseline.map((x) => x.wall)
    const ratios = o.map((x, i) => x / b[i])
    L.push(
      `| ${label(d.bytes)} ${d.kind} | ${spread(o)} | ${spread(b)} | **${(median(o) / median(b)).toFixed(2)}** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${mib(e.ours[0].archiveBytes)} MiB | ${mib(e.baseline[0].archiveBytes)} MiB | ${(e.ours[0].archiveBytes / e.baseline[0].archiveBytes).toFixed(4)} |`
    )
  }
  L.push('')

  if (haveTime) {
    L.push('CPU time (user + system, every process of the run; median): what each costs the machine, whatever else runs on it.', '')
    L.push('| dataset | ours | baseline | ours / baseline |', '|---|---|---|---|')
    for (const d of datasets) {
      const e = results.e2e[d.key]
      const o = median(e.ours.map((x) => x.cpu))
      const b = median(e.baseline.map((x) => x.cpu))
      L.push(`| ${label(d.bytes)} ${d.kind} | ${s(o)} s | ${s(b)} s | ${(o / b).toFixed(2)} |`)
    }
    L.push('')
  }

  L.push('### Phases (median seconds)', '')
  L.push(
    '| dataset | ours: checkout ‖ download | render | archive | total | baseline: clone + checkout | curl | tar czf |',
    '|---|---|---|---|---|---|---|---|'
  )
  for (const d of datasets) {
    const e = results.e2e[d.key]
    const m = (f) => s(median(e.ours.map((x) => x.timings[f])))
    const bm = (f) => s(median(e.baseline.map((x) => x.steps[f])))
    const bclone = s(median(e.baseline.map((x) => x.steps.clone + x.steps.checkout)))
    L.push(
      `| ${label(d.bytes)} ${d.kind} | ${m('checkout')} ‖ ${m('download')} | ${m('render')} | ${m('archive')} | ${m('total')} | ${bclone} | ${bm('curl')} | ${bm('tar')} |`
    )
  }
  L.push('')

  const allOurs = Object.values(results.e2e).flatMap((e) => e.ours)
  const allBase = Object.values(results.e2e).flatMap((e) => e.baseline)
  const ourCheckout = allOurs.map((x) => x.timings.checkout)
  const fullClone = allBase.map((x) => x.steps.clone + x.steps.checkout)
  L.push('### Checkout: our one-commit fetch vs a full clone of the same repository', '')
  L.push('| | time | |', '|---|---|---|')
  L.push(
    `| ours (\`fetch: shallow\` in every run: init, fetch of one commit at depth 1, checkout, .git removed) | ${spread(ourCheckout)} | ${allOurs.length} runs |`
  )
  L.push(`| \`git clone\` + \`git checkout\` (full history) | ${spread(fullClone)} | ${allBase.length} runs |`)
  L.push(`| ratio | **${(median(ourCheckout) / median(fullClone)).toFixed(2)}** | |`, '')

  const mbps = (ms) => (tarBytes / MB / (ms / 1000)).toFixed(1)
  const oursDefault = results.e2e[headline.key].ours.map((x) => x.timings.archive)
  L.push(`### Compression throughput (${label(headline.bytes)} CSV job, tar stream ${mib(tarBytes)} MiB)`, '')
  L.push('Ours is the whole archive phase (walk, read, hash, tar, compress, write); `gzip -6` only compresses the finished tar.', '')
  L.push('| | time | MB/s | vs gzip -6 |', '|---|---|---|---|')
  L.push(`| GNU \`gzip -6\` (one thread) | ${spread(results.gzip6)} | ${mbps(median(results.gzip6))} | 1.00 |`)
  L.push(
    `| ours, 1 thread (JOB_PACKAGER_THREADS=1) | ${spread(results.threads1)} | ${mbps(median(results.threads1))} | ${(median(results.gzip6) / median(results.threads1)).toFixed(2)} |`
  )
  L.push(
    `| ours, ${machine.cores} threads (default) | ${spread(oursDefault)} | ${mbps(median(oursDefault))} | **${(median(results.gzip6) / median(oursDefault)).toFixed(2)}** |`,
    ''
  )

  L.push(`### Incompressible data: packaging ${label(bin.bytes)} of random bytes vs copying it`, '')
  L.push('| | time | vs cp |', '|---|---|---|')
  L.push(`| \`cp\` of the file (page cache warm) | ${spread(results.copy)} | 1.00 |`)
  L.push(
    `| ours, archive phase | ${spread(results.oursArchiveBin)} | **${(median(results.oursArchiveBin) / median(results.copy)).toFixed(2)}** |`
  )
  L.push(
    `| baseline, \`tar czf\` | ${spread(results.e2e[bin.key].baseline.map((x) => x.steps.tar))} | ${(median(results.e2e[bin.key].baseline.map((x) => x.steps.tar)) / median(results.copy)).toFixed(2)} |`,
    ''
  )

  const targets = []
  {
    const e = results.e2e[headline.key]
    const ratio = median(e.ours.map((x) => x.wall)) / median(e.baseline.map((x) => x.wall))
    const size = e.ours[0].archiveBytes / e.baseline[0].archiveBytes
    targets.push([
      `end to end, ${label(headline.bytes)} CSV + long history: ours / baseline ≤ 0.5, archive no larger`,
      `${ratio.toFixed(2)}, size ${size.toFixed(3)}`,
      ratio <= 0.5 && size <= 1
    ])
    const speedup = median(results.gzip6) / median(oursDefault)
    targets.push([
      `compression throughput ≥ 1.7× gzip -6 on ${machine.cores} cores`,
      `${speedup.toFixed(2)}× (1 thread: ${(median(results.gzip6) / median(results.threads1)).toFixed(2)}×)`,
      speedup >= 1.7
    ])
    const biggestCsv = datasets.filter((d) => d.kind === 'CSV text').at(-1)
    const tree = Math.max(...results.e2e[biggestCsv.key].ours.map((x) => x.treePeak))
    const smallest = Math.max(...results.e2e[datasets[0].key].ours.map((x) => x.treePeak))
    targets.push([
      `peak RSS of the whole run < 200 MB for ${label(biggestCsv.bytes)}, flat in dataset size`,
      `${mib(tree)} MiB (${label(datasets[0].bytes)}: ${mib(smallest)} MiB)`,
      tree < 200e6
    ])
    const copy = median(results.oursArchiveBin) / median(results.copy)
    targets.push([`packaging ${label(bin.bytes)} of incompressible data ≤ 1.5× copying it`, `${copy.toFixed(2)}×`, copy <= 1.5])
  }
  L.push('### Targets', '')
  L.push('| target | measured | holds |', '|---|---|---|')
  for (const [what, value, ok] of targets) L.push(`| ${what} | ${value} | ${ok ? 'yes' : '**no**'} |`)
  L.push('')

  L.push('### Peak memory (max over runs)', '')
  L.push(
    "| dataset | ours: whole tree, sampled | ours: sum of every process's own peak | ours: largest process (kernel maxrss) | baseline: whole tree, sampled |",
    '|---|---|---|---|---|'
  )
  for (const d of datasets) {
    const e = results.e2e[d.key]
    const max = (f) => Math.max(...e.ours.map(f))
    L.push(
      `| ${label(d.bytes)} ${d.kind} | ${mib(max((x) => x.treePeak))} MiB | ${mib(max((x) => x.sumOfPeaks))} MiB | ${haveTime ? `${mib(max((x) => x.nodeMaxRss))} MiB` : 'n/a (no /usr/bin/time)'} | ${mib(Math.max(...e.baseline.map((x) => x.treePeak)))} MiB |`
    )
  }
  L.push('')
  return `${L.join('\n')}\n`
}

// ---- measuring ----------------------------------------------------------------

/**
 * Runs a command, timing it and sampling the memory of its process tree every
 * 20 ms. Processes are found through /proc: those whose parent chain leads to
 * the one started here (git's children included, whatever their session).
 * Only pids at or above the root's are read, which keeps a sample cheap
 * (pids grow; a wrap-around during a run would only hide processes).
 */
function measure(cmd, args, { env, stdoutFile }) {
  return new Promise((resolve, reject) => {
    const out = stdoutFile ? createWriteStream(stdoutFile) : undefined
    const timeFile = path.join(scratch, `time-${process.hrtime.bigint()}.txt`)
    // /usr/bin/time reports the CPU time of the command and of every child it waited for, and the largest single RSS.
    const argv = haveTime ? [TIME, '-f', '%e %U %S %M', '-o', timeFile, cmd, ...args] : [cmd, ...args]
    const skipRoot = haveTime
    const started = process.hrtime.bigint()
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    if (out) child.stdout.pipe(out)
    else child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-20000)))
    const root = child.pid
    let treePeak = 0
    const ownPeaks = new Map()
    const sample = () => {
      const parents = new Map()
      const rss = new Map()
      for (const name of readdirSync('/proc')) {
        const pid = Number(name)
        if (!(pid >= root)) continue
        try {
          const statText = readFileSync(`/proc/${pid}/stat`, 'latin1')
          const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ')
          parents.set(pid, Number(fields[1]))
          rss.set(pid, Number(fields[21]) * 4096)
        } catch {
          // gone meanwhile
        }
      }
      let sum = 0
      for (const [pid] of parents) {
        let p = pid
        while (p !== root && parents.has(p)) p = parents.get(p)
        if (p !== root || (skipRoot && pid === root)) continue
        sum += rss.get(pid)
        try {
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))
          if (hwm) ownPeaks.set(pid, Math.max(ownPeaks.get(pid) ?? 0, Number(hwm[1]) * 1024))
        } catch {
          // gone meanwhile
        }
      }
      treePeak = Math.max(treePeak, sum)
    }
    const timer = setInterval(sample, 20)
    const killer = setTimeout(() => child.kill('SIGKILL'), 30 * 60 * 1000)
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      clearInterval(timer)
      clearTimeout(killer)
      const done = async () => {
        let cpu
        let maxRss
        if (haveTime) {
          const fields = (await readFile(timeFile, 'utf8').catch(() => '')).trim().split('\n').pop().split(' ').map(Number)
          if (fields.length === 4 && fields.every(Number.isFinite)) {
            cpu = (fields[1] + fields[2]) * 1000
            maxRss = fields[3] * 1024
          }
          await rm(timeFile, { force: true })
        }
        resolve({ ms, code, stdout, stderr, treePeak, sumOfPeaks: [...ownPeaks.values()].reduce((a, b) => a + b, 0), cpu, maxRss })
      }
      if (out) out.end(() => void done())
      else void done()
    })
  })
}

function sync() {
  return exitCode('sync', [])
}

function exitCode(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' })
    child.on('error', () => resolve(127))
    child.on('close', (code) => resolve(code))
  })
}

// ---- helpers -------------------------------------------------------------------

function median(xs) {
  const a = [...xs].sort((x, y) => x - y)
  const m = a.length >> 1
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2
}

function label(bytes) {
  return bytes >= 1e9 ? `${bytes / 1e9} GB` : `${Math.round(bytes / 1e6)} MB`
}

/** Byte count of the first whole rows of the file within `bytes`. */
async function rowBoundary(file, bytes) {
  const { open } = await import('node:fs/promises')
  const fh = await open(file)
  try {
    const buf = Buffer.alloc(4096)
    await fh.read(buf, 0, buf.length, bytes - buf.length)
    return bytes - buf.length + buf.lastIndexOf(0x0a) + 1
  } finally {
    await fh.close()
  }
}

async function describeMachine() {
  const first = async (cmd, args) => (await run(cmd, args).catch(() => ({ stdout: '?' }))).stdout.split('\n')[0].trim()
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?'
  return {
    cpu,
    cores: os.availableParallelism(),
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `Linux ${os.release()}`,
    fs: (await run('df', ['--output=fstype', os.tmpdir()]).catch(() => ({ stdout: '?' }))).stdout.trim().split('\n').pop(),
    node: process.version,
    git: await first('git', ['--version']),
    gzip: await first('gzip', ['--version']),
    tar: await first('tar', ['--version']),
    curl: (await first('curl', ['--version'])).split(' ').slice(0, 2).join(' '),
    loadBefore: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')
  }
}
