#!/bin/sh
# Fuzz every parser of outside input with libFuzzer (clang), a short run of
# each from its seed corpus in tests/fuzz/corpus/ (crashes once found are
# kept there: each run replays them first). Skipped (77) without clang's
# libFuzzer, except in CI. TAP output. FUZZ_SECONDS: per target (default 8).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${FUZZ_SECONDS:-8}
tmp=$(mktemp -d)
trap '[ -n "${FUZZ_KEEP:-}" ] || rm -rf "$tmp" /tmp/tcprst-fuzz-*' EXIT
. "$top/tests/tap.sh"
CC=${FUZZ_CC:-clang}
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' > "$tmp/t.c" ||
   ! $CC -fsanitize=fuzzer -o "$tmp/t" "$tmp/t.c" 2> /dev/null; then
	if required; then
		echo "not ok 1 - clang with libFuzzer is missing (CI installs clang)"; exit 1
	fi
	echo "SKIP: no clang with libFuzzer (Debian: clang)"; exit 77
fi
flags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE
	-I$top/include -I${TCPRST_BUILDDIR:-$top} $(pkg-config --cflags libtracefs libtraceevent libdw libelf) -DFIXTURES=\"$top/tests/fixtures\""
libs="$(pkg-config --libs libtracefs libtraceevent libdw libelf)"
core="options probes offsets btf decode recfield collect filter output json kallsyms ksyms caps check calib dwarfoff
	classify pipeline losses srcline summary owner modules format formats reader"
mkdir -p "$tmp/obj"
for c in $core; do
	# shellcheck disable=SC2086
	$CC $flags -c -o "$tmp/obj/$c.o" "$top/src/$c.c" 2> "$tmp/cc.err" ||
		{ not_ok "compile src/$c.c"; sed 's/^/#   /' "$tmp/cc.err" | head; }
done
for t in decode btf dwarf offsets options text kallsyms; do
	T=$(echo $t | tr a-z A-Z)
	# shellcheck disable=SC2086
	if ! $CC $flags -fsanitize=fuzzer -DFUZZ_$T -o "$tmp/fuzz_$t" "$top/tests/fuzz/fuzz.c" \
		"$tmp"/obj/*.o $libs 2> "$tmp/cc.err"; then
		not_ok "$t: the fuzz target builds"; sed 's/^/#   /' "$tmp/cc.err" | head; continue
	fi
	mkdir -p "$tmp/corpus/$t"
	cp "$top/tests/fuzz/corpus/$t"/* "$tmp/corpus/$t/" 2> /dev/null
	seeds=$(ls "$tmp/corpus/$t" | wc -l)
	(cd "$tmp" && "./fuzz_$t" -max_total_time=$secs -max_len=8192 -timeout=10 -rss_limit_mb=1024 \
		"$tmp/corpus/$t" > "$tmp/$t.log" 2>&1)
	rc=$?
	runs=$(sed -n 's/.*Done \([0-9]*\) runs.*/\1/p' "$tmp/$t.log" | tail -n 1)
	if [ $rc = 0 ]; then
		ok "$t: ${runs:-?} inputs in ${secs}s from $seeds seeds, no crash, leak or undefined behaviour"
	else
		not_ok "$t: libFuzzer found a problem (exit $rc); the input is kept as $tmp/crash-*"
		grep -E 'ERROR|SUMMARY|#[0-9]+ ' "$tmp/$t.log" | head -n 20 | sed 's/^/#   /'
		for c in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-*; do
			[ -f "$c" ] && echo "#   input: $(od -An -c "$c" | head -n 3 | tr -s ' ')"
		done
	fi
done
tap_end
