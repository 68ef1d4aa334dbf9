#!/bin/busybox sh
# /init of the test VM. Prints "ok N - name" / "not ok N - name" lines
# (diagnostics start with "# "), then "VMSUITE <release> N passed, M failed".
# A missing final line (crash, hang, panic) is a failure for the host runner.
# Without /usr/bin/tcprst in the image (or with "vmsuite.notool" on the
# kernel command line) only the scenario/capture/expectation checks run.
/bin/busybox mkdir -p /dev /proc /sys /tmp /run
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/tests:/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
T=/sys/kernel/tracing
# vmsuite.debugfs: tracing reachable only through debugfs (as on 3.10)
if grep -q vmsuite.debugfs /proc/cmdline; then
	mount -t debugfs debugfs /sys/kernel/debug && T=/sys/kernel/debug/tracing
else
	mount -t tracefs tracefs $T 2>/dev/null ||
		{ mount -t debugfs debugfs /sys/kernel/debug && T=/sys/kernel/debug/tracing; }
fi
# vmsuite.nobtf: BTF hidden under a tmpfs (offsets must come from elsewhere)
grep -q vmsuite.nobtf /proc/cmdline && mount -t tmpfs tmpfs /sys/kernel/btf
# vmsuite.mask=LIST: hide kernel features from tcprst (TCPRST_MASK, test only)
TCPRST_MASK=$(sed -n 's/.*vmsuite\.mask=\([^ ]*\).*/\1/p' /proc/cmdline)
export TCPRST_MASK
IP=/usr/sbin/ip
TCPRST=/usr/bin/tcprst
KREL=$(uname -r)
N=0 PASS=0 FAIL=0 W=/tmp
HAVE_TCPRST=1
[ -x $TCPRST ] || HAVE_TCPRST=0
grep -q vmsuite.notool /proc/cmdline && HAVE_TCPRST=0

ok() { N=$((N + 1)); PASS=$((PASS + 1)); echo "ok $N - $*"; }
notok() { N=$((N + 1)); FAIL=$((FAIL + 1)); echo "not ok $N - $*"; }
diag() { [ -n "$1" ] && [ -f "$1" ] && sed 's/^/# /' "$1" | head -n 60; }
check() { # check NAME COMMAND...
	_n=$1; shift
	if "$@"; then ok "$_n"; else notok "$_n"; fi
}
finish() {
	echo "VMSUITE $KREL $PASS passed, $FAIL failed"
	sync
	reboot -f
	sleep 10
}

alive() { [ -n "$1" ] && [ -d /proc/$1 ] && ! grep -q '^State:[[:space:]]*Z' /proc/$1/status 2>/dev/null; }
# wait_exit PID SECS: sets RC to the exit status, or "timeout" (then kills)
wait_exit() {
	_i=0
	while alive $1; do
		_i=$((_i + 1))
		if [ $_i -gt $(($2 * 10)) ]; then
			kill -9 $1; wait $1; RC=timeout; return 1
		fi
		sleep 0.1
	done
	wait $1; RC=$?
}
# wait_line FILE PATTERN PID SECS: until FILE has a line matching PATTERN
wait_line() {
	_i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -gt $(($4 * 10)) ] && return 1
		[ -n "$3" ] && ! alive $3 && return 1
		sleep 0.1
	done
}

cap_start() { # cap_start FILE
	rstcap -i > $1 2> $1.err &
	CAP=$!
	wait_line $1.err '^rstcap: ready' $CAP 10 || { echo "# rstcap did not start"; diag $1.err; }
}
cap_stop() {
	[ -n "$CAP" ] || return 0
	kill -INT $CAP; wait_exit $CAP 10 || echo "# rstcap did not stop"
	CAP=
}

# tr_start NAME ARGS...: runs tcprst ARGS with stdout W/NAME.json and
# stderr W/NAME.err, waits until it says "tcprst: tracing"; sets PID_NAME
tr_start() {
	_n=$1; shift
	$TCPRST "$@" > $W/$_n.json 2> $W/$_n.err &
	eval "PID_$_n=$!"
	if wait_line $W/$_n.err '^tcprst: tracing' $! 60; then
		return 0
	fi
	echo "# tcprst $* did not start tracing:"; diag $W/$_n.err
	return 1
}
# tr_stop NAME SIG: signal the run, wait, check exit status 0
tr_stop() {
	eval "_p=\$PID_$1"
	kill -$2 $_p 2>/dev/null
	wait_exit $_p 20
	if [ "$RC" = 0 ]; then
		ok "$1: tcprst exits 0 on SIG$2"
	else
		notok "$1: tcprst exits 0 on SIG$2 (got $RC)"; diag $W/$1.err
	fi
}

