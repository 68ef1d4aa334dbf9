#!/bin/sh
# mkrootfs.sh RELEASE -- the bench VM's Debian bookworm root file system:
# bpftrace, bpfcc-tools, perf-tools-unstable and linux-headers-RELEASE, with
# everything they depend on, unpacked (dpkg-deb -x, no maintainer scripts,
# no chroot) into a directory and packed as an uncompressed newc cpio that
# QEMU loads as an initramfs. Prints the cpio's path.
# Cache: ${TCPRST_BENCH_CACHE:-$HOME/.cache/tcprst/bench}: the .debs and the
# cpio are kept; the cpio is rebuilt only when this script changes. Uses a
# private apt configuration (never the system's sources or dpkg database).
# Needs apt-get, dpkg-deb, ldconfig, flock and a static busybox (its cpio).
set -eu
rel=${1:?usage: $0 RELEASE (e.g. 6.1.0-50-cloud-amd64)}
C=${TCPRST_BENCH_CACHE:-$HOME/.cache/tcprst/bench}
D=$(cd "$(dirname "$0")" && pwd)
out=$C/rootfs-$rel.cpio
mkdir -p "$C/apt/lists/partial" "$C/apt/cache/archives/partial"
exec 9> "$C/.lock"
flock 9
if [ -s "$out" ] && [ "$out" -nt "$D/mkrootfs.sh" ]; then
	echo "$out"
	exit 0
fi

# what the bench runs, and what it needs beside the tools' own dependencies
# (bash, awk, sed and friends for perf-tools' scripts, nft to drop the RSTs
# that come back over loopback, strace to see where a tool's time goes)
pkgs="bpftrace bpfcc-tools python3-bpfcc perf-tools-unstable linux-headers-$rel
 bash coreutils gawk sed grep procps util-linux findutils nftables strace"

echo "deb http://deb.debian.org/debian bookworm main" > "$C/apt/sources.list"
: > "$C/apt/status"	# an empty dpkg database: every dependency is fetched
O="-o Dir::Etc::sourcelist=$C/apt/sources.list -o Dir::Etc::sourceparts=-
 -o Dir::State::Lists=$C/apt/lists -o Dir::Cache=$C/apt/cache
 -o Dir::State::status=$C/apt/status -o Debug::NoLocking=1
 -o APT::Sandbox::User=root -o APT::Install-Recommends=0"
if [ -z "$(find "$C/apt/lists" -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
	# shellcheck disable=SC2086
	apt-get $O -q update >&2 || { echo "mkrootfs.sh: apt-get update failed" >&2; exit 1; }
fi
# shellcheck disable=SC2086
apt-get $O -q -y -d install $pkgs >&2 ||
	{ echo "mkrootfs.sh: cannot download $pkgs" >&2; exit 1; }

R=$C/rootfs.tmp
rm -rf "$R"
mkdir -p "$R"
# shellcheck disable=SC2086
for deb in "$C"/apt/cache/archives/*.deb; do
	case $deb in *.deb) dpkg-deb -x "$deb" "$R" ;; esac
done
# what no tool here reads: documentation, translations, other architectures'
# headers, and the compiler the headers' package depends on (bcc compiles
# with its own clang)
rm -rf "$R/usr/share/doc" "$R/usr/share/man" "$R/usr/share/info" "$R/usr/share/locale" \
	"$R/usr/share/bash-completion" "$R/usr/share/lintian" "$R/usr/libexec/gcc" \
	"$R"/usr/lib/x86_64-linux-gnu/lib*san.so* "$R"/usr/lib/x86_64-linux-gnu/libgprofng* \
	"$R"/usr/bin/x86_64-linux-gnu-*
for a in "$R"/usr/src/linux-headers-*-common/arch/*; do
	[ "${a##*/}" = x86 ] || rm -rf "$a"
done
ldconfig -r "$R" 2>/dev/null || true
[ -x "$R/usr/bin/bpftrace" ] && [ -x "$R/usr/sbin/trace-bpfcc" ] && [ -x "$R/usr/sbin/kprobe-perf" ] &&
	[ -L "$R/lib/modules/$rel/build" ] ||
	{ echo "mkrootfs.sh: the rootfs lacks a tool or the headers (see $R)" >&2; exit 1; }
BB=$(command -v busybox)
(cd "$R" && find . | sort | "$BB" cpio -o -H newc 2>/dev/null) > "$out.tmp"
mv -f "$out.tmp" "$out"
rm -rf "$R"
echo "$out"
