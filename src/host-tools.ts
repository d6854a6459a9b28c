// execa runs the host tools (sync, bzip2/xz/zstd, e2fsprogs): about a hundred
// modules, ~0.1 s to load. Loaded on first use, once, so commands that never run a
// tool do not pay for it; a caller that will need it may start the load early.
import type { execa as Execa } from 'execa';

let loading: Promise<typeof Execa> | undefined;

export function loadExeca(): Promise<typeof Execa> {
  loading ??= import('execa').then((m) => m.execa);
  return loading;
}