leftovers() {
	grep -h tcprst $T/kprobe_events $T/dynamic_events 2>/dev/null
	ls -d $T/instances/tcprst* $T/events/tcprst* 2>/dev/null
	true
}
# remove what tcprst left, so later tests start clean
force_clean() {
	$TCPRST --cleanup > /dev/null 2>&1
	for i in $T/instances/tcprst*; do
		[ -d "$i" ] || continue
		echo 0 > $i/events/enable; rmdir $i
	done
	grep tcprst $T/kprobe_events | while read -r p _; do
		echo 0 > $T/events/${p#*:}/enable
		echo "-:${p#*:}" >> $T/kprobe_events
	done
}
check_clean() { # check_clean NAME
	_l=$(leftovers)
	if [ -z "$_l" ]; then
		ok "$1: nothing left behind"
	else
		notok "$1: nothing left behind"
		echo "$_l" | sed 's/^/#   left: /'
		force_clean
	fi
}
# Without BTF and debug info the evidence offsets are unknown: causes that
# need them may be "unknown" (never another cause). STRICT=1 otherwise.
STRICT=0
[ -e /sys/kernel/btf/vmlinux ] || [ -e /usr/lib/debug/boot/vmlinux-$KREL ] && STRICT=1
# rst_check TESTNAME CAP EXP JSON|- [rstcheck options]: run rstcheck
rst_check() {
	_t=$1 _c=$2 _e=$3 _j=$4; shift 4
	[ "$_j" = - ] && _j=
	[ $STRICT = 1 ] || set -- "$@" --unknown-ok
	if rstcheck "$@" $_c $_e $_j > $W/check.out 2>&1; then
		ok "$_t"
	else
		notok "$_t"
		echo "# capture:"; diag $_c
		[ -n "$_j" ] && { echo "# tcprst:"; diag $_j; }
		# last, so that an excerpt of the log's end shows what failed
		echo "# rstcheck:"; diag $W/check.out
	fi
}
gen() { # gen EXPFILE RSTGEN-ARGS...
	_e=$1; shift
	rstgen $NS "$@" > $_e 2> $_e.err
	_r=$?
	[ $_r = 0 ] || { echo "# rstgen $*: exit $_r"; diag $_e.err; }
	return $_r
}
gen_all() { # gen_all EXPFILE BASE: every rstgen and rstraw scenario
	gen $1 -b $2
	_g=$?
	rstraw -b $2 >> $1 2> $1.raw.err && return $_g
	echo "# rstraw -b $2 failed"; diag $1.raw.err; return 1
}

echo "# VMSUITE start: kernel $KREL, tcprst tests: $HAVE_TCPRST"

# ---- network: lo, veth pair into netns "peer" ----
NS=
setup_net() {
	$IP link set lo up &&
	insmod /lib/modules/veth.ko &&
	insmod /lib/modules/inet_diag.ko && insmod /lib/modules/tcp_diag.ko &&
	$IP netns add peer &&
	$IP link add veth0 type veth peer name veth1 &&
	$IP link set veth1 netns peer &&
	$IP addr add 10.99.0.1/24 dev veth0 &&
	$IP -6 addr add fd00:99::1/64 dev veth0 nodad &&
	$IP link set veth0 up &&
	$IP -n peer link set lo up &&
	$IP -n peer addr add 10.99.0.2/24 dev veth1 &&
	$IP -n peer -6 addr add fd00:99::2/64 dev veth1 nodad &&
	$IP -n peer link set veth1 up
}
if setup_net; then
	NS="-n /run/netns/peer"
	ok "setup: lo, veth pair into a network namespace"
else
	$IP link set lo up
	notok "setup: lo, veth pair into a network namespace"
fi
# ---- other modes: vmsuite.mode=demo|record on the kernel command line ----
MODE=$(sed -n 's/.*vmsuite\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)
ARGS=$(sed -n 's/.*vmsuite\.args=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
case $MODE in
demo|record|lockdown) . /tests/guest-$MODE.sh; finish ;;
esac

check "tracefs mounted at $T" test -w $T/kprobe_events

# ---- scenarios vs wire, and tcprst vs wire (main test) ----
cap_start $W/w.cap
started=0
[ $HAVE_TCPRST = 1 ] && tr_start wire --json && started=1
gen_all $W/w.exp 20000
check "rstgen: every scenario saw its reset" [ $? = 0 ]
sleep 1
[ $started = 1 ] && tr_stop wire INT
cap_stop
rst_check "wire: every expected RST on the wire, nothing else" $W/w.cap $W/w.exp -
if [ $HAVE_TCPRST = 1 ]; then
	if [ $started = 1 ]; then
		rst_check "wire: tcprst reports every wire RST with the right kind" \
			$W/w.cap $W/w.exp $W/wire.json
	else
		notok "wire: tcprst starts tracing"
	fi
	check_clean "wire"
	echo "# $(grep -c . $W/w.cap) RSTs on the wire, $(grep -c . $W/wire.json) tcprst events; tcprst stderr:"
	diag $W/wire.err
	echo "# first event: $(head -n 1 $W/wire.json)"
fi
[ $HAVE_TCPRST = 1 ] || finish

. /tests/guest-tcprst.sh
. /tests/guest-more.sh
. /tests/guest-firewall.sh
finish
