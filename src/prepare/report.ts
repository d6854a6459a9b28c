// What preparation tells the user: warnings (printed by the CLI), and the refusal
// to drop data silently (meta-updater's ostree_rmdir_helper warns; --strict makes
// it an error, as OSTREE_RMDIR_HELPER_MSGTYPE=bbfatal does).
import type { KernelLayout } from './kernel-options.js';
import { PrepareError } from './prepare-error.js';

export interface PlacedKernel {
  layout: KernelLayout;
  /** Undefined only in the legacy layout when nothing tells the version. */
  kver?: string;
  bootcsum: string;
  /** Tree paths of what ostree admin deploy will install. */
  kernel: string;
  initramfs?: string;
  devicetree?: string;
}

export interface PrepareReport {
  warnings: string[];
  /** Set when a kernel was placed. */
  kernel?: PlacedKernel;
}

export function newReport(): PrepareReport {
  return { warnings: [] };
}

/** "a, b, c, … (N in all)": the first few paths of a list, for one-line messages. */
function firstPaths(paths: readonly string[], shown = 3): string {
  const head = paths.slice(0, shown).join(', ');
  return paths.length > shown ? `${head}, … (${paths.length} in all)` : head;
}

/**
 * Reports regular files a step removes from the tree: a warning, or with
 * `strict` an error. `where` says what was emptied, `advice` what to do instead.
 */
export function reportDroppedFiles(report: PrepareReport, strict: boolean, step: string, where: string, files: readonly string[], advice: string): void {
  if (files.length === 0) return;
  const message = `${where}: dropped ${files.length} file${files.length === 1 ? '' : 's'} (${firstPaths(files)}); ${advice}`;
  if (strict) throw new PrepareError(step, message + ' (refused with --strict)');
  report.warnings.push(message);
}
