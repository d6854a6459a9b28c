// An output file that appears whole or not at all: written beside its final name and
// renamed over it. Created first, so an unwritable destination fails before any work;
// removed on failure and on SIGINT/SIGTERM. Not fsync'ed, like mkfs and Yocto's image
// files: syncing a fresh image costs about 2 s per GiB and a build re-runs anyway.
import { closeSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export class TempOutput {
  private done = false;

  private onSignal = (signal: NodeJS.Signals): void => {
    this.discard();
    process.kill(process.pid, signal);
  };

  private constructor(
    readonly finalPath: string,
    readonly path: string,
  ) {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  static create(output: string): TempOutput {
    const finalPath = resolve(output);
    if (statSync(finalPath, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--output ${output} is a directory`);
    const path = join(dirname(finalPath), `.${basename(finalPath)}.tmp-${process.pid}`);
    try {
      closeSync(openSync(path, 'w', 0o644));
    } catch (e) {
      throw new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message.replace(/^[A-Z]+: /, '').replace(/, open .*$/, '')}`);
    }
    return new TempOutput(finalPath, path);
  }

  /** Renames the file to its final name. */
  commit(): void {
    renameSync(this.path, this.finalPath);
    this.release();
  }

  discard(): void {
    if (this.done) return;
    rmSync(this.path, { force: true });
    this.release();
  }

  private release(): void {
    this.done = true;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
