#!/usr/bin/env bash
# bench/otaimg.sh CORPUS_DIR [v2|big ...] — the ota-ext4 image of one commit, made in
# the same run by the reference pipeline (meta-updater's IMAGE_CMD:ota with real
# ostree: init-fs, os-init, U-Boot prepared, pull-local, refs --create, deploy, its
# /var steps, then mkfs.ext4 -d) and by `yocto-ostree otaimg` on both ext4 paths
# (mke2fs -d from the tar stream; mkfs.ext4 + ext2fs WASM). All images get the same
# size. Prints wall seconds, peak RSS and ratios; every image is checked with
# e2fsck -fn, ours also with `yocto-ostree inspect`.
# The corpus: ../shared/corpus/make-corpus.sh CORPUS_DIR. "big" keeps its ten copies of
# usr/ by moving /opt under /usr first (preparation would turn /opt into a symlink).
set -euo pipefail
corpus=${1:?usage: bench/otaimg.sh CORPUS_DIR [v2|big ...]}
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(v2 big)
here=$(cd "$(dirname "$0")/.." && pwd)
cli="$here/dist/bin/main.js"
[ -x "$cli" ] || (cd "$here" && npm run build >/dev/null)
work=$(mktemp -d -p "${BENCH_DIR:-${TMPDIR:-/tmp}}")
cleanup() {
  chattr -R -i "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
os=benchos
karg_args=(--karg-append=root=LABEL=otaroot --karg-append=rootfstype=ext4)

measure() { # label, command… → prints "seconds rss_kb"; the command's output in $work/out.LABEL
  local label=$1
  shift
  /usr/bin/time -f '%e %M' -o "$work/time.$label" "$@" >"$work/out.$label" 2>"$work/err.$label" || { cat "$work/err.$label" >&2; return 1; }
  cat "$work/time.$label"
}

# big with /opt moved under /usr/share/opt, streamed through tar-stream (names and link targets).
move_opt() {
  node --input-type=module -e "
    import { createReadStream, createWriteStream } from 'node:fs';
    import { pipeline } from 'node:stream/promises';
    import * as tar from '$here/node_modules/tar-stream/index.js';
    const ex = tar.extract(), pack = tar.pack();
    const move = (n) => n && n.replace(/^(\.\/)?opt\//, './usr/share/opt/');
    ex.on('entry', (h, stream, next) => {
      h.name = move(h.name);
      if (h.type === 'link') h.linkname = move(h.linkname);
      stream.pipe(pack.entry(h, next));
    });
    ex.on('finish', () => pack.finalize());
    await Promise.all([pipeline(createReadStream('$1'), ex), pipeline(pack, createWriteStream('$2'))]);
  "
}

printf '%-6s %10s %10s %12s %10s %10s %10s %10s %8s\n' corpus ref_s fast_s portable_s ref_rss fast_rss port_rss fast/ref port/ref
for name in "${names[@]}"; do
  case $name in
    v2) tar="$corpus/v2-nodev.tar"; kver=6.1.0-50-armmp ;;
    big) tar="$work/big-usr.tar"; kver=6.1.0-47-armmp; move_opt "$corpus/big-nodev.tar" "$tar" ;;
    *) echo "unknown corpus $name" >&2; continue ;;
  esac
  repo="$work/repo-$name"
  "$cli" init --repo "$repo" >/dev/null
  "$cli" commit --repo "$repo" --branch "$os/$name" --os "$os" --rootfs "$tar" --timestamp 1700000000 \
    --kernel "$corpus/kernel/$kver/vmlinuz" --devicetree "$corpus/kernel/$kver/imx6q-sabresd.dtb" >/dev/null 2>"$work/commit.err"
  commit=$(cat "$repo/refs/heads/$os/$name")
  sync

  # Ours first, to learn the size both get.
  read -r fs frss < <(measure fast "$cli" otaimg --repo "$repo" --os "$os" --ref "$os/$name" --output "$work/fast.ext4" --ext4-writer mke2fs --json)
  size=$(node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync('$work/out.fast','utf8')).sizeKiB))")
  sync

  sysroot="$work/ref-$name"
  mkdir "$sysroot"
  reference() {
    local s=$sysroot v=$sysroot/ostree/deploy/$os/var
    ostree admin init-fs "$s" >/dev/null
    ostree admin --sysroot="$s" os-init "$os" >/dev/null
    ostree --repo="$s/ostree/repo" config set sysroot.bootloader uboot
    mkdir -p "$s/boot/loader.0" && ln -s loader.0 "$s/boot/loader" && touch "$s/boot/loader/uEnv.txt"
    ostree --repo="$s/ostree/repo" pull-local --remote="$os" "$repo" "$commit" >/dev/null
    ostree --repo="$s/ostree/repo" refs --create="$os:$os/$name" "$commit"
    ostree admin --sysroot="$s" deploy "${karg_args[@]}" --os="$os" "$os:$os/$name" >/dev/null 2>&1
    mkdir -p "$v/sota/import" "$v/local" "$v/rootdirs/home" && chmod 700 "$v/sota"
    echo "{\"$commit\":\"$os/$name-$commit\"}" >"$v/sota/import/installed_versions"
    rm -f "$work/ref.ext4" && truncate -s "${size}k" "$work/ref.ext4"
    mkfs.ext4 -q -F -L otaroot -i 4096 -t ext4 -d "$s" "$work/ref.ext4" "${size}k"
  }
  read -r rs rrss < <(measure ref bash -c "$(declare -f reference); sysroot='$sysroot' os='$os' repo='$repo' commit='$commit' name='$name' size='$size' work='$work'; karg_args=(${karg_args[*]}); reference")
  sync

  read -r ps prss < <(measure portable "$cli" otaimg --repo "$repo" --os "$os" --ref "$os/$name" --output "$work/portable.ext4" --ext4-writer portable --size "$size" --json)

  for img in ref fast portable; do e2fsck -fn "$work/$img.ext4" >/dev/null 2>&1 || { echo "e2fsck: $img.ext4 not clean" >&2; exit 1; }; done
  for img in fast portable; do "$cli" inspect "$work/$img.ext4" >/dev/null; done
  printf '%-6s %10s %10s %12s %8sKB %8sKB %8sKB %10.2f %8.2f\n' "$name" "$rs" "$fs" "$ps" "$rrss" "$frss" "$prss" \
    "$(echo "$fs / $rs" | bc -l)" "$(echo "$ps / $rs" | bc -l)"
  chattr -R -i "$sysroot" 2>/dev/null || true
  rm -rf "$sysroot" "$work"/*.ext4 "$repo"
done
