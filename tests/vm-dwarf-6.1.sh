#!/bin/sh
# The suite on Debian's 6.1 kernel with BTF hidden and the kernel's own
# debug vmlinux (-dbg package, without its .BTF) at the usual debug path:
# struct offsets come from DWARF.
exec "$(dirname "$0")/vm/run.sh" --dwarf 6.1
