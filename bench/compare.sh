#!/usr/bin/env bash
# Times faultpath against two other static checkers on the same Linux 6.12
# files and prints, per directory, one line per tool: wall seconds (median and
# min-max over RUNS runs), files looked at, number of reports, and the ratio of
# the tool's time to faultpath's time (tool_time / faultpath_time, taken run by
# run: in every run the three tools are run one after the other, on the same
# warm page cache, so each ratio compares times measured side by side).
#
#   faultpath   node dist/cli.js check --format json --fail-on none
#               --no-progress --no-cache DIR, started from inside $LINUX_SRC
#               (a cold run: no results kept from an earlier one; threads as
#               by default, one per core).
#               Reports: findings of every rule and severity.
#   coccinelle  spatch -D report with bench/cocci/copy-under-lock-page.cocci
#               (user accesses reached between a page/folio lock call and an
#               unlock call) over --dir $LINUX_SRC/DIR, --no-includes
#               --include-headers, so it reads the same .c and .h files as
#               faultpath. One process (-j 1) by default, as faultpath is one
#               process; SPATCH_JOBS=2 gives it both cores. Before the timed
#               runs it must report on a small 2.6.22-style positive example.
#               Reports: distinct user-access sites.
#   sparse      the kernel's own `make C=2` checker on the DIR's objects of an
#               x86_64 defconfig. `make C=2` also compiles every object with
#               gcc, so it cannot time sparse alone. Instead, once (setup, not
#               timed), the tree is configured and `make C=2 CHECK=<wrapper>
#               DIR/` is run with a wrapper that logs each sparse command line
#               (working directory and arguments, shell-quoted) and then runs
#               sparse. The timed part re-runs only those logged sparse
#               commands, one after the other. Files: the .c files defconfig
#               builds in DIR (headers are read but not counted); reports:
#               distinct warning/error lines (all kinds; sparse's lock checker
#               is the "context imbalance" subset, shown separately).
#
# Environment:
#   LINUX_SRC     kernel tree (default /tmp/faultpath-linux/linux-source-6.12);
#                 if $LINUX_SRC/mm is missing, Debian's linux-source-6.12 is
#                 installed (as root; otherwise exit 2) and unpacked there.
#   DIRS          space-separated directories of LINUX_SRC (default "mm")
#   RUNS          timed runs per tool (default 3; 1 for a quick check)
#   TOOL_TIMEOUT  seconds allowed per tool per run and per setup step (1800)
#   SPATCH_JOBS   spatch -j (default 1)
#   SPARSE_BUILD  build directory for sparse (make O=..., default
#                 /tmp/faultpath-sparse-build/linux-6.12); reused across runs
#                 of this script, so setup (defconfig, prepare, compiling DIR
#                 once, a few minutes on 2 cores) is paid only the first time.
#                 If LINUX_SRC is already configured in place, it is used in
#                 place instead (kbuild refuses O= on a configured tree).
#   FP_NODE_FLAGS node flags for faultpath (default --max-old-space-size=16384,
#                 as bench/corpus.sh; fs/ needs the heap)
#   COMPARE_OUT   results directory (default bench/results): compare.json,
#                 plus each tool's output of the last run under compare/.
#
# coccinelle and sparse are installed with apt when missing and running as
# root; a tool that is missing or whose setup fails is printed as
# "skipped: <why>" and the others go on. Exit status: 0 when faultpath ran,
# 1 when faultpath itself failed, 2 bad usage or no kernel sources.
set -euo pipefail

die() { echo "compare: $*" >&2; exit 2; }
note() { echo "compare: $*" >&2; }

# Resolve paths given by the caller before changing directory.
LINUX_SRC=$(realpath -m "${LINUX_SRC:-/tmp/faultpath-linux/linux-source-6.12}")
SPARSE_BUILD=$(realpath -m "${SPARSE_BUILD:-/tmp/faultpath-sparse-build/linux-6.12}")
OUT=$(realpath -m "${COMPARE_OUT:-$(dirname "$0")/results}")
DIRS=$(for d in ${DIRS:-mm}; do printf '%s ' "${d%/}"; done)
[ -n "$DIRS" ] || die "DIRS is empty"
RUNS=${RUNS:-3}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-1800}
SPATCH_JOBS=${SPATCH_JOBS:-1}
FP_NODE_FLAGS=${FP_NODE_FLAGS:---max-old-space-size=16384}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ $TOOL_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "TOOL_TIMEOUT must be a positive integer"
[[ $SPATCH_JOBS =~ ^[1-9][0-9]*$ ]] || die "SPATCH_JOBS must be a positive integer"

