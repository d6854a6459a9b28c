// `yocto-ostree otaimg`: the physical OSTree sysroot of one commit, as the ext4
// filesystem (label otaroot) a device is flashed with, or as a tarball.
import type { Argv, CommandModule } from 'yargs';
import { resolveSettings, settingsOptions, type Settings, type SettingsArgs } from '../conf/settings.js';
import { UsageError } from '../errors.js';
import { optimizeAfter } from '../v8-tiering.js';
import { detectE2fsprogs } from '../image/e2fsprogs.js';
import { TempOutput } from '../image/temp-output.js';
import { writeImage, type Ext4Writer } from '../image/write-image.js';
import type { SizeSettings } from '../image/rootfs-size.js';
import { Repo } from '../repo/repo.js';
import { startHeaderReader, type HeaderReader } from '../sysroot/archive-object.js';
import { buildSysroot } from '../sysroot/build-sysroot.js';
import { parseRepoConfigWords, type SysrootOptions } from '../sysroot/sysroot-options.js';
import { createReporter, formatBytes } from './output.js';

interface OtaimgArgs extends SettingsArgs {
  ref?: string;
  commit?: string;
  output: string;
  format: 'ext4' | 'tar';
  size: string;
  'ext4-writer': Ext4Writer;
  json?: boolean;
}

/** --size: "auto", or KiB with an optional K/M/G suffix. */
export function parseSize(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  const m = /^(\d+)([KMG]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--size must be "auto" or a size in KiB (e.g. 262144, 256M, 2G), not "${text}"`);
  const factor = { '': 1, K: 1, M: 1024, G: 1024 * 1024 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  const kib = Number(m[1]) * factor;
  if (kib < 64) throw new UsageError(`--size ${text} is below 64 KiB, the smallest ext4 mke2fs makes`);
  return kib;
}

function sizeSettings(settings: Settings): SizeSettings {
  return {
    rootfsSize: settings.number('IMAGE_ROOTFS_SIZE') ?? 65536,
    overheadFactor: settings.number('IMAGE_OVERHEAD_FACTOR') ?? 1.3,
    extraSpace: settings.number('IMAGE_ROOTFS_EXTRA_SPACE') ?? 0,
    alignment: settings.number('IMAGE_ROOTFS_ALIGNMENT') ?? 1,
    maxSize: settings.number('IMAGE_ROOTFS_MAXSIZE'),
  };
}

function sysrootOptions(settings: Settings, branch: string, commit: string, commitTime: number): SysrootOptions {
  const osname = settings.require('OSTREE_OSNAME');
  const epoch = settings.number('SOURCE_DATE_EPOCH') ?? commitTime;
  return {
    osname,
    remote: settings.optional('OSTREE_OTA_REMOTE_NAME') ?? osname,
    branch,
    kernelArgs: settings.list('OSTREE_KERNEL_ARGS'),
    readonly: settings.bool('OSTREE_SYSROOT_READONLY'),
    repoConfig: parseRepoConfigWords(settings.list('OSTREE_OTA_REPO_CONFIG')),
    remoteUrl: settings.optional('OSTREE_OTA_REMOTE_URL'),
    installedVersion: `${settings.optional('GARAGE_TARGET_NAME') ?? branch}-${settings.optional('GARAGE_TARGET_VERSION') ?? commit}`,
    epoch,
  };
}

export const otaimgCommand: CommandModule<object, OtaimgArgs> = {
  command: 'otaimg',
  describe: 'Write the OSTree physical sysroot of a commit as an ext4 image (otaroot) or a tarball',
  builder: (y) =>
    y
      // --repo (OSTREE_REPO), --branch (OSTREE_BRANCHNAME) and --os (OSTREE_OSNAME) come with the settings options.
      .options(settingsOptions)
      .option('ref', { type: 'string', requiresArg: true, describe: 'Ref to deploy (default OSTREE_BRANCHNAME); also the branch of the device refspec' })
      .option('commit', { type: 'string', requiresArg: true, conflicts: 'ref', describe: 'Commit checksum to deploy; the device refspec uses OSTREE_BRANCHNAME' })
      .option('output', { type: 'string', demandOption: true, requiresArg: true, describe: 'Image file to write (replaced atomically)' })
      .option('format', { choices: ['ext4', 'tar'] as const, default: 'ext4' as const, describe: 'ext4 filesystem, or the same sysroot as a pax tarball' })
      .option('size', { type: 'string', default: 'auto', describe: 'Filesystem size in KiB (K/M/G suffixes allowed), or auto: Yocto\'s IMAGE_ROOTFS_* formula' })
      .option('ext4-writer', { choices: ['auto', 'mke2fs', 'portable'] as const, default: 'auto' as const, describe: 'mke2fs: mke2fs -d from the tar stream (e2fsprogs >= 1.47.1); portable: mkfs.ext4 + the ext2fs WASM library; auto picks mke2fs when it can' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }) as unknown as Argv<OtaimgArgs>,
  handler: async (args) => {
    const started = Date.now();
    optimizeAfter(16); // V8's flags are the process's: the header worker's too
    // First thing (if cli/early-start.ts has not already): the header worker starts while the settings are read.
    const headers = startHeaderReader();
    try {
      await writeOtaimg(args, started, headers);
    } finally {
      await headers.close(); // again is harmless; here for a failure before the tree was loaded
    }
  },
};

async function writeOtaimg(args: OtaimgArgs, started: number, headers: HeaderReader): Promise<void> {
  // `mke2fs -V` runs while the tree loads; its answer (or failure) is awaited later.
  if (args.format === 'ext4') detectE2fsprogs().catch(() => undefined);
  const out = createReporter(args);
  const settings = resolveSettings(args);
  for (const w of settings.warnings) out.warn(w);
  const size = parseSize(args.size);
  const repo = Repo.open(settings.require('OSTREE_REPO'));
  const branch = args.ref ?? settings.require('OSTREE_BRANCHNAME');
  const commit = args.commit !== undefined ? repo.resolveRev(args.commit) : repo.resolveRev(branch);
  const opts = sysrootOptions(settings, branch, commit, repo.readCommit(commit).timestamp);
  const sizes = sizeSettings(settings);
  const output = TempOutput.create(args.output);
  try {
    const sysroot = await buildSysroot(repo, commit, opts, headers);
    // Done with: its thread goes while the image is written (waiting for it took up to 60 ms).
    void headers.close();
    const result = await writeImage({
      sysroot,
      source: repo,
      out: output,
      format: args.format,
      size,
      sizeSettings: sizes,
      writer: args['ext4-writer'],
      onProgress: (p) => out.progress(() => `${p.entries}/${sysroot.entries.length} entries, ${formatBytes(p.bytes)}`),
    });
    output.commit();
    out.done();
    const seconds = (Date.now() - started) / 1000;
    out.info(`${output.finalPath}: ${args.format === 'ext4' ? `ext4 ${result.sizeKiB} KiB (${result.writer}, e2fsprogs ${result.e2fsprogs})` : 'tar'}, ${opts.osname}:${branch} ${commit}`);
    out.result({
      output: output.finalPath,
      commit,
      refspec: `${opts.remote}:${branch}`,
      osname: opts.osname,
      bootcsum: sysroot.bootcsum,
      deployment: sysroot.deployment,
      entries: sysroot.entries.length,
      epoch: opts.epoch,
      ...result,
      seconds: Number(seconds.toFixed(3)),
    });
  } catch (e) {
    output.discard();
    throw e;
  }
}
