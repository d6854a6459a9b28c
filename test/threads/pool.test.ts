import assert from 'node:assert/strict';
import { ThreadPool } from '../../src/threads/pool.js';

const ECHO = new URL('./echo-worker.js', import.meta.url);

/** Blocks this thread, so that a worker's reply waits in the queue. */
function blockFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('ThreadPool', () => {
  it('runs jobs on its workers and answers each with its own result', async () => {
    const pool = new ThreadPool<number, number>(ECHO, 2);
    try {
      assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(() => ({ job: n, transfer: [] })))), [2, 4, 6, 8, 10]);
    } finally {
      await pool.close();
    }
  });

  it('with a depth of two, a worker holds two jobs at once, answers each in order, and close() fails both', async () => {
    const pool = new ThreadPool<number, number>(ECHO, 1, 2);
    try {
      const prepared: number[] = [];
      const run = (n: number): Promise<number> => pool.run(() => (prepared.push(n), { job: n, transfer: [] }));
      const jobs = [1, 2, 3, 4].map(run);
      assert.deepEqual(prepared, [1, 2]); // two handed over at once, the others wait for a free place
      assert.deepEqual(await Promise.all(jobs), [2, 4, 6, 8]);
      const late = pool.run(() => ({ job: 50, transfer: [] }));
      const later = pool.run(() => ({ job: 60, transfer: [] }));
      blockFor(300); // both answered by now, neither delivered
      const closed = pool.close();
      await assert.rejects(late, /closed before the job finished/);
      await assert.rejects(later, /closed before the job finished/);
      await closed;
    } finally {
      await pool.close();
    }
  });

  it('fails the jobs still running at close() and ignores their late replies', async () => {
    const pool = new ThreadPool<number, number>(ECHO, 1);
    await pool.run(() => ({ job: 0, transfer: [] })); // the worker is up
    const job = pool.run(() => ({ job: 21, transfer: [] }));
    blockFor(300); // the reply is queued by now, not yet delivered
    const closed = pool.close();
    await assert.rejects(job, /closed before the job finished/);
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 50)); // an uncaught error would fail the test here
  });

  it('fails every job, queued or later, once a worker cannot load its module', async () => {
    const pool = new ThreadPool<number, number>(new URL('./broken-worker.js', import.meta.url), 1);
    pool.start();
    try {
      await assert.rejects(pool.run(() => ({ job: 1, transfer: [] })), /a worker thread failed: broken on load/);
      await assert.rejects(pool.run(() => ({ job: 2, transfer: [] })), /broken on load/);
    } finally {
      await pool.close();
    }
  });

  it('fails the running and queued jobs when a worker exits, instead of leaving them unanswered', async () => {
    const pool = new ThreadPool<number, number>(new URL('./exiting-worker.js', import.meta.url), 1);
    try {
      const jobs = [3, 4].map((code) => pool.run(() => ({ job: code, transfer: [] })));
      for (const job of jobs) await assert.rejects(job, /a worker thread exited \(code 3\)/);
      await assert.rejects(pool.run(() => ({ job: 5, transfer: [] })), /exited \(code 3\)/);
    } finally {
      await pool.close();
    }
  });

  it('takes over a prestarted worker, and reports a prestarted worker that failed before it was taken', async () => {
    // A URL of its own (the query), so that no other test's pool takes this worker.
    const echo = new URL('./echo-worker.js?prestart', import.meta.url);
    ThreadPool.prestart(echo);
    const pool = new ThreadPool<number, number>(echo, 1);
    try {
      assert.equal(await pool.run(() => ({ job: 4, transfer: [] })), 8);
    } finally {
      await pool.close();
    }
    const broken = new URL('./broken-worker.js?prestart', import.meta.url);
    ThreadPool.prestart(broken);
    await new Promise((resolve) => setTimeout(resolve, 500)); // it fails to load meanwhile, with no pool listening
    const late = new ThreadPool<number, number>(broken, 1);
    try {
      await assert.rejects(late.run(() => ({ job: 1, transfer: [] })), /a worker thread failed: broken on load/);
    } finally {
      await late.close();
    }
  });
});
