// Entry-by-entry descriptions of a sysroot, read from an ext4 image (through
// Ext4Image, no mount) or from a directory made by real ostree (lstat + getfattr),
// in one shape so the two can be compared: type, mode, owner, mtime, xattrs,
// content hash or link target, and hardlink group (all names of the inode).
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { Ext4Image } from '../../src/image/ext4-image.js';
import { snapshotTree } from '../helpers/tree-snapshot.js';

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: string;
  uid: number;
  gid: number;
  mtime: number;
  /** name → hex value */
  xattrs: Record<string, string>;
  sha256?: string;
  target?: string;
  /** Every path of the inode, sorted; only for files and symlinks with more than one name. */
  links?: string[];
  ino: number;
}

function groupLinks(entries: Map<string, Entry>): void {
  const byIno = new Map<number, string[]>();
  for (const [path, e] of entries) if (e.type !== 'dir') byIno.set(e.ino, [...(byIno.get(e.ino) ?? []), path]);
  for (const paths of byIno.values()) if (paths.length > 1) for (const p of paths) entries.get(p)!.links = [...paths].sort();
}

export async function snapshotImage(image: string): Promise<Map<string, Entry>> {
  const img = await Ext4Image.open(image);
  const out = new Map<string, Entry>();
  try {
    const visit = async (path: string): Promise<void> => {
      const n = (await img.lstat(path))!;
      const e: Entry = { type: n.kind, mode: n.perms.toString(8), uid: n.uid, gid: n.gid, mtime: n.mtime, xattrs: {}, ino: n.ino };
      for (const x of n.xattrs) e.xattrs[x.name] = `0x${x.value.toString('hex')}`;
      if (n.kind === 'file') e.sha256 = createHash('sha256').update(await img.readFile(path)).digest('hex');
      if (n.kind === 'symlink') e.target = await img.readlink(path);
      out.set(path, e);
      if (n.kind === 'dir') for (const name of await img.readdir(path)) await visit(path === '' ? name : `${path}/${name}`);
    };
    await visit('');
  } finally {
    await img.close();
  }
  groupLinks(out);
  return out;
}

export async function snapshotDirectory(root: string): Promise<Map<string, Entry>> {
  const base = await snapshotTree(root);
  const out = new Map<string, Entry>();
  for (const [path, d] of base) {
    const st = lstatSync(path === '' ? root : join(root, path));
    out.set(path, { type: d.type, mode: d.type === 'symlink' ? '777' : d.mode, uid: d.uid, gid: d.gid, mtime: Math.floor(st.mtimeMs / 1000), xattrs: d.xattrs ?? {}, sha256: d.sha256, target: d.target, ino: st.ino });
  }
  groupLinks(out);
  return out;
}

/** Differences between two snapshots as readable lines (empty: equal), `ignore` decides per path and field. */
export function diffSnapshots(got: Map<string, Entry>, want: Map<string, Entry>, ignore: (path: string, field: keyof Entry | 'presence') => boolean = () => false): string[] {
  const out: string[] = [];
  for (const path of new Set([...got.keys(), ...want.keys()])) {
    const g = got.get(path);
    const w = want.get(path);
    if (!g || !w) {
      if (!ignore(path, 'presence')) out.push(`${path || '/'}: only in ${g ? 'ours' : 'the reference'}`);
      continue;
    }
    for (const field of ['type', 'mode', 'uid', 'gid', 'mtime', 'xattrs', 'sha256', 'target', 'links'] as const) {
      const a = JSON.stringify(g[field]);
      const b = JSON.stringify(w[field]);
      if (a !== b && !ignore(path, field)) out.push(`${path || '/'}: ${field} ${a} != ${b}`);
    }
  }
  return out;
}
