# guest-more.sh: table output, kernel-side filters, latency, idle cost and
# a refused probe; sourced by guest.sh after guest-tcprst.sh.
# shellcheck shell=sh disable=SC2086
uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }	# centiseconds
cpu_ticks() { awk '{ print $14 + $15 }' /proc/$1/stat; }		# utime + stime
# kcounter FILE SECTION NAME: one of the kernel's counters (/proc/net/snmp, netstat)
kcounter() {
	awk -v s="$2:" -v n="$3" '$1 == s { if (!h) { for (i = 2; i <= NF; i++) if ($i == n) c = i; h = 1 } else print (c ? $c : 0) }' $1
}
outrsts() { kcounter /proc/net/snmp Tcp OutRsts; }

# ---- the default table: a header and one line per wire RST, same tuples ----
cap_start $W/tab.cap
if tr_start tab; then
	gen $W/tab.exp -b 31000 -s linger0,closedport,finwait2 -v lo4,lo6,lom,veth6
	sleep 1
	tr_stop tab INT
	cap_stop
	check "table: a header line first" \
		sh -c "head -n 1 $W/tab.json | grep -q '^TIME .*KIND .*STATE .*SADDR:SPORT > DADDR:DPORT'"
	missing=0
	while read -r _ fam sa sp da dp _; do
		if [ "$fam" = 6 ]; then t="[$sa]:$sp > [$da]:$dp"; else t="$sa:$sp > $da:$dp"; fi
		grep -qF " $fam  " $W/tab.json && grep -qF "$t" $W/tab.json ||
			{ missing=$((missing + 1)); echo "# not in the table: $t"; }
	done < $W/tab.cap
	check "table: every wire RST has its line ($(grep -c . $W/tab.cap) on the wire, $(($(grep -c . $W/tab.json) - 1)) lines)" \
		[ $missing = 0 -a $(($(grep -c . $W/tab.json) - 1)) = $(grep -c . $W/tab.cap) ]
else
	cap_stop
	notok "table: tcprst starts tracing"
fi
check_clean table

# ---- filters that fit the kernel are applied in our instance's events ----
if tr_start kf --json --port 31000 --pid 1; then
	n=0 good=0
	for e in active passive4 passive6; do
		f=$(ls $T/instances/tcprst_*/events/tcprst_*/$e/filter)
		n=$((n + 1))
		grep -q 'sport == ' $f && grep -q 'common_pid == 1' $f && good=$((good + 1)) ||
			{ echo "# $f:"; diag $f; }
	done
	check "kernel filter: the user's filter on all $n reset probes ($good)" [ $n = 3 -a $good = $n ]
	# evidence keeps its own filter: only closes that can end in a reset
	f=$(ls $T/instances/tcprst_*/events/tcprst_*/close/filter 2> /dev/null)
	if [ -n "$f" ]; then
		check "kernel filter: the close() evidence keeps only closes with queued data or TCP_LINGER2 < 0" \
			sh -c "grep -q 'qlen != 0' $f && grep -q 'linger2 < 0' $f && ! grep -q sport $f"
	else
		# without the offsets its filter needs, there is no close() probe, and --check says so
		check "kernel filter: no close() probe only where its offsets are unknown" \
			sh -c "$TCPRST --check < /dev/null | grep -q 'no close() evidence'"
	fi
	check "kernel filter: the top-level events are unfiltered" \
		sh -c "! grep -qv '^none' $T/events/tcprst_*/*/filter"
	tr_stop kf INT
else
	notok "kernel filter: tcprst starts tracing"
fi
check_clean kfilter

# ---- a lone reset is delivered at once, not held back; an idle run costs ~nothing ----
t0=$(uptime_cs)
if tr_start lat --json; then
	t1=$(uptime_cs)
	echo "# arming took $((t1 - t0))0 ms (until 'tcprst: tracing'); peak RSS so far: $(grep VmHWM /proc/$PID_lat/status | tr -s ' \t' ' ')"
	c0=$(cpu_ticks $PID_lat)
	sleep 3
	c1=$(cpu_ticks $PID_lat)
	# a busy loop would take ~300 ticks; 10 leaves room for a slow emulated CPU
	check "idle: tcprst used $((c1 - c0)) CPU ticks in 3 s (at most 10, not busy)" [ $((c1 - c0)) -le 10 ]
	# a writable anonymous mapping of 2 MB or more (a thread's default 8 MB
	# stack) may take a transparent huge page: 2 MB of RSS at one touch
	big=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { perm = $2; path = $6 }
		$1 == "Size:" && perm ~ /^rw/ && (path == "" || path ~ /^\[/) && $2 >= 2048 { printf "%s %s kB; ", path, $2 }' \
		/proc/$PID_lat/smaps)
	check "memory: no writable anonymous mapping of 2 MB or more (${big:-none})" [ -z "$big" ]
	rstgen -b 31100 -s closedport -v lo4 > $W/lat.exp 2>&1
	t2=$(uptime_cs)
	# the property: a lone reset reaches stdout while the run goes on, without
	# more events or the run's end to push it out. The bound only catches a
	# reset held back forever; the figure is for the log (and the benchmark).
	if wait_line $W/lat.json '"kind":"passive"' $PID_lat 30 && alive $PID_lat; then
		ok "latency: a lone reset is delivered while the run goes on ($(( $(uptime_cs) - t2 ))0 ms here)"
	else
		notok "latency: a lone reset is delivered while the run goes on"
	fi
	tr_stop lat INT
else
	notok "latency: tcprst starts tracing"
fi
check_clean latency

# ---- a probe the kernel refuses: its error_log reason, exit 1, nothing left ----
TCPRST_TEST_BAD_FETCH='bad=+0(%nosuchreg):u8' $TCPRST > $W/bad.out 2> $W/bad.err
RC=$?
diag $W/bad.err
check "refused probe: exit 1 (got $RC)" [ $RC = 1 ]
case ",$TCPRST_MASK," in
*,error_log,*|*,legacy,*) why='' ;;	# without error_log only the errno is known
*) why=': [A-Za-z]' ;;
esac
check "refused probe: one line naming the probe (and the kernel's reason if error_log)" \
	sh -c "[ \$(grep -c . $W/bad.err) = 1 ] && grep -q 'refused the kprobe on tcp_v6_send_reset (.*)$why' $W/bad.err"
