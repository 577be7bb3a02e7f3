#!/usr/bin/env bash
# Checks Linux 6.12 mm/ and fs/ (Debian linux-source-6.12, installed and
# unpacked here if missing) and prints findings per rule and the share of
# functions analysed. Too slow for every CI run: `npm run corpus`.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${LINUX_SRC:-/tmp/faultpath-linux/linux-source-6.12}
if [ ! -d "$SRC/mm" ]; then
  if [ ! -f /usr/src/linux-source-6.12.tar.xz ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.12
    else
      echo "corpus: need /usr/src/linux-source-6.12.tar.xz (apt-get install linux-source-6.12)" >&2
      exit 2
    fi
  fi
  mkdir -p "$(dirname "$SRC")"
  tar -C "$(dirname "$SRC")" -xf /usr/src/linux-source-6.12.tar.xz linux-source-6.12/mm linux-source-6.12/fs
fi
npm run -s build
OUT=${CORPUS_OUT:-bench/results}
mkdir -p "$OUT"
for dir in mm fs; do
  start=$(date +%s%N)
  set +e
  (cd "$SRC" && exec node --max-old-space-size=16384 "$OLDPWD/dist/cli.js" check --format json --fail-on none --no-progress --no-cache "$dir") > "$OUT/$dir.json" &
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
  ' "$OUT/$dir.json" "$dir" "$(( (end - start) / 1000000 ))" "$peak"
done
