// Makes patches on worker threads: suffix sorting and matching are CPU-bound and
// files are independent.
import { ThreadPool } from '../threads/pool.js';
import type { PatchJob, PatchJobResult, PatchMethod } from './patch-worker.js';

export interface Patch {
  patch: Buffer;
  estimate: number;
}

export class PatchPool {
  private pool = new ThreadPool<PatchJob, PatchJobResult>(new URL('./patch-worker.js', import.meta.url));

  /** `load` reads [old, new] when a worker takes the job, so queued jobs hold no data. */
  async run(method: PatchMethod, load: () => [Buffer, Buffer]): Promise<Patch> {
    const r = await this.pool.run(() => {
      const [old, newer] = load();
      // Copies into buffers of their own: they move to the worker.
      const job: PatchJob = { method, old: Uint8Array.from(old), new: Uint8Array.from(newer) };
      return { job, transfer: [job.old.buffer as ArrayBuffer, job.new.buffer as ArrayBuffer] };
    });
    return { patch: Buffer.from(r.patch.buffer, r.patch.byteOffset, r.patch.byteLength), estimate: r.estimate };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
