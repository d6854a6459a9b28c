// Streams a rootfs tarball into the tree model, writing content objects as the
// entries go by. Hardlinks are resolved at the end, as ostree's tar import does
// (a hardlink shares its target's content object). Device nodes, FIFOs and
// sockets cannot live in OSTree: they are skipped and counted.
import { BadEntryError } from '../errors.js';
import type { FileMeta } from '../ostree/file-header.js';
import { S_IFLNK, S_IFREG } from '../ostree/validate.js';
import { openTarball } from '../rootfs/compression.js';
import { readTarEntries, type RootfsEntry } from '../rootfs/tar-entries.js';
import { dirMeta, Tree, TreeError, type FileNode } from '../tree/tree.js';
import type { ContentWriter } from './content-writer.js';

export interface IngestCounts {
  files: number;
  dirs: number;
  symlinks: number;
  hardlinks: number;
  skipped: number;
}

export interface IngestResult {
  tree: Tree;
  counts: IngestCounts;
  /** Paths of skipped special files (all of them; callers show the first few). */
  skippedPaths: string[];
  bytesRead: number;
}

export interface IngestProgress {
  entries: number;
  bytesRead: number;
}

export async function ingestTarball(file: string, writer: ContentWriter, onProgress?: (p: IngestProgress) => void): Promise<IngestResult> {
  const tree = new Tree();
  const counts: IngestCounts = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, skipped: 0 };
  const skippedPaths: string[] = [];
  const hardlinks: [string, string][] = [];
  const pending: Promise<unknown>[] = [];
  const tarball = openTarball(file);
  let entries = 0;

  for await (const entry of readTarEntries(tarball.stream, file)) {
    entries++;
    // Parents missing from the tar are created owned like the entry, mode 0755.
    const missingMeta = dirMeta(entry.uid, entry.gid, 0o755);
    try {
      switch (entry.kind) {
        case 'directory':
          tree.setDir(entry.path, { ...dirMeta(entry.uid, entry.gid, entry.mode), xattrs: entry.xattrs }, missingMeta);
          counts.dirs++;
          break;
        case 'hardlink':
          hardlinks.push([entry.path, entry.linkTarget]);
          counts.hardlinks++;
          break;
        case 'special':
          skippedPaths.push(entry.path);
          counts.skipped++;
          break;
        default: {
          const node = fileNode(entry);
          tree.setFile(entry.path, node, missingMeta);
          const written = await writer.add(node.meta, entry.size, entry.kind === 'file' ? entry.content : null);
          const filled = written.checksum.then((c) => (node.checksum = c));
          filled.catch(() => undefined); // a failure surfaces from the writer or below
          pending.push(filled);
          if (entry.kind === 'file') counts.files++;
          else counts.symlinks++;
        }
      }
    } catch (e) {
      if (e instanceof TreeError) throw new BadEntryError(entry.path, e.message);
      throw e;
    }
    onProgress?.({ entries, bytesRead: tarball.bytesRead() });
  }

  for (const [path, target] of hardlinks) {
    const node = tree.lookup(target);
    if (!node) throw new BadEntryError(path, `hardlink to "${target}", which is not in the tarball`);
    if (node.kind !== 'file') throw new BadEntryError(path, `hardlink to directory "${target}"`);
    tree.setFile(path, node, dirMeta(node.meta.uid, node.meta.gid, 0o755));
  }
  await writer.finish();
  await Promise.all(pending);
  return { tree, counts, skippedPaths, bytesRead: tarball.bytesRead() };
}

function fileNode(entry: RootfsEntry): FileNode {
  const meta: FileMeta = {
    uid: entry.uid,
    gid: entry.gid,
    mode: (entry.kind === 'symlink' ? S_IFLNK | 0o777 : S_IFREG | entry.mode),
    symlinkTarget: entry.kind === 'symlink' ? entry.linkTarget : '',
    xattrs: entry.xattrs,
  };
  return { kind: 'file', meta, size: entry.size, checksum: '' };
}
