# TAP helpers for the test scripts (sourced, after $tmp is set): ok NAME,
# not_ok NAME, check NAME EXPR (on failure shows $tmp/diag), skip NAME,
# required (true where a test must run rather than skip: CI), tap_end (the
# plan, the totals, and the exit status).
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; sed 's/^/#   /' "$tmp/diag" 2>/dev/null | head -20; fi; }
skip() { n=$((n + 1)); echo "ok $n - # SKIP $1"; }
required() { [ -n "${CI:-}" ] || [ "${TCPRST_VM_REQUIRED:-0}" = 1 ]; }
tap_end() {
	echo "1..$n"
	echo "# $((n - failed)) passed, $failed failed"
	[ $failed = 0 ]
}
