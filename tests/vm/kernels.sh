#!/bin/sh
# kernels.sh KERNEL -- fetch (once), cache and extract a Debian cloud kernel
# for the VM tests; KERNEL is 5.10, 6.1 or 6.12. Prints shell assignments:
#   release=...  vmlinuz=...  modules=...  (modules = lib/modules/<release>)
# Cache: ${TCPRST_KERNEL_CACHE:-$HOME/.cache/tcprst/kernels}, reused across
# runs. Uses a private apt configuration (never the system's sources); needs
# apt-get, dpkg-deb and flock. If the pinned package is gone from the
# archive, falls back to what linux-image-cloud-amd64 depends on in that
# suite (and says so on stderr).
set -eu

case "${1:-}" in
5.10) pkg=linux-image-5.10.0-32-cloud-amd64-unsigned suite=bullseye ;;
6.1)  pkg=linux-image-6.1.0-50-cloud-amd64-unsigned suite=bookworm ;;
6.12) pkg=linux-image-6.12.117+deb13-cloud-amd64-unsigned suite=trixie ;;
*) echo "usage: $0 5.10|6.1|6.12" >&2; exit 2 ;;
esac

C=${TCPRST_KERNEL_CACHE:-$HOME/.cache/tcprst/kernels}
mkdir -p "$C/x"
X=$C/x/$1

locate() {
	vmlinuz=$(ls "$X"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	[ -n "$vmlinuz" ] || return 1
	release=${vmlinuz##*/vmlinuz-}
	for m in "$X/lib/modules/$release" "$X/usr/lib/modules/$release"; do
		if [ -d "$m" ]; then
			printf "release='%s'\nvmlinuz='%s'\nmodules='%s'\n" \
				"$release" "$vmlinuz" "$m"
			return 0
		fi
	done
	return 1
}

locate && exit 0

O="-o Dir::Etc::sourcelist=$C/apt/sources.list -o Dir::Etc::sourceparts=-
 -o Dir::State::Lists=$C/apt/lists -o Dir::Cache=$C/apt/cache
 -o Debug::NoLocking=1 -o APT::Sandbox::User=root"

fetch() {
	mkdir -p "$C/apt/lists/partial" "$C/apt/cache/archives/partial"
	cat > "$C/apt/sources.list" <<EOF
deb http://deb.debian.org/debian bullseye main
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian trixie main
EOF
	deb=$(ls "$C/$pkg"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		# refresh the package lists at most once an hour
		if [ -z "$(find "$C/apt/lists" -name '*Packages*' -mmin -60 2>/dev/null)" ]; then
			# shellcheck disable=SC2086
			apt-get $O -q update >&2 || { echo "kernels.sh: apt-get update failed" >&2; exit 1; }
		fi
		# shellcheck disable=SC2086
		if ! (cd "$C" && apt-get $O -q download "$pkg" >&2); then
			# shellcheck disable=SC2086
			alt=$(apt-cache $O show "linux-image-cloud-amd64/$suite" 2>/dev/null |
				sed -n 's/^Depends: *\(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
			[ -n "$alt" ] || { echo "kernels.sh: $pkg not found, no fallback in $suite" >&2; exit 1; }
			echo "kernels.sh: WARNING: $pkg is gone from the archive; using $alt (dependency of linux-image-cloud-amd64 in $suite)" >&2
			# shellcheck disable=SC2086
			(cd "$C" && apt-get $O -q download "$alt/$suite" >&2) || exit 1
			pkg=$alt
		fi
		deb=$(ls "$C/$pkg"_*.deb | head -n 1)
	fi
	rm -rf "$X.tmp"
	dpkg-deb -x "$deb" "$X.tmp"
	rm -rf "$X"
	mv "$X.tmp" "$X"
}

# concurrent runs (make -j check) share the cache: serialize the fetch
exec 9> "$C/.lock"
flock 9
locate && exit 0
fetch
locate || { echo "kernels.sh: no vmlinuz/modules in $X" >&2; exit 1; }
