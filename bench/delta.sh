#!/usr/bin/env bash
# bench/delta.sh [CORPUS_DIR] — our static delta vs `ostree static-delta generate`
# for the same pair of commits (v1 → v2 of the corpus), in the same run: size of
# the delta (superblock + parts), what clients fetch loose besides it (fallback
# objects), and wall/CPU time. The corpus: ../shared/corpus/make-corpus.sh.
set -euo pipefail
corpus=${1:-${YOCTO_OSTREE_CORPUS:-/work/corpus}}
here=$(cd "$(dirname "$0")/.." && pwd)
cli="$here/dist/bin/main.js"
[ -x "$cli" ] || (cd "$here" && npm run build >/dev/null)
work=$(mktemp -d -p "${BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$work"' EXIT

"$cli" init --repo "$work/ours" >/dev/null
for v in 1 2; do
  "$cli" commit --no-prepare --repo "$work/ours" --branch bench/main --rootfs "$corpus/v$v.tar" \
    --timestamp "$((1700000000 + v))" --set OSTREE_STATIC_DELTAS= >/dev/null 2>&1
done
from=$(ostree rev-parse --repo="$work/ours" bench/main^)
to=$(ostree rev-parse --repo="$work/ours" bench/main)
cp -a "$work/ours" "$work/ostree"
sync

measure() { # out-file, command… → "wall_s cpu_s" (CPU = user + system, children included)
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$out" "$@" >/dev/null 2>&1
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out"
}

read -r ostree_s ostree_cpu < <(measure "$work/t.ostree" ostree static-delta generate --repo="$work/ostree" --from="$from" --to="$to")
read -r ours_s ours_cpu < <(measure "$work/t.ours" "$cli" delta --repo "$work/ours" --from "$from" --to "$to" --json)
"$cli" delta --repo "$work/ours" --from "$from" --to "$to" --json >"$work/report.json" 2>/dev/null

deltas_size() { find "$1/deltas" -type f -printf '%s\n' | awk '{ n += $1 } END { print n }'; }
fallback_size() { ostree static-delta show --repo="$1" "$from-$to" | awk '/^Total Fallback Size:/ { print $4 }'; }
ostree_delta=$(deltas_size "$work/ostree")
ours_delta=$(deltas_size "$work/ours")
ostree_fb=$(fallback_size "$work/ostree")
ours_fb=$(fallback_size "$work/ours")

printf '%-8s %14s %14s %14s %9s %9s\n' '' delta_bytes fallback_bytes total_bytes wall_s cpu_s
printf '%-8s %14d %14d %14d %9s %9s\n' ostree "$ostree_delta" "$ostree_fb" $((ostree_delta + ostree_fb)) "$ostree_s" "$ostree_cpu"
printf '%-8s %14d %14d %14d %9s %9s\n' ours "$ours_delta" "$ours_fb" $((ours_delta + ours_fb)) "$ours_s" "$ours_cpu"
awk -v a=$((ours_delta + ours_fb)) -v b=$((ostree_delta + ostree_fb)) -v c="$ours_s" -v d="$ostree_s" \
  'BEGIN { printf "ours/ostree: size %.3f, time %.2f\n", a / b, c / d }'
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log("ours:", JSON.stringify(r.objects), "parts", r.parts.map((p) => p.size).join("+"))' "$work/report.json"
