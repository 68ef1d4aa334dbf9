#!/bin/sh
# The offset readers on the kernel's own debug vmlinux (Debian 6.1, -dbg
# package, cached): its .BTF section and its DWARF must give the same
# offsets and parameter positions. (The VM suite shows on the same kernel
# that these offsets give wire-exact tuples.)
set -e
here=$(dirname "$0")
vmlinux=$("$here/vm/dbg-vmlinux.sh" 6.1)
exec "${VMLINUX_OFFSETS:-tests/unit/vmlinux_offsets}" "$vmlinux"
