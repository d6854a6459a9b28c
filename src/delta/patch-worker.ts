// Worker thread: makes one patch, checks that it rebuilds the new file exactly
// (a malformed patch would abort the client), and estimates its compressed size
// with deflate, the same measure the archive repo's .filez sizes give for the
// whole file — so the two can be compared to choose.
import { parentPort } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import { blockPatch } from './block-match.js';
import { bsdiff } from './bsdiff.js';
import { bspatch } from './bspatch.js';

export type PatchMethod = 'bsdiff' | 'block';

export interface PatchJob {
  id: number;
  method: PatchMethod;
  old: Uint8Array;
  new: Uint8Array;
}

export interface PatchJobResult {
  id: number;
  patch?: Uint8Array;
  /** Deflated size of the patch. */
  estimate?: number;
  error?: string;
}

function run(job: PatchJob): PatchJobResult {
  const patch = job.method === 'block' ? blockPatch(job.old, job.new) : bsdiff(job.old, job.new);
  if (!bspatch(job.old, patch, job.new.length).equals(job.new)) throw new Error('patch does not reproduce the new file');
  return { id: job.id, patch, estimate: deflateRawSync(patch, { level: 6 }).length };
}

parentPort?.on('message', (job: PatchJob) => {
  let result: PatchJobResult;
  try {
    result = run(job);
  } catch (e) {
    result = { id: job.id, error: (e as Error).message };
  }
  parentPort!.postMessage(result, result.patch ? [result.patch.buffer as ArrayBuffer] : []);
});
