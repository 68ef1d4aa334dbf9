#!/bin/sh
# Record the replay fixtures of the unit tests (tests/fixtures/KERNEL/):
# raw ring-buffer pages and event formats of a tcprst run over every
# scenario in the VM, kept only if tcprst agreed with the packet capture.
# Usage: contrib/record-fixtures.sh [KERNEL...]   (default: 5.10 6.1 6.12)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=${TCPRST_VM_BUILD:-$top/tests/vm/build}
[ $# -gt 0 ] || set -- 5.10 6.1 6.12
for k in "$@"; do
	"$top/tests/vm/run.sh" --mode record "$k" > /dev/null ||
		{ echo "record-fixtures: the recording run on $k failed; see $B/log-$k-record.txt" >&2; exit 1; }
	out=$top/tests/fixtures/$k
	rm -rf "$out"
	mkdir -p "$out"
	tr -d '\r' < "$B/log-$k-record.txt" | sed -n '/^=== fixture$/,/^=== end$/p' |
		sed '1d;$d' | base64 -d | tar -C "$out" -mxzf -
	echo "record-fixtures: $k: $(grep -c . "$out/expected.txt") resets, $(cat "$out"/cpu*.raw | wc -c) bytes of pages"
done
