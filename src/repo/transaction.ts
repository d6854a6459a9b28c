// All writes to a repository happen inside a Transaction, which makes them atomic:
//  1. take the repo lock;
//  2. stage new objects as complete files under tmp/ (never at their final names);
//  3. publish: flush the staged files to disk, then rename them into objects/,
//     commits last, so no commit is ever visible before the objects it needs;
//  4. update refs (temp + fsync + rename), then the summary.
// A run killed at any point leaves at worst a stale staging dir, which the next
// transaction removes; refs and published objects are never half-written.
import { mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../ostree/checksum.js';
import type { ObjectType } from '../ostree/object-type.js';
import { isValidRef } from '../ostree/validate.js';
import { UsageError } from '../errors.js';
import { fsyncDir, writeFileAtomic } from './atomic-file.js';
import { acquireLock, type RepoLock } from './lock.js';
import type { Repo } from './repo.js';
import { loadExeca } from '../host-tools.js';

const STAGING_PREFIX = 'yocto-ostree-staging-';
/** Publication order: an object is renamed into place only after what it references. */
const PUBLISH_ORDER: ObjectType[] = ['file', 'dirmeta', 'dirtree', 'commitmeta', 'commit'];

export class Transaction {
  /** Staged objects: per type, checksum → temp file (tens of thousands for a rootfs: kept lean). */
  private staged = new Map<ObjectType, Map<string, string>>(PUBLISH_ORDER.map((t) => [t, new Map()]));
  private tempCounter = 0;
  newObjects = 0;
  bytesWritten = 0;

  /** Ctrl-C or a polite kill: drop the staged objects and the lock before exiting. */
  private onSignal = (signal: NodeJS.Signals): void => {
    this.release();
    process.kill(process.pid, signal);
  };

  private constructor(
    readonly repo: Repo,
    readonly stagingDir: string,
    private lock: RepoLock,
  ) {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  static begin(repo: Repo): Transaction {
    const lock = acquireLock(repo.path);
    try {
      const tmp = join(repo.path, 'tmp');
      mkdirSync(tmp, { recursive: true });
      // We hold the lock, so any staging dir left here belongs to a dead run.
      for (const name of readdirSync(tmp)) {
        if (name.startsWith(STAGING_PREFIX)) rmSync(join(tmp, name), { recursive: true, force: true });
      }
      const stagingDir = join(tmp, `${STAGING_PREFIX}${process.pid}`);
      mkdirSync(stagingDir);
      // publish() runs `sync -f`: execa loads while the objects are written, not after.
      loadExeca().catch(() => undefined); // a failure shows in publish()
      return new Transaction(repo, stagingDir, lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** A fresh path inside the staging dir for an object being written. */
  newTempPath(): string {
    return join(this.stagingDir, `t${this.tempCounter++}`);
  }

  has(checksum: string, type: ObjectType): boolean {
    return this.staged.get(type)!.has(checksum) || this.repo.hasObject(checksum, type);
  }

  /**
   * Takes a finished temp file as object `checksum`. Returns false (and deletes the
   * file) when the repository already has that object.
   */
  adopt(tempPath: string, checksum: string, type: ObjectType, size: number): boolean {
    if (this.has(checksum, type)) {
      unlinkSync(tempPath);
      return false;
    }
    this.staged.get(type)!.set(checksum, tempPath);
    this.newObjects++;
    this.bytesWritten += size;
    return true;
  }

  /** Where object `checksum` can be read now: its staged temp file, else its loose path. */
  objectPath(checksum: string, type: ObjectType): string {
    return this.staged.get(type)!.get(checksum) ?? this.repo.objectPath(checksum, type);
  }

  /** Stages a metadata object (the bytes are its canonical form) and returns its checksum. */
  writeMetadata(type: ObjectType, bytes: Buffer): string {
    const checksum = sha256Hex(bytes);
    if (!this.has(checksum, type)) {
      const tempPath = this.newTempPath();
      writeFileSync(tempPath, bytes, { mode: 0o644 });
      this.adopt(tempPath, checksum, type, bytes.length);
    }
    return checksum;
  }

  /** Stages detached metadata, which is named after its commit, not its own bytes. */
  writeCommitMeta(commit: string, bytes: Buffer): void {
    const tempPath = this.newTempPath();
    writeFileSync(tempPath, bytes, { mode: 0o644 });
    this.staged.get('commitmeta')!.set(commit, tempPath);
    this.bytesWritten += bytes.length;
  }

  /** Flushes staged objects to disk and renames them into objects/, commits last. */
  async publish(): Promise<void> {
    const tempPaths = [...this.staged.values()].flatMap((m) => [...m.values()]);
    if (tempPaths.length === 0) return;
    await flushToDisk(this.stagingDir, tempPaths);
    const dirs = new Set<string>();
    for (const type of PUBLISH_ORDER) {
      for (const [checksum, tempPath] of this.staged.get(type)!) {
        const dest = this.repo.objectPath(checksum, type);
        const dir = dest.slice(0, dest.lastIndexOf('/'));
        if (!dirs.has(dir)) {
          mkdirSync(dir, { recursive: true });
          dirs.add(dir);
        }
        renameSync(tempPath, dest);
      }
      this.staged.get(type)!.clear();
    }
    for (const dir of dirs) fsyncDir(dir);
  }

  setRef(ref: string, checksum: string): void {
    if (!isValidRef(ref)) throw new UsageError(`invalid ref name "${ref}"`);
    writeFileAtomic(this.repo.refPath(ref), checksum + '\n');
  }

  /** Ends the transaction: drops anything unpublished and releases the lock. */
  release(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    rmSync(this.stagingDir, { recursive: true, force: true });
    this.lock.release();
  }
}

/**
 * Makes staged files durable before they become visible. `sync -f` (syncfs) flushes
 * the whole filesystem in one call, like ostree does; without it, fsync each file.
 */
async function flushToDisk(dir: string, files: string[]): Promise<void> {
  try {
    const execa = await loadExeca();
    await execa('sync', ['-f', dir]);
    return;
  } catch {
    /* no coreutils sync -f here: fall back */
  }
  for (const f of files) {
    const fh = await open(f, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}
