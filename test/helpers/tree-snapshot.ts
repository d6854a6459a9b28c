// Describes every entry of a directory tree (type, mode, owner, content hash, link
// target, xattrs) so two trees made by different tools can be compared entry by entry.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.js';

export interface EntryDescription {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: string;
  uid: number;
  gid: number;
  sha256?: string;
  target?: string;
  xattrs?: Record<string, string>;
}

/** All xattrs under `root`, path (relative) → name → hex value, via getfattr. */
async function readXattrs(root: string): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  // getfattr exits non-zero when any entry cannot be read; its output still holds the rest.
  const { stdout: text } = await run('getfattr', ['-R', '-P', '-d', '-m', '-', '-e', 'hex', '--absolute-names', root]);
  let current = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      current = line.slice('# file: '.length).slice(root.length).replace(/^\//, '');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      const rec = out.get(current) ?? {};
      rec[line.slice(0, eq)] = line.slice(eq + 1);
      out.set(current, rec);
    }
  }
  return out;
}

export async function snapshotTree(root: string, ignore: (path: string) => boolean = () => false): Promise<Map<string, EntryDescription>> {
  const xattrs = await readXattrs(root);
  const out = new Map<string, EntryDescription>();
  const visit = (rel: string): void => {
    const full = rel === '' ? root : join(root, rel);
    const st = lstatSync(full);
    const d: EntryDescription = {
      type: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other',
      mode: (st.mode & 0o7777).toString(8),
      uid: st.uid,
      gid: st.gid,
    };
    if (d.type === 'file') d.sha256 = createHash('sha256').update(readFileSync(full)).digest('hex');
    if (d.type === 'symlink') {
      d.target = readlinkSync(full);
      d.mode = '777';
    }
    const x = xattrs.get(rel);
    if (x) d.xattrs = x;
    out.set(rel, d);
    if (d.type === 'dir') {
      for (const name of readdirSync(full).sort()) {
        const child = rel === '' ? name : `${rel}/${name}`;
        if (!ignore(child)) visit(child);
      }
    }
  };
  visit('');
  return out;
}
