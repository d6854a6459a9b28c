// The whole physical sysroot for one commit, as the ordered entry list the writers
// consume: what `ostree admin init-fs`, `os-init`, `pull-local`, `refs --create` and
// `deploy` (U-Boot backend) plus meta-updater's IMAGE_CMD:ota leave behind, built
// from the archive repository without ostree, root or a staging copy.
import type { Commit } from '../ostree/commit.js';
import { isValidRef, isValidRemoteName } from '../ostree/validate.js';
import { vardictGet } from '../ostree/vardict.js';
import { regularFileAt } from '../prepare/tree-paths.js';
import { readContentObject } from '../repo/content-reader.js';
import type { Repo } from '../repo/repo.js';
import type { FileNode, Tree } from '../tree/tree.js';
import type { HeaderReader } from './archive-object.js';
import { bareRepoEntries } from './bare-repo.js';
import type { BootEntry } from './boot-config.js';
import { BOOTVERSION, bootEntries, deploymentRef } from './boot-entries.js';
import { loadCommitTree } from './commit-tree.js';
import { findDeployedKernel } from './deployed-kernel.js';
import { checkEtc, deploymentDir, deploymentEntries } from './deployment.js';
import { deviceRepoConfig } from './device-repo-config.js';
import { initFsEntries } from './init-fs.js';
import { parseOsRelease } from './os-release.js';
import { staterootEntries } from './stateroot.js';
import { sortEntries } from './entry-order.js';
import type { SysrootEntry } from './sysroot-entry.js';
import { SysrootError, type SysrootOptions } from './sysroot-options.js';

export interface Sysroot {
  commit: string;
  commitObject: Commit;
  bootcsum: string;
  /** The deployment root, relative to the sysroot. */
  deployment: string;
  entries: SysrootEntry[];
  /** The names in each directory that has entries. */
  dirNames: ReadonlyMap<string, readonly string[]>;
  epoch: number;
}

/** The first deployment of the stateroot: serial 0, index 0 of 1. */
const SERIAL = 0;

function checkNames(opts: SysrootOptions): void {
  if (!isValidRemoteName(opts.osname)) throw new SysrootError(`"${opts.osname}" is not a valid stateroot (OS) name`);
  if (!isValidRemoteName(opts.remote)) throw new SysrootError(`"${opts.remote}" is not a valid remote name`);
  if (!isValidRef(opts.branch)) throw new SysrootError(`"${opts.branch}" is not a valid ref name`);
}

/** The BLS title's OS part: PRETTY_NAME, else ID, plus the commit's version when it is not in it already. */
function osTitle(commit: string, commitObject: Commit, tree: Tree, read: (node: FileNode) => Buffer): string {
  // ostree reads /etc/os-release when usr/lib has none: the deployment's etc is usr/etc's copy.
  const file = regularFileAt(tree, 'usr/lib/os-release') ?? regularFileAt(tree, 'usr/etc/os-release');
  if (!file) throw new SysrootError(`commit ${commit} has no usr/lib/os-release or /etc/os-release; ostree admin deploy needs one for the boot entry title`);
  const fields = parseOsRelease(read(file.node).toString('utf8'));
  const name = fields.get('PRETTY_NAME') ?? fields.get('ID');
  if (name === undefined) throw new SysrootError(`commit ${commit}: no PRETTY_NAME or ID in ${file.path}`);
  const version = vardictGet(commitObject.metadata, 'version');
  return typeof version === 'string' && version !== '' && !name.includes(version) ? `${name} ${version}` : name;
}

/** `headers` reads a share of the commit's object headers (startHeaderReader). */
export async function buildSysroot(source: Repo, commit: string, opts: SysrootOptions, headers: HeaderReader): Promise<Sysroot> {
  checkNames(opts);
  const ct = await loadCommitTree(source, commit, headers);
  checkEtc(commit, ct.tree);
  const read = (node: FileNode): Buffer => readContentObject(source, node.checksum).data;
  const kernel = findDeployedKernel(commit, ct.tree, read);
  const systemUEnv = regularFileAt(ct.tree, 'usr/lib/ostree-boot/uEnv.txt');
  const entry: BootEntry = {
    osname: opts.osname,
    bootcsum: kernel.bootcsum,
    bootversion: BOOTVERSION,
    bootserial: 0,
    kernel,
    kernelArgs: opts.kernelArgs,
    osTitle: osTitle(commit, ct.commit, ct.tree, read),
    index: 0,
    deploymentCount: 1,
    systemUEnv: systemUEnv && read(systemUEnv.node).toString('utf8'),
  };
  const refs = [deploymentRef(commit, entry.index), { name: `remotes/${opts.remote}/${opts.branch}`, checksum: commit }];
  const repo = bareRepoEntries(ct, deviceRepoConfig(opts), refs, opts.epoch);
  const deployment = deploymentEntries(commit, ct.tree, repo.objects, opts, SERIAL);
  const entries: SysrootEntry[] = [
    ...initFsEntries(opts.epoch),
    ...repo.entries,
    ...staterootEntries(commit, ct.tree, opts),
    ...deployment.entries,
    ...bootEntries({ commit, tree: ct.tree, kernel, deployed: deployment.inodes, entry, deploymentSerial: SERIAL, epoch: opts.epoch }),
  ];
  const dirNames = new Map<string, string[]>();
  const ordered = sortEntries(entries, dirNames);
  return { commit, commitObject: ct.commit, bootcsum: kernel.bootcsum, deployment: deploymentDir(opts.osname, commit, SERIAL), entries: ordered, dirNames, epoch: opts.epoch };
}
