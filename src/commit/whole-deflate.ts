// Raw deflate of a whole small file by libdeflate (the `libdeflate` package's WASM
// build), for the files of an arena. On the corpus's small files, against Node's
// zlib (bench/deflate-levels.mjs, BENCHMARKS.md), libdeflate at level L-2 (at
// least 1) gives streams 1-2 % smaller than zlib at L for L 4-9 (0.1 % bigger to
// 2 % smaller for 1-3) in less CPU: at ostree's default 6, level 4, 2 % smaller in
// 13-20 % less. One compressor per level serves every file, where zlib builds a
// stream per call. Big files keep zlib: they are deflated in pieces that join into
// one stream (object-worker.ts), which needs zlib's sync flush and dictionary.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { importEmscripten } from '../emscripten-import.js';

/** The part of the emscripten module used here (libdeflate's C API and the heap). */
interface LibdeflateModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _libdeflate_alloc_compressor(level: number): number;
  _libdeflate_deflate_compress_bound(compressor: number, inLength: number): number;
  _libdeflate_deflate_compress(compressor: number, inPtr: number, inLength: number, outPtr: number, outCapacity: number): number;
}

/** libdeflate's level for a repository's zlib level (0, stored, stays 0). */
export function libdeflateLevel(zlibLevel: number): number {
  return zlibLevel === 0 ? 0 : Math.max(1, zlibLevel - 2);
}

/** A growable block of the module's heap. */
class HeapBlock {
  ptr = 0;
  capacity = 0;

  constructor(private readonly mod: LibdeflateModule) {}

  reserve(size: number): number {
    if (size > this.capacity) {
      if (this.ptr) this.mod._free(this.ptr);
      this.capacity = Math.max(size, 64 << 10);
      this.ptr = this.mod._malloc(this.capacity);
      if (!this.ptr) throw new Error(`libdeflate: cannot allocate ${this.capacity} bytes`);
    }
    return this.ptr;
  }
}

export class WholeDeflater {
  private readonly compressors = new Map<number, number>();
  private readonly input: HeapBlock;
  private readonly output: HeapBlock;

  private constructor(private readonly mod: LibdeflateModule) {
    this.input = new HeapBlock(mod);
    this.output = new HeapBlock(mod);
  }

  static async load(): Promise<WholeDeflater> {
    // The package exports only its convenience API, which allocates a compressor
    // per call; the module beside it is imported by path.
    const entry = createRequire(import.meta.url).resolve('libdeflate');
    const glue = new URL('dist/libdeflate.wasm.mjs', pathToFileURL(entry)).href;
    // Instantiated inside: the glue installs its handlers when the module is created.
    const mod = await importEmscripten(async () => ((await import(glue)).default as () => LibdeflateModule)());
    return new WholeDeflater(mod);
  }

  /**
   * `data` as a raw deflate stream at libdeflate `level`. The result is a view of
   * the module's heap: valid until the next call.
   */
  deflate(data: Uint8Array, level: number): Uint8Array {
    const compressor = this.compressor(level);
    const inPtr = this.input.reserve(data.length);
    const bound = this.mod._libdeflate_deflate_compress_bound(compressor, data.length);
    const outPtr = this.output.reserve(bound);
    // Read HEAPU8 after the allocations: a heap that grew is a new buffer.
    this.mod.HEAPU8.set(data, inPtr);
    const written = this.mod._libdeflate_deflate_compress(compressor, inPtr, data.length, outPtr, bound);
    if (written === 0) throw new Error(`libdeflate: compressing ${data.length} bytes failed`);
    return this.mod.HEAPU8.subarray(outPtr, outPtr + written);
  }

  private compressor(level: number): number {
    let c = this.compressors.get(level);
    if (c === undefined) {
      c = this.mod._libdeflate_alloc_compressor(level);
      if (!c) throw new Error(`libdeflate: no compressor for level ${level}`);
      this.compressors.set(level, c);
    }
    return c;
  }
}
