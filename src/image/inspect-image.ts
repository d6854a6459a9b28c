// What an otaimg holds, read without mounting: the loader state (boot/loader ->
// loader.N, its BLS entries and uEnv.txt), each deployment with its origin, and a
// verification of every deployed file and directory against the commit stored in
// the image's own repository (content checksums, owners, modes, xattrs).
import { createHash } from 'node:crypto';
import { parseCommit } from '../ostree/commit.js';
import { sha256Hex } from '../ostree/checksum.js';
import { parseDirMeta } from '../ostree/dirmeta.js';
import { parseDirTree } from '../ostree/dirtree.js';
import { encodeContentHeader } from '../ostree/file-header.js';
import { looseObjectPath, type ObjectType } from '../ostree/object-type.js';
import { canonicalXattrs, type Xattr } from '../ostree/xattrs.js';
import { parseKeyFile } from '../repo/repo-config.js';
import type { Ext4Image, ImageNode } from './ext4-image.js';

export interface BootEntryInfo {
  file: string;
  fields: Record<string, string>;
  /** The deployment its ostree= argument leads to. */
  deployment?: string;
}

export interface DeploymentInfo {
  osname: string;
  commit: string;
  serial: number;
  path: string;
  refspec?: string;
  verified: { files: number; dirs: number; bytes: number };
  problems: string[];
}

export interface InspectReport {
  label: string;
  uuid: string;
  bootversion?: number;
  entries: BootEntryInfo[];
  uEnv: Record<string, string>;
  deployments: DeploymentInfo[];
  ok: boolean;
}

const REPO = 'ostree/repo';
const DEPLOYMENT_NAME = /^([0-9a-f]{64})\.(\d+)$/;
const MAX_PROBLEMS = 20;

