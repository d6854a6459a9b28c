// Worker thread: makes one patch, checks that it rebuilds the new file exactly
// (a malformed patch would abort the client), and estimates its compressed size
// with deflate, the same measure the archive repo's .filez sizes give for the
// whole file — so the two can be compared to choose.
import { deflateRawSync } from 'node:zlib';
import { serveJobs } from '../threads/serve.js';
import { blockPatch } from './block-match.js';
import { bsdiff } from './bsdiff.js';
import { bspatch } from './bspatch.js';

export type PatchMethod = 'bsdiff' | 'block';

export interface PatchJob {
  method: PatchMethod;
  old: Uint8Array;
  new: Uint8Array;
}

export interface PatchJobResult {
  patch: Uint8Array;
  /** Deflated size of the patch. */
  estimate: number;
}

function run(job: PatchJob): PatchJobResult {
  const patch = job.method === 'block' ? blockPatch(job.old, job.new) : bsdiff(job.old, job.new);
  if (!bspatch(job.old, patch, job.new.length).equals(job.new)) throw new Error('patch does not reproduce the new file');
  return { patch, estimate: deflateRawSync(patch, { level: 6 }).length };
}

serveJobs(run, (r) => [r.patch.buffer as ArrayBuffer]);
