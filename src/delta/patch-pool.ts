// Runs patch jobs on worker threads (one per core, started on first use):
// suffix sorting and matching are CPU-bound and files are independent.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PatchJob, PatchJobResult, PatchMethod } from './patch-worker.js';

export interface Patch {
  patch: Buffer;
  estimate: number;
}

interface Pending {
  method: PatchMethod;
  /** Reads [old, new] when a worker is free, so queued jobs hold no data. */
  load: () => [Buffer, Buffer];
  resolve: (r: Patch) => void;
  reject: (e: Error) => void;
}

export class PatchPool {
  private idle: Worker[] = [];
  private all: Worker[] = [];
  private queue: Pending[] = [];
  private running = new Map<Worker, Pending>();
  private nextId = 0;

  constructor(private size = availableParallelism()) {}

  run(method: PatchMethod, load: () => [Buffer, Buffer]): Promise<Patch> {
    return new Promise((resolve, reject) => {
      this.queue.push({ method, load, resolve, reject });
      this.dispatch();
    });
  }

  private spawn(): void {
    const w = new Worker(new URL('./patch-worker.js', import.meta.url));
    w.on('message', (r: PatchJobResult) => this.finished(w, r));
    w.on('error', (e) => {
      this.running.get(w)?.reject(e);
      this.running.delete(w);
    });
    this.all.push(w);
    this.idle.push(w);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      if (this.idle.length === 0 && this.all.length < Math.max(1, this.size)) this.spawn();
      const w = this.idle.pop();
      if (!w) return;
      const p = this.queue.shift()!;
      let job: PatchJob;
      try {
        const [old, newer] = p.load();
        // Copies into buffers of their own: they move to the worker.
        job = { id: this.nextId++, method: p.method, old: Uint8Array.from(old), new: Uint8Array.from(newer) };
      } catch (e) {
        this.idle.push(w);
        p.reject(e as Error);
        continue;
      }
      this.running.set(w, p);
      w.postMessage(job, [job.old.buffer as ArrayBuffer, job.new.buffer as ArrayBuffer]);
    }
  }

  private finished(w: Worker, r: PatchJobResult): void {
    const p = this.running.get(w)!;
    this.running.delete(w);
    this.idle.push(w);
    if (r.error !== undefined) p.reject(new Error(r.error));
    else p.resolve({ patch: Buffer.from(r.patch!.buffer, r.patch!.byteOffset, r.patch!.byteLength), estimate: r.estimate! });
    this.dispatch();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