check_clean refused

# ---- a set-up failing half-way at each later step (instance made; every
# probe made; formats; one probe enabled) rolls back everything: exit 1,
# the failure said once, nothing left ----
for fi_s in instance probes formats enable; do
	TCPRST_TEST_FAIL=$fi_s $TCPRST --json > $W/fi.out 2> $W/fi.err
	fi_rc=$?
	fi_said=$(grep -c 'injected failure\|Input/output error' $W/fi.err)
	fi_left=$(leftovers | grep -c .)
	check "fault at $fi_s: exit 1 ($fi_rc), said once ($fi_said), nothing left ($fi_left)" \
		[ $fi_rc = 1 -a "$fi_said" = 1 -a "$fi_left" = 0 ]
	[ "$fi_said" = 1 ] || diag $W/fi.err
	[ "$fi_left" = 0 ] || force_clean
done

# ---- --cleanup at any time: while a run sets up, again and again; the
# run still starts, reports, and leaves nothing ----
cap_start $W/cany.cap
$TCPRST --json > $W/cany.json 2> $W/cany.err &
PID_cany=$!
ca_i=0
while [ $ca_i -lt 20 ]; do $TCPRST --cleanup > /dev/null 2>&1; ca_i=$((ca_i + 1)); done
if wait_line $W/cany.err 'tracing' $PID_cany 60; then
	$TCPRST --cleanup > /dev/null 2>&1
	gen $W/cany.exp -b 31300 -s linger0,closedport -v lo4
	sleep 1
	tr_stop cany INT
	cap_stop
	rst_check "cleanup any time: 21 --cleanup runs during and after its set-up, the run reports every wire RST" \
		$W/cany.cap $W/cany.exp $W/cany.json
else
	cap_stop
	notok "cleanup any time: the run starts tracing"
	diag $W/cany.err
	kill -9 $PID_cany 2> /dev/null
fi
check_clean cany

