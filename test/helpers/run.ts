// Runs the real tools the tests use as judges (ostree, tar, e2fsck…) and our CLI.
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';

/** dist/bin/main.js: the bundled CLI users run (npm run build makes it), from dist/test. */
export const CLI = fileURLToPath(new URL('../../bin/main.js', import.meta.url));

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; never throws on a non-zero exit (tests look at the result). */
export async function run(cmd: string, args: string[], opts: Options = {}): Promise<RunResult> {
  const r = await execa(cmd, args, { reject: false, ...opts });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Runs a command and throws with its stderr when it fails. */
export async function mustRun(cmd: string, args: string[], opts: Options = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.exitCode}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Our CLI: `yocto-ostree ARGS…`. */
export function cli(args: string[], opts: Options = {}): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], opts);
}

/** The real ostree CLI (the oracle). */
export function ostree(args: string[], opts: Options = {}): Promise<string> {
  return mustRun('ostree', args, opts);
}
