#!/bin/sh
# Command-line behaviour of the real binary: help, version, usage errors,
# and the clear failures that need no kprobe-capable kernel. TAP output.
set -u
bin=${TCPRST:-$(dirname "$0")/../src/tcprst}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; sed 's/^/#   /' "$tmp/err" "$tmp/out" 2>/dev/null | head -5; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

run() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }
lines() { wc -l <"$tmp/$1" | tr -d ' '; }

run "$bin" --help
check "--help exits 0 with usage and examples on stdout" \
	'[ "$(rc)" = 0 ] && grep -q "^Usage: tcprst" "$tmp/out" && grep -q "^Examples:" "$tmp/out" && [ "$(lines err)" = 0 ]'
run "$bin" -h
check "-h is --help" '[ "$(rc)" = 0 ] && grep -q "^Usage: tcprst" "$tmp/out"'
run "$bin" --version
check "--version prints the version" '[ "$(rc)" = 0 ] && grep -Eq "^tcprst [0-9]+\.[0-9]+" "$tmp/out"'

# --causes: the vocabulary, without privileges; README and the man page
# document every cause it prints, with what to check
top=$(cd "$(dirname "$0")/.." && pwd)
run "$bin" --causes
check "--causes lists the rules, exit 0" '[ "$(rc)" = 0 ] && [ "$(grep -c "^[a-z]" "$tmp/out")" -ge 16 ]'
causes=$(sed -n 's/^\([a-z0-9-]*\) .*/\1/p' "$tmp/out" | sort -u)
missing=
for c in $causes unknown; do
	grep -q "^| \`$c\` |" "$top/README.md" || missing="$missing README:$c"
	grep -q "^\.B $(echo "$c" | sed 's/-/\\\\-/g')\$" "$top/man/tcprst.8" || missing="$missing man:$c"
done
check "README.md and tcprst.8 document every cause (${missing:-all there})" '[ -z "$missing" ]'
run "$bin" --causes --json
check "--causes --json: one object per rule, each with a cause and what to check" \
	'[ "$(grep -c "^{\"cause\":\"[a-z0-9-]*\",\"kind\":\"\(active\|passive\|received\|firewall\)\",.*\"explain\":\"[^\"]" "$tmp/out")" = "$(grep -c . "$tmp/out")" ]'

# Usage errors: exit 2, exactly one line on stderr, nothing on stdout,
# and all of it before anything touches tracefs (this runs without root too).
while IFS='|' read -r args want; do
	[ -n "$args" ] || continue
	# shellcheck disable=SC2086
	run "$bin" $args
	check "usage error '$args': exit 2, one line naming the problem" \
		'[ "$(rc)" = 2 ] && [ "$(lines err)" = 1 ] && [ "$(lines out)" = 0 ] && grep -q "^tcprst: .*$want" "$tmp/err"'
done <<'EOF_CASES'
--port 0|port '0'
--port 70000|port '70000'
-p http|port 'http'
--sport 65536|source port
--dport -5|destination port
--addr 1.2.3|address '1.2.3'
--saddr 10.0.0.0/33|source address
--daddr fe80::1/200|destination address
--duration -1|duration '-1'
--duration abc|duration
-d 0|duration '0'
--count 0|count '0'
--buffer-kb 0|buffer size '0'
--buffer-kb 9999999|buffer size '9999999'
--interval 5|--interval needs --summary or --metrics-file
--metrics-file|needs an argument
--summary --interval 0|interval '0'
--summary --stack|--summary prints no line per reset
--pid x|pid 'x'
--bogus|unknown option '--bogus'
--dur 5|unknown option '--dur'
-z|unknown option '-z'
--port|needs an argument
-4 -6|exclude
extra|unexpected argument 'extra'
EOF_CASES

# Not root: one sentence, exit 1, before anything is created.
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$bin"
	check "not root: exit 1 with one sentence saying so" \
		'[ "$(rc)" = 1 ] && [ "$(lines err)" = 1 ] && grep -q "must run as root" "$tmp/err"'
else
	echo "ok $((n = n + 1)) - # SKIP not root test needs root and setpriv"
fi

# A kernel without kprobe events (this project's build machines): a clear
# failure, and the tracefs mount state left exactly as it was.
if [ "$(id -u)" = 0 ] && ! [ -e /sys/kernel/tracing/kprobe_events ] && ! [ -e /sys/kernel/debug/tracing/kprobe_events ]; then
	before=$(grep -cE ' (tracefs|debugfs) ' /proc/mounts)
	run "$bin"
	after=$(grep -cE ' (tracefs|debugfs) ' /proc/mounts)
	# lockdown is the cause only at "confidentiality" ("integrity" allows kprobes)
	if mount -t securityfs securityfs /sys/kernel/security 2>/dev/null; then
		level=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/security/lockdown 2>/dev/null)
		umount /sys/kernel/security
	else
		level=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/security/lockdown 2>/dev/null)
	fi
	if [ "$level" = confidentiality ]; then want="locked down \(confidentiality\)"
	else want="CONFIG_KPROBE_EVENTS|tracefs nor debugfs"; fi
	check "no kprobe events (lockdown: ${level:-none}): exit 1, one sentence naming the cause" \
		'[ "$(rc)" = 1 ] && [ "$(lines err)" = 1 ] && grep -Eq "$want" "$tmp/err"'
	check "tracefs/debugfs mounts unchanged ($before before, $after after)" '[ "$before" = "$after" ]'
else
	echo "ok $((n = n + 1)) - # SKIP this kernel has kprobe events (covered in the VM suite)"
fi

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