# ---- tracefs unmounted under a run (umount -l): when it ends it still
# removes everything it made (check_clean), through a private mount where
# libtracefs cannot mount it again at its place (debugfs) ----
case $T in
/sys/kernel/debug/*) um_dir=/sys/kernel/debug um_fs=debugfs ;;
*) um_dir=$T um_fs=tracefs ;;
esac
um_mounts() { grep -c " $um_dir $um_fs " /proc/mounts; }
if tr_start umnt --json; then
	um_before=$(leftovers | grep -c .) um_n0=$(um_mounts)
	# every layer: the same tracefs may be mounted there more than once
	while [ "$(um_mounts)" -gt 0 ]; do umount -l $um_dir 2> $W/umnt.umount || break; done
	um_n1=$(um_mounts)
	tr_stop umnt INT
	um_rc=$RC
	[ "$(um_mounts)" -gt 0 ] || mount -t $um_fs $um_fs $um_dir
	echo "# $um_fs at $um_dir: $um_n0 mount(s), $um_n1 after umount -l"
	diag $W/umnt.umount
	um_said=$(grep -c 'tracefs was unmounted while tracing' $W/umnt.err)
	um_mnt=$(grep -c tcprst-tracefs /proc/mounts)
	# (libtracefs itself mounts tracefs again at its place when it can: then
	# no private mount is needed and nothing is said)
	check "umount: exit 0 ($um_rc) after tracefs was unmounted under the run (private mount said: $um_said), no private mount left ($um_mnt)" \
		[ "$um_rc" = 0 -a "$um_mnt" = 0 -a "$um_before" -gt 0 ]
else
	notok "umount: tcprst starts tracing"
fi
check_clean umnt

# ---- kernel_reason: the kernel's own reason where it passes one (6.10+) ----
masked() { case ",$TCPRST_MASK," in *",$1,"*|*,legacy,*) return 0 ;; esac; return 1; }
if tr_start why --json; then
	rstgen -b 31200 -s closedport,unread -v lo4 > $W/why.exp 2>&1
	sleep 1
	tr_stop why INT
	# the reason's register comes from BTF (it moved between releases)
	if grep -q 'REC->reason' $T/events/tcp/tcp_send_reset/format 2>/dev/null && ! masked reason &&
	   [ -e /sys/kernel/btf/vmlinux ]; then
		check "kernel_reason: SYN to a closed port is no_socket" \
			grep -q '"kind":"passive".*"kernel_reason":"no_socket"' $W/why.json
		check "kernel_reason: close with unread data is tcp_abort_on_close" \
			grep -q '"kind":"active".*"kernel_reason":"tcp_abort_on_close"' $W/why.json
	else
		check "kernel_reason: null where the kernel passes none or BTF is hidden" \
			sh -c "grep -c '\"kernel_reason\":null' $W/why.json | grep -qx 2"
	fi
	diag $W/why.json
else
	notok "kernel_reason: tcprst starts tracing"
fi
check_clean reason

# ---- --check and --dry-run tell the truth and create nothing ----
$TCPRST --check > $W/chk.txt 2>&1
RC=$?
diag $W/chk.txt
check "check: exit 0 where tracing works (got $RC)" [ $RC = 0 ]
$TCPRST --check --json > $W/chk.json 2> $W/chk.err
check "check --json: one object, ok, our tracing dir" \
	sh -c "[ \$(grep -c . $W/chk.json) = 1 ] && grep -q '\"ok\":true' $W/chk.json && grep -q '\"tracing_dir\":\"$T\"' $W/chk.json"
if masked instance_options; then want='frame-pointer walk'; else want='instance option'; fi
check "check: stack method is the $want" grep -q "\"stack_method\":\"$want" $W/chk.json
# the default local clock where sched_clock is stable (clocksource tsc, as
# with tsc=reliable), else mono, else (3.10, or masked) global
read -r csrc < /sys/devices/system/clocksource/clocksource0/current_clocksource
if [ "$csrc" = tsc ]; then want=local; elif masked clock; then want=global; else want=mono; fi
check "check: trace clock is $want (clocksource $csrc)" \
	sh -c "grep -q '\"trace_clock\":\"$want\"' $W/chk.json && grep -q '\"clocksource\":\"$csrc\"' $W/chk.json"
if masked comm; then want=false; else want=true; fi
check "check: \$comm reported as $want" grep -q "\"comm\":$want" $W/chk.json
if masked dynamic_events || ! [ -e $T/dynamic_events ]; then want=false; else want=true; fi
check "check: dynamic_events reported as $want" grep -q "\"dynamic_events\":$want" $W/chk.json
if [ -e /sys/kernel/btf/vmlinux ]; then src=btf
elif [ -e /usr/lib/debug/boot/vmlinux-$KREL ]; then src=dwarf
else src=calibration; fi
check "check: every struct offset from $src" \
	sh -c "[ \$(grep -o '\"source\":\"[a-z]*\"' $W/chk.json | grep -c '\"$src\"') -ge 4 ] && ! grep -o '\"source\":\"[a-z]*\"' $W/chk.json | grep -v '\"$src\"\\|\"unknown\"'"
# the runs before kept this boot's answers: later runs read neither BTF nor
# debug info and do not calibrate again (a start's costliest part on 6.1)
if [ -n "$src" ] && [ -f /run/tcprst/offsets-$KREL ]; then
	check "offsets: this boot's cache holds what $src answered ($(grep -c "# $src\$" /run/tcprst/offsets-$KREL) offsets)" \
		[ "$(grep -c "# $src\$" /run/tcprst/offsets-$KREL)" -ge 4 ]
else
	notok "offsets: this boot's cache /run/tcprst/offsets-$KREL exists after the runs before"
fi
$TCPRST --dry-run --port 443 > $W/dry.txt 2>&1
RC=$?
diag $W/dry.txt
check "dry-run: exit 0, three reset, two firewall (module) and three evidence probe definitions, their filters" \
	sh -c "[ $RC = 0 ] && [ \$(grep -c '^p:tcprst_' $W/dry.txt) = 8 ] && [ \$(grep -c '^p:tcprst_[0-9_]*/ctinvalid nf_conntrack:nf_ct_l4proto_log_invalid ' $W/dry.txt) = 1 ] && [ \$(grep -c '^p:tcprst_[0-9_]*/firewall[46] nf_reject_ipv[46]:' $W/dry.txt) = 2 ] && [ \$(grep -c '^# filter .*sport == 47873' $W/dry.txt) = 3 ] && [ \$(grep -c '^# filter .*/close: qlen' $W/dry.txt) = 1 ]"
check_clean dryrun

# ---- --offsets FILE: resolved offsets are saved once and reused ----
rm -f $W/offsets
if tr_start off1 --json --offsets $W/offsets; then
	tr_stop off1 INT
	check "offsets: the first run saved four struct offsets" \
		sh -c "[ \$(grep -cE '^(inet_sport|skc_v6_daddr|skc_v6_rcv_saddr|skb_data) [0-9]+ ' $W/offsets) = 4 ]"
	diag $W/offsets
	$TCPRST --check --json --offsets $W/offsets > $W/off.json 2>&1
	check "offsets: a later run takes them from the file" \
		sh -c "[ \$(grep -o '\"source\":\"file\"' $W/off.json | wc -l) -ge 4 ]"
else
	notok "offsets: tcprst starts tracing"
