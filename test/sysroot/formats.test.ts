// The small text and binary formats the sysroot is made of, against what their
// readers expect: GKeyFile escaping, os-release unquoting, pax record lengths,
// ustar name splits, BLS/uEnv composition, Yocto's size formula, --size.
import assert from 'node:assert/strict';
import * as tarStream from 'tar-stream';
import { parseSize } from '../../src/cli/otaimg.js';
import { ImageError } from '../../src/image/image-error.js';
import { directoryBytes, yoctoImageSizeKiB } from '../../src/image/rootfs-size.js';
import { blsEntryText, bootOptions, uEnvText, type BootEntry } from '../../src/sysroot/boot-config.js';
import { sortEntries, streamingOrder } from '../../src/sysroot/entry-order.js';
import { KeyFileText } from '../../src/sysroot/keyfile-text.js';
import { hardlink, rootDir, rootFile, rootSymlink, type SysrootEntry } from '../../src/sysroot/sysroot-entry.js';
import { parseOsRelease, shellUnquote } from '../../src/sysroot/os-release.js';
import { parseRepoConfigWords } from '../../src/sysroot/sysroot-options.js';
import { encodeEntryHeader, END_OF_ARCHIVE, padding, paxRecord } from '../../src/sysroot/tar-format.js';

const entry = (over: Partial<BootEntry> = {}): BootEntry => ({
  osname: 'os',
  bootcsum: 'b'.repeat(64),
  bootversion: 1,
  bootserial: 0,
  kernel: { bootcsum: 'b'.repeat(64), links: [], kernelName: 'vmlinuz-6.1', initramfsName: 'initramfs-6.1.img', devicetreeName: 'devicetree-6.1' },
  kernelArgs: ['root=LABEL=otaroot', 'rw'],
  osTitle: 'My OS 1.0',
  index: 0,
  deploymentCount: 1,
  ...over,
});

/** What every writer relies on: each path once, parents and hardlink targets before it. */
function checkEntryOrder(entries: readonly SysrootEntry[]): void {
  const seen = new Map<string, SysrootEntry['kind']>();
  for (const e of entries) {
    assert.ok(!seen.has(e.path), `${e.path} listed twice`);
    if (e.path !== '') assert.equal(seen.get(e.path.slice(0, Math.max(0, e.path.lastIndexOf('/')))), 'dir', `${e.path} listed before its directory`);
    if (e.kind === 'hardlink') assert.ok(seen.has(e.to.path), `hardlink ${e.path} listed before ${e.to.path}`);
    seen.set(e.path, e.kind);
  }
}

