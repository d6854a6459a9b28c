#!/usr/bin/env bash
# bench/prepare.sh [CORPUS_DIR] [RUNS]
#
# Issue 4 acceptance 5: how much rootfs preparation adds to committing the corpus's
# v1.tar. Commits v1 into a fresh repository RUNS times with preparation and RUNS
# times with --no-prepare (alternating, so machine load hits both alike), takes the
# median of the tool's own commit time (the JSON "seconds": tarball in, commit out,
# without node's start-up), and prints the ratio. Target: at most +5 %.
# On a busy machine the run-to-run noise exceeds 5 %; the time the preparation steps
# themselves take ("prepareSeconds", measured inside the same runs) is printed too.
# Build first: npx tsc -p tsconfig.json
set -euo pipefail

CORPUS=${1:-${YOCTO_OSTREE_CORPUS:-/work/corpus}}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)
CLI="$HERE/dist/bin/main.js"
[ -f "$CORPUS/v1.tar" ] || { echo "no $CORPUS/v1.tar (pass the corpus directory)" >&2; exit 1; }
[ -f "$CLI" ] || { echo "build first: npx tsc -p tsconfig.json" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# "<commit seconds> <prepare seconds>" of one commit of v1 into a new repository; $@ = extra commit flags
one_commit() {
  rm -rf "$WORK/repo"
  node "$CLI" init --repo "$WORK/repo" >/dev/null 2>&1
  node "$CLI" commit --repo "$WORK/repo" --branch bench --rootfs "$CORPUS/v1.tar" --timestamp 0 --json "$@" >"$WORK/out" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; exit 1; }
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r.seconds, r.prepareSeconds ?? 0)' "$WORK/out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$WORK/plain"
: >"$WORK/prepared"
one_commit --no-prepare >/dev/null # warm the page cache
for i in $(seq 1 "$RUNS"); do
  one_commit --no-prepare >>"$WORK/plain"
  one_commit --devicetree imx6q-sabresd.dtb >>"$WORK/prepared"
done

plain=$(cut -d' ' -f1 "$WORK/plain" | median)
prepared=$(cut -d' ' -f1 "$WORK/prepared" | median)
steps=$(cut -d' ' -f2 "$WORK/prepared" | median)
echo "v1.tar, $RUNS runs each, median commit seconds"
echo "  --no-prepare: $plain  (runs: $(cut -d' ' -f1 "$WORK/plain" | tr '\n' ' '))"
echo "  prepared:     $prepared  (runs: $(cut -d' ' -f1 "$WORK/prepared" | tr '\n' ' '))"
awk -v a="$prepared" -v b="$plain" 'BEGIN { printf "  ratio prepared / --no-prepare = %.3f (%+.1f %%)\n", a / b, (a / b - 1) * 100 }'
awk -v s="$steps" -v b="$plain" 'BEGIN { printf "  preparation steps: %.3f s = %.2f %% of the --no-prepare commit\n", s, s / b * 100 }'
