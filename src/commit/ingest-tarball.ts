// Streams a rootfs tarball into the tree model, writing content objects as the
// entries go by. Hardlinks are resolved at the end, as ostree's tar import does
// (a hardlink shares its target's content object). Device nodes, FIFOs and
// sockets cannot live in OSTree: they are skipped and counted.
import { BadEntryError, CorruptInputError } from '../errors.js';
import type { FileMeta } from '../ostree/file-header.js';
import { S_IFLNK, S_IFREG } from '../ostree/validate.js';
import { openTarball } from '../rootfs/compression.js';
import { asTarError, readTarEntries, type RootfsEntry } from '../rootfs/tar-entries.js';
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

/** The state of one tarball being turned into a tree. */
class Ingest {
  readonly tree = new Tree();
  readonly counts: IngestCounts = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, skipped: 0 };
  readonly skippedPaths: string[] = [];
  private hardlinks: [string, string][] = [];

  constructor(private writer: ContentWriter) {}

  async add(entry: RootfsEntry): Promise<void> {
    // Parents missing from the tar are created owned like the entry, mode 0755.
    const missingMeta = dirMeta(entry.uid, entry.gid, 0o755);
    try {
      switch (entry.kind) {
        case 'directory':
          this.tree.setDir(entry.path, { ...dirMeta(entry.uid, entry.gid, entry.mode), xattrs: entry.xattrs }, missingMeta);
          this.counts.dirs++;
          return;
        case 'hardlink':
          this.hardlinks.push([entry.path, entry.linkTarget]);
          this.counts.hardlinks++;
          return;
        case 'special':
          this.skippedPaths.push(entry.path);
          this.counts.skipped++;
          return;
        default: {
          const node = fileNode(entry);
          this.tree.setFile(entry.path, node, missingMeta);
          await this.writer.add(node.meta, entry.size, entry.kind === 'file' ? entry.content : null, node);
          if (entry.kind === 'file') this.counts.files++;
          else this.counts.symlinks++;
        }
      }
    } catch (e) {
      throw e instanceof TreeError ? new BadEntryError(entry.path, e.message) : e;
    }
  }

  /** Points every hardlink at its target's node, then waits for all objects. */
  async finish(): Promise<void> {
    for (const [path, target] of this.hardlinks) {
      const node = this.tree.lookup(target);
      if (!node) throw new BadEntryError(path, `hardlink to "${target}", which is not in the tarball`);
      if (node.kind !== 'file') throw new BadEntryError(path, `hardlink to directory "${target}"`);
      this.tree.setFile(path, node, dirMeta(node.meta.uid, node.meta.gid, 0o755));
    }
    await this.writer.finish();
  }
}

function fileNode(entry: RootfsEntry): FileNode {
  const meta: FileMeta = {
    uid: entry.uid,
    gid: entry.gid,
    mode: entry.kind === 'symlink' ? S_IFLNK | 0o777 : S_IFREG | entry.mode,
    symlinkTarget: entry.kind === 'symlink' ? entry.linkTarget : '',
    xattrs: entry.xattrs,
  };
  return { kind: 'file', meta, size: entry.size, checksum: '' };
}

export async function ingestTarball(file: string, writer: ContentWriter, onProgress?: (p: IngestProgress) => void): Promise<IngestResult> {
  const ingest = new Ingest(writer);
  const tarball = openTarball(file);
  let entries = 0;
  try {
    for await (const entry of readTarEntries(tarball.stream, file)) {
      await ingest.add(entry);
      onProgress?.({ entries: ++entries, bytesRead: tarball.bytesRead() });
    }
  } catch (e) {
    const error = asTarError(file, e);
    // Garbage from a corrupt compressed file looks like a broken tar: report the cause.
    throw error instanceof CorruptInputError ? ((await tarball.decompressionError()) ?? error) : error;
  }
  await ingest.finish();
  return { tree: ingest.tree, counts: ingest.counts, skippedPaths: ingest.skippedPaths, bytesRead: tarball.bytesRead() };
}