cd "$(dirname "$0")/.."
ROOT=$PWD
COCCI=$ROOT/bench/cocci/copy-under-lock-page.cocci
[ -f "$COCCI" ] || die "missing $COCCI"
command -v timeout >/dev/null || die "needs timeout (coreutils)"
# Every tool and setup step runs under this, so nothing hangs forever.
tmo() { timeout --kill-after=30 "$TOOL_TIMEOUT" "$@"; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/faultpath-compare.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT/compare"
RAW=$TMP/raw.tsv   # dir tool run seconds files reports extra status message
: > "$RAW"
SETUP=$TMP/setup.tsv   # tool dir seconds status message
: > "$SETUP"
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
oneline() { tr '\t\n' '  ' | cut -c1-300; }
failure() { # failure STATUS LOGFILE: why a tool run failed, in one line
  if [ "$1" = 124 ] || [ "$1" = 137 ]; then
    echo "timed out after $TOOL_TIMEOUT s (TOOL_TIMEOUT)"
  else
    echo "exit status $1: $(tail -3 "$2" 2>/dev/null | oneline)"
  fi
}

is_root() { [ "$(id -u)" = 0 ]; }
APT_UPDATED=
apt_install() { # apt_install PACKAGE...: quiet, non-interactive; fails if not root
  is_root || return 1
  if [ -z "$APT_UPDATED" ]; then
    tmo apt-get update -qq >/dev/null 2>&1 || true
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive tmo apt-get install -y -qq "$@" >"$TMP/apt.log" 2>&1
}

# ---------------------------------------------------------------- sources --
TARBALL=/usr/src/linux-source-6.12.tar.xz
unpack_tree() { # unpack_tree: the whole of Debian's linux-source-6.12 into LINUX_SRC
  if [ ! -f "$TARBALL" ]; then
    is_root || return 2
    note "installing linux-source-6.12 with apt"
    apt_install linux-source-6.12 || { note "apt-get install linux-source-6.12 failed: $(tail -3 "$TMP/apt.log" | oneline)"; return 1; }
  fi
  # The whole tree: sparse needs Makefile, arch/, include/, scripts/...
  # Files already there (a tree bench/corpus.sh unpacked mm/ and fs/ of) are
  # kept as they are.
  note "unpacking $TARBALL into $LINUX_SRC (the full tree, about 1.6 GB, a minute or two)"
  mkdir -p "$LINUX_SRC"
  local t0; t0=$(now)
  tmo tar -C "$LINUX_SRC" --strip-components=1 --skip-old-files -xf "$TARBALL" || { note "unpacking $TARBALL failed"; return 1; }
  printf 'sources\t*\t%s\tunpack\t\n' "$(secs "$t0" "$(now)")" >> "$SETUP"
}
if [ ! -d "$LINUX_SRC/mm" ]; then
  unpack_tree || {
    rc=$?
    [ $rc = 2 ] && die "$LINUX_SRC/mm is missing and $TARBALL is not installed; run as root, or: sudo apt-get install linux-source-6.12"
    die "could not provide the kernel sources in $LINUX_SRC"
  }
fi
for d in $DIRS; do
  [ -d "$LINUX_SRC/$d" ] || die "$LINUX_SRC/$d is not a directory (DIRS='$DIRS')"
done

# -------------------------------------------------------------- faultpath --
note "building faultpath (npm run -s build)"
npm run -s build || { echo "compare: npm run -s build failed" >&2; exit 1; }
# shellcheck disable=SC2206 # FP_NODE_FLAGS is a list of flags
NODE_FLAGS=($FP_NODE_FLAGS)

run_faultpath() { # run_faultpath DIR OUTFILE: the timed command, nothing else
  (cd "$LINUX_SRC" && exec timeout --kill-after=30 "$TOOL_TIMEOUT" node "${NODE_FLAGS[@]}" "$ROOT/dist/cli.js" \
    check --format json --fail-on none --no-progress --no-cache "$1") >"$2" 2>"$2.err"
}
count_faultpath() { # count_faultpath OUTFILE: prints "files reports detail"
  # shellcheck disable=SC2016 # a JavaScript template literal, not the shell's
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(r.summary.files, r.findings.length,
      `${r.summary.errors} errors, ${r.summary.warnings} warnings, ${r.summary.infos} infos`);
  ' "$1" 2>"$1.count-err"
}

# ------------------------------------------------------------- coccinelle --
COCCI_SKIP=
if ! command -v spatch >/dev/null; then
  is_root && note "spatch not found; installing coccinelle with apt"
  apt_install coccinelle || COCCI_SKIP="coccinelle (spatch) is not installed and $(is_root && echo "apt-get install coccinelle failed: $(tail -2 "$TMP/apt.log" | oneline)" || echo "this is not root, so it cannot be installed")"
  if [ -z "$COCCI_SKIP" ] && ! command -v spatch >/dev/null; then
    COCCI_SKIP="coccinelle was installed with apt but spatch is still not on PATH"
  fi
fi
SPATCH_ARGS=(-D report --very-quiet --no-includes --include-headers --timeout 300 --sp-file "$COCCI")
if [ "$SPATCH_JOBS" -gt 1 ]; then SPATCH_ARGS+=(-j "$SPATCH_JOBS"); fi

run_spatch() { # run_spatch ARGS... > report lines; from an empty directory, so no .cocciconfig is read
  (cd "$TMP/cwd" && exec timeout --kill-after=30 "$TOOL_TIMEOUT" spatch "${SPATCH_ARGS[@]}" "$@")
}
mkdir -p "$TMP/cwd"

if [ -z "$COCCI_SKIP" ]; then
  # Self-test: the semantic patch must report the user copy in a 2.6.22-style
  # buffered write loop (page locked, __copy_from_user(), page unlocked), and
  # not the copy made after the unlock.
  mkdir -p "$TMP/positive"
  cat > "$TMP/positive/filemap.c" <<'EOF'
static ssize_t generic_file_buffered_write(struct kiocb *iocb, const char __user *buf,
		loff_t pos, size_t count, ssize_t written)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	do {
		unsigned long index = pos >> PAGE_CACHE_SHIFT;
		unsigned long offset = pos & (PAGE_CACHE_SIZE - 1);
		size_t bytes = min(PAGE_CACHE_SIZE - offset, count);
		struct page *page = find_get_page(mapping, index);
		size_t copied;
		char *kaddr;

		if (!page)
			break;
		lock_page(page);
		kaddr = kmap(page);
		copied = bytes - __copy_from_user(kaddr + offset, buf, bytes);
		kunmap(page);
		unlock_page(page);
		if (copy_to_user((char __user *)buf, "", 0))
			break;
		page_cache_release(page);
		written += copied;
		count -= copied;
		pos += copied;
		buf += copied;
	} while (count);
	return written;
}
EOF
  if ! run_spatch "$TMP/positive/filemap.c" >"$TMP/positive.out" 2>"$TMP/positive.err"; then
    COCCI_SKIP="spatch failed on the positive example: $(oneline < "$TMP/positive.err")"
  elif ! grep -q '^[^:]*filemap.c:17:.*__copy_from_user() may fault' "$TMP/positive.out" \
       || [ "$(grep -c . "$TMP/positive.out")" != 1 ]; then
    COCCI_SKIP="the semantic patch does not give the one expected report on the positive example (got: $(oneline < "$TMP/positive.out"))"
  else
    note "coccinelle self-test: $(sed "s|$TMP/positive/||" "$TMP/positive.out")"
  fi
