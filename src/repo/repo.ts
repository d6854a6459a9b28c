// Reading an OSTree repository: config, loose objects and refs. Writing goes
// through a Transaction (transaction.ts), which holds the lock.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotFoundError, RepoFormatError, UsageError } from '../errors.js';
import { isChecksum, sha256Hex } from '../ostree/checksum.js';
import { parseCommit, type Commit } from '../ostree/commit.js';
import { looseObjectPath, type ObjectType, type RepoMode } from '../ostree/object-type.js';
import { isValidRef } from '../ostree/validate.js';
import { modeFromConfig, modeToConfig, readKeyFile, stringifyKeyFile, type KeyFile } from './repo-config.js';

export class Repo {
  private constructor(
    readonly path: string,
    readonly mode: RepoMode,
    readonly config: KeyFile,
  ) {}

  /** Creates a repository laid out as `ostree init` does (an existing one is opened as is). */
  static init(path: string, mode: RepoMode = 'archive'): Repo {
    const root = resolve(path);
    if (existsSync(join(root, 'config'))) {
      const repo = Repo.open(root);
      if (repo.mode !== mode) throw new UsageError(`${root} is already a ${repo.mode} repository`);
      return repo;
    }
    for (const dir of ['extensions', 'objects', 'refs/heads', 'refs/mirrors', 'refs/remotes', 'state', 'tmp/cache']) {
      mkdirSync(join(root, dir), { recursive: true });
    }
    const config: KeyFile = { core: { repo_version: '1', mode: modeToConfig(mode) } };
    writeFileSync(join(root, 'config'), stringifyKeyFile(config));
    return new Repo(root, mode, config);
  }

  static open(path: string): Repo {
    const root = resolve(path);
    const configFile = join(root, 'config');
    if (!existsSync(configFile)) throw new NotFoundError(`${root} is not an OSTree repository (no config); create it with "yocto-ostree init --repo ${path}"`);
    const config = readKeyFile(configFile);
    if (config.core?.repo_version !== '1') throw new RepoFormatError(`${configFile}: unsupported repo_version "${config.core?.repo_version ?? ''}"`);
    return new Repo(root, modeFromConfig(config.core?.mode, configFile), config);
  }

  /**
   * zlib level of new `.filez` objects: `[archive] zlib-level` as ostree reads it
   * (clamped to 1-9), 6 when unset.
   */
  get zlibLevel(): number {
    const raw = this.config.archive?.['zlib-level'];
    const level = raw === undefined ? NaN : Number.parseInt(raw, 10);
    return Number.isNaN(level) ? 6 : Math.min(9, Math.max(1, level));
  }

  objectPath(checksum: string, type: ObjectType): string {
    // Concatenated: `path` is resolve()d and the rest normal. join() normalizes the
    // whole string again, ~2 µs a call: 0.1 s for the 58k objects of a big image.
    return `${this.path}/${looseObjectPath(checksum, type, this.mode)}`;
  }

  hasObject(checksum: string, type: ObjectType): boolean {
    return existsSync(this.objectPath(checksum, type));
  }

  /** Reads a metadata object and checks that its bytes hash to its name. */
  readMetadata(checksum: string, type: Exclude<ObjectType, 'file' | 'commitmeta'>): Buffer {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.objectPath(checksum, type));
    } catch {
      throw new NotFoundError(`${type} object ${checksum} is not in ${this.path}`);
    }
    if (sha256Hex(bytes) !== checksum) throw new RepoFormatError(`${type} object ${checksum} in ${this.path} is corrupt`);
    return bytes;
  }

  readCommit(checksum: string): Commit {
    return parseCommit(this.readMetadata(checksum, 'commit'));
  }

  refPath(ref: string): string {
    return join(this.path, 'refs/heads', ref);
  }

  /** The commit a local ref points at, or null when the ref does not exist. */
  readRef(ref: string): string | null {
    if (!isValidRef(ref)) throw new UsageError(`invalid ref name "${ref}"`);
    try {
      const csum = readFileSync(this.refPath(ref), 'utf8').trim();
      if (!isChecksum(csum)) throw new RepoFormatError(`ref ${ref} in ${this.path} holds "${csum}", not a checksum`);
      return csum;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** A ref name or a full checksum, resolved to a commit that exists. */
  resolveRev(rev: string): string {
    const csum = isChecksum(rev) ? rev : this.readRef(rev);
    if (!csum) throw new NotFoundError(`ref "${rev}" does not exist in ${this.path}`);
    if (!this.hasObject(csum, 'commit')) throw new NotFoundError(`commit ${csum} is not in ${this.path}`);
    return csum;
  }

  /** All refs under refs/heads, name → checksum, sorted by name. */
  listRefs(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (dir: string, prefix: string): void => {
      for (const name of readdirSync(dir).sort()) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
        else {
          const csum = readFileSync(full, 'utf8').trim();
          if (isChecksum(csum)) out.set(prefix + name, csum);
        }
      }
    };
    walk(join(this.path, 'refs/heads'), '');
    return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
