# shellcheck shell=sh
# files.sh -- sourced by tests/vm/mkinitramfs.sh and bench/run.sh: what
# both do to put a kernel's modules and a program's libraries into an
# initramfs tree.

# ko_copy SRC DEST -- a kernel module, decompressed if it is (.xz .zst .gz)
ko_copy() {
	case $1 in
	*.ko) cp "$1" "$2" ;;
	*.ko.xz) xz -dc "$1" > "$2" ;;
	*.ko.zst) zstd -dcq "$1" > "$2" ;;
	*.ko.gz) gzip -dc "$1" > "$2" ;;
	*) echo "unknown module format: $1" >&2; return 1 ;;
	esac
}

# libs_of BIN -- the shared libraries ldd lists for BIN, one path a line
# (with the dynamic loader unless the second argument is "noloader")
libs_of() {
	if [ "${2:-}" = noloader ]; then
		ldd "$1" 2>/dev/null | sed -n 's/.*=> *\(\/[^ ]*\) .*/\1/p'
	else
		ldd "$1" 2>/dev/null | sed -n 's/.*=> *\(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'
	fi
}

# copy_libs BIN ROOT [noloader] -- BIN's libraries into ROOT at their own
# paths, where not there yet
copy_libs() {
	libs_of "$1" "${3:-}" | while read -r lib; do
		[ -e "$2$lib" ] && continue
		mkdir -p "$2${lib%/*}"
		cp -L "$lib" "$2$lib"
	done
}
