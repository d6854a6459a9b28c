// Worker thread: reads content objects' headers while the main thread reads others
// (archive-object.ts prefetchArchiveHeaders). Loading a commit's tree reads one
// header per object: 58k open + read + close on the big corpus, ~1 s of system
// calls that the second core can share.
import { serveJobs } from '../threads/serve.js';
import { packHeaders, readHeaderBytes } from './header-bytes.js';

export interface HeaderJob {
  paths: string[];
}

export interface HeaderResult {
  /** packHeaders() of the paths' headers, in order. */
  packed: ArrayBuffer;
}

serveJobs(
  (job: HeaderJob): HeaderResult => ({ packed: packHeaders(job.paths.map(readHeaderBytes)) }),
  (r) => [r.packed],
);
