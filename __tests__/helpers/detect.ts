/**
 * Detection on a code tree written for the test, and the Dockerfile it gives,
 * for the unit tests that check generated Dockerfiles as text.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { detectEnvironment, type DetectOptions, type Environment } from '../../src/core/detect/index.js'
import { renderDockerfile } from '../../src/core/render/dockerfile.js'

let n = 0

/** Writes `tree` (file name, or folder/name → content) into a fresh folder under `root`. */
export async function codeDir(root: string, tree: Record<string, string>): Promise<string> {
  const dir = path.join(root, `code-${++n}`)
  await mkdir(dir, { recursive: true })
  for (const [name, content] of Object.entries(tree)) {
    // A name may hold one folder ("binder/requirements.txt").
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), content)
  }
  return dir
}

export async function detectTree(root: string, tree: Record<string, string>, options: DetectOptions = {}): Promise<Environment> {
  return detectEnvironment(await codeDir(root, tree), options)
}

/** The Dockerfile for a detected environment, with a fixed commit and time. */
export function dockerfileFor(env: Environment): string {
  return renderDockerfile({ environment: env, baseImage: env.baseImage!, commit: 'b'.repeat(40), created: '2024-01-02T03:04:05.000Z' })
}

/** The instructions, continuation lines joined, comments dropped. */
export function instructions(text: string): string[] {
  return text
    .replace(/ \\\n\s+/g, ' ')
    .split('\n')
    .filter((l) => /^[A-Z]+ /.test(l))
}
