// The benchmark's servers, in a child process of their own so that serving
// (which both contenders pay for alike) never shares an event loop with the
// timing and memory sampling in bench/run.mjs.
//
//   node bench/servers.mjs <config.json>
//
// config: { gitRoot, files: { "/name": { path, bytes } } }. Serves on 127.0.0.1
// only, on free ports, and prints one JSON line {"git": port, "data": port}.
// Exits when its stdin closes (the parent died or is done).
//
// - Data: plain HTTP/1.1 with Content-Length, streamed from disk; a file may
//   be served as a prefix of a larger one (`bytes`), which lets the 10 MB and
//   300 MB datasets be cuts of the 1 GB one without storing them twice.
// - Git: smart HTTP through `git http-backend` as a CGI program, the same
//   protocol code git hosts run, protocol v2 passed through.
import { spawn } from 'node:child_process'
import { createReadStream, readFileSync } from 'node:fs'
import http from 'node:http'

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'))

const data = http.createServer((req, res) => {
  const file = config.files[decodeURIComponent(new URL(req.url, 'http://x').pathname)]
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file.path, { start: 0, end: file.bytes - 1, highWaterMark: 1024 * 1024 }).pipe(res)
})

const git = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x')
  const env = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: config.gitRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1'
  }
  if (req.headers['git-protocol']) env.GIT_PROTOCOL = req.headers['git-protocol']
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding']
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length']
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'inherit'] })
  req.pipe(cgi.stdin)
  cgi.stdin.on('error', () => undefined)
  // CGI output: header lines, a blank line, then the body.
  let head = Buffer.alloc(0)
  let started = false
  const onData = (chunk) => {
    if (started) return
    head = Buffer.concat([head, chunk])
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n')
    if (end < 0) return
    const sep = head[end] === 0x0d ? 4 : 2
    started = true
    cgi.stdout.off('data', onData)
    let status = 200
    const headers = {}
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const i = line.indexOf(':')
      const key = line.slice(0, i).trim()
      const value = line.slice(i + 1).trim()
      if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10)
      else headers[key] = value
    }
    res.writeHead(status, headers)
    res.write(head.subarray(end + sep))
    cgi.stdout.pipe(res)
  }
  cgi.stdout.on('data', onData)
  cgi.on('close', () => {
    if (!started) res.writeHead(502).end()
  })
})

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))
const ports = { git: await listen(git), data: await listen(data) }
process.stdout.write(`${JSON.stringify(ports)}\n`)
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
