#!/bin/sh
# One static binary: tcprst built with ./configure --enable-static-binary
# (from the distributed tree, in a directory of its own) runs the suite on
# Debian's 6.1 kernel in a VM whose initramfs holds no shared library.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TCPRST_BUILDDIR:-$top}
st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
if ! command -v qemu-system-x86_64 > /dev/null && [ "${TCPRST_VM_REQUIRED:-0}" != 1 ]; then
	echo "SKIP: no qemu-system-x86_64"
	exit 77
fi
${MAKE:-make} -s -C "$build" distdir distdir="$st/src" > "$st/log" 2>&1 &&
	(cd "$st/src" && ./configure -q --enable-static-binary && ${MAKE:-make} -s src/tcprst) >> "$st/log" 2>&1 ||
	{ echo "# cannot build a static tcprst:"; sed 's/^/#   /' "$st/log" | tail -n 20; exit 1; }
readelf -d "$st/src/src/tcprst" 2>&1 | grep -q "no dynamic section" || { echo "# $st/src/src/tcprst is not static"; exit 1; }
TCPRST=$st/src/src/tcprst "$top/tests/vm/run.sh" --nolibs 6.1
