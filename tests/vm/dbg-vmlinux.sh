#!/bin/sh
# dbg-vmlinux.sh KERNEL -- fetch (once) Debian's debug package of a cloud
# kernel and print the path of its debug vmlinux (with DWARF and .BTF).
# Shares the cache and private apt configuration of kernels.sh.
set -eu
D=$(cd "$(dirname "$0")" && pwd)
"$D/kernels.sh" "$1" > /tmp/.tcprst-kinfo.$$ || exit 1
release=$(sed -n "s/^release='\(.*\)'$/\1/p" /tmp/.tcprst-kinfo.$$)
rm -f /tmp/.tcprst-kinfo.$$
C=${TCPRST_KERNEL_CACHE:-$HOME/.cache/tcprst/kernels}
out=$C/dbg/vmlinux-$release
if [ ! -s "$out" ]; then
	O="-o Dir::Etc::sourcelist=$C/apt/sources.list -o Dir::Etc::sourceparts=-
	 -o Dir::State::Lists=$C/apt/lists -o Dir::Cache=$C/apt/cache
	 -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
	pkg=linux-image-$release-dbg
	mkdir -p "$C/dbg"
	exec 9> "$C/.lock"
	flock 9
	deb=$(ls "$C/dbg/$pkg"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		# shellcheck disable=SC2086
		(cd "$C/dbg" && { apt-get $O -q download "$pkg" >&2 ||
			{ apt-get $O -q update >&2 && apt-get $O -q download "$pkg" >&2; }; }) ||
			{ echo "dbg-vmlinux.sh: cannot download $pkg" >&2; exit 1; }
		deb=$(ls "$C/dbg/$pkg"_*.deb | head -n 1)
	fi
	# only the vmlinux, not the modules' debug info
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/lib/debug/boot/vmlinux-$release" > "$out.tmp"
	mv "$out.tmp" "$out"
	rm -f "$deb"
fi
echo "$out"