function keyValues(text: string, sep: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = sep.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** xattrs as ostree sees them: without the inline-data system.data attribute ext4 keeps. */
const visibleXattrs = (n: ImageNode): Xattr[] => canonicalXattrs(n.xattrs.filter((x) => x.name !== 'system.data'));

const sameXattrs = (a: Xattr[], b: Xattr[]): boolean =>
  a.length === b.length && canonicalXattrs(a).every((x, i) => x.name === canonicalXattrs(b)[i].name && x.value.equals(canonicalXattrs(b)[i].value));

async function readObject(img: Ext4Image, checksum: string, type: ObjectType): Promise<Buffer> {
  const bytes = await img.readFile(`${REPO}/${looseObjectPath(checksum, type, 'bare')}`);
  if (sha256Hex(bytes) !== checksum) throw new Error(`${type} object ${checksum} is corrupt`);
  return bytes;
}

/** Every file and directory of the deployment against the commit's dirtree/dirmeta objects. */
async function verifyDeployment(img: Ext4Image, d: DeploymentInfo): Promise<void> {
  const problem = (text: string): void => {
    if (d.problems.length < MAX_PROBLEMS) d.problems.push(text);
  };
  const commit = parseCommit(await readObject(img, d.commit, 'commit'));
  const visit = async (treeCsum: string, metaCsum: string, rel: string): Promise<void> => {
    const path = rel === '' ? d.path : `${d.path}/${rel}`;
    const meta = parseDirMeta(await readObject(img, metaCsum, 'dirmeta'));
    const node = await img.lstat(path);
    if (node?.kind !== 'dir') return problem(`/${path}: missing directory`);
    if (node.uid !== meta.uid || node.gid !== meta.gid || node.mode !== meta.mode || !sameXattrs(visibleXattrs(node), meta.xattrs)) problem(`/${path}: directory metadata differs from the commit`);
    d.verified.dirs++;
    const tree = parseDirTree(await readObject(img, treeCsum, 'dirtree'));
    for (const f of tree.files) {
      const filePath = `${path}/${f.name}`;
      const fileNode = await img.lstat(filePath);
      if (!fileNode || (fileNode.kind !== 'file' && fileNode.kind !== 'symlink')) {
        problem(`/${filePath}: missing`);
        continue;
      }
      const target = fileNode.kind === 'symlink' ? await img.readlink(filePath) : '';
      const hash = createHash('sha256').update(encodeContentHeader({ uid: fileNode.uid, gid: fileNode.gid, mode: fileNode.mode, symlinkTarget: target, xattrs: visibleXattrs(fileNode) }));
      if (fileNode.kind === 'file') {
        for await (const chunk of img.chunks(filePath)) {
          hash.update(chunk);
          d.verified.bytes += chunk.length;
        }
      }
      if (hash.digest('hex') !== f.checksum) problem(`/${filePath}: content checksum differs from object ${f.checksum}`);
      d.verified.files++;
    }
    for (const sub of tree.dirs) await visit(sub.treeChecksum, sub.metaChecksum, rel === '' ? sub.name : `${rel}/${sub.name}`);
  };
  await visit(commit.rootTree, commit.rootMeta, '');
}

async function listDeployments(img: Ext4Image): Promise<DeploymentInfo[]> {
  const out: DeploymentInfo[] = [];
  const deployRoot = 'ostree/deploy';
  if ((await img.lstat(deployRoot))?.kind !== 'dir') return out;
  for (const osname of await img.readdir(deployRoot)) {
    const dir = `${deployRoot}/${osname}/deploy`;
    if ((await img.lstat(dir))?.kind !== 'dir') continue;
    for (const name of await img.readdir(dir)) {
      const m = DEPLOYMENT_NAME.exec(name);
      if (!m) continue;
      const path = `${dir}/${name}`;
      const origin = await img.lstat(`${path}.origin`);
      const refspec = origin?.kind === 'file' ? parseKeyFile((await img.readFile(`${path}.origin`)).toString('utf8')).origin?.refspec : undefined;
      out.push({ osname, commit: m[1], serial: Number(m[2]), path, refspec, verified: { files: 0, dirs: 0, bytes: 0 }, problems: [] });
    }
  }
  return out;
}

async function bootEntries(img: Ext4Image): Promise<BootEntryInfo[]> {
  const dir = 'boot/loader/entries';
  if ((await img.lstat(dir)) === undefined && (await img.lstat('boot/loader')) === undefined) return [];
  const entries: BootEntryInfo[] = [];
  for (const file of await img.readdir(dir).catch(() => [] as string[])) {
    if (!file.endsWith('.conf')) continue;
    const fields = keyValues((await img.readFile(`${dir}/${file}`)).toString('utf8'), /^(\S+) (.*)$/);
    const bootlink = /(?:^| )ostree=(\S+)/.exec(fields.options ?? '')?.[1];
    let deployment: string | undefined;
    if (bootlink) {
      const link = bootlink.replace(/^\//, '');
      const target = (await img.lstat(link))?.kind === 'symlink' ? await img.readlink(link) : undefined;
      // ../../../deploy/<os>/deploy/<csum>.<serial>, relative to ostree/boot.N.M/<os>/<bootcsum>/
      if (target) deployment = `ostree/${target.replace(/^(\.\.\/)+/, '')}`;
    }
    entries.push({ file, fields, deployment });
  }
  return entries;
}

export async function inspectImage(img: Ext4Image, onDeployment?: (d: DeploymentInfo) => void): Promise<InspectReport> {
  const loader = await img.lstat('boot/loader');
  const loaderTarget = loader?.kind === 'symlink' ? await img.readlink('boot/loader') : undefined;
  const bootversion = loaderTarget && /^loader\.(\d+)$/.test(loaderTarget) ? Number(loaderTarget.slice('loader.'.length)) : undefined;
  const uEnvNode = await img.lstat('boot/loader/uEnv.txt').catch(() => undefined);
  const uEnv = uEnvNode ? keyValues((await img.readFile('boot/loader/uEnv.txt')).toString('utf8'), /^([^=]+)=(.*)$/) : {};
  const deployments = await listDeployments(img);
  for (const d of deployments) {
    try {
      await verifyDeployment(img, d);
    } catch (e) {
      d.problems.push((e as Error).message);
    }
    onDeployment?.(d);
  }
  const entries = await bootEntries(img);
  const ok = deployments.length > 0 && deployments.every((d) => d.problems.length === 0) && entries.every((e) => e.deployment !== undefined && deployments.some((d) => d.path === e.deployment));
  return { label: img.label, uuid: img.uuid, bootversion, entries, uEnv, deployments, ok };
}
