// The worker side of ThreadPool: answers each job with one reply; buffers named
// by `transfer` move back to the main thread.
import { parentPort } from 'node:worker_threads';
import type { JobReply } from './pool.js';

export function serveJobs<J, R>(run: (job: J) => R, transfer: (result: R) => ArrayBuffer[] = () => []): void {
  parentPort?.on('message', (job: J) => {
    let reply: JobReply<R>;
    let moved: ArrayBuffer[] = [];
    try {
      const result = run(job);
      moved = transfer(result);
      reply = { result };
    } catch (e) {
      reply = { error: (e as Error).message };
    }
    parentPort!.postMessage(reply, moved);
  });
}
