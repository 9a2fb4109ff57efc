/**
 * run.sh is executed for real by /bin/sh: each tricky command must produce
 * exactly what the same command produces when a shell runs it directly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { renderRunScript } from '../../src/core/render/run-script.js'
import { parseCommand } from '../../src/core/spec.js'
import { shellQuote } from '../../src/core/render/shell-quote.js'
import { run } from '../helpers/git-server.js'
import { tempDir } from '../helpers/workspace.js'

let root: { dir: string; cleanup: () => Promise<void> }
let n = 0
beforeAll(async () => {
  root = await tempDir()
})
afterAll(async () => {
  await root?.cleanup()
})

/** A job folder with run.sh for `command`, as the packager lays it out (the command validated as the spec parser does). */
async function job(command: string, dataFiles: string[] = ['in.csv']): Promise<string> {
  const dir = path.join(root.dir, `job-${++n}`)
  await mkdir(path.join(dir, 'code'), { recursive: true })
  await mkdir(path.join(dir, 'data'), { recursive: true })
  for (const f of dataFiles) await writeFile(path.join(dir, 'data', f), 'a\nb\n')
  await writeFile(path.join(dir, 'job.json'), `{\n  "job_id": "job-${n}",\n  "schema": "x"\n}\n`)
  // max-command-bytes raised: run.sh itself has no size limit, which the 200 KB case shows.
  await writeFile(
    path.join(dir, 'run.sh'),
    renderRunScript({ command: parseCommand(command, { maxCommandBytes: 1024 ** 2 }), dataFiles }),
    {
      mode: 0o755
    }
  )
  return dir
}

const TRICKY = [
  `echo 'single' "double" \`echo back\` $(echo sub) \\$HOME`,
  'cat <<EOF\nhello\nEOF\necho after',
  'echo one\nEOF\necho two',
  'echo trailing \\',
  "printf '%s\\n' \"it's\" 'a \"b\"'",
  'echo "$JOB_ID" "$(basename "$DATA_FILE")" "$(basename "$DATA_DIR")" "$(basename "$PWD")"',
  'x=1; if [ "$x" = 1 ]; then echo yes; fi; for i in 1 2; do echo $i; done',
  'false; echo "still running"',
  'echo $UNSET_VARIABLE_OK',
  "echo 'lines\r\nwith crlf'\r\necho second\r",
  'echo ${#JOB_COMMAND}',
  "echo tab\there; echo ';&|<>(){}[]*?!~#'",
  '# just a comment\necho ok'
]

describe('run.sh', () => {
  it.each(TRICKY)('runs %j exactly as sh -c would', async (command) => {
    const dir = await job(command)
    expect((await run('sh', ['-n', path.join(dir, 'run.sh')])).code).toBe(0)
    const viaScript = await run('sh', [path.join(dir, 'run.sh')], { cwd: '/', allowFailure: true })
    // The reference: the same text (CRLF → LF, as documented) run by sh in code/ with the same variables.
    const env = {
      PATH: process.env.PATH,
      JOB_ID: `job-${n}`,
      DATA_DIR: path.join(dir, 'data'),
      DATA_FILE: path.join(dir, 'data', 'in.csv'),
      JOB_COMMAND: command.replace(/\r\n/g, '\n'),
      JOB_ROOT: dir
    }
    const direct = await run('sh', ['-c', command.replace(/\r\n/g, '\n')], { cwd: path.join(dir, 'code'), env, allowFailure: true })
    expect(viaScript.stdout).toBe(direct.stdout)
    expect(viaScript.code).toBe(direct.code)
  })

  it('exits with the command status', async () => {
    expect((await run('sh', [path.join(await job('exit 7'), 'run.sh')], { allowFailure: true })).code).toBe(7)
    expect((await run('sh', [path.join(await job('sh -c "exit 3"'), 'run.sh')], { allowFailure: true })).code).toBe(3)
    expect((await run('sh', [path.join(await job('true'), 'run.sh')])).code).toBe(0)
  })

  it('runs a 200 KB command (no argument-size limit)', async () => {
    const command = `x='${'a'.repeat(200 * 1024)}'; echo \${#x}`
    const res = await run('sh', [path.join(await job(command), 'run.sh')])
    expect(res.stdout).toBe(`${200 * 1024}\n`)
  })

  it('sets DATA_FILE only for exactly one dataset, quoting odd names', async () => {
    const odd = "it's a $file `x`.csv"
    const one = await run('sh', [path.join(await job('cat "$DATA_FILE"', [odd]), 'run.sh')])
    expect(one.stdout).toBe('a\nb\n')
    const two = await run('sh', [path.join(await job('echo "${DATA_FILE-unset}"; ls "$DATA_DIR" | wc -l', ['a', 'b']), 'run.sh')])
    expect(two.stdout.split('\n').map((s) => s.trim())).toEqual(['unset', '2', ''])
  })

  it('works when called through a relative path or a symlinked folder', async () => {
    const dir = await job('pwd')
    const rel = await run('sh', ['run.sh'], { cwd: dir })
    expect(rel.stdout.trim()).toBe(path.join(dir, 'code'))
    await run('ln', ['-s', dir, path.join(root.dir, 'link')])
    const viaLink = await run('sh', [path.join(root.dir, 'link', 'run.sh')], { cwd: '/tmp' })
    expect(viaLink.stdout.trim()).toBe(path.join(dir, 'code'))
  })
})

describe('shellQuote', () => {
  it('round-trips any string without NUL through sh (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('\0')),
        async (s) => {
          const res = await run('sh', ['-c', `printf '%s' ${shellQuote(s)}`])
          expect(res.stdoutBuffer.toString('utf8')).toBe(Buffer.from(s, 'utf8').toString('utf8'))
        }
      ),
      { numRuns: 60 }
    )
  })
})
