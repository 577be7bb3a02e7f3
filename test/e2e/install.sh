#!/usr/bin/env bash
# Installs what the end-to-end test needs, idempotently, from Debian and the npm
# registry only: Chromium and ripgrep (apt), and into PREFIX code-server (VS
# Code's web workbench with its real extension host) and playwright-core.
# code-server's install fetches ripgrep from GitHub: its download cache is
# seeded with Debian's rg first, and its native modules are rebuilt here.
set -euo pipefail
PREFIX=${1:?usage: install.sh PREFIX}
# absolute: TMPDIR below is read by postinstall scripts that run in other directories
mkdir -p "$PREFIX" && PREFIX=$(cd "$PREFIX" && pwd)
CS_VERSION=4.100.3   # the last release whose engines allow node 20
log() { printf '[e2e-install] %s\n' "$*" >&2; }

pkgs=(chromium ripgrep fonts-dejavu-core build-essential python3 pkg-config libkrb5-dev)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "need root to apt-get install ${missing[*]}"; exit 1; }
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
fi

mkdir -p "$PREFIX" && cd "$PREFIX"
[ -f package.json ] || echo '{"name":"faultpath-e2e","private":true}' > package.json
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false
ready() {
  [ -x node_modules/.bin/code-server ] &&
  [ "$(node -p 'require("./node_modules/code-server/package.json").version' 2>/dev/null)" = "$CS_VERSION" ] &&
  [ -e node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ] &&
  [ -e node_modules/code-server/lib/vscode/node_modules.asar ]
}
if ! ready; then
  log "npm install --ignore-scripts code-server@$CS_VERSION"
  npm install --ignore-scripts --save-exact --no-package-lock "code-server@$CS_VERSION" >/dev/null
  export TMPDIR="$PREFIX/.tmp"; mkdir -p "$TMPDIR"
  rg_ver=$(node -p 'require("./node_modules/code-server/lib/vscode/npm-shrinkwrap.json").packages["node_modules/@vscode/ripgrep"].version')
  stage="$TMPDIR/rg"; rm -rf "$stage"; mkdir -p "$stage/bin"
  (cd "$stage" && npm pack --silent "@vscode/ripgrep@$rg_ver" >/dev/null && tar xzf ./*.tgz)
  rg_tag=$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$stage/package/lib/postinstall.js")
  cp /usr/bin/rg "$stage/bin/rg"
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$rg_ver"
  tar czf "$TMPDIR/vscode-ripgrep-cache-$rg_ver/ripgrep-$rg_tag-x86_64-unknown-linux-musl.tar.gz" -C "$stage/bin" rg
  log "npm rebuild argon2 code-server (native modules; a few minutes)"
  npm rebuild --foreground-scripts argon2 code-server > "$PREFIX/rebuild.log" 2>&1 || { tail -30 "$PREFIX/rebuild.log" >&2; exit 1; }
  ready || { log "code-server incomplete, see $PREFIX/rebuild.log"; exit 1; }
fi
node -e 'require.resolve("playwright-core")' 2>/dev/null || npm install --save --no-package-lock playwright-core@1 >/dev/null
log "ready: code-server $CS_VERSION, playwright-core $(node -p 'require("playwright-core/package.json").version')"
