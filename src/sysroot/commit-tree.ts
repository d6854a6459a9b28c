// A commit of the source repository loaded as the tree model (src/tree): every
// directory with its dirmeta, every file with its content object's header. The
// sysroot is laid out from it, and the prepare code's kernel lookup runs on it.
import { NotFoundError, RepoFormatError } from '../errors.js';
import { readFileSync } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { parseCommit, type Commit } from '../ostree/commit.js';
import { parseDirMeta, type DirMeta } from '../ostree/dirmeta.js';
import { parseDirTree } from '../ostree/dirtree.js';
import { filenameProblem } from '../ostree/validate.js';
import type { Repo } from '../repo/repo.js';
import type { FileMeta } from '../ostree/file-header.js';
import { newDir, Tree, type DirNode } from '../tree/tree.js';
import { HeaderPrefetch, readArchiveHeader, type HeaderReader } from './archive-object.js';

export interface MetadataObject {
  type: 'commit' | 'dirtree' | 'dirmeta' | 'commitmeta';
  checksum: string;
  /** The object's bytes (checked against the checksum, but commitmeta, which is not content-addressed). */
  bytes: Buffer;
}

export interface CommitTree {
  checksum: string;
  commit: Commit;
  tree: Tree;
  /** Every metadata object the commit needs (commit, dirtrees, dirmetas, its commitmeta if any), once each. */
  metadata: MetadataObject[];
  /** Content objects in first-seen order, once each. */
  contentObjects: Map<string, { meta: FileMeta; size: number }>;
}

/** `reader` reads content objects' headers while the directories are walked (see HeaderPrefetch). */
export async function loadCommitTree(repo: Repo, checksum: string, reader: HeaderReader): Promise<CommitTree> {
  const commitBytes = repo.readMetadata(checksum, 'commit');
  const commit = parseCommit(commitBytes);
  const metadata: MetadataObject[] = [{ type: 'commit', checksum, bytes: commitBytes }];
  if (repo.hasObject(checksum, 'commitmeta')) metadata.push({ type: 'commitmeta', checksum, bytes: readFileSync(repo.objectPath(checksum, 'commitmeta')) });
  const seenMeta = new Map<string, Buffer>();
  const dirMetas = new Map<string, DirMeta>();
  const contentObjects = new Map<string, { meta: FileMeta; size: number }>();
  const tree = new Tree();

  // Directories first, then the file nodes from their objects' headers, which the
  // header worker reads while the directories are walked (sync calls on two threads:
  // for objects in the page cache, sync reads beat libuv's pool several times).
  const files: { dir: DirNode; name: string; checksum: string; path: string }[] = [];
  const prefetch = new HeaderPrefetch(repo, reader);
  const load = async (dir: DirNode, treeCsum: string, metaCsum: string, path: string): Promise<void> => {
    const read = (type: 'dirtree' | 'dirmeta', csum: string): Buffer => {
      const key = `${type}:${csum}`;
      let bytes = seenMeta.get(key);
      if (!bytes) {
        seenMeta.set(key, (bytes = repo.readMetadata(csum, type)));
        metadata.push({ type, checksum: csum, bytes });
      }
      return bytes;
    };
    // A commit has a handful of distinct dirmetas; nothing changes a DirMeta once made.
    let meta = dirMetas.get(metaCsum);
    if (!meta) dirMetas.set(metaCsum, (meta = parseDirMeta(read('dirmeta', metaCsum))));
    dir.meta = meta;
    const contents = parseDirTree(read('dirtree', treeCsum));
    const named = (name: string): string => {
      const problem = filenameProblem(name);
      if (problem) throw new RepoFormatError(`commit ${checksum}: ${path}${name}: ${problem}`);
      return name;
    };
    let batched = false;
    for (const f of contents.files) {
      files.push({ dir, name: named(f.name), checksum: f.checksum, path: `${path}${f.name}` });
      batched = prefetch.add(f.checksum) || batched;
    }
    if (batched) await setImmediate(); // the worker gets its next batch in the event loop
    for (const d of contents.dirs) {
      const child = newDir(dir.meta);
      dir.children.set(named(d.name), child);
      await load(child, d.treeChecksum, d.metaChecksum, `${path}${d.name}/`);
    }
  };
  await load(tree.root, commit.rootTree, commit.rootMeta, '');
  await prefetch.finish();
  for (const f of files) {
    let obj = contentObjects.get(f.checksum);
    if (!obj) {
      try {
        const header = readArchiveHeader(repo, f.checksum);
        obj = { meta: header.meta, size: header.size };
      } catch (e) {
        if (e instanceof NotFoundError) throw new NotFoundError(`commit ${checksum} is incomplete: ${f.path} (object ${f.checksum}) is not in ${repo.path}`);
        throw e;
      }
      contentObjects.set(f.checksum, obj);
    }
    f.dir.children.set(f.name, { kind: 'file', meta: obj.meta, size: obj.size, checksum: f.checksum });
  }
  return { checksum, commit, tree, metadata, contentObjects };
}
