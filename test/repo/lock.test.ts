import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { spawnSync } from 'node:child_process';
import { RepoLockedError } from '../../src/errors.js';
import { acquireLock, LOCK_FILE } from '../../src/repo/lock.js';
import { makeTempDir } from '../helpers/tmp.js';

/** A pid that was alive a moment ago and is not any more. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('repository lock', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('holds the owner, names it to a contender, and leaves nothing behind once released', () => {
    const lock = acquireLock(dir.path);
    assert.equal(readFileSync(`${dir.path}/${LOCK_FILE}`, 'utf8'), `${process.pid} ${hostname()}\n`);
    assert.throws(() => acquireLock(dir.path), (e: unknown) => e instanceof RepoLockedError && e.message.includes(`locked by process ${process.pid} on ${hostname()}`));
    lock.release();
    assert.deepEqual(readdirSync(dir.path), []);
  });

  it('takes over a lock whose owner is gone, and an empty one', () => {
    for (const stale of [`${deadPid()} ${hostname()}\n`, '']) {
      writeFileSync(`${dir.path}/${LOCK_FILE}`, stale);
      const lock = acquireLock(dir.path);
      assert.equal(readFileSync(`${dir.path}/${LOCK_FILE}`, 'utf8'), `${process.pid} ${hostname()}\n`);
      lock.release();
    }
    assert.deepEqual(readdirSync(dir.path), []);
  });
});
