#!/usr/bin/env bash
# Prints the path of an unpacked Linux 6.12 tree (Debian linux-source-6.12),
# installing the package and unpacking the whole tree first if needed.
#   LINUX_SRC  where the tree is or goes (default /tmp/faultpath-linux/linux-source-6.12)
set -euo pipefail
SRC=${LINUX_SRC:-/tmp/faultpath-linux/linux-source-6.12}
if [ ! -f "$SRC/Makefile" ] || [ ! -d "$SRC/drivers" ]; then
  if [ ! -f /usr/src/linux-source-6.12.tar.xz ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.12 >&2
    else
      echo "linux-src: need /usr/src/linux-source-6.12.tar.xz (apt-get install linux-source-6.12)" >&2
      exit 2
    fi
  fi
  mkdir -p "$(dirname "$SRC")"
  echo "linux-src: unpacking linux-source-6.12 into $(dirname "$SRC") (about a minute)" >&2
  tar -C "$(dirname "$SRC")" --skip-old-files -xf /usr/src/linux-source-6.12.tar.xz
fi
echo "$SRC"