fi

# ----------------------------------------------------------------- sparse --
SPARSE_SKIP=
declare -A SPARSE_CMDS=()
if ! command -v sparse >/dev/null; then
  is_root && note "sparse not found; installing sparse with apt"
  apt_install sparse || SPARSE_SKIP="sparse is not installed and $(is_root && echo "apt-get install sparse failed: $(tail -2 "$TMP/apt.log" | oneline)" || echo "this is not root, so it cannot be installed")"
  if [ -z "$SPARSE_SKIP" ] && ! command -v sparse >/dev/null; then
    SPARSE_SKIP="sparse was installed with apt but is still not on PATH"
  fi
fi
full_tree() {
  local f
  for f in Makefile Kbuild arch/x86 scripts/Makefile.build include/linux; do
    [ -e "$LINUX_SRC/$f" ] || { echo "$f"; return 1; }
  done
}
if [ -z "$SPARSE_SKIP" ] && ! full_tree >/dev/null; then
  # A partial tree (only mm/ and fs/, say) is completed from the tarball
  # when it is there or can be installed.
  unpack_tree || true
  if missing=$(full_tree); then :; else
    SPARSE_SKIP="$LINUX_SRC is not a full kernel tree (no $missing) and $TARBALL $(is_root && echo "could not be installed or unpacked" || echo "is not installed (needs root)"); sparse needs one to build"
  fi
