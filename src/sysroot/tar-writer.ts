// The sysroot as a POSIX (pax) tarball: an artefact of its own (wic input,
// debugging) and what the fast ext4 path feeds to `mke2fs -d -`. Numeric owners,
// hardlinks as link entries, xattrs as SCHILY.xattr records, and fixed times:
// mtime per entry, atime and ctime the sysroot's epoch (mke2fs sets those too).
// A hardlink entry repeats its inode's owner, mode and mtime, because mke2fs
// applies every entry's stat to the inode it names.
import type { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { Repo } from '../repo/repo.js';
import { readArchiveContent, readArchiveHeader } from './archive-object.js';
import { encodeEntryHeader, END_OF_ARCHIVE, padding, type PaxValue, type TarHeader } from './tar-format.js';
import { inodeOf, type SysrootEntry } from './sysroot-entry.js';

export interface TarProgress {
  entries: number;
  bytes: number;
}

/**
 * Output is handed to the stream in batches of about this size… mke2fs reads a
 * socket holding ~200 KiB, refilled only when we yield to the event loop: with
 * batches of a MiB it waited for us a third of the time.
 */
const BATCH = 64 << 10;
/** …and production pauses only when this much is still queued: the consumer (mke2fs) never waits for us. */
const QUEUED_MAX = 32 << 20;

function tarName(path: string): string {
  return path === '' ? './' : `./${path}`;
}

export function tarHeader(entry: SysrootEntry, epoch: number): TarHeader {
  const inode = inodeOf(entry);
  const records: [string, PaxValue][] = [
    ['atime', String(epoch)],
    ['ctime', String(epoch)],
  ];
  if (entry.kind !== 'hardlink') for (const x of inode.xattrs) records.push([`SCHILY.xattr.${x.name}`, x.value]);
  const name = tarName(entry.path);
  const h: TarHeader = { name, perms: inode.perms, uid: inode.uid, gid: inode.gid, mtime: inode.mtime, records, type: 'file', size: 0 };
  if (entry.kind === 'hardlink') {
    h.type = 'link';
    h.linkname = tarName(entry.to.path);
  } else if (entry.kind === 'dir') {
    h.type = 'directory';
    if (!name.endsWith('/')) h.name = `${name}/`;
  } else if (entry.kind === 'symlink') {
    h.type = 'symlink';
    h.linkname = entry.target;
  } else {
    h.size = entry.size;
  }
  return h;
}

/**
 * Writes to `out` corked, a batch at a time (one writev of many small buffers, no
 * copying them together), yielding to the event loop after each batch so queued
 * output reaches the pipe while we produce more, and waiting only when a lot is queued.
 */
class BatchWriter {
  private pending = 0;

  constructor(private readonly out: Writable) {}

  async add(buf: Buffer): Promise<void> {
    if (buf.length === 0) return;
    if (this.out.destroyed) throw new Error('the tar consumer stopped reading');
    if (this.pending === 0) this.out.cork();
    this.out.write(buf);
    this.pending += buf.length;
    if (this.pending >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    this.pending = 0;
    this.out.uncork();
    await setImmediate();
    if (this.out.writableLength > QUEUED_MAX) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('close', done);
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
      });
    }
  }
}

/** Writes the sysroot's entries to `out` as a tarball and ends it. */
export async function writeSysrootTar(entries: readonly SysrootEntry[], epoch: number, source: Repo, out: Writable, onProgress?: (p: TarProgress) => void): Promise<void> {
  const writer = new BatchWriter(out);
  const progress: TarProgress = { entries: 0, bytes: 0 };
  const failed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const work = (async () => {
    for (const entry of entries) {
      await writer.add(encodeEntryHeader(tarHeader(entry, epoch)));
      if (entry.kind === 'file') {
        if ('data' in entry.content) {
          await writer.add(entry.content.data);
        } else {
          const checksum = entry.content.object;
          for await (const chunk of readArchiveContent(source, checksum, readArchiveHeader(source, checksum))) await writer.add(chunk);
        }
        await writer.add(padding(entry.size));
        progress.bytes += entry.size;
      }
      progress.entries++;
      onProgress?.(progress);
    }
    await writer.add(END_OF_ARCHIVE);
    await writer.flush();
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  })();
  await Promise.race([work, failed]);
}
