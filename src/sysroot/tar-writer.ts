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
import { entryHeader, entryHeaderBytes, END_OF_ARCHIVE, padding, writeEntryHeader, type EntryHeader, type PaxValue, type TarHeader } from './tar-format.js';
import { inodeOf, type SysrootEntry } from './sysroot-entry.js';

export interface TarProgress {
  entries: number;
  bytes: number;
}

/**
 * Output goes out in chunks of this size… mke2fs reads a socket holding ~200 KiB,
 * refilled only when we yield to the event loop: with chunks of a MiB it waited for
 * us a third of the time.
 */
const CHUNK = 64 << 10;
/**
 * …and production pauses when this much is queued: enough for mke2fs to read while
 * we inflate a big file, small enough that the bytes are still in the CPU's caches
 * when the kernel copies them. With 32 MiB, big's otaimg took 10 % more CPU and
 * time (4 alternating runs each: 28.5 vs 25.8 s); 1 MiB was no better than 4.
 */
const QUEUED_MAX = 4 << 20;

/**
 * Member names without a leading "./" (but "./" for the root itself): mke2fs looks
 * up every entry's directory, and a hardlink's target, one component at a time from
 * the root, and "." was one more directory block to read and checksum each time.
 */
function tarName(path: string): string {
  return path === '' ? './' : path;
}

/** The atime and ctime records, one list per epoch: tar-format makes the extended header once per list and mtime. */
const timeRecordLists = new Map<number, readonly [string, PaxValue][]>();

function timeRecords(epoch: number): readonly [string, PaxValue][] {
  let records = timeRecordLists.get(epoch);
  if (!records) {
    records = [
      ['atime', String(epoch)],
      ['ctime', String(epoch)],
    ];
    timeRecordLists.set(epoch, records);
  }
  return records;
}

/** `memberPath`: where the consumer should put a sysroot path (the fast ext4 path moves its hoisted directories afterwards). */
export function tarHeader(entry: SysrootEntry, epoch: number, memberPath: (path: string) => string = (path) => path): TarHeader {
  const inode = inodeOf(entry);
  const times = timeRecords(epoch);
  const records = entry.kind === 'hardlink' || inode.xattrs.length === 0 ? times : [...times, ...inode.xattrs.map((x): [string, PaxValue] => [`SCHILY.xattr.${x.name}`, x.value])];
  const name = tarName(memberPath(entry.path));
  const h: TarHeader = { name, perms: inode.perms, uid: inode.uid, gid: inode.gid, mtime: inode.mtime, records, type: 'file', size: 0 };
  if (entry.kind === 'hardlink') {
    h.type = 'link';
    h.linkname = tarName(memberPath(entry.to.path));
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
 * Copies the output into fixed chunks, reused once written. Handing the stream the
 * entries' own buffers kept thousands of small ones queued whenever the consumer
 * was the slower side (as mke2fs is): they outlived the young generation, and
 * collecting them from the old one cost more CPU than the copies (big corpus: 35
 * full collections of a 60 MB heap, 7 s of CPU, while mke2fs wanted the cores).
 * Yields to the event loop after each chunk, so the pipe is refilled while we
 * produce more, and waits when QUEUED_MAX is queued.
 */
class ChunkWriter {
  private readonly spare: Buffer[] = [];
  private allocated = 0;
  private chunk: Buffer;
  private used = 0;
  /** Resolves a wait for a chunk to come back. */
  private returned: (() => void) | undefined;

  constructor(private readonly out: Writable) {
    this.chunk = this.newChunk();
  }

  private newChunk(): Buffer {
    this.allocated++;
    return Buffer.allocUnsafeSlow(CHUNK);
  }

  /** An entry header, written straight into the chunk (sent first when it has no room left for it). */
  async header(h: EntryHeader): Promise<void> {
    if (h.length > CHUNK) return this.add(entryHeaderBytes(h));
    if (CHUNK - this.used < h.length) await this.send();
    writeEntryHeader(h, this.chunk, this.used);
    this.used += h.length;
    if (this.used === CHUNK) await this.send();
  }

  async add(buf: Uint8Array): Promise<void> {
    for (let at = 0; at < buf.length; ) {
      const n = Math.min(buf.length - at, CHUNK - this.used);
      this.chunk.set(buf.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === CHUNK) await this.send();
    }
  }

  /** Hands over the current chunk (or its filled part) and takes an empty one. */
  async send(): Promise<void> {
    if (this.used === 0) return;
    if (this.out.destroyed) throw new Error('the tar consumer stopped reading');
    const sent = this.chunk;
    this.out.write(sent.subarray(0, this.used), () => {
      this.spare.push(sent);
      this.returned?.();
    });
    this.used = 0;
    await setImmediate();
    while (this.spare.length === 0 && this.allocated * CHUNK >= QUEUED_MAX && !this.out.destroyed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('close', done);
          this.returned = undefined;
          resolve();
        };
        this.returned = done;
        this.out.on('close', done);
      });
    }
    this.chunk = this.spare.pop() ?? this.newChunk();
  }
}

/** Writes the sysroot's entries to `out` as a tarball and ends it. */
export async function writeSysrootTar(entries: readonly SysrootEntry[], epoch: number, source: Repo, out: Writable, onProgress?: (p: TarProgress) => void, memberPath?: (path: string) => string): Promise<void> {
  const writer = new ChunkWriter(out);
  const progress: TarProgress = { entries: 0, bytes: 0 };
  const failed = new Promise<never>((_resolve, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const work = (async () => {
    for (const entry of entries) {
      await writer.header(entryHeader(tarHeader(entry, epoch, memberPath)));
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
    await writer.send();
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  })();
  await Promise.race([work, failed]);
}