fi
if [ -z "$SPARSE_SKIP" ]; then
  for t in gcc make flex bison bc; do
    command -v "$t" >/dev/null || apt_install gcc make flex bison bc libelf-dev libssl-dev || true
    command -v "$t" >/dev/null || { SPARSE_SKIP="building the kernel needs $t, which is missing"; break; }
  done
fi
if [ -z "$SPARSE_SKIP" ]; then
  # Where to build: out of tree (O=) unless the source tree is already
  # configured, in which case kbuild insists on building in place.
  if [ -f "$LINUX_SRC/.config" ] || [ -d "$LINUX_SRC/include/config" ]; then
    BUILD=$LINUX_SRC
    MAKE=(make -C "$LINUX_SRC")
    note "sparse: $LINUX_SRC is configured already; building in place"
  else
    BUILD=$SPARSE_BUILD
    MAKE=(make -C "$LINUX_SRC" O="$BUILD")
    # A build directory made for another tree is thrown away.
    if [ -f "$BUILD/.faultpath-src" ] && [ "$(cat "$BUILD/.faultpath-src")" != "$LINUX_SRC" ]; then
      rm -rf "$BUILD"
    fi
    mkdir -p "$BUILD"
    echo "$LINUX_SRC" > "$BUILD/.faultpath-src"
  fi
  WRAP=$BUILD/.faultpath-sparse-wrapper
  SPARSE_BIN=$(command -v sparse)
  # The wrapper appends "cd <dir> && <sparse> <args>" (shell-quoted, one
  # write per line, so the two make jobs do not interleave) to the file named
  # by FAULTPATH_SPARSE_LOG, then runs sparse as make would have.
  cat > "$WRAP" <<EOF
