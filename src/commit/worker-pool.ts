// A small pool of object workers (one per core). Jobs are sent in batches — a
// message per file would cost the main thread more than the work it hands off.
// While all workers are busy a batch grows up to BATCH_JOBS/BATCH_BYTES; a worker
// that becomes free takes the next full batch, or else whatever is filling.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ObjectJob, ObjectJobResult } from './object-worker.js';

type Pending = { job: ObjectJob; resolve: (r: ObjectJobResult) => void; reject: (e: Error) => void };

/** A batch is sent when it holds this many jobs or bytes, or when a worker is free. */
const BATCH_JOBS = 64;
const BATCH_BYTES = 1 << 20;

export class WorkerPool {
  private idle: Worker[] = [];
  private all: Worker[] = [];
  private queue: Pending[][] = [];
  private filling: Pending[] = [];
  private fillingBytes = 0;
  private flushScheduled = false;
  private running = new Map<Worker, Pending[]>();

  constructor(size = availableParallelism()) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(new URL('./object-worker.js', import.meta.url));
      w.on('message', (results: ObjectJobResult[]) => this.finished(w, results));
      w.on('error', (e) => {
        for (const p of this.running.get(w) ?? []) p.reject(e);
      });
      this.all.push(w);
      this.idle.push(w);
    }
  }

  run(job: ObjectJob): Promise<ObjectJobResult> {
    return new Promise((resolve, reject) => {
      job.id = this.filling.length;
      this.filling.push({ job, resolve, reject });
      this.fillingBytes += job.packed.length;
      if (this.filling.length >= BATCH_JOBS || this.fillingBytes >= BATCH_BYTES) this.flush();
      else if (this.idle.length > 0 && !this.flushScheduled) {
        // A worker is waiting: send what we have once the main thread pauses.
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Sends the batch being filled now (e.g. before waiting for one of its jobs). */
  flush(): void {
    this.flushScheduled = false;
    if (this.filling.length === 0) return;
    this.queue.push(this.filling);
    this.filling = [];
    this.fillingBytes = 0;
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const batch = this.queue.shift()!;
      this.running.set(w, batch);
      // Transfer, not copy, the contents: the callers gave up their buffers.
      w.postMessage(
        batch.map((p) => p.job),
        batch.map((p) => p.job.packed.buffer as ArrayBuffer),
      );
    }
  }

  private finished(w: Worker, results: ObjectJobResult[]): void {
    const batch = this.running.get(w)!;
    this.running.delete(w);
    this.idle.push(w);
    for (const r of results) {
      const p = batch[r.id];
      if (r.error) p.reject(new Error(r.error));
      else p.resolve(r);
    }
    // Nothing queued: rather than idle, take the batch that is still filling.
    if (this.queue.length === 0) this.flush();
    else this.dispatch();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
