#!/bin/sh
# Install what building and testing tcprst needs on Debian (bookworm or later).
# usage: deps.sh [--test]
# Idempotent: packages already present are not fetched again.
set -e
# (zlib, bzip2 and xz: libdw's own libraries, for the static tcprst)
pkgs="gcc libc6-dev make autoconf automake pkg-config libtracefs-dev libtraceevent-dev libdw-dev libelf-dev
      zlib1g-dev libbz2-dev liblzma-dev
      qemu-system-x86 busybox-static iproute2 cpio gzip xz-utils util-linux binutils
      iptables nftables conntrack"
# --test: what only the tests use (promtool checks the metrics file,
# systemd-analyze the unit, clang's libFuzzer fuzzes the parsers)
[ "${1:-}" = --test ] && pkgs="$pkgs prometheus systemd clang libclang-rt-dev"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
