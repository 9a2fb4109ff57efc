/**
 * A process that changes a folder as fast as it can, as a job's leftover
 * process would while its OUTPUT_DIR is captured: a small static C program,
 * compiled here with gcc, run on the host as a separate process.
 *
 *   swap DIR A B   renameat2(A, B, RENAME_EXCHANGE) in a loop: the folder A
 *                  and the symlink B trade places atomically, over and over.
 *   churn DIR      a name `v` that is a folder (holding a file), then gone,
 *                  then a file, then gone, in a loop.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

const SOURCE = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int dir = open(argv[2], O_RDONLY | O_DIRECTORY);
  if (dir < 0) return 3;
  if (strcmp(argv[1], "swap") == 0 && argc == 5) {
    for (;;) syscall(SYS_renameat2, dir, argv[3], dir, argv[4], RENAME_EXCHANGE);
  }
  if (strcmp(argv[1], "churn") == 0) {
    for (;;) {
      mkdirat(dir, "v", 0755);
      int f = openat(dir, "v/f", O_WRONLY | O_CREAT, 0644);
      if (f >= 0) { write(f, "JOB\\n", 4); close(f); }
      unlinkat(dir, "v/f", 0);
      unlinkat(dir, "v", AT_REMOVEDIR);
      f = openat(dir, "v", O_WRONLY | O_CREAT, 0644);
      if (f >= 0) close(f);
      unlinkat(dir, "v", 0);
    }
  }
  return 2;
}
`

/** Compiles the mutator into `dir`; returns the binary's path. */
export async function buildTreeMutator(dir: string): Promise<string> {
  const src = path.join(dir, 'mutator.c')
  const bin = path.join(dir, 'mutator')
  await writeFile(src, SOURCE)
  await promisify(execFile)('gcc', ['-static', '-O2', '-o', bin, src])
  return bin
}

/** Starts the mutator; `stop` kills this one process (by its pid) and waits for it. */
export function startTreeMutator(bin: string, args: string[]): { child: ChildProcess; stop: () => Promise<void> } {
  const child = spawn(bin, args, { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    child,
    stop: async () => {
      child.kill('SIGKILL')
      await exited
    }
  }
}