fi
check_clean offsets

# ---- each reset is stamped when it was sent, not when it was read: the
# run is stopped while three resets are sent 0.4 s apart, then read 3 s
# after the last. Stamping at read time would be off by 3 s or more; the
# bound, 1 s, is far from that and from what QEMU adds (its vCPUs take
# turns of up to 100 ms, so a probe's stamp and the capture's, or a clock
# marker's and the clock read around it, can be that far apart). What it
# was this time is printed ----
cap_start $W/tm.cap
if tr_start tm --json; then
	kill -STOP $PID_tm
	: > $W/tm.exp
	for b in 35000 36000 37000; do
		rstgen -b $b -s closedport -v lo4 >> $W/tm.exp 2> /dev/null
		sleep 0.4
	done
	sleep 3
	kill -CONT $PID_tm
	sleep 1
	tr_stop tm INT
	cap_stop
	clk=$($TCPRST --check --json 2>/dev/null | sed -n 's/.*"trace_clock":"\([a-z]*\)".*/\1/p')
	rst_check "time: each reset stamped when sent (within 1 s of the capture), though read 3 s later (trace clock $clk)" \
		$W/tm.cap $W/tm.exp $W/tm.json --time-within 1000
	sed -n 's/.*times \(within [0-9]* ms\).*/# time: the stamps \1 of the capture'"'"'s/p' $W/check.out
else
	cap_stop
	notok "time: tcprst starts tracing"
fi
check_clean time

# --summary beside the cause test: its counts by cause are those of the
# resets reported one by one (checked against the wire), its counter deltas
# what /proc/net shows over the run, and nothing is missing
summary_check() {
	sed -n 's/.*"kind":"\([a-z]*\)","cause":"\([a-z0-9-]*\)".*/\1:\2/p' $W/cz.json | sort | uniq -c |
		awk '{ print $2, $1 }' > $W/sm.want
	sm_n=$(grep -c '^{"summary"' $W/sm.json)
	check "summary: --interval 2 printed it during the run, and at exit ($sm_n)" [ "$sm_n" -ge 2 ]
	grep '^{"summary"' $W/sm.json | tail -n 1 > $W/sm.last
	sed -n 's/.*"by_cause":{\([^}]*\)}.*/\1/p' $W/sm.last | tr ',' '\n' | tr -d '"' | tr ':' ' ' |
		awk 'NF == 3 { print $1 ":" $2, $3 }' | sort > $W/sm.got
	sed -n 's/^tcprst_resets_total{kind="\([a-z]*\)",cause="\([a-z0-9-]*\)"} \([0-9]*\)$/\1:\2 \3/p' $W/sm.prom |
		sort > $W/sm.prom.got
	sort -o $W/sm.want $W/sm.want
	check "summary: counts by kind and cause equal the $(grep -c . $W/cz.json) resets reported one by one" \
		cmp -s $W/sm.want $W/sm.got
	diff $W/sm.want $W/sm.got | sed 's/^/# /' | head -n 10
	check "metrics: the file written at exit has the same counts" cmp -s $W/sm.want $W/sm.prom.got
	sm_out=$(sed -n 's/.*"OutRsts":\([0-9]*\).*/\1/p' $W/sm.last)
	sm_close=$(sed -n 's/.*"TCPAbortOnClose":\([0-9]*\).*/\1/p' $W/sm.last)
	check "summary: kernel counter deltas as /proc/net shows them (OutRsts $sm_out = $((sm_o2 - sm_o1)), TCPAbortOnClose $sm_close = $((sm_c2 - sm_c1)))" \
		[ "$sm_out" = $((sm_o2 - sm_o1)) -a "$sm_close" = $((sm_c2 - sm_c1)) ]
	check "summary: no mismatch when nothing was lost" grep -q '"lost":0,.*"mismatch":null' $W/sm.last
	echo "# $(head -c 600 $W/sm.last)"
}