#!/usr/bin/env bash
line="cd \$(printf %q "\$PWD") && \$(printf '%q ' $(printf %q "$SPARSE_BIN") "\$@")"
printf '%s\n' "\$line" >> "\${FAULTPATH_SPARSE_LOG:?}"
exec $(printf %q "$SPARSE_BIN") "\$@"
EOF
  chmod +x "$WRAP"
  SETUP_LOG=$OUT/compare/sparse-setup.log
  : > "$SETUP_LOG"
  setup_start=$(now)
  if [ ! -f "$BUILD/.config" ]; then
    note "sparse setup: make defconfig in $BUILD (log: $SETUP_LOG)"
    tmo "${MAKE[@]}" defconfig >>"$SETUP_LOG" 2>&1 || SPARSE_SKIP="make defconfig failed (see $SETUP_LOG)"
  fi
  if [ -z "$SPARSE_SKIP" ]; then
    note "sparse setup: make prepare (the first time, with the capturing build below, about a minute for mm/ on 2 cores)"
    tmo "${MAKE[@]}" -j"$(nproc)" prepare >>"$SETUP_LOG" 2>&1 || SPARSE_SKIP="make prepare failed (see $SETUP_LOG)"
  fi
  if [ -z "$SPARSE_SKIP" ]; then
    for d in $DIRS; do
      cmds=$BUILD/.faultpath-sparse-cmds.${d//\//_}.sh
      if [ ! -s "$cmds" ]; then
        note "sparse setup: capturing the sparse commands of $d/ (make C=2 CHECK=wrapper $d/, compiles $d/ with gcc once)"
        : > "$cmds.tmp"
        d_start=$(now)
        if FAULTPATH_SPARSE_LOG=$cmds.tmp tmo "${MAKE[@]}" -j"$(nproc)" C=2 CHECK="$WRAP" "$d/" >>"$SETUP_LOG" 2>&1; then
          # Keep only the checks of DIR's own sources: the build also checks
          # files outside it (scripts/mod/empty.c while preparing modpost).
          # The source is the last argument: absolute with O=, relative to
          # the tree when building in place.
          awk -v abs="$LINUX_SRC/$d/" -v rel="$d/" \
            'index($NF, abs) == 1 || index($NF, rel) == 1' "$cmds.tmp" | sort -u > "$cmds"
        else
          note "sparse setup: make C=2 $d/ failed (see $SETUP_LOG)"
        fi
        rm -f "$cmds.tmp"
        printf 'sparse\t%s\t%s\tcapture\t\n' "$d" "$(secs "$d_start" "$(now)")" >> "$SETUP"
      else
        note "sparse setup: reusing the captured sparse commands in $cmds"
      fi
      SPARSE_CMDS[$d]=$cmds
    done
  fi
  printf 'sparse\t*\t%s\ttotal\t\n' "$(secs "$setup_start" "$(now)")" >> "$SETUP"
fi

run_sparse() { # run_sparse CMDS OUTFILE: the timed commands, nothing else
  local rc=0
  timeout --kill-after=30 "$TOOL_TIMEOUT" bash "$1" >"$2" 2>&1 || rc=$?
  # sparse exits non-zero after an error diagnostic; only a timeout or a
  # crash (signal) counts as a failure of the run.
  if [ $rc -eq 124 ] || [ $rc -ge 128 ]; then return $rc; fi
}
count_sparse() { # count_sparse CMDS OUTFILE: prints "files reports detail"
  local reports lock
  reports=$(grep -E ': (warning|error): ' "$2" | sort -u | grep -c . || true)
  lock=$(grep -E ': (warning|error): .*(context imbalance|different lock contexts)' "$2" | sort -u | grep -c . || true)
  echo "$(grep -c . "$1") $reports $lock context-imbalance"
}

# ---------------------------------------------------------------- timing --
record() { # record DIR TOOL RUN START END STATUS "files reports extra..." [message]
  local files reports extra
  read -r files reports extra <<< "$7"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(secs "$4" "$5")" \
    "${files:-}" "${reports:-}" "${extra:-}" "$6" "${8:-}" >> "$RAW"
}

for run in $(seq 1 "$RUNS"); do
  for d in $DIRS; do
    note "run $run/$RUNS, $d/: faultpath"
    o=$OUT/compare/faultpath.${d//\//_}.json
    t0=$(now)
    if run_faultpath "$d" "$o"; then
      t1=$(now)
      # Counting is done after the clock stops, for every tool.
      if res=$(count_faultpath "$o"); then
        record "$d" faultpath "$run" "$t0" "$t1" ok "$res"
      else
        record "$d" faultpath "$run" "$t0" "$t1" failed "" "its output is not the expected JSON: $(tail -2 "$o.count-err" | oneline)"
      fi
    else
      rc=$?; t1=$(now)
      record "$d" faultpath "$run" "$t0" "$t1" failed "" "$(failure "$rc" "$o.err")"
    fi

    if [ -n "$COCCI_SKIP" ]; then
      if [ "$run" = 1 ]; then record "$d" coccinelle "$run" 0 0 skipped "" "$COCCI_SKIP"; fi
    else
      note "run $run/$RUNS, $d/: coccinelle (spatch -j $SPATCH_JOBS)"
      o=$OUT/compare/coccinelle.${d//\//_}.txt
      nfiles=$(find "$LINUX_SRC/$d" -type f -name '*.[ch]' | grep -c . || true)
      t0=$(now)
      if run_spatch --dir "$LINUX_SRC/$d" >"$o" 2>"$o.err"; then
        t1=$(now)
        # One report per line "file:line:col-col: message" (the rule already
        # reports each access once); other lines are spatch chatter.
        n=$(grep -cE '^[^ :]+:[0-9]+:[0-9]+-[0-9]+: ' "$o" || true)
        record "$d" coccinelle "$run" "$t0" "$t1" ok "$nfiles $n"
      else
        rc=$?; t1=$(now)
        record "$d" coccinelle "$run" "$t0" "$t1" failed "" "spatch: $(failure "$rc" "$o.err")"
      fi
    fi

    if [ -n "$SPARSE_SKIP" ]; then
      if [ "$run" = 1 ]; then record "$d" sparse "$run" 0 0 skipped "" "$SPARSE_SKIP"; fi
    elif [ ! -s "${SPARSE_CMDS[$d]:-/nonexistent}" ]; then
      if [ "$run" = 1 ]; then record "$d" sparse "$run" 0 0 skipped "" "no sparse commands captured for $d/ (nothing built there by defconfig, or the capturing build failed: see $OUT/compare/sparse-setup.log)"; fi
    else
      note "run $run/$RUNS, $d/: sparse (re-running the captured commands)"
      o=$OUT/compare/sparse.${d//\//_}.txt
      t0=$(now)
      if run_sparse "${SPARSE_CMDS[$d]}" "$o"; then
        t1=$(now)
        record "$d" sparse "$run" "$t0" "$t1" ok "$(count_sparse "${SPARSE_CMDS[$d]}" "$o")"
      else
        rc=$?; t1=$(now)
        record "$d" sparse "$run" "$t0" "$t1" failed "" "$(failure "$rc" "$o")"
      fi
    fi
  done
done

# ---------------------------------------------------------------- report --
# Medians, ranges and per-run ratios are computed in node (already needed by
# faultpath); it prints the table and writes compare.json.
export COMPARE_LINUX_SRC=$LINUX_SRC COMPARE_RUNS=$RUNS COMPARE_DIRS=$DIRS COMPARE_SPATCH_JOBS=$SPATCH_JOBS
export COMPARE_SPATCH_VERSION; COMPARE_SPATCH_VERSION=$( (spatch --version 2>/dev/null || true) | head -1)
export COMPARE_SPARSE_VERSION; COMPARE_SPARSE_VERSION=$( (dpkg-query -W -f='${Version}' sparse 2>/dev/null || true) | head -1)
export COMPARE_SPARSE_BUILD=${BUILD:-}
node - "$RAW" "$SETUP" "$OUT/compare.json" <<'EOF'
const fs = require("fs");
const os = require("os");
const [raw, setup, out] = process.argv.slice(2);
const rows = fs.readFileSync(raw, "utf8").split("\n").filter(Boolean).map((l) => {
  const [dir, tool, run, seconds, files, reports, extra, status, message] = l.split("\t");
  return { dir, tool, run: +run, seconds: +seconds, files: files === "" ? null : +files,
           reports: reports === "" ? null : +reports, extra, status, message };
});
const setupRows = fs.readFileSync(setup, "utf8").split("\n").filter(Boolean).map((l) => {
  const [tool, dir, seconds, what] = l.split("\t");
  return { tool, dir, what, seconds: +seconds };
});
const median = (a) => { const s = [...a].sort((x, y) => x - y), n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : null; };
const stats = (a) => a.length ? { median: median(a), min: Math.min(...a), max: Math.max(...a) } : null;
const method = {
  faultpath: "node dist/cli.js check --format json --fail-on none --no-progress --no-cache DIR from inside LINUX_SRC (cold, default threads); reports = findings of all rules",
  coccinelle: `spatch -D report --very-quiet --no-includes --include-headers --timeout 300 -j ${process.env.COMPARE_SPATCH_JOBS} --sp-file bench/cocci/copy-under-lock-page.cocci --dir LINUX_SRC/DIR; reports = user accesses between a page/folio lock and unlock call`,
  sparse: "sparse alone: the sparse command lines that `make C=2 DIR/` runs on an x86_64 defconfig were captured once (setup, with a logging CHECK wrapper) and only they are re-run and timed, one after the other; files = .c files built by defconfig; reports = distinct warning/error lines",
};
const result = { date: new Date().toISOString(), host: { cpus: os.cpus().length, node: process.version },
  linuxSrc: process.env.COMPARE_LINUX_SRC, dirs: process.env.COMPARE_DIRS.split(/\s+/).filter(Boolean),
  runs: +process.env.COMPARE_RUNS, ratio: "tool_time / faultpath_time, per run, same run of the script",
  versions: { spatch: process.env.COMPARE_SPATCH_VERSION || null, sparse: process.env.COMPARE_SPARSE_VERSION || null },
  sparseBuild: process.env.COMPARE_SPARSE_BUILD || null, setup: setupRows, results: [] };
const f = (x, d = 2) => x == null ? "n/a" : x.toFixed(d);
console.log(`faultpath vs coccinelle vs sparse on ${result.linuxSrc}, ${result.runs} run(s), ${result.host.cpus} CPUs; ratio = tool time / faultpath time in the same run`);
for (const [tool, m] of Object.entries(method)) console.log(`  ${tool}: ${m}`);
for (const s of setupRows.filter((s) => s.what === "unpack")) console.log(`  kernel sources unpacked (not timed): ${f(s.seconds, 1)} s`);
for (const s of setupRows.filter((s) => s.what === "total")) {
  const cap = setupRows.filter((c) => c.what === "capture").map((c) => `capturing build of ${c.dir}/ ${f(c.seconds, 1)} s`);
  console.log(`  ${s.tool} setup (not timed): ${f(s.seconds, 1)} s (defconfig if needed, make prepare${cap.length ? ", " + cap.join(", ") : ", captured commands reused"})`);
}
const width = Math.max(...result.dirs.map((d) => d.length + 1));
for (const dir of result.dirs) {
  const fpRuns = new Map(rows.filter((r) => r.dir === dir && r.tool === "faultpath" && r.status === "ok").map((r) => [r.run, r.seconds]));
  for (const tool of ["faultpath", "coccinelle", "sparse"]) {
    const mine = rows.filter((r) => r.dir === dir && r.tool === tool);
    const ok = mine.filter((r) => r.status === "ok");
    const entry = { dir, tool, method: method[tool],
      status: !mine.length ? "missing" : ok.length === mine.length ? "ok" : ok.length ? "partial" : mine[0].status,
      runs: mine.map((r) => ({ run: r.run, status: r.status, seconds: r.status === "ok" ? r.seconds : null, files: r.files, reports: r.reports,
        detail: r.extra || undefined, message: r.message || undefined, ratio: r.status === "ok" && fpRuns.get(r.run) ? r.seconds / fpRuns.get(r.run) : null })) };
    const label = `${(dir + "/").padEnd(width)} ${tool.padEnd(10)}`;
    if (!ok.length) {
      const why = mine.find((r) => r.message);
      entry.message = why ? why.message : "no runs";
      console.log(`${label} ${entry.status === "skipped" ? "skipped" : "FAILED"}: ${entry.message}`);
      result.results.push(entry);
      continue;
    }
    entry.seconds = stats(ok.map((r) => r.seconds));
    const ratios = entry.runs.map((r) => r.ratio).filter((x) => x != null);
    entry.ratio = stats(ratios);
    const last = ok[ok.length - 1];
    entry.files = last.files; entry.reports = last.reports; entry.detail = last.extra || null;
    const failed = mine.length - ok.length;
    console.log(`${label} ${f(entry.seconds.median).padStart(8)} s wall (min ${f(entry.seconds.min)}, max ${f(entry.seconds.max)})  ` +
      `${String(entry.files).padStart(5)} files  ${String(entry.reports).padStart(5)} reports${entry.detail ? ` (${entry.detail})` : ""}  ` +
      `ratio ${f(entry.ratio && entry.ratio.median)}${entry.ratio && ratios.length > 1 ? ` (${f(entry.ratio.min)}-${f(entry.ratio.max)})` : ""}` +
      (failed ? `  [${failed} run(s) failed: ${mine.find((r) => r.status !== "ok").message}]` : ""));
    result.results.push(entry);
  }
}
fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
console.log(`wrote ${out}`);
if (!rows.some((r) => r.tool === "faultpath" && r.status === "ok")) process.exit(1);
EOF
