// The header worker and the main thread share the reading of a commit's object
// headers (HeaderPrefetch): whichever thread read a header, the cache must hold the
// same thing, xattr values as Buffers, and a corrupt header must still be reported.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { Repo } from '../../src/repo/repo.js';
import { HeaderPrefetch, readArchiveHeader, startHeaderReader } from '../../src/sysroot/archive-object.js';
import { archiveHeaderOf } from '../../src/sysroot/header-bytes.js';
import { makeTempDir } from '../helpers/tmp.js';
import { commitFixture, FIRST } from './sysroot-fixture.js';

/** The repository's content objects, those with xattrs first (so the worker's first batch has them). */
function contentObjects(repo: Repo): string[] {
  const objects = join(repo.path, 'objects');
  const all = readdirSync(objects, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.filez'))
    .map((p) => p.replace('/', '').replace('.filez', ''));
  const hasXattrs = (c: string): boolean => archiveHeaderOf(readFileSync(repo.objectPath(c, 'file'))).meta.xattrs.length > 0;
  return [...all.filter(hasXattrs), ...all.filter((c) => !hasXattrs(c))];
}

async function prefetchAll(repo: Repo, checksums: readonly string[]): Promise<void> {
  const reader = startHeaderReader();
  try {
    // Batches of 2: the worker takes the first ones, this thread the rest at finish().
    const prefetch = new HeaderPrefetch(repo, reader, 2);
    for (const c of checksums) if (prefetch.add(c)) await setImmediate();
    await prefetch.finish();
  } finally {
    await reader.close();
  }
}

describe('HeaderPrefetch', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir()));
  after(() => tmp.remove());

  it('caches what parsing each object itself gives, whichever thread read it', async () => {
    const path = join(tmp.path, 'repo');
    await commitFixture(tmp.path, path, 'first', FIRST, '1');
    const repo = Repo.open(path);
    const checksums = contentObjects(repo);
    assert.ok(archiveHeaderOf(readFileSync(repo.objectPath(checksums[0]!, 'file'))).meta.xattrs.length > 0);
    await prefetchAll(repo, checksums);
    for (const c of checksums) {
      const cached = readArchiveHeader(repo, c);
      assert.deepEqual(cached, archiveHeaderOf(readFileSync(repo.objectPath(c, 'file'))), c);
      for (const x of cached.meta.xattrs) assert.ok(Buffer.isBuffer(x.value), `${c} ${x.name}`);
    }
  });

  it('a header the worker cannot parse is reported as corrupt when it is asked for', async () => {
    const path = join(tmp.path, 'repo');
    const repo = Repo.open(path);
    const checksums = contentObjects(repo);
    const bad = checksums[0]!;
    const bytes = readFileSync(repo.objectPath(bad, 'file'));
    bytes.fill(0xff, 8, 16); // the size field (t), then the framing no longer adds up
    bytes.writeUInt32BE(3, 0); // a header too short for its type
    writeFileSync(repo.objectPath(bad, 'file'), bytes);
    const fresh = Repo.open(path); // its own header cache
    await prefetchAll(fresh, checksums);
    assert.throws(() => readArchiveHeader(fresh, bad), new RegExp(`content object ${bad} in .* is corrupt`));
    assert.equal(readArchiveHeader(fresh, checksums[1]!).size, archiveHeaderOf(readFileSync(repo.objectPath(checksums[1]!, 'file'))).size);
  });
});
