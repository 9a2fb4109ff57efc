/**
 * Unit tests of the run sub-action's pure parts: how the job's output is cut
 * into log lines (chunks that split lines and characters, the size cap), and
 * what the summary shows and escapes. The whole sub-action, as the runner
 * runs it, is in runner-run.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { JobLog } from '../../src/action-run/job-log.js'
import { describeEnd, renderRunSummary, seconds } from '../../src/action-run/summary.js'
import type { RunResult } from '../../src/core/index.js'

function collect(maxBytes = 1024): { log: JobLog; printed: string[] } {
  const printed: string[] = []
  return { log: new JobLog(maxBytes, (t) => printed.push(t)), printed }
}

describe('JobLog', () => {
  test('joins chunks into whole lines, per stream, and flushes the unfinished last line', () => {
    const { log, printed } = collect()
    log.write('stdout', Buffer.from('one\ntw'))
    log.write('stderr', Buffer.from('err: ::'))
    log.write('stdout', Buffer.from('o\nthree'))
    log.write('stderr', Buffer.from('error::x\n'))
    expect(printed).toEqual(['one', 'two', 'err: ::error::x'])
    log.flush()
    expect(printed).toEqual(['one', 'two', 'err: ::error::x', 'three'])
  })

  test('a command split across chunks reaches the printer whole, so the guard sees it', () => {
    const { log, printed } = collect()
    log.write('stdout', Buffer.from('ok\n:'))
    log.write('stdout', Buffer.from(':set-output name=a::b\n'))
    expect(printed).toEqual(['ok', '::set-output name=a::b'])
  })

  test('keeps a UTF-8 character cut between chunks whole', () => {
    const { log, printed } = collect()
    const text = Buffer.from('größe: 3 €\n')
    const cut = text.indexOf(0xe2) + 1 // inside the euro sign
    log.write('stdout', text.subarray(0, cut))
    log.write('stdout', text.subarray(cut))
    expect(printed).toEqual(['größe: 3 €'])
  })

  test('shows at most maxBytes of a stream and says so once', () => {
    const { log, printed } = collect(10)
    log.write('stdout', Buffer.from('12345\n67890abcdef\n'))
    log.write('stdout', Buffer.from('more\n'))
    log.write('stderr', Buffer.from('e\n'))
    log.flush()
    // The first 10 bytes, then the note; stderr has a budget of its own.
    expect(printed[0]).toBe('12345\n6789')
    expect(printed[1]).toMatch(/stdout goes on beyond 10 B; the rest is not shown here/)
    expect(printed.slice(2)).toEqual(['e'])
  })
})

function result(over: Partial<RunResult> = {}): RunResult {
  return {
    jobId: 'j1',
    exitCode: 0,
    timedOut: false,
    engine: { name: 'none', version: '' },
    isolated: false,
    user: '1000:1000',
    contentDigest: 'sha256:' + 'a'.repeat(64),
    timings: { verifyMs: 120, buildMs: 0, runMs: 2500, captureMs: 40, totalMs: 2660 },
    resultDir: '/r/j1-result',
    resultArchive: '/r/j1-result.tar.gz',
    resultSha256: 'b'.repeat(64),
    stdoutTail: 'done <b>bold</b>\n',
    stderrTail: '',
    truncated: { stdout: false, stderr: false, output: false },
    output: { bytes: 2048, files: 2 },
    warnings: [],
    ...over
  }
}
const source = { archivePath: '/t/j1.tar.gz', artifactId: 7, artifactName: 'j1.tar.gz', size: 10, where: 'this workflow run' }

describe('the run summary', () => {
  test('says how the job ended', () => {
    expect(describeEnd(result())).toBe('succeeded (exit code 0)')
    expect(describeEnd(result({ exitCode: 2 }))).toBe('failed with exit code 2')
    expect(describeEnd(result({ exitCode: 137, stopped: 'timeout', timedOut: true }))).toBe('stopped at the timeout (exit code 137)')
    expect(describeEnd(result({ exitCode: 137, stopped: 'output-limit' }))).toMatch(/more than the output limit/)
    expect(seconds(2660)).toBe('2.7 s')
  })

  test('shows timings, output, warnings and escaped log tails', () => {
    const html = renderRunSummary({
      result: result({ warnings: ['--memory is not enforced by <none>'], truncated: { stdout: true, stderr: false, output: false } }),
      source,
      artifactNote: 'not uploaded (upload: false)'
    })
    expect(html).toContain('<h2>Job j1 succeeded (exit code 0)</h2>')
    expect(html).toContain('<td>0.1 s</td><td>0.0 s</td><td>2.5 s</td><td>0.0 s</td><td>2.7 s</td>')
    expect(html).toContain('2 files, 2.0 KiB')
    expect(html).toContain('<li>--memory is not enforced by &lt;none&gt;</li>')
    expect(html).toContain('stdout (past the limit; see result.json)')
    expect(html).toContain('<pre><code>done &lt;b&gt;bold&lt;/b&gt;\n</code></pre>')
    expect(html).not.toContain('<b>bold</b>')
    expect(html).toContain('<h3>stderr</h3>\n\n<p>(empty)</p>')
    expect(html).toContain('not uploaded (upload: false)')
    expect(html).toContain('<code>j1.tar.gz</code> (id 7) from this workflow run')
  })

  test('a log tail cannot close the <pre> or start Markdown', () => {
    const html = renderRunSummary({ result: result({ stdoutTail: '</code></pre>\n\n# heading\n<script>x</script>' }), source })
    const pre = html.slice(html.indexOf('<pre><code>'), html.indexOf('</code></pre>', html.indexOf('<pre><code>')) + 13)
    expect(pre).toBe('<pre><code>&lt;/code&gt;&lt;/pre&gt;\n\n# heading\n&lt;script&gt;x&lt;/script&gt;</code></pre>')
  })
})
