/**
 * Validates GitHub Actions workflow files with GitHub's own parser
 * (@actions/workflow-parser, the one behind the Actions language service):
 * the schema as GitHub knows it today (e.g. the `attestations` permission),
 * expressions and the contexts they may use. Prints `{file: [errors]}` as JSON
 * and exits 1 when any file has an error.
 *
 * Runs under tsx: the package imports its JSON schema without an import
 * attribute, which Node's own loader refuses.
 *
 *   npx tsx scripts/validate-workflows.ts FILE...
 */
import { readFileSync } from 'node:fs'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'

const report: Record<string, string[]> = {}
for (const file of process.argv.slice(2)) {
  const parsed = parseWorkflow({ name: file, content: readFileSync(file, 'utf8') }, new NoOperationTraceWriter())
  const errors = parsed.context.errors.getErrors().map((e) => e.message)
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value)
    errors.push(...(template.errors ?? []).map((e) => e.Message))
  }
  // The parser reports some errors once while parsing and again while converting.
  report[file] = [...new Set(errors)]
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
process.exitCode = Object.values(report).some((e) => e.length > 0) ? 1 : 0
