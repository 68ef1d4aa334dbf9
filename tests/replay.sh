#!/bin/sh
# The real binary on recorded data: for every recording in tests/fixtures/
# that has its packet capture (capture.txt, from the same VM run), replay
# the raw pages through tcprst (TCPRST_REPLAY, test only) and check every
# reset against the wire with rstcheck: tuple, kind, cause, seq, ack and
# flags; then the table and --explain output of the same replay. TAP output.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${TCPRST:-$top/src/tcprst}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; sed 's/^/#   /' "$tmp/diag" 2>/dev/null | head -20; fi; }

${CC:-cc} -O2 -Wall -Wextra -o "$tmp/rstcheck" "$top/tests/vm/rstcheck.c" 2> "$tmp/diag"
check "rstcheck builds" '[ -x "$tmp/rstcheck" ]'
dirs=0
for d in "$top"/tests/fixtures/*/; do
	[ -f "$d/capture.txt" ] || continue
	k=$(basename "$d") dirs=$((dirs + 1))
	TCPRST_REPLAY=$d "$bin" --json --stack > "$tmp/$k.json" 2> "$tmp/diag"
	rc=$?
	check "$k: replay exits 0 (got $rc)" '[ $rc = 0 ]'
	"$tmp/rstcheck" --need-cause --need-seq "$d/capture.txt" "$d/expected.txt" "$tmp/$k.json" > "$tmp/diag" 2>&1
	check "$k: $(grep -c . "$tmp/$k.json") replayed resets match the capture: tuple, kind, cause, seq, ack, flags" \
		'[ $? = 0 ]'
	TCPRST_REPLAY=$d "$bin" --explain > "$tmp/$k.txt" 2> "$tmp/diag"
	events=$(grep -c . "$tmp/$k.json") why=$(grep -c '^        why: ' "$tmp/$k.txt")
	rows=$(grep -cE '^[0-9:.]+ ' "$tmp/$k.txt")
	check "$k: the table has a header, $events rows and a why: line under each ($rows, $why)" \
		'head -n 1 "$tmp/$k.txt" | grep -q "^TIME .*KIND .*CAUSE .*STATE .*SADDR:SPORT > DADDR:DPORT" && [ "$rows" = "$events" ] && [ "$why" = "$events" ]'
	# every cause the capture's scenarios name appears in the table, in its row
	missing=0
	for c in $(awk '$8 != "-" && $8 != "" {print $8}' "$d/expected.txt" | sort -u); do
		grep -q " $c " "$tmp/$k.txt" || { missing=$((missing + 1)); echo "# $k: no row with cause $c"; }
	done
	check "$k: each expected cause has its row in the table" '[ $missing = 0 ]'
done
check "recordings with a capture replayed ($dirs)" '[ $dirs -ge 3 ]'
TCPRST_REPLAY=/nonexistent "$bin" --json > /dev/null 2> "$tmp/diag"
check "replay of a missing recording: exit 1, one sentence" '[ $? = 1 ] && [ $(grep -c . "$tmp/diag") = 1 ]'
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
