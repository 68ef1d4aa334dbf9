#!/bin/sh
# Build tcprst and run it with the given arguments (as root).
# Where this kernel has no kprobe events (as on this project's build
# machines), boot Debian's 6.1 kernel under QEMU instead, run tcprst there
# with the same arguments while scenarios make the kernel send resets of
# every kind, and show tcprst's own output.
set -e
here=$(cd "$(dirname "$0")" && pwd)
"$here/deps.sh"
"$here/build.sh"
tcprst=$here/../src/tcprst
# --check creates nothing and exits 0 only where tracing can work
if "$tcprst" --check > /dev/null 2>&1; then
	exec "$tcprst" "$@"
fi
for a in "$@"; do
	case $a in *[,\ ]*) echo "try.sh: in the VM, arguments cannot contain commas or spaces: '$a'" >&2; exit 2 ;; esac
done
echo "try.sh: this kernel has no kprobe events; running tcprst $* in a Debian 6.1 VM against live scenarios..." >&2
args=$(printf '%s,' "$@")
B=${TCPRST_VM_BUILD:-$here/../tests/vm/build}
mkdir -p "$B"
rc=0
"$here/../tests/vm/run.sh" --mode demo --args "${args%,}" 6.1 > "$B/try.out" 2>&1 || rc=$?
log=$B/log-6.1-demo.txt
if [ -f "$log" ]; then
	tr -d '\r' < "$log" | sed -n '/^=== tcprst stderr$/,/^=== end$/p' |
		sed '/^=== /d'
fi
[ $rc = 0 ] || { echo "try.sh: the VM run failed; see $B/try.out and $log" >&2; exit 1; }
