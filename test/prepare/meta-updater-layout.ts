// meta-updater's prepared-tree layout (master, era C), as ../shared/meta-updater.md
// §2c and §9.2 describe it: the tables the tests compare our trees against.

/** 00ostree-tmpfiles.conf (§2c step 5), with meta-lmp's /var/rootdirs/home line (§2c, meta-lmp extras). */
export const META_UPDATER_TMPFILES = [
  'd /var/rootdirs 0755 root root -',
  'd /var/rootdirs/home 0755 root root -',
  'd /var/rootdirs/opt 0755 root root -',
  'd /var/rootdirs/mnt 0755 root root -',
  'd /var/rootdirs/media 0755 root root -',
  'd /var/rootdirs/srv 0755 root root -',
  'd /var/roothome 0700 root root -',
  'd /var/usrlocal 0755 root root -',
  ...['bin', 'etc', 'games', 'include', 'lib', 'man', 'sbin', 'share', 'src'].map((d) => `d /var/usrlocal/${d} 0755 root root -`),
];

/** Symlinks (§2c steps 4 and 7). */
export const META_UPDATER_SYMLINKS: Record<string, string> = {
  ostree: 'sysroot/ostree',
  home: 'var/rootdirs/home',
  opt: 'var/rootdirs/opt',
  mnt: 'var/rootdirs/mnt',
  media: 'var/rootdirs/media',
  srv: 'var/rootdirs/srv',
  root: 'var/roothome',
  'usr/local': '../var/usrlocal',
};

/** Directories that must be there and empty (§2c steps 3, 4, 8): var keeps only local. */
export const META_UPDATER_EMPTY_DIRS = ['sysroot', 'boot'];
export const META_UPDATER_VAR_CHILDREN = ['local'];
/** Paths that must be gone (§2c step 4: etc moved). */
export const META_UPDATER_ABSENT = ['etc'];
export const BRANCHNAME = 'usr/share/sota/branchname';
export const ROOTDIRS_TMPFILES_CONF = 'usr/lib/tmpfiles.d/00ostree-tmpfiles.conf';