# ---- every cause the scenarios provoke, against the wire: cause, seq, ack,
# flags; --explain in the table; on 6.10+ the kernel's own reason agrees ----
cap_start $W/why.cap
sm_o1=$(outrsts) sm_c1=$(kcounter /proc/net/netstat TcpExt TCPAbortOnClose)
if tr_start cz --json && tr_start cx --explain && tr_start sm --summary --json --interval 2 --metrics-file $W/sm.prom; then
	gen_all $W/cz.exp 32000
	gen $W/cz-slow.exp -b 33000 -s keepalive,memory,abort,overflow,fw2timer,memtimer
	sleep 1
	tr_stop cz INT
	tr_stop cx INT
	tr_stop sm INT
	sm_o2=$(outrsts) sm_c2=$(kcounter /proc/net/netstat TcpExt TCPAbortOnClose)
	cap_stop
	summary_check
	cat $W/cz-slow.exp >> $W/cz.exp
	echo "# causes on the wire: $(awk '{print $8}' $W/cz.exp | sort | uniq -c | tr -s ' \n' ' ')"
	echo "# causes tcprst named: $(sed -n 's/.*"cause":"\([a-z0-9-]*\)".*/\1/p' $W/cz.json | sort | uniq -c | tr -s ' \n' ' ')"
	echo "# kernel reasons by cause: $(sed -n 's/.*"cause":"\([a-z0-9-]*\)".*"kernel_reason":"\([a-z_]*\)".*/\1=\2/p' $W/cz.json | sort | uniq -c | tr -s ' \n' ' ')"
	if [ $STRICT = 1 ]; then
		rst_check "causes: every wire RST with its cause, seq, ack and flags" \
			$W/why.cap $W/cz.exp $W/cz.json --need-cause --need-seq
	else
		# no BTF nor debug info: what needs tcp_sock offsets degrades, never to a wrong cause
		rst_check "causes: every wire RST; causes right or unknown, never wrong" \
			$W/why.cap $W/cz.exp $W/cz.json --need-cause
		check "causes: those that need no offsets beyond the tuple still hold" \
			sh -c "grep -q '\"cause\":\"linger-zero\"' $W/cz.json && grep -q '\"cause\":\"no-socket\"' $W/cz.json && grep -q '\"cause\":\"listener-close\"' $W/cz.json"
	fi
	n=$(grep -c '"kind"' $W/cz.json) why=$(grep -c '^        why: ' $W/cx.json)
	check "explain: a 'why:' line under each of the $n resets in the table ($why)" [ "$n" = "$why" ]
	diag $W/cx.json
	# the kernel's own reason, where it is specific, names the same cause
	$TCPRST --causes --json > $W/causes.json
	bad=0 agree=0
	while IFS= read -r l; do
		c=$(echo "$l" | sed -n 's/.*"cause":"\([a-z0-9-]*\)".*/\1/p')
		k=$(echo "$l" | sed -n 's/.*"kernel_reason":"\([a-z_]*\)".*/\1/p')
		[ -n "$k" ] || continue
		want=$(grep "\"cause\":\"$c\"" $W/causes.json | sed -n 's/.*"kernel_reason":"\([a-z_]*\)".*/\1/p' | head -n 1)
		[ -n "$want" ] || continue
		if [ "$want" = "$k" ]; then agree=$((agree + 1)); else bad=$((bad + 1)); echo "# disagree: $c vs kernel $k"; fi
	done < $W/cz.json
	if grep -q '"kernel_reason":"' $W/cz.json; then
		check "kernel_reason: agrees with the cause on all $agree resets where it is specific ($bad disagree)" \
			[ $bad = 0 -a $agree -gt 0 ]
	fi
else
	cap_stop
	notok "causes: tcprst starts tracing"
fi
check_clean causes

# ---- source lines: with the debug vmlinux at its usual path, every caller
# has its file:line (the host checks them with addr2line); without, null ----
sl_n=$(grep -c '"kind"' $W/cz.json)
sl_null=$(grep -c '"caller_line":null' $W/cz.json)
$TCPRST --check > $W/sl-check.txt 2>&1
if [ -e /usr/lib/debug/boot/vmlinux-$KREL ]; then
	sed -n 's/.*"caller":"\([^"]*\)","caller_line":"\([^"]*\)".*/\1 \2/p' $W/cz.json | sort -u |
		sed 's/^/# srcline /'
	check "source lines: every one of the $sl_n callers has its file:line ($sl_null without)" \
		[ "$sl_n" -gt 0 -a "$sl_null" = 0 ]
	check "source lines: --check names the debug vmlinux" \
		grep -q "^source lines: *from /usr/lib/debug/boot/vmlinux-$KREL" $W/sl-check.txt
else
	grep -q '^source lines: *none' $W/sl-check.txt && sl_said=1 || sl_said=0
	check "source lines: none without a debug vmlinux ($sl_null of $sl_n null), and --check says so ($sl_said)" \
		[ "$sl_n" -gt 0 -a "$sl_null" = "$sl_n" -a $sl_said = 1 ]
fi

