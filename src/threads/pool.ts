// Runs CPU-bound jobs on worker threads (one per core, started on first use).
// Jobs travel in batches — a message per small job would cost the main thread
// more than the work it hands off: while every worker is busy a batch grows up to
// `batchJobs`/`batchBytes`; a worker that becomes free takes the next full batch,
// or else whatever is filling. A job is made only when a worker takes it, so a
// caller can defer reading its data until then (queued jobs hold no data).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** A job as sent: its data and the buffers to move (not copy) with it. */
export interface PreparedJob<J> {
  job: J;
  transfer: ArrayBuffer[];
}

export interface PoolOptions {
  size?: number;
  batchJobs?: number;
  batchBytes?: number;
}

type Pending<J, R> = { prepare: () => PreparedJob<J>; resolve: (r: R) => void; reject: (e: Error) => void };

/** What a worker answers for each job of a batch (see serve.ts). */
export type JobReply<R> = { result: R } | { error: string };

export class ThreadPool<J, R> {
  private idle: Worker[] = [];
  private all: Worker[] = [];
  private queue: Pending<J, R>[][] = [];
  private filling: Pending<J, R>[] = [];
  private fillingBytes = 0;
  private flushScheduled = false;
  private running = new Map<Worker, Pending<J, R>[]>();
  private closed = false;
  private readonly size: number;
  private readonly batchJobs: number;
  private readonly batchBytes: number;

  constructor(
    private script: URL,
    opts: PoolOptions = {},
  ) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.batchJobs = opts.batchJobs ?? 1;
    this.batchBytes = opts.batchBytes ?? Infinity;
  }

  /**
   * Queues a job of about `bytes` bytes; `prepare` makes it when a worker takes
   * its batch (and may throw: that job fails, the others go on).
   */
  run(prepare: () => PreparedJob<J>, bytes = 0): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.closed) throw new Error('thread pool is closed');
      this.filling.push({ prepare, resolve, reject });
      this.fillingBytes += bytes;
      if (this.filling.length >= this.batchJobs || this.fillingBytes >= this.batchBytes) this.flush();
      else if (this.hasRoom() && !this.flushScheduled) {
        // A worker is free: send what we have once the caller pauses.
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

  private hasRoom(): boolean {
    return this.idle.length > 0 || this.all.length < this.size;
  }

  private spawn(): void {
    if (this.closed) return;
    const w = new Worker(this.script);
    w.on('message', (replies: JobReply<R>[]) => this.finished(w, replies));
    w.on('error', (e) => {
      for (const p of this.running.get(w) ?? []) p.reject(e);
      this.running.delete(w);
    });
    this.all.push(w);
    this.idle.push(w);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      if (this.idle.length === 0 && this.all.length < this.size) this.spawn();
      const w = this.idle.pop();
      if (!w) return;
      const sent: Pending<J, R>[] = [];
      const jobs: PreparedJob<J>[] = [];
      for (const p of this.queue.shift()!) {
        try {
          jobs.push(p.prepare());
          sent.push(p);
        } catch (e) {
          p.reject(e as Error);
        }
      }
      if (sent.length === 0) {
        this.idle.push(w);
        continue;
      }
      this.running.set(w, sent);
      w.postMessage(
        jobs.map((j) => j.job),
        jobs.flatMap((j) => j.transfer),
      );
    }
  }

  private finished(w: Worker, replies: JobReply<R>[]): void {
    const batch = this.running.get(w)!;
    this.running.delete(w);
    this.idle.push(w);
    replies.forEach((reply, i) => {
      if ('error' in reply) batch[i].reject(new Error(reply.error));
      else batch[i].resolve(reply.result);
    });
    // Nothing queued: rather than idle, take the batch that is still filling.
    if (this.queue.length === 0) this.flush();
    else this.dispatch();
  }

  /** Stops the workers; jobs not finished by then fail. */
  async close(): Promise<void> {
    this.closed = true;
    const unfinished = [...this.filling, ...this.queue.flat(), ...[...this.running.values()].flat()];
    this.filling = [];
    this.queue = [];
    this.running.clear();
    for (const p of unfinished) p.reject(new Error('thread pool closed before the job finished'));
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
