#!/usr/bin/env bash
# Prints the path of an unpacked Linux tree from Debian's linux-source-X.Y
# package (6.12 by default, or the version given as the first argument),
# installing the package and unpacking the whole tree first if needed.
#   LINUX_SRC  where the tree is or goes (default /tmp/faultpath-linux/linux-source-X.Y)
set -euo pipefail
VER=${1:-6.12}
case "$VER" in 6.1|6.12) ;; *) echo "linux-src: version must be 6.1 or 6.12, not '$VER'" >&2; exit 2 ;; esac
SRC=${LINUX_SRC:-/tmp/faultpath-linux/linux-source-$VER}
if [ ! -f "$SRC/Makefile" ] || [ ! -d "$SRC/drivers" ]; then
  if [ ! -f /usr/src/linux-source-$VER.tar.xz ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-$VER >&2
    else
      echo "linux-src: need /usr/src/linux-source-$VER.tar.xz (apt-get install linux-source-$VER)" >&2
      exit 2
    fi
  fi
  mkdir -p "$(dirname "$SRC")"
  echo "linux-src: unpacking linux-source-$VER into $(dirname "$SRC") (about a minute)" >&2
  tar -C "$(dirname "$SRC")" --skip-old-files -xf /usr/src/linux-source-$VER.tar.xz
fi
echo "$SRC"