# ---- netns: each reset's network namespace is the sender's, as nsfs says
# (10.99.0.2 and fd00:99::2 live only in "peer"; everything else in the
# root namespace); null, and --check says so, without BTF or debug info ----
ns_root=$(readlink /proc/self/ns/net | tr -dc 0-9)
ns_peer=$(stat -c %i /run/netns/peer 2>/dev/null)
sed -n 's/.*"saddr":"\([^"]*\)".*"netns":\([0-9a-z]*\).*/\1 \2/p' $W/cz.json > $W/netns.txt
ns_n=$(grep -c . $W/netns.txt)
if [ $STRICT = 1 ]; then
	ns_bad=$(grep '"kind"' $W/cz.json | paste -d ' ' $W/netns.txt - | awk -v r="$ns_root" -v p="$ns_peer" '
		{ w = ($1 == "10.99.0.2" || $1 == "fd00:99::2") ? p : r
		  if ($2 != w) { print "# netns: want " w ": " substr($0, 1, 600) > "/dev/stderr"; bad++ } }
		END { print bad + 0 }')
	ns_in_peer=$(grep -c "^[^ ]* $ns_peer\$" $W/netns.txt)
	check "netns: all $ns_n resets name the sender's namespace ($ns_in_peer in peer $ns_peer, root $ns_root; $ns_bad wrong)" \
		[ "$ns_n" -gt 0 -a "$ns_bad" = 0 -a "$ns_in_peer" -gt 0 -a "$ns_in_peer" -lt "$ns_n" ]
else
	$TCPRST --check > $W/ns-check.txt 2>&1
	ns_null=$(grep -c ' null$' $W/netns.txt)
	grep -q '^degraded: *netns' $W/ns-check.txt && ns_said=1 || ns_said=0
	check "netns: null without BTF or debug info ($ns_null of $ns_n resets), and --check says so ($ns_said)" \
		[ "$ns_n" -gt 0 -a "$ns_null" = "$ns_n" -a $ns_said = 1 ]
fi

# ---- another run's self-calibration is not this host's traffic ----
# Without BTF and debug info a run calibrates (unless this boot's cache has
# the offsets): its resets, in a private namespace, reach every run's probes.
if [ $STRICT = 0 ]; then
	cap_start $W/cal.cap
	if tr_start cal --json; then
		rm -f /run/tcprst/offsets-*	# the second run must calibrate again
		TCPRST_CALIB_RECORD=$W/calB.rec $TCPRST --json -d 1 > $W/calB.json 2> $W/calB.err
		check "calibration: the second run calibrated (its readings: $(grep -c . $W/calB.rec 2>/dev/null))" \
			test -s $W/calB.rec
		gen $W/cal.exp -b 34000 -s linger0,closedport -v lo4,lo6
		sleep 1
		tr_stop cal INT
		cap_stop
		rst_check "calibration: the first run reports exactly the wire RSTs, none of the calibration's" \
			$W/cal.cap $W/cal.exp $W/cal.json
		check "calibration: no event in the context of tcprst itself" \
			sh -c "! grep -q '\"comm\":\"tcprst\"' $W/cal.json"
		n=$(sed -n 's/^tcprst: \([0-9]*\) reset(s) of another tcprst run.s self-calibration.*/\1/p' $W/cal.err)
		check "calibration: the first run saw the calibration's resets and says how many it left out (${n:-none})" \
			[ "${n:-0}" -gt 0 ]
		diag $W/cal.err
	else
		cap_stop
		notok "calibration: tcprst starts tracing"
	fi
	check_clean calibration
fi

# ---- a storm: every reset the kernel sent is reported or counted lost ----
# Lost events are records: the probe also fires where the kernel then sends
# nothing (an incoming RST), so wire <= reported + lost <= the probe's hits,
# with equality to the wire when nothing was lost.
storm_test() { # storm_test NAME PORT TCPRST-ARGS...
	st_n=$1 st_p=$2; shift 2
	STORM_LOST=
	if tr_start $st_n --json --port $st_p "$@"; then
		st_o1=$(outrsts)
		rstraw -S 10000:$st_p 2> $W/$st_n.raw.err || { echo "# rstraw -S failed"; diag $W/$st_n.raw.err; }
		st_o2=$(outrsts)
		sleep 2
		st_hits=$(awk '$1 == "passive4" { print $2 }' $T/kprobe_profile)
		tr_stop $st_n INT
		st_rep=$(grep -c "\"sport\":$st_p," $W/$st_n.json)
		st_lost=$(sed -n 's/^{"lost":\([0-9]*\).*/\1/p' $W/$st_n.json)
		st_lost=${st_lost:-0} st_wire=$((st_o2 - st_o1))
		if [ $st_lost = 0 ]; then
			check "$st_n: all $st_wire resets the kernel sent (Tcp OutRsts) reported ($st_rep), nothing lost" \
				[ $st_rep = $st_wire ]
		else
			check "$st_n: $st_wire sent (Tcp OutRsts) <= $st_rep reported + $st_lost counted lost <= ${st_hits:-?} probe hits" \
				[ $st_wire -le $((st_rep + st_lost)) -a $((st_rep + st_lost)) -le ${st_hits:-0} ]
		fi
		diag $W/$st_n.err
		echo "# last: $(tail -n 1 $W/$st_n.json | cut -c1-200)"
		STORM_LOST=$st_lost
	else
		notok "$st_n: tcprst --json --port $st_p $* starts tracing"
	fi
	check_clean $st_n
}
# ---- --received: the RSTs this host's sockets accept. In these scenarios
# rstgen saw every RST arrive (state CLOSE, ECONNREFUSED): each wire RST
# must also be reported as received, with its tuple as on the wire, refused
# in SYN_SENT or peer-reset, and nothing else; the sent ones stay exact ----
cap_start $W/rx.cap
if tr_start rx --json --received; then
	gen $W/rx.exp -b 36000 -s linger0,unread,unspec,listener,closedport,finwait2
	sleep 1
	tr_stop rx INT
	cap_stop
	grep '"kind":"received"' $W/rx.json > $W/rx.in.json
	grep -v '"kind":"received"' $W/rx.json > $W/rx.out.json
	awk '$1 == "EXPECT" { c = ($8 == "no-socket") ? "refused" : "peer-reset"
		print "EXPECT received", $3, $4, $5, $6, $7, c }' $W/rx.exp > $W/rx.in.exp
	rst_check "received: the sent RSTs still match the wire" $W/rx.cap $W/rx.exp $W/rx.out.json
	rst_check "received: every one of the $(grep -c . $W/rx.cap) wire RSTs reported as received, tuple as on the wire, cause refused or peer-reset" \
		$W/rx.cap $W/rx.in.exp $W/rx.in.json --need-cause
	rx_bad=$(grep '"cause":"refused"' $W/rx.in.json | grep -vc '"state":"SYN_SENT"')
	check "received: refused resets are of sockets in SYN_SENT ($(grep -c '"cause":"refused"' $W/rx.in.json), $rx_bad not)" \
		[ "$rx_bad" = 0 ]
