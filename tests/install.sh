#!/bin/sh
# make install puts the binary, the man page, the systemd unit and the bash
# completion where they belong (under DESTDIR); the unit passes
# systemd-analyze verify, the completion offers every option of --help, and
# make uninstall removes it all. TAP output.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TCPRST_BUILDDIR:-$top}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"

d=$tmp/root
${MAKE:-make} -s -C "$build" install DESTDIR="$d" > "$tmp/diag" 2>&1
check "make install DESTDIR=... exits 0" '[ $? = 0 ]'
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
sbin=$(sed -n 's/^sbindir = //p' "$build/Makefile" | sed "s|\${exec_prefix}|$prefix|")
bin=$d$sbin/tcprst unit=$d$prefix/lib/systemd/system/tcprst.service
comp=$d$prefix/share/bash-completion/completions/tcprst
check "the binary is installed and runs ($sbin/tcprst)" '"$bin" --version > "$tmp/diag" 2>&1'
check "the man page is installed" '[ -f "$d$prefix/share/man/man8/tcprst.8" ]'
check "the unit runs the installed binary ($sbin/tcprst)" \
	'grep -q "^ExecStart=$sbin/tcprst --json --metrics-file " "$unit"'
check "the bash completion is installed" '[ -f "$comp" ]'

# the unit as systemd reads it (its binary at the DESTDIR path)
sed "s|^ExecStart=$sbin/tcprst|ExecStart=$bin|" "$unit" > "$tmp/tcprst.service"
if command -v systemd-analyze > /dev/null; then
	systemd-analyze verify --man=no "$tmp/tcprst.service" > "$tmp/diag" 2>&1
	check "systemd-analyze verify accepts the unit" '[ $? = 0 ] && ! grep -qi "unknown\|invalid\|ignoring" "$tmp/diag"'
elif required; then
	not_ok "systemd-analyze is missing (CI installs systemd)"
else
	skip "no systemd-analyze"
fi

# completion: every long option of --help, files after --metrics-file
if command -v bash > /dev/null; then
	want=$("$bin" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u | tr '\n' ' ')
	got=$(bash -c '. "$1"; COMP_WORDS=("$2" --); COMP_CWORD=1; _tcprst; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$comp" "$bin" | sort -u | tr '\n' ' ')
	check "completion offers every long option of --help ($(echo $want | wc -w))" '[ -n "$want" ] && [ "$want" = "$got" ]'
	touch "$tmp/metrics.prom"
	got=$(cd "$tmp" && bash -c '. "$1"; COMP_WORDS=("$2" --metrics-file met); COMP_CWORD=2; _tcprst; echo "${COMPREPLY[*]}"' \
		sh "$comp" "$bin")
	check "completion: a file after --metrics-file ($got)" '[ "$got" = metrics.prom ]'
fi

${MAKE:-make} -s -C "$build" uninstall DESTDIR="$d" > "$tmp/diag" 2>&1
left=$(find "$d" -type f | wc -l)
check "make uninstall removes every file ($left left)" '[ $left = 0 ]'
tap_end
