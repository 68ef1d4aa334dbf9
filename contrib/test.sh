#!/bin/sh
# Build tcprst and run every test: unit tests (with sanitizers), the CLI
# tests, and the end-to-end suite that boots Debian's 5.10, 6.1 and 6.12
# kernels under QEMU (kernels are fetched once and cached), make distcheck,
# then the README's first command from a fresh clone of HEAD
# (tests/try-fresh.sh).
set -e
here=$(dirname "$0")
"$here/deps.sh" --test
"$here/build.sh"
cd "$here/.."
# two at a time: each VM is single-threaded under software emulation
if ! make -s -j2 check; then
	for f in tests/*.log tests/unit/*.log; do
		case $f in */test-suite.log) continue ;; esac
		grep -q '^not ok\|^FAIL' "$f" 2>/dev/null && { echo "=== $f"; cat "$f"; }
	done
	exit 1
fi
# the distributed tree builds (in a separate directory), installs, and passes
# the tests that need no VM
if ! make -s distcheck TESTS="tests/unit/test_units tests/cli.sh tests/replay.sh tests/install.sh" \
	> tests/distcheck.log 2>&1; then
	echo "=== tests/distcheck.log"; tail -n 40 tests/distcheck.log
	exit 1
fi
rm -f tcprst-*.tar.gz
# the README's first command, from a fresh clone, as a newcomer runs it
if ! tests/try-fresh.sh > tests/try-fresh.log 2>&1; then
	echo "=== tests/try-fresh.log"; cat tests/try-fresh.log
	exit 1
fi
# one closing line over every suite: unit, CLI, each kernel's VM suite, try.sh
cat tests/*.log tests/unit/*.log 2>/dev/null | grep -oE '[0-9]+ passed, [0-9]+ failed' |
	awk '{p += $1; f += $3} END {printf "%d passed, %d failed\n", p, f}'
