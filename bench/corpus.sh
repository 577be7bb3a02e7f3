#!/usr/bin/env bash
# Checks directories of a Debian Linux tree (linux-source-6.12 by default,
# installed and unpacked by bench/linux-src.sh if missing) and prints findings
# per rule and the share of functions analysed. Too slow for every CI run:
#   npm run corpus [-- --version 6.1|6.12] [--dirs mm,fs,kernel,drivers/gpu/drm,arch/x86]
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=6.12
DIRS=mm,fs
while [ $# -gt 0 ]; do
  case "$1" in
    --version) VERSION=$2; shift 2 ;;
    --dirs) DIRS=$2; shift 2 ;;
    *) echo "corpus: usage: bench/corpus.sh [--version 6.1|6.12] [--dirs a,b,...]" >&2; exit 2 ;;
  esac
done
SRC=$(bash bench/linux-src.sh "$VERSION")
npm run -s build
OUT=${CORPUS_OUT:-bench/results}
mkdir -p "$OUT"
for dir in ${DIRS//,/ }; do
  start=$(date +%s%N)
  set +e
  (cd "$SRC" && exec node --max-old-space-size=16384 "$OLDPWD/dist/cli.js" check --format json --fail-on none --no-progress --no-cache "$dir") > "$OUT/$VERSION-${dir//\//_}.json" &
  pid=$!
  peak=0
  while kill -0 $pid 2>/dev/null; do
    rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.5
  done
  wait $pid
  rc=$?
  set -e
  end=$(date +%s%N)
  [ $rc -eq 0 ] || { echo "corpus: faultpath exited $rc on $dir" >&2; exit 1; }
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const s = r.summary, by = {};
    for (const f of r.findings) by[f.rule + " " + f.severity] = (by[f.rule + " " + f.severity] || 0) + 1;
    console.log(`${process.argv[2]}/: ${s.files} files, ${s.functions} functions, ${s.functionsAnalysed} analysed (${(100 * s.functionsAnalysed / s.functions).toFixed(2)} %), ${s.functionsWithParseErrors} with ERROR nodes left, ${(process.argv[3] / 1000).toFixed(1)} s wall, peak RSS ${(process.argv[4] / 1024).toFixed(0)} MiB`);
    for (const k of Object.keys(by).sort()) console.log(`  ${k}: ${by[k]}`);
    if (r.problems.length) console.log(`  problems: ${r.problems.length}`);
  ' "$OUT/$VERSION-${dir//\//_}.json" "$dir" "$(( (end - start) / 1000000 ))" "$peak"
done
