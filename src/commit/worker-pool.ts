// A small pool of object workers (one per core). Jobs queue when all are busy.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ObjectJob, ObjectJobResult } from './object-worker.js';

type Pending = { job: ObjectJob; resolve: (r: ObjectJobResult) => void; reject: (e: Error) => void };

export class WorkerPool {
  private idle: Worker[] = [];
  private all: Worker[] = [];
  private queue: Pending[] = [];
  private running = new Map<Worker, Pending>();

  constructor(size = availableParallelism()) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(new URL('./object-worker.js', import.meta.url));
      w.on('message', (r: ObjectJobResult) => this.finished(w, r));
      w.on('error', (e) => this.running.get(w)?.reject(e));
      this.all.push(w);
      this.idle.push(w);
    }
  }

  run(job: ObjectJob): Promise<ObjectJobResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const p = this.queue.shift()!;
      this.running.set(w, p);
      // Transfer, not copy, the content: the caller gave up its buffer.
      w.postMessage(p.job, [p.job.data.buffer as ArrayBuffer]);
    }
  }

  private finished(w: Worker, r: ObjectJobResult): void {
    const p = this.running.get(w)!;
    this.running.delete(w);
    this.idle.push(w);
    if (r.error) p.reject(new Error(r.error));
    else p.resolve(r);
    this.dispatch();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
