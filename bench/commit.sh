#!/usr/bin/env bash
# bench/commit.sh CORPUS_DIR — real `ostree commit --tree=tar=` vs ours on the same
# tarballs, into fresh archive repos, in the same run. Prints wall time, peak RSS
# and the ratio ours/ostree. The corpus: ../shared/corpus/make-corpus.sh CORPUS_DIR.
# RUNS=N (default 1) alternates the two N times per tarball and adds a line with the
# mean times and their ratio: this machine's speed swings too much for one run to say.
set -euo pipefail
corpus=${1:?usage: bench/commit.sh CORPUS_DIR [TAR...]}
shift
tars=("$@")
[ ${#tars[@]} -gt 0 ] || tars=(v1-nodev.tar big-nodev.tar)
here=$(cd "$(dirname "$0")/.." && pwd)
cli="$here/dist/bin/main.js"
[ -x "$cli" ] || (cd "$here" && npm run build >/dev/null)
work=$(mktemp -d -p "${BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$work"' EXIT

measure() { # label, command… → prints "seconds rss_kb"
  local out="$work/time.$1"
  shift
  /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null
  cat "$out"
}

printf '%-16s %10s %10s %12s %12s %8s %8s\n' tarball ostree_s ours_s ostree_rss ours_rss ratio same
for t in "${tars[@]}"; do
  tar="$corpus/$t"
  [ -f "$tar" ] || { echo "missing $tar" >&2; continue; }
  total_os=0 total_ys=0
  for _ in $(seq "${RUNS:-1}"); do
    ostree init --repo="$work/ref" --mode=archive
    "$cli" init --repo "$work/ours" >/dev/null
    sync
    read -r os orss < <(measure ostree ostree commit --repo="$work/ref" -b bench --tree=tar="$tar" --timestamp="1970-01-01 00:00:01 UTC")
    sync
    read -r ys yrss < <(measure ours "$cli" commit --no-prepare --repo "$work/ours" --branch bench --rootfs "$tar" --timestamp 1)
    same=$([ "$(cat "$work/ref/refs/heads/bench")" = "$(cat "$work/ours/refs/heads/bench")" ] && echo yes || echo NO)
    printf '%-16s %10s %10s %10sKB %10sKB %8.2f %8s\n' "$t" "$os" "$ys" "$orss" "$yrss" "$(echo "$ys / $os" | bc -l)" "$same"
    total_os=$(echo "$total_os + $os" | bc -l) total_ys=$(echo "$total_ys + $ys" | bc -l)
    rm -rf "$work/ref" "$work/ours"
  done
  if [ "${RUNS:-1}" -gt 1 ]; then
    printf '%-16s %10.2f %10.2f %12s %12s %8.3f\n' "mean of $RUNS" "$(echo "$total_os / $RUNS" | bc -l)" "$(echo "$total_ys / $RUNS" | bc -l)" '' '' "$(echo "$total_ys / $total_os" | bc -l)"
  fi
done
