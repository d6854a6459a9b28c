// The worker side of ThreadPool: answers each batch with one reply per job, in
// order; buffers named by `transfer` move back to the main thread.
import { parentPort } from 'node:worker_threads';
import type { JobReply } from './pool.js';

export function serveJobs<J, R>(run: (job: J) => R, transfer: (result: R) => ArrayBuffer[] = () => []): void {
  parentPort?.on('message', (batch: J[]) => {
    const moved: ArrayBuffer[] = [];
    const replies = batch.map((job): JobReply<R> => {
      try {
        const result = run(job);
        moved.push(...transfer(result));
        return { result };
      } catch (e) {
        return { error: (e as Error).message };
      }
    });
    parentPort!.postMessage(replies, moved);
  });
}
