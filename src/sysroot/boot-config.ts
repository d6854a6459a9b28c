// The two files the U-Boot backend of ostree admin deploy (2022.7) writes for a
// deployment: the BLS entry boot/loader.N/entries/ostree-<V>-<os>.conf and
// boot/loader.N/uEnv.txt (ostree-format.md §8.5, §8.6). Same fields, same order.
import type { DeployedKernel } from './deployed-kernel.js';

export interface BootEntry {
  osname: string;
  bootcsum: string;
  bootversion: number;
  bootserial: number;
  kernel: DeployedKernel;
  /** OSTREE_KERNEL_ARGS words, as --karg-append gives them. */
  kernelArgs: readonly string[];
  /** PRETTY_NAME (else ID), with the commit version when it is not already part of it. */
  osTitle: string;
  /** Index of the deployment (0: the default). */
  index: number;
  deploymentCount: number;
  /** The deployment's usr/lib/ostree-boot/uEnv.txt, appended after the default entry. */
  systemUEnv?: string;
}

const karg = (key: string, value: string): string => `${key}=${value}`;

/** ostree_kernel_args_replace_take: the first argument with this key takes the value, others go; else appended. */
function replaceArg(args: string[], key: string, value: string): string[] {
  const keyOf = (a: string): string => a.slice(0, a.includes('=') ? a.indexOf('=') : a.length);
  const first = args.findIndex((a) => keyOf(a) === key);
  if (first < 0) return [...args, karg(key, value)];
  return args.flatMap((a, i) => (i === first ? [karg(key, value)] : keyOf(a) === key ? [] : [a]));
}

/** The bootlink the kernel argument ostree= names, /ostree/boot.N/<os>/<bootcsum>/<serial>. */
export function bootlinkPath(e: Pick<BootEntry, 'bootversion' | 'osname' | 'bootcsum' | 'bootserial'>): string {
  return `/ostree/boot.${e.bootversion}/${e.osname}/${e.bootcsum}/${e.bootserial}`;
}

export function bootOptions(e: BootEntry): string {
  let args = [...e.kernelArgs];
  if (e.kernel.initramfsName === undefined) args = replaceArg(args, 'init', `${bootlinkPath(e)}/usr/lib/ostree/ostree-prepare-root`);
  args = replaceArg(args, 'ostree', bootlinkPath(e));
  return args.join(' ');
}

/** Paths relative to /boot, as in the BLS entry. */
function bootPaths(e: BootEntry): { linux: string; initrd?: string; devicetree?: string; fdtdir?: string } {
  const dir = `/ostree/${e.osname}-${e.bootcsum}`;
  return {
    linux: `${dir}/${e.kernel.kernelName}`,
    initrd: e.kernel.initramfsName && `${dir}/${e.kernel.initramfsName}`,
    devicetree: e.kernel.devicetreeName && `${dir}/${e.kernel.devicetreeName}`,
    fdtdir: e.kernel.dtbDir !== undefined ? `${dir}/dtb` : undefined,
  };
}

export function blsEntryName(e: BootEntry): string {
  return `ostree-${e.deploymentCount - e.index}-${e.osname}.conf`;
}

/** ostree_bootconfig_parser_write_at: title version options devicetree linux initrd, then the rest. */
export function blsEntryText(e: BootEntry): string {
  const p = bootPaths(e);
  const fields: [string, string | undefined][] = [
    ['title', `${e.osTitle} (ostree:${e.index})`],
    ['version', String(e.deploymentCount - e.index)],
    ['options', bootOptions(e)],
    ['devicetree', p.devicetree],
    ['linux', p.linux],
    ['initrd', p.initrd],
    ['fdtdir', p.fdtdir],
  ];
  return fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `${k} ${v}\n`)
    .join('');
}

/** _ostree_sysroot_join_lines: one "\n" after each line, repeated or leading empty lines dropped. */
function joinLines(lines: readonly string[]): string {
  let out = '';
  let prevEmpty = false;
  lines.forEach((line, i) => {
    if (line === '') {
      if (prevEmpty || i === 0) return;
      prevEmpty = true;
    }
    out += line + '\n';
  });
  return out;
}

/** uEnv.txt for the deployments in order (default first): suffix "", 2, 3… */
export function uEnvText(entries: readonly BootEntry[]): string {
  const lines: string[] = [];
  entries.forEach((e, i) => {
    const suffix = i === 0 ? '' : String(i + 1);
    const p = bootPaths(e);
    lines.push(`kernel_image${suffix}=/boot${p.linux}`);
    if (p.initrd) lines.push(`ramdisk_image${suffix}=/boot${p.initrd}`);
    if (p.devicetree) lines.push(`fdt_file${suffix}=/boot${p.devicetree}`);
    if (p.fdtdir) lines.push(`fdtdir${suffix}=/boot${p.fdtdir}`);
    lines.push(`bootargs${suffix}=${bootOptions(e)}`);
    if (i === 0 && e.systemUEnv !== undefined) lines.push(e.systemUEnv);
  });
  return joinLines(lines);
}
