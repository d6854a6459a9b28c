// An exclusive writer lock on a repository. Node has no flock(), so the lock is a
// file holding the owner's pid and host, created whole: written under a name of its
// own, then hardlinked to the lock's name, which fails if that exists (a contender
// never reads a half-written lock). A lock whose owner is gone (killed with SIGKILL,
// say) is stale and taken over.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { RepoLockedError } from '../errors.js';

export const LOCK_FILE = 'yocto-ostree.lock';

export interface RepoLock {
  release(): void;
}

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves a stale lock aside. If a contender replaced it in the meantime with a live
 * lock, what we moved is not the stale one: put it back and let the loop re-check.
 */
function takeOverStale(file: string, staleHolder: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else moved it first
  }
  if (readFileSync(aside, 'utf8').trim() === staleHolder) unlinkSync(aside);
  else renameSync(aside, file);
}

export function acquireLock(repoPath: string): RepoLock {
  const file = `${repoPath}/${LOCK_FILE}`;
  const me = `${process.pid} ${hostname()}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const mine = `${file}.${process.pid}`;
    writeFileSync(mine, me + '\n', { mode: 0o640 });
    try {
      linkSync(mine, file);
      return {
        release() {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(mine);
    }
    let holder = '';
    try {
      holder = readFileSync(file, 'utf8').trim();
    } catch {
      continue; // released meanwhile: try again
    }
    const [pidText, host] = holder.split(' ');
    const pid = Number(pidText);
    // An empty lock was left by a version that wrote it in place and was killed doing so.
    if (holder === '' || (host === hostname() && Number.isInteger(pid) && pid > 0 && !ownerAlive(pid))) {
      takeOverStale(file, holder);
      continue;
    }
    throw new RepoLockedError(repoPath, `process ${pidText} on ${host ?? 'unknown host'}`);
  }
  throw new RepoLockedError(repoPath, 'another process');
}
