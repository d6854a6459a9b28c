// One `debugfs -w` pass for what the filesystem writer could not set: inode fields
// (32-bit owners, times, flags) and xattrs. Commands go in a file (-f); debugfs
// reports failures only on stderr, so any stderr line besides its banner fails the
// pass. Paths are double-quoted (ss syntax: a quote inside is doubled); xattr
// values are written as \xHH escapes, long ones from a file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Xattr } from '../ostree/xattrs.js';
import { parentOf } from '../sysroot/sysroot-entry.js';
import { runE2fs } from './e2fsprogs.js';
import { ImageError } from './image-error.js';

/** Above this many bytes a value goes through `ea_set -f` (debugfs reads command lines of up to 8 KiB). */
const INLINE_VALUE_MAX = 1024;

/** EXT4_IMMUTABLE_FL. */
export const IMMUTABLE_FL = 0x10;

export class DebugfsScript {
  private readonly lines: string[] = [];
  private readonly valueFiles: Buffer[] = [];

  get length(): number {
    return this.lines.length;
  }

  private static quote(path: string): string {
    if (path.includes('\n')) throw new ImageError(`/${path}: debugfs cannot name a path with a newline in it`);
    return `"/${path.replace(/"/g, '""')}"`;
  }

  /** set_inode_field; numbers only (times as @seconds). */
  setField(path: string, field: 'uid' | 'gid' | 'mtime' | 'flags' | 'links_count', value: number): void {
    const v = field === 'mtime' ? `@${value}` : field === 'flags' ? `0x${value.toString(16)}` : String(value);
    this.lines.push(`sif ${DebugfsScript.quote(path)} ${field} ${v}`);
  }

  /**
   * Moves a directory to `to`, whose parent exists and which does not: the entry
   * under the new name, the old one gone, and its ".." naming the new parent (put
   * back where it was, as the second entry). Link counts are left as they were.
   */
  moveDirectory(from: string, to: string): void {
    const dotdot = `${to}/..`;
    this.lines.push(`ln ${DebugfsScript.quote(from)} ${DebugfsScript.quote(to)}`, `unlink ${DebugfsScript.quote(from)}`);
    this.lines.push(`unlink ${DebugfsScript.quote(dotdot)}`, `ln ${DebugfsScript.quote(parentOf(to))} ${DebugfsScript.quote(dotdot)}`);
  }

  setXattr(path: string, x: Xattr): void {
    if (/["\s]/.test(x.name)) throw new ImageError(`/${path}: debugfs cannot set the xattr name "${x.name}"`);
    if (x.value.length > INLINE_VALUE_MAX) {
      this.valueFiles.push(x.value);
      this.lines.push(`ea_set -f @VALUE${this.valueFiles.length - 1}@ ${DebugfsScript.quote(path)} ${x.name}`);
    } else {
      const escaped = [...x.value].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
      this.lines.push(`ea_set ${DebugfsScript.quote(path)} ${x.name} ${escaped || '""'}`);
    }
  }

  /** Runs the commands against `image` (read-write). */
  async run(image: string, env: Record<string, string>): Promise<void> {
    if (this.lines.length === 0) return;
    const dir = mkdtempSync(join(tmpdir(), 'yocto-ostree-debugfs-'));
    try {
      const files = this.valueFiles.map((value, i) => {
        const file = join(dir, `value${i}`);
        writeFileSync(file, value);
        return file;
      });
      const text = this.lines.map((l) => l.replace(/@VALUE(\d+)@/, (_m, i: string) => files[Number(i)])).join('\n') + '\n';
      const script = join(dir, 'commands');
      writeFileSync(script, text);
      const { stderr } = await runE2fs('debugfs', ['-w', '-f', script, image], env);
      const problems = stderr.split('\n').filter((l) => l.trim() !== '' && !/^debugfs \d/.test(l));
      if (problems.length > 0) throw new ImageError(`debugfs could not complete the image: ${problems[0].trim()}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** i_flags of `path` (debugfs stat, read-only), to add a flag without clearing the others. */
export async function inodeFlags(image: string, path: string, env: Record<string, string>): Promise<number> {
  const { stdout } = await runE2fs('debugfs', ['-R', `stat "/${path.replace(/"/g, '""')}"`, image], env);
  const m = /Flags: 0x([0-9a-f]+)/.exec(stdout);
  if (!m) throw new ImageError(`debugfs could not read the flags of /${path}`);
  return parseInt(m[1], 16);
}
