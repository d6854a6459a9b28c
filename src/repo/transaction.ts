// All writes to a repository happen inside a Transaction, which makes them atomic:
//  1. take the repo lock;
//  2. stage new objects as complete files under tmp/ (never at their final names),
//     laid out as objects/XX/<name> like the repository itself (commits aside);
//  3. publish: flush the staged files to disk, then move them into objects/ (an
//     objects/XX the repository lacks as one directory rename), commits last, so
//     no commit is ever visible before the objects it needs;
//  4. update refs (temp + fsync + rename), then the summary.
// A run killed at any point leaves at worst a stale staging dir, which the next
// transaction removes; refs and published objects are never half-written.
import { mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../ostree/checksum.js';
import { looseObjectPath, type ObjectType } from '../ostree/object-type.js';
import { isValidRef } from '../ostree/validate.js';
import { UsageError } from '../errors.js';
import { fsyncDir, writeFileAtomic } from './atomic-file.js';
import { acquireLock, type RepoLock } from './lock.js';
import type { Repo } from './repo.js';
import { loadExeca } from '../host-tools.js';

const STAGING_PREFIX = 'yocto-ostree-staging-';
/** Publication order: an object is renamed into place only after what it references. */
const PUBLISH_ORDER: ObjectType[] = ['file', 'dirmeta', 'dirtree', 'commitmeta', 'commit'];
/**
 * Staged in the repository's layout, so whole objects/XX directories can move in.
 * Commits (and their detached metadata) are not: they are renamed one by one, last.
 */
const IN_LAYOUT = new Set<ObjectType>(['file', 'dirmeta', 'dirtree']);
/** The staged map's value for an object at its stagedPath(). */
const AT_STAGED_PATH = '';

export class Transaction {
  /**
   * Staged objects: per type, checksum → temp file, or AT_STAGED_PATH (tens of
   * thousands for a rootfs: kept lean; a path string each cost 28 MB on big).
   */
  private staged = new Map<ObjectType, Map<string, string>>(PUBLISH_ORDER.map((t) => [t, new Map()]));
  private tempCounter = 0;
  /** objects/XX directories made under the staging dir by this thread. */
  private madeDirs = new Set<string>();
  /** An early flush (startFlush) under way. */
  private flushing: Promise<void> | undefined;
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

  /**
   * Where a file, dirtree or dirmeta object is staged: objects/XX/<name> under the
   * staging dir. Writers put it there themselves (creating objects/XX), or adopt().
   */
  stagedPath(checksum: string, type: ObjectType): string {
    // Concatenated, not join()ed: both parts are normal already, and join()'s
    // normalizing showed in the profile of writing a rootfs's trees.
    return `${this.stagingDir}/${looseObjectPath(checksum, type, this.repo.mode)}`;
  }

  /** stagedPath(), its objects/XX directory created (once per transaction, here). */
  private stagedPathMade(checksum: string, type: ObjectType): string {
    const path = this.stagedPath(checksum, type);
    const dir = dirname(path);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    return path;
  }

  has(checksum: string, type: ObjectType): boolean {
    return this.staged.get(type)!.has(checksum) || this.repo.hasObject(checksum, type);
  }

  /**
   * Records an object a writer put at stagedPath() itself. Returns false when it is
   * recorded already (two writers staged the same content: they wrote the same bytes).
   */
  stage(checksum: string, type: ObjectType, size: number): boolean {
    return this.record(checksum, type, AT_STAGED_PATH, size);
  }

  private record(checksum: string, type: ObjectType, path: string, size: number): boolean {
    const staged = this.staged.get(type)!;
    if (staged.has(checksum)) return false;
    staged.set(checksum, path);
    this.newObjects++;
    this.bytesWritten += size;
    return true;
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
    const path = this.stagedPathMade(checksum, type);
    renameSync(tempPath, path);
    return this.stage(checksum, type, size);
  }

  /** Stages `bytes` as object `checksum` (the caller checked has()). */
  writeStaged(checksum: string, type: ObjectType, bytes: Buffer): void {
    writeFileSync(this.stagedPathMade(checksum, type), bytes, { mode: 0o644 });
    this.stage(checksum, type, bytes.length);
  }

  /** Where object `checksum` can be read now: its staged file, else its loose path. */
  objectPath(checksum: string, type: ObjectType): string {
    const staged = this.staged.get(type)!.get(checksum);
    if (staged === undefined) return this.repo.objectPath(checksum, type);
    return staged === AT_STAGED_PATH ? this.stagedPath(checksum, type) : staged;
  }

  /** Stages a metadata object (the bytes are its canonical form) and returns its checksum. */
  writeMetadata(type: ObjectType, bytes: Buffer): string {
    const checksum = sha256Hex(bytes);
    if (this.has(checksum, type)) return checksum;
    if (IN_LAYOUT.has(type)) {
      this.writeStaged(checksum, type, bytes);
    } else {
      const tempPath = this.newTempPath();
      writeFileSync(tempPath, bytes, { mode: 0o644 });
      this.record(checksum, type, tempPath, bytes.length);
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

  /**
   * Loads what flushing runs (execa, for `sync -f`: ~50 ms of compiling on this
   * thread), for a writer to call when it has to wait anyway. Loaded at begin(), it
   * held up the first objects of every commit.
   */
  prepareFlush(): void {
    loadExeca().catch(() => undefined); // a failure shows in publish()
  }

  /**
   * Starts writing what is staged so far to disk while the caller goes on (the
   * content, before the trees are written): publish() then only waits for the rest.
   * Its `sync -f` took 0.3 s of a 3.7 s commit when all of it waited for publish().
   */
  startFlush(): void {
    this.flushing = flushToDisk(this.stagingDir, () => this.stagedPaths());
    this.flushing.catch(() => undefined); // a failure shows in publish()
  }

  private stagedPaths(): string[] {
    return [...this.staged].flatMap(([type, m]) => [...m.keys()].map((checksum) => this.objectPath(checksum, type)));
  }

  /**
   * Flushes staged objects to disk and moves them into objects/, commits last. An
   * objects/XX the repository lacks moves in as one directory rename (all 256 of
   * them in a new repository: 6k renames took 0.2 s of a 3.7 s commit).
   */
  async publish(): Promise<void> {
    if ([...this.staged.values()].every((m) => m.size === 0)) return;
    await this.flushing;
    await flushToDisk(this.stagingDir, () => this.stagedPaths());
    // Staged objects/XX directory → the repository's.
    const stagedDirs = new Map<string, string>();
    for (const type of IN_LAYOUT) {
      for (const checksum of this.staged.get(type)!.keys()) stagedDirs.set(dirname(this.stagedPath(checksum, type)), dirname(this.repo.objectPath(checksum, type)));
    }
    const moved = new Set<string>();
    for (const [from, to] of stagedDirs) {
      try {
        renameSync(from, to);
        moved.add(to);
      } catch (e) {
        // The repository has that directory already: its objects move one by one.
        if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const dirs = new Set<string>([join(this.repo.path, 'objects')]);
    for (const type of PUBLISH_ORDER) {
      for (const checksum of this.staged.get(type)!.keys()) {
        const dest = this.repo.objectPath(checksum, type);
        const dir = dirname(dest);
        if (IN_LAYOUT.has(type) && moved.has(dir)) continue;
        const path = this.objectPath(checksum, type);
        if (!dirs.has(dir)) {
          mkdirSync(dir, { recursive: true });
          dirs.add(dir);
        }
        renameSync(path, dest);
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
async function flushToDisk(dir: string, files: () => string[]): Promise<void> {
  try {
    const execa = await loadExeca();
    await execa('sync', ['-f', dir]);
    return;
  } catch {
    /* no coreutils sync -f here: fall back */
  }
  for (const f of files()) {
    const fh = await open(f, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}
