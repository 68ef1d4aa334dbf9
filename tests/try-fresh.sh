#!/bin/sh
# The README's first command as a newcomer runs it: a fresh clone of this
# repository's HEAD (committed work only), contrib/try.sh started from
# another directory, and the demo's output checked. Where the kernel has no
# kprobe events (this project's machines) try.sh runs tcprst in a Debian 6.1
# VM against live scenarios. TAP output. Run by contrib/test.sh.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcprst-fresh.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

git clone -q "$top" "$tmp/tcprst" 2> "$tmp/clone.err"
check "a fresh clone of HEAD" '[ -x "$tmp/tcprst/contrib/try.sh" ]'
# from another directory, with a run length so that a kprobe-capable host ends too
(cd / && env -u TCPRST -u TCPRST_VM_BUILD "$tmp/tcprst/contrib/try.sh" --json --duration 60) > "$tmp/out" 2> "$tmp/err"
rc=$?
check "contrib/try.sh exits 0 (got $rc)" '[ $rc = 0 ]'
check "tcprst said it was tracing" 'grep -q "^tcprst: tracing" "$tmp/out" "$tmp/err"'
act=$(grep -c '^{.*"kind":"active"' "$tmp/out")
pas=$(grep -c '^{.*"kind":"passive"' "$tmp/out")
check "the demo shows active ($act) and passive ($pas) resets as JSON" '[ "$act" -ge 5 ] && [ "$pas" -ge 5 ]'
if [ $failed != 0 ]; then
	echo "# stderr:"; sed 's/^/#   /' "$tmp/err" | tail -n 20
	echo "# stdout:"; sed 's/^/#   /' "$tmp/out" | tail -n 20
fi
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
