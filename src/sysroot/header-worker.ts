// Worker thread: reads and parses content objects' headers while the main thread
// walks the commit's directories (archive-object.ts HeaderPrefetch). Loading a
// commit's tree reads one header per object: 58k open + read + close on the big
// corpus, ~1 s of system calls and parsing that the second core can take.
import { serveJobs } from '../threads/serve.js';
import { archiveHeaderOf, readHeaderBytes, type ArchiveHeader } from './header-bytes.js';

export interface HeaderJob {
  paths: string[];
}

export interface HeaderResult {
  /** Per path, in order; null when the object cannot be read or its header is corrupt (the main thread says which). */
  headers: (ArchiveHeader | null)[];
}

function headerAt(path: string): ArchiveHeader | null {
  const bytes = readHeaderBytes(path);
  if (!bytes) return null;
  try {
    return archiveHeaderOf(bytes);
  } catch {
    return null;
  }
}

serveJobs((job: HeaderJob): HeaderResult => ({ headers: job.paths.map(headerAt) }));
