#!/bin/sh
# The offset readers on the kernel's own debug vmlinux (Debian 6.1, -dbg
# package, cached): its .BTF section and its DWARF must give the same
# offsets and parameter positions. (The VM suite shows on the same kernel
# that these offsets give wire-exact tuples.)
set -e
here=$(dirname "$0")
for c in apt-get dpkg-deb flock; do
	command -v $c > /dev/null && continue
	[ "${TCPRST_VM_REQUIRED:-0}" = 1 ] && { echo "vmlinux-6.1.sh: $c not found" >&2; exit 1; }
	echo "SKIP: $c not found (Debian's debug vmlinux cannot be fetched)"; exit 77
done
vmlinux=$("$here/vm/dbg-vmlinux.sh" 6.1)
exec "${VMLINUX_OFFSETS:-tests/unit/vmlinux_offsets}" "$vmlinux"