else
	cap_stop
	notok "received: tcprst --received starts tracing"
fi
check_clean rx

# ---- the socket's owner: the process holding its file, not the task the
# softirq interrupted. busybox nc holds a listener; a bare ACK to it is
# answered by the listener (listener-non-syn); nc is stopped only after
# tcprst has printed that reset ----
if tr_start ow --json; then
	nc -l -p 37000 > /dev/null 2>&1 &
	ow_nc=$!
	ow_i=0
	while ! cat /proc/net/tcp /proc/net/tcp6 | grep -q ':9088 0*:0000 0A' && [ $ow_i -lt 100 ]; do
		sleep 0.1; ow_i=$((ow_i + 1))
	done
	rstraw -A 37000 > $W/ow.exp 2> $W/ow.err || diag $W/ow.err
	wait_line $W/ow.json '"sport":37000' $PID_ow 60
	kill $ow_nc 2> /dev/null
	tr_stop ow INT
	grep '"sport":37000' $W/ow.json > $W/ow.line
	echo "# $(cat $W/ow.line)"
	if [ $STRICT = 1 ]; then
		grep -q "\"context\":\"softirq\".*\"owner\":{\"pid\":$ow_nc,\"comm\":\"nc\",\"closing\":false}" $W/ow.line && ow_ok=1 || ow_ok=0
		check "owner: the listener's reset names nc ($ow_nc) as its owner, in softirq context ($ow_ok)" [ $ow_ok = 1 ]
		grep '"cause":"\(no-socket\|timewait\)"' $W/cz.json | grep -q '"owner":{' && ow_bad=1 || ow_bad=0
		check "owner: resets without a file (no socket, time-wait) name none ($ow_bad)" [ $ow_bad = 0 ]
		# close() sent them while releasing the file: the closing task (rstgen,
		# the reset's own process context) owned it; nothing else is "closing"
		# (without $comm the event has none, and the owner's comm is read
		# from /proc: null once rstgen has left it, which is a race with
		# tcprst's reading: either is right, so "rstgen" is taken as null)
		if masked comm; then
			ow_comm=null
			grep '"cause":"\(linger-zero\|unread-data\|linger2\)"' $W/cz.json |
				sed 's/"owner":{"pid":\([0-9]*\),"comm":"rstgen","closing":true}/"owner":{"pid":\1,"comm":null,"closing":true}/' > $W/ow-close.json
		else
			ow_comm='"rstgen"'
			grep '"cause":"\(linger-zero\|unread-data\|linger2\)"' $W/cz.json > $W/ow-close.json
		fi
		ow_cn=$(grep -c . $W/ow-close.json)
		ow_cok=$(sed -n "s/.*\"context\":\"process\",\"pid\":\([0-9]*\),\"comm\":$ow_comm.*\"owner\":{\"pid\":\([0-9]*\),\"comm\":$ow_comm,\"closing\":true}.*/\1 \2/p" \
			$W/ow-close.json | awk '$1 == $2' | grep -c .)
		[ "$ow_cok" = "$ow_cn" ] || grep -v "\"owner\":{\"pid\":[0-9]*,\"comm\":$ow_comm,\"closing\":true}" $W/ow-close.json |
			sed 's/^/# not named: /' | head -5
		ow_cother=$(grep -v '"cause":"\(linger-zero\|unread-data\|linger2\|memory\)"' $W/cz.json | grep -c '"closing":true')
		check "owner: the $ow_cn resets close() sent name rstgen, the closing task ($ow_cok), no other reset is closing ($ow_cother)" \
			[ "$ow_cn" -ge 3 -a "$ow_cok" = "$ow_cn" -a "$ow_cother" = 0 ]
	else
		$TCPRST --check > $W/ow-check.txt 2>&1
		grep -q '^degraded: *owner' $W/ow-check.txt && ow_said=1 || ow_said=0
		grep -q '"owner":null' $W/ow.line && ow_null=1 || ow_null=0
		check "owner: null without BTF or debug info ($ow_null), and --check says so ($ow_said)" \
			[ $ow_null = 1 -a $ow_said = 1 ]
	fi
else
	notok "owner: tcprst starts tracing"
fi
check_clean ow

# ---- --summary under a storm with a tiny buffer: the kernel counted more
# than tcprst saw, and the summary says so ----
if tr_start smt --summary --json --buffer-kb 4; then
	smt_o1=$(outrsts)
	rstraw -S 3000:35002 2> $W/smt.raw.err || { echo "# rstraw -S failed"; diag $W/smt.raw.err; }
	smt_o2=$(outrsts)
	sleep 1
	tr_stop smt INT
	smt_lost=$(sed -n 's/.*"summary":{[^{]*"lost":\([0-9]*\).*/\1/p' $W/smt.json)
	check "summary: a mismatch line when events were lost (${smt_lost:-?} lost of $((smt_o2 - smt_o1)) sent)" \
		grep -q '"mismatch":"the kernel counted [0-9]* resets (OutRsts)' $W/smt.json
	echo "# $(grep summary $W/smt.json | head -c 700)"
