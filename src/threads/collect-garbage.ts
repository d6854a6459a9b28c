// An explicit V8 garbage collection, for threads whose dead Buffers pile up.
// Buffer memory lives outside V8's heap, and V8 collects it only once ~64 MiB more
// of it exists than after the last full GC; freed, it stays in the process's malloc
// arena, so the pile-up sets the peak RSS for good. `--expose-gc` can be set at run
// time; the function appears in contexts created after that.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type: 'minor' }) => void;
let gc: Gc | undefined;

/**
 * 'minor': the young generation only (cheap); 'full': everything, as a heap
 * snapshot does (`{ type: 'major' }` left most dead Buffers alive here).
 */
export function collectGarbage(type: 'minor' | 'full'): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
  }
  gc(type === 'full' ? undefined : { type });
}

/**
 * Runs a full GC whenever this thread's Buffer memory is `slack` bytes above the
 * least seen since the last one: dead Buffers that outlived two young GCs wait for
 * a full GC, which V8 runs on its own only after ~64 MiB more of them.
 */
export class BufferGarbage {
  /** The least Buffer memory seen since the last GC: about what is alive. */
  private floor = Infinity;

  constructor(private readonly slack: number) {}

  /** Cheap enough (~20 µs) to call once per MiB of work. */
  check(): void {
    const now = process.memoryUsage().arrayBuffers;
    this.floor = Math.min(this.floor, now);
    if (now < this.floor + this.slack) return;
    collectGarbage('full');
    this.floor = Infinity;
  }
}
