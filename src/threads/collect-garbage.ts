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
  /** Work done since Buffer memory was last looked at. */
  private unsampled = 0;

  constructor(private readonly slack: number) {}

  /**
   * Counts `bytes` of work. Buffer memory is looked at once per slack/8 bytes of it:
   * process.memoryUsage() took 0.4 ms a call (5 ms at worst) while worker threads
   * ran, 50-95 ms of a 3 s commit when called once per MiB.
   */
  check(bytes: number): void {
    this.unsampled += bytes;
    if (this.unsampled < this.slack / 8) return;
    this.unsampled = 0;
    const now = process.memoryUsage().arrayBuffers;
    this.floor = Math.min(this.floor, now);
    if (now < this.floor + this.slack) return;
    collectGarbage('full');
    this.floor = Infinity;
  }
}