else
	notok "summary: tcprst --summary starts tracing"
fi
check_clean smt
storm_test storm 35000
storm_test storm_tiny 35001 --buffer-kb 4
check "storm_tiny: a 4 KiB buffer under the storm did lose events, and said so (${STORM_LOST:-none})" \
	[ "${STORM_LOST:-0}" -gt 0 ]

# soak and the filtered storm: 6.1 as it is only (once per CI run)
case $KREL in 6.1.*) so_run=1 ;; *) so_run=0 ;; esac
[ -n "$TCPRST_MASK" ] || [ ! -e /sys/kernel/btf/vmlinux ] && so_run=0

# ---- a filtered run under a storm of resets it does not want: the kernel
# filters them (not one record reaches its buffer, its per-CPU stats say),
# so its cost stays flat; its CPU ticks are printed as a figure ----
if [ $so_run = 0 ]; then
	:
elif tr_start stf --json --port 35998; then
	stf_o1=$(outrsts)
	rstraw -S 10000:35003 2> /dev/null
	stf_o2=$(outrsts)
	sleep 1
	stf_ev=$(cat $T/instances/tcprst_*/per_cpu/cpu*/stats 2> /dev/null |
		awk '$1 == "entries:" || ($1 == "read" && $2 == "events:") { n += $NF } END { print n + 0 }')
	stf_cpu=$(awk '{ print $14 + $15 }' /proc/$PID_stf/stat)
	tr_stop stf INT
	echo "# filtered storm: $((stf_o2 - stf_o1)) resets sent, tcprst used $stf_cpu ticks of 10 ms"
	check "filtered storm: $((stf_o2 - stf_o1)) resets that --port 35998 does not want, none in its buffer ($stf_ev records), none reported ($(grep -c '"kind"' $W/stf.json))" \
		[ $((stf_o2 - stf_o1)) -ge 10000 -a "$stf_ev" = 0 -a "$(grep -c '"kind"' $W/stf.json)" = 0 ]
else
	notok "filtered storm: tcprst starts tracing"
fi
[ $so_run = 0 ] || check_clean stf

# ---- soak (6.1 as it is, once per CI run): 80 s of steady resets. After
# a 20 s warm-up tcprst's open fds stay the same and its RSS grows by less
# than 256 KiB (a leak of 16 bytes per reset would show 320 KiB over the
# ~20000 resets); every reset the kernel sent is reported or counted lost ----
if [ $so_run = 1 ]; then
	if tr_start soak --json --port 35500; then
		so_o1=$(outrsts) so_t0=$(date +%s) so_rss1= so_fd1=
		while [ $(($(date +%s) - so_t0)) -lt 80 ]; do
			rstraw -S 50:35500 2> /dev/null
			if [ -z "$so_rss1" ] && [ $(($(date +%s) - so_t0)) -ge 20 ]; then
				so_rss1=$(awk '$1 == "VmRSS:" { print $2 }' /proc/$PID_soak/status)
				so_fd1=$(ls /proc/$PID_soak/fd | grep -c .)
			fi
			sleep 0.2
		done
		so_rss2=$(awk '$1 == "VmRSS:" { print $2 }' /proc/$PID_soak/status)
		so_fd2=$(ls /proc/$PID_soak/fd | grep -c .)
		so_hwm=$(awk '$1 == "VmHWM:" { print $2 }' /proc/$PID_soak/status)
		# CPU ticks (utime + stime, fields 14 and 15; comm has no spaces here)
		so_cpu=$(awk '{ print $14 + $15 }' /proc/$PID_soak/stat)
		so_o2=$(outrsts)
		sleep 2
		tr_stop soak INT
		so_rep=$(grep -c '"sport":35500,' $W/soak.json)
		so_lost=$(sed -n 's/^{"lost":\([0-9]*\).*/\1/p' $W/soak.json)
		so_lost=${so_lost:-0} so_wire=$((so_o2 - so_o1))
		echo "# soak: $so_wire resets in 80 s, RSS ${so_rss1:-?} -> ${so_rss2:-?} kB (peak $so_hwm), fds ${so_fd1:-?} -> ${so_fd2:-?}, CPU $so_cpu ticks of 10 ms (USER_HZ): $(awk -v c="$so_cpu" -v n="$so_wire" 'BEGIN { if (n) printf "%.3f", c * 10 / n }') ms per reset"
		check "soak: open fds flat after warm-up (${so_fd1:-?} -> ${so_fd2:-?}), RSS within 256 KiB (${so_rss1:-?} -> ${so_rss2:-?} kB)" \
			[ -n "$so_rss1" -a "$so_fd1" = "$so_fd2" -a "${so_rss2:-999999}" -le $((${so_rss1:-0} + 256)) ]
		check "soak: all $so_wire resets the kernel sent reported ($so_rep) or counted lost ($so_lost), at least 5000" \
			[ "$so_wire" -ge 5000 -a "$so_wire" -le $((so_rep + so_lost)) ]
	else
		notok "soak: tcprst starts tracing"
	fi
	check_clean soak
fi
