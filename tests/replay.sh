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
. "$top/tests/tap.sh"

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

# Upstream 3.10 and 4.14 (../shared/fixtures, recorded before causes and
# seq/ack existed): the capture is truth.jsonl. Tuples and kinds one to one;
# resets whose addresses the recording lacks (3.10 IPv6 before pinet6) are
# null, never wrong, and match on kind and ports; times are the trace
# clock's, spread as rstgen spread them, not the moment of reading.
old=0
for d in "$top"/tests/fixtures/*/; do
	[ -f "$d/truth.jsonl" ] && [ ! -f "$d/capture.txt" ] || continue
	k=$(basename "$d") old=$((old + 1))
	sed -e 's/.*"family":\([0-9]*\),"saddr":"\([^"]*\)","sport":\([0-9]*\),"daddr":"\([^"]*\)","dport":\([0-9]*\).*"seq":\([0-9]*\),"ack_seq":\([0-9]*\),"flags":\([0-9]*\).*/RST \1 \2 \3 \4 \5 seq=\6 ack=\7 flags=\8/' \
		"$d/truth.jsonl" | awk '{ $NF = sprintf("flags=0x%02x", substr($NF, 7) + 0); print }' > "$tmp/$k.cap"
	TCPRST_REPLAY=$d "$bin" --json > "$tmp/$k.json" 2> "$tmp/diag"
	rc=$?
	check "$k: replay exits 0 (got $rc)" '[ $rc = 0 ]'
	grep -v '"family":null' "$tmp/$k.json" > "$tmp/$k.fam"
	grep '"family":null' "$tmp/$k.json" > "$tmp/$k.nofam"
	nfam=$(grep -c . "$tmp/$k.fam") nnull=$(grep -c . "$tmp/$k.nofam") nwire=$(grep -c . "$tmp/$k.cap")
	"$tmp/rstcheck" --subset "$tmp/$k.cap" "$d/expected.txt" "$tmp/$k.fam" > "$tmp/diag" 2>&1
	check "$k: $nfam replayed resets match its capture (tuple, kind; seq, ack, flags where known)" '[ $? = 0 ]'
	check "$k: every one of the $nwire wire RSTs replayed ($nfam with addresses, $nnull without)" \
		'[ $((nfam + nnull)) = $nwire ]'
	bad=0
	while read -r kind sport dport; do
		[ -n "$kind" ] || continue
		grep -q "^EXPECT $kind [46] [^ ]* $sport [^ ]* $dport\( \|\$\)" "$d/expected.txt" ||
			{ bad=$((bad + 1)); echo "# $k: no expected $kind reset $sport > $dport"; }
	done <<-EOF
	$(sed 's/.*"kind":"\([a-z0-9]*\)".*"sport":\([0-9]*\).*"dport":\([0-9]*\).*/\1 \2 \3/' "$tmp/$k.nofam")
	EOF
	if grep -q 'IPv6 addresses of active resets' "$d/check.txt"; then
		check "$k: the $nnull resets without addresses are expected active resets, by ports" \
			'[ $nnull -gt 0 ] && [ $bad = 0 ] && ! grep -qv "\"kind\":\"active\"" "$tmp/$k.nofam"'
	else
		check "$k: no reset without addresses ($nnull)" '[ $nnull = 0 ]'
	fi
	span=$(sed 's/.*"time":"[^T]*T\([0-9]*\):\([0-9]*\):\([0-9.]*\)Z".*/\1 \2 \3/' "$tmp/$k.json" |
		awk '{ t = $1 * 3600 + $2 * 60 + $3; if (NR == 1) f = t; if (t < p) bad = 1; p = t }
		     END { if (bad) print -1; else printf "%d", (p - f) * 1000 }')
	check "$k: times in order and spread as the resets were ($span ms over $nwire)" '[ "$span" -ge 100 ]'
done
check "recordings of upstream 3.10 and 4.14 replayed ($old)" '[ $old -ge 2 ]'
# --summary and --metrics-file over one replay: the same counts as the
# resets reported one by one; the file parses as the Prometheus text format
# (promtool, which CI installs; elsewhere that one check is skipped)
d=$top/tests/fixtures/6.1
TCPRST_REPLAY=$d "$bin" --json > "$tmp/one.json" 2> "$tmp/diag"
TCPRST_REPLAY=$d "$bin" --summary --json --metrics-file "$tmp/m.prom" > "$tmp/sum.json" 2> "$tmp/diag"
check "summary: replay with --summary --metrics-file exits 0, no line per reset" \
	'[ $? = 0 ] && [ "$(grep -c "\"kind\"" "$tmp/sum.json")" = 0 ] && grep -q "^{\"summary\":" "$tmp/sum.json"'
sed -n 's/.*"kind":"\([a-z]*\)","cause":"\([a-z0-9-]*\)".*/\1 \2/p' "$tmp/one.json" | sort | uniq -c |
	awk '{ print $2, $3, $1 }' | sort > "$tmp/want"
sed -n 's/^tcprst_resets_total{kind="\([a-z]*\)",cause="\([a-z0-9-]*\)"} \([0-9]*\)$/\1 \2 \3/p' "$tmp/m.prom" |
	sort > "$tmp/got"
diff "$tmp/want" "$tmp/got" > "$tmp/diag"
check "metrics: tcprst_resets_total by kind and cause equals the $(grep -c . "$tmp/one.json") resets reported one by one" \
	'[ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"'
check "metrics: the lost-events counter is there" 'grep -q "^tcprst_lost_events_total 0$" "$tmp/m.prom"'
sed -n 's/.*"by_cause":{\([^}]*\)}.*/\1/p' "$tmp/sum.json" | tr ',' '\n' | tr -d '"' | tr ':' ' ' | sort > "$tmp/gotj"
check "summary: its by_cause equals the metrics" \
	'[ "$(awk "{ print \$1, \$2, \$3 }" "$tmp/gotj")" = "$(cat "$tmp/got")" ]'
if command -v promtool > /dev/null; then
	promtool check metrics < "$tmp/m.prom" > "$tmp/diag" 2>&1
	check "metrics: promtool check metrics accepts the file" '[ $? = 0 ]'
elif required; then
	not_ok "metrics: promtool is missing (CI installs prometheus)"
else
	skip "metrics: no promtool (Debian package prometheus)"
fi
"$bin" --metrics-file /nonexistent/dir/m.prom > /dev/null 2> "$tmp/diag"
check "metrics: an unwritable file: exit 1, one sentence" \
	'[ $? = 1 ] && [ $(grep -c . "$tmp/diag") = 1 ]'

TCPRST_REPLAY=/nonexistent "$bin" --json > /dev/null 2> "$tmp/diag"
check "replay of a missing recording: exit 1, one sentence" '[ $? = 1 ] && [ $(grep -c . "$tmp/diag") = 1 ]'
tap_end
