// Runs CPU-bound jobs on worker threads (one per core, started on first use). A
// job is made only when a worker takes it, so a caller can defer reading its data
// until then (queued jobs hold no data). Callers that hand off many small pieces
// pack them into one job (see commit/object-arena.ts): a message costs the main
// thread about as much as a small piece of work.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';

/** A job as sent: its data and the buffers to move (not copy) with it. */
export interface PreparedJob<J> {
  job: J;
  transfer: ArrayBuffer[];
}

type Pending<J, R> = { prepare: () => PreparedJob<J>; resolve: (r: R) => void; reject: (e: Error) => void };

/** What a worker answers for a job (see serve.ts). */
export type JobReply<R> = { result: R } | { error: string };

/** A worker started before its pool existed, and how it ended if it already has. */
interface EarlyWorker {
  worker: Worker;
  ended?: { error: Error } | { code: number };
}

/** Workers ThreadPool.prestart started, per script, for the first pool on that script. */
const early = new Map<string, EarlyWorker[]>();

export class ThreadPool<J, R> {
  /**
   * Starts a worker for a pool to come (a worker takes ~90 ms to start). Until a
   * pool takes it, it does not keep the process alive, and a failure is kept for
   * that pool to report.
   */
  static prestart(script: URL): void {
    const e: EarlyWorker = { worker: new Worker(script) };
    e.worker.unref();
    e.worker.once('error', (error) => (e.ended ??= { error }));
    e.worker.once('exit', (code) => (e.ended ??= { code }));
    early.set(script.href, [...(early.get(script.href) ?? []), e]);
  }

  /** A worker once per job it can take now. */
  private idle: Worker[] = [];
  private all: Worker[] = [];
  private queue: Pending<J, R>[] = [];
  /** Per worker, its jobs in the order it answers them. */
  private running = new Map<Worker, Pending<J, R>[]>();
  private closed = false;
  /** Why a worker died: the pool fails every job from then on. */
  private failure: Error | undefined;
  private readonly size: number;

  /**
   * `depth`: jobs a worker holds at once. With more than one, it starts the next as
   * soon as it answers one, instead of waiting for this thread to take the answer
   * and hand it another (which waits while this thread is busy).
   */
  constructor(
    private script: URL,
    size = availableParallelism(),
    private readonly depth = 1,
  ) {
    this.size = Math.max(1, size);
  }

  /** Starts every worker now, so their startup overlaps the caller's own (optional). */
  start(): void {
    while (this.all.length < this.size && !this.closed) this.spawn();
  }

  /** Queues a job; `prepare` makes it when a worker takes it (and may throw: that job fails). */
  run(prepare: () => PreparedJob<J>): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.failure) throw this.failure;
      if (this.closed) throw new Error('thread pool is closed');
      this.queue.push({ prepare, resolve, reject });
      this.dispatch();
    });
  }

  private spawn(): void {
    const prestarted = early.get(this.script.href)?.shift();
    const w = prestarted?.worker ?? new Worker(this.script);
    w.ref();
    w.on('message', (reply: JobReply<R>) => this.finished(w, reply));
    // Its first line: a module that failed to load adds its require stack.
    const failed = (e: Error): void => this.fail(new InternalError(`a worker thread failed: ${e.message.split('\n')[0]}`, { cause: e }));
    const exited = (code: number): void => {
      if (!this.closed) this.fail(new InternalError(`a worker thread exited (code ${code})`));
    };
    w.on('error', failed);
    w.on('exit', exited);
    this.all.push(w);
    this.running.set(w, []);
    for (let i = 0; i < this.depth; i++) this.idle.push(w);
    const ended = prestarted?.ended;
    if (ended) 'error' in ended ? failed(ended.error) : exited(ended.code);
  }

  /**
   * A worker died (an uncaught error, its module failing to load): every job running
   * or queued fails, and so does every later one. Nothing would answer them, and a
   * process whose promises can no longer settle exits 0 without a word.
   */
  private fail(e: InternalError): void {
    this.failure ??= e;
    this.rejectPending(this.failure);
  }

  /** Fails every job queued or running (their late replies are ignored). */
  private rejectPending(e: Error): void {
    const pending = [...this.queue, ...[...this.running.values()].flat()];
    this.queue = [];
    for (const jobs of this.running.values()) jobs.length = 0;
    for (const p of pending) p.reject(e);
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      if (this.idle.length === 0 && this.all.length < this.size) this.spawn();
      const w = this.idle.pop();
      if (!w) return;
      const p = this.queue.shift()!;
      let prepared: PreparedJob<J>;
      try {
        prepared = p.prepare();
      } catch (e) {
        p.reject(e as Error);
        this.idle.push(w);
        continue;
      }
      this.running.get(w)!.push(p);
      w.postMessage(prepared.job, prepared.transfer);
    }
  }

  private finished(w: Worker, reply: JobReply<R>): void {
    const p = this.running.get(w)?.shift();
    // A reply that crossed close(): its job has already failed.
    if (!p) return;
    this.idle.push(w);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.result);
    this.dispatch();
  }

  /** Stops the workers; jobs not finished by then fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.rejectPending(new Error('thread pool closed before the job finished'));
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
