// xz compression of delta parts through the host `xz` tool (Yocto requires it
// on the build host; HOSTTOOLS). The .xz container is what ostree's part reader
// decodes (lzma_stream_decoder, any filter chain liblzma knows). At most one xz
// per core runs at a time.
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { loadExeca } from '../host-tools.js';

let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= availableParallelism()) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function xz(args: string[], input: Buffer): Promise<Buffer> {
  const execa = await loadExeca();
  const r = await slot(() => execa('xz', args, { input, encoding: 'buffer', reject: false, maxBuffer: Number.MAX_SAFE_INTEGER, stripFinalNewline: false }));
  if ((r as { code?: string }).code === 'ENOENT') throw new UsageError('static deltas need the "xz" tool, which is not installed');
  if (r.failed) throw new Error(`xz ${args.join(' ')} failed: ${Buffer.from(r.stderr as Uint8Array).toString().trim() || r.shortMessage}`);
  return Buffer.from(r.stdout as Uint8Array);
}

/** `filters`: xz options choosing the filter chain, e.g. ['-8'] or ['--x86', '--lzma2=preset=8']. */
export function xzCompress(data: Buffer, filters: string[]): Promise<Buffer> {
  return xz(['--format=xz', '--check=crc64', '--threads=1', ...filters, '-c'], data);
}

export function xzDecompress(data: Buffer): Promise<Buffer> {
  return xz(['--format=xz', '-d', '-c'], data);
}
