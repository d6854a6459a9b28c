// Opens a rootfs tarball as a stream of plain tar bytes, whatever its compression.
// The format is told by magic bytes, never by the file name. gzip is decoded by
// zlib (on libuv's thread pool); bzip2, xz and zstd by the host tools Yocto itself
// requires (HOSTTOOLS), running on another core.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CorruptInputError, NotFoundError } from '../errors.js';
import { loadExeca } from '../host-tools.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

const MAGICS: [Compression, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

const TOOLS: Partial<Record<Compression, string>> = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

export function detectCompression(head: Buffer): Compression {
  for (const [kind, magic] of MAGICS) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return kind;
  }
  return 'none';
}

function readHead(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new NotFoundError(`cannot open ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const head = Buffer.alloc(8);
    const n = readSync(fd, head, 0, 8, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export interface OpenedTarball {
  compression: Compression;
  /** Decompressed tar bytes; errors carry the file name and the decoder's reason. */
  stream: Readable;
  /** Bytes of the (compressed) file read so far. */
  bytesRead(): number;
  /**
   * After the tar parser gave up: reads the rest of the stream and returns the
   * decompressor's error if there is one — the real cause when garbage came out
   * of a corrupt compressed file.
   */
  decompressionError(): Promise<Error | null>;
}

/** Pipes `raw` through `tool -dc` into `out`; a failure of the tool destroys `out`. */
async function decodeWithTool(tool: string, compression: Compression, raw: Readable, out: PassThrough, failWith: (reason: string) => void): Promise<void> {
  const execa = await loadExeca();
  const child = execa(tool, ['-dc'], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: { stdout: false, stderr: true }, reject: false });
  raw.pipe(child.stdin!);
  child.stdin!.on('error', () => undefined); // the tool exiting early is reported below
  child.stdout!.pipe(out, { end: false });
  const result = await child;
  if (result.failed) {
    const why = String(result.stderr ?? '').trim().split('\n').pop() || result.shortMessage;
    const missing = (result as { code?: string }).code === 'ENOENT';
    failWith(missing ? `${compression} data needs the "${tool}" tool, which is not installed` : `corrupt ${compression} data (${why})`);
  } else {
    out.end();
  }
}

export function openTarball(file: string): OpenedTarball {
  const compression = detectCompression(readHead(file));
  const raw = createReadStream(file, { highWaterMark: 256 << 10 });
  let bytesRead = 0;
  // Held until piped: the decoder of a host tool is attached a moment later.
  raw.pause();
  raw.on('data', (chunk: Buffer | string) => {
    bytesRead += chunk.length;
  });
  const out = new PassThrough({ highWaterMark: 256 << 10 });
  const failWith = (reason: string): void => {
    out.destroy(new CorruptInputError(file, reason));
  };
  raw.on('error', (e) => failWith(`read error: ${e.message}`));

  if (compression === 'none') {
    raw.pipe(out);
  } else if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    gunzip.on('error', (e) => failWith(`corrupt gzip data (${e.message})`));
    raw.pipe(gunzip).pipe(out);
  } else {
    void decodeWithTool(TOOLS[compression]!, compression, raw, out, failWith);
  }
  const decompressionError = async (): Promise<Error | null> => {
    if (compression === 'none') return null;
    try {
      for await (const chunk of out) void chunk;
      return null;
    } catch (e) {
      return e instanceof CorruptInputError ? e : null;
    }
  };
  return { compression, stream: out, bytesRead: () => bytesRead, decompressionError };
}