describe('sysroot formats', () => {
  it('KeyFileText writes GKeyFile: set order, blank line between groups, GKeyFile escapes', () => {
    const kf = new KeyFileText().set('core', 'mode', 'bare').set('remote "x"', 'url', ' http://h/r;a#b\\c').set('core', 'mode', 'bare-user');
    assert.equal(kf.toString(), '[core]\nmode=bare-user\n\n[remote "x"]\nurl=\\shttp://h/r;a#b\\\\c\n');
  });

  it('os-release values go through g_shell_unquote', () => {
    assert.equal(shellUnquote(`"My \\"OS\\" \\$1"`), 'My "OS" $1');
    assert.equal(shellUnquote(`'a b'c\\ d`), 'a bc d');
    assert.equal(shellUnquote('"open'), undefined);
    assert.deepEqual([...parseOsRelease('# c\nID=x\nPRETTY_NAME="X 1"\nBAD="\n')], [['ID', 'x'], ['PRETTY_NAME', 'X 1']]);
  });

  it('OSTREE_OTA_REPO_CONFIG words split at the first colon, keys need a section', () => {
    assert.deepEqual(parseRepoConfigWords(['sysroot.boot-counting-tries:3', 'core.x:a:b']), [['sysroot.boot-counting-tries', '3'], ['core.x', 'a:b']]);
    assert.throws(() => parseRepoConfigWords(['nodot:1']), /not section\.key:value/);
  });

  it('BLS entry: ostree= replaces a user ostree=, fields in ostree_bootconfig_parser order', () => {
    const e = entry({ kernelArgs: ['ostree=/old', 'quiet'] });
    assert.equal(bootOptions(e), `ostree=/ostree/boot.1/os/${'b'.repeat(64)}/0 quiet`);
    assert.deepEqual(blsEntryText(e).split('\n').map((l) => l.split(' ')[0]), ['title', 'version', 'options', 'devicetree', 'linux', 'initrd', '']);
    assert.match(blsEntryText(e), /^title My OS 1\.0 \(ostree:0\)\nversion 1\n/);
  });

  it('uEnv.txt: numbered rollback keys, the system uEnv after the default, empty lines dropped as join_lines does', () => {
    const text = uEnvText([entry({ systemUEnv: '\nextra=1\n' }), entry({ index: 1, bootserial: 1, kernel: { ...entry().kernel, initramfsName: undefined, devicetreeName: undefined, dtbDir: 'x/dtb' } })]);
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 4).map((l) => l.split('=')[0]), ['kernel_image', 'ramdisk_image', 'fdt_file', 'bootargs']);
    assert.equal(lines[4], '');
    assert.equal(lines[5], 'extra=1');
    assert.ok(lines.includes(`fdtdir2=/boot/ostree/os-${'b'.repeat(64)}/dtb`));
    assert.match(text, /bootargs2=root=LABEL=otaroot rw init=\/ostree\/boot\.1\/os\/b{64}\/1\/usr\/lib\/ostree\/ostree-prepare-root ostree=\/ostree\/boot\.1\/os\/b{64}\/1\n$/);
  });

  it('pax record lengths count themselves, across digit boundaries', () => {
    for (let n = 80; n < 120; n++) {
      const rec = paxRecord('path', 'x'.repeat(n));
      assert.equal(Number(rec.toString().split(' ')[0]), rec.length);
    }
    const bin = paxRecord('SCHILY.xattr.security.capability', Buffer.from([1, 0, 0xff, 0x80]));
    assert.ok(bin.subarray(bin.length - 5, bin.length - 1).equals(Buffer.from([1, 0, 0xff, 0x80])));
  });

  it('tar headers tar-stream reads back: long, non-ASCII and split names, big ids, binary xattrs', async () => {
    const long = `./${'d/'.repeat(70)}file`;
    const headers = [
      { name: long, perms: 0o644, uid: 0, gid: 0, size: 3, mtime: 5, type: 'file' as const, records: [] },
      { name: './ü.txt', perms: 0o600, uid: 3000000, gid: 7, size: 0, mtime: 0, type: 'file' as const, records: [['SCHILY.xattr.user.b', Buffer.from([0, 0xff])] as [string, Buffer]] },
      { name: './l', perms: 0o777, uid: 0, gid: 0, size: 0, mtime: 0, type: 'symlink' as const, linkname: 'x'.repeat(150), records: [] },
    ];
    const bytes = Buffer.concat([encodeEntryHeader(headers[0]), Buffer.from('abc'), padding(3), encodeEntryHeader(headers[1]), encodeEntryHeader(headers[2]), END_OF_ARCHIVE]);
    const seen: tarStream.Header[] = [];
    await new Promise<void>((resolve, reject) => {
      const ex = tarStream.extract();
      ex.on('entry', (h, stream, next) => {
        seen.push(h);
        stream.on('end', next);
        stream.resume();
      });
      ex.on('finish', resolve);
      ex.on('error', reject);
      ex.end(bytes);
    });
    assert.deepEqual(seen.map((h) => h.name), [long, './ü.txt', './l']);
    // tar-stream applies path and linkpath from pax; the rest it hands over as text.
    const pax = seen[1].pax as Record<string, string>;
    assert.equal(pax.uid, '3000000');
    assert.equal(Buffer.from(pax['SCHILY.xattr.user.b'], 'latin1').length > 0, true);
    assert.equal(seen[2].linkname, 'x'.repeat(150));
  });

  it('entry order: canonical (ostree/repo first, depth first) and streaming (dirs, then each linked inode just before its first link)', () => {
    const obj = rootFile('ostree/repo/objects/ab/cd.file', 'x', 0);
    const sym = rootSymlink('ostree/repo/objects/ef/01.file', 'target', 0);
    const dep = 'ostree/deploy/os/deploy/c.0';
    const names = new Map<string, string[]>();
    const entries = sortEntries([
      rootDir('', 0), rootDir('boot', 0), rootDir('ostree', 0), rootDir('ostree/repo', 0), rootDir('ostree/repo/objects', 0),
      rootDir('ostree/repo/objects/ab', 0), rootDir('ostree/repo/objects/ef', 0), obj, sym, rootFile('ostree/repo/config', 'c', 0),
      rootDir('ostree/deploy', 0), rootDir('ostree/deploy/os', 0), rootDir('ostree/deploy/os/deploy', 0), rootDir(dep, 0), rootDir(`${dep}/usr`, 0),
      hardlink(`${dep}/usr/a`, obj), hardlink(`${dep}/usr/b`, sym), hardlink(`${dep}/usr/c`, obj), rootFile('boot/x', 'y', 0),
    ].reverse(), names);
    checkEntryOrder(entries);
    assert.deepEqual(entries.slice(0, 4).map((e) => e.path), ['', 'ostree', 'ostree/repo', 'ostree/repo/config']);
    // The names in each directory that has entries, in the written order (the image size needs them).
    assert.deepEqual(names.get(''), ['ostree', 'boot']);
    assert.deepEqual(names.get('ostree/repo'), ['config', 'objects']);
    assert.deepEqual(names.get(`${dep}/usr`), ['a', 'b', 'c']);
    assert.equal(names.has(`${dep}/usr/a`), false);
    const streamed = streamingOrder(entries);
    checkEntryOrder(streamed);
    assert.equal(streamed.length, entries.length);
    const paths = streamed.map((e) => e.path);
    const dirs = entries.filter((e) => e.kind === 'dir').length;
    assert.ok(streamed.slice(0, dirs).every((e) => e.kind === 'dir'));
    assert.deepEqual(paths.slice(dirs), ['ostree/repo/config', 'ostree/repo/objects/ab/cd.file', `${dep}/usr/a`, 'ostree/repo/objects/ef/01.file', `${dep}/usr/b`, `${dep}/usr/c`, 'boot/x']);
  });

  it('entry order: names sort as whole components (a/ before a-b and a.b), ostree/ and repo/ first', () => {
    const paths = ['', 'a', 'a/z', 'a-b', 'a.b', 'b', 'ostree', 'ostree/deploy', 'ostree/repo', 'ostree/repo/x', 'ostree/boot.1', 'A'];
    const sorted = sortEntries(paths.map((p) => rootDir(p, 0)).reverse()).map((e) => e.path);
    assert.deepEqual(sorted, ['', 'ostree', 'ostree/repo', 'ostree/repo/x', 'ostree/boot.1', 'ostree/deploy', 'A', 'a', 'a/z', 'a-b', 'a.b', 'b']);
  });

  it('entry order: a path listed twice, an entry without its directory and a hardlink to an unlisted entry are internal errors', () => {
    const target = rootFile('ostree/f', 'x', 0);
    assert.throws(() => sortEntries([rootDir('', 0), rootDir('a', 0), rootFile('a', 'x', 0)]), /a listed twice/);
    assert.throws(() => sortEntries([rootDir('', 0), rootFile('a/b', 'x', 0)]), /a\/b has no directory a /);
    assert.throws(() => sortEntries([rootDir('', 0), rootDir('ostree', 0), hardlink('boot', target)]), /hardlink boot listed before ostree\/f/);
  });

  it("Yocto's get_rootfs_size: overhead, minimum, extra space, alignment, maximum", () => {
    const s = { rootfsSize: 65536, overheadFactor: 1.3, extraSpace: 0, alignment: 1 };
    assert.equal(yoctoImageSizeKiB(1000, s), 65536);
    assert.equal(yoctoImageSizeKiB(100000, s), 130000);
    assert.equal(yoctoImageSizeKiB(100001, { ...s, extraSpace: 10, alignment: 4096 }), 131072);
    assert.throws(() => yoctoImageSizeKiB(100000, { ...s, maxSize: 120000 }), ImageError);
    assert.equal(directoryBytes(['a', 'b']), 4096);
  });

  it('--size takes KiB or K/M/G suffixes', () => {
    assert.equal(parseSize('auto'), 'auto');
    assert.equal(parseSize('262144'), 262144);
    assert.equal(parseSize('256M'), 262144);
    assert.equal(parseSize('1G'), 1048576);
    assert.throws(() => parseSize('12x'), /--size must be/);
  });
});
