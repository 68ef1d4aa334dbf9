# guest-tcprst.sh: tcprst tests; sourced by guest.sh (uses its helpers).
# Each test uses its own rstgen port base (-b) so the runs never mix.

# ---- filters: one tcprst per filter, all scenarios, compare with the
# filtered wire truth ----
filter_test() { # filter_test NAME BASE "TCPRST-FILTER" "RSTCHECK-FILTER"
	cap_start $W/$1.cap
	# shellcheck disable=SC2086
	if tr_start $1 --json $3; then
		gen_all $W/$1.exp $2
		sleep 1
		tr_stop $1 INT
		cap_stop
		# shellcheck disable=SC2086
		rst_check "$1: tcprst $3 reports exactly the matching wire RSTs" \
			$W/$1.cap $W/$1.exp $W/$1.json $4
	else
		cap_stop
		notok "$1: tcprst --json $3 starts tracing"
	fi
	check_clean $1
}
P=$(rstgen -b 21000 -P linger0:lo4)	# RST client -> server port P
filter_test port 21000 "--port $P" "--port $P"
P=$(rstgen -b 22000 -P unread:lo6)	# RST server port P -> client: no match
Q=$(rstgen -b 22000 -P unspec:veth4)	# RST client -> server port Q
filter_test dport 22000 "--dport $P --dport $Q" "--dport $Q"
filter_test saddr 23000 "--saddr ::1" "--saddr ::1"
filter_test ipv6 24000 "-6" "--family 6"

# ---- --count 1 ends by itself after one reset ----
cap_start $W/count.cap
if tr_start count --json --count 1; then
	gen $W/count.exp -b 25000 -s linger0 -v lo4
	wait_exit $PID_count 20
	check "count: tcprst --count 1 exits 0 by itself (got $RC)" [ "$RC" = 0 ]
	check "count: exactly one event" [ "$(grep -c . $W/count.json)" = 1 ]
	cap_stop
	rst_check "count: the event is the wire RST" $W/count.cap $W/count.exp $W/count.json
else
	cap_stop
	notok "count: tcprst --count 1 starts tracing"
fi
check_clean count

# ---- tcprst --json | head -n 1 ends once the reader is gone ----
cap_start $W/head.cap
{ $TCPRST --json 2> $W/head.err; echo $? > $W/head.rc; } | head -n 1 > $W/head.json &
HEAD=$!
if wait_line $W/head.err '^tcprst: tracing' "" 60; then
	gen $W/head.exp -b 26000 -s linger0 -v lo4,lo6,lom
	wait_line $W/head.rc . "" 20
	if [ -s $W/head.rc ]; then
		check "head: tcprst exits 0 when its reader is gone (got $(cat $W/head.rc))" \
			[ "$(cat $W/head.rc)" = 0 ]
	else
		notok "head: tcprst --json | head -n 1 ends after a reset"
		diag $W/head.err
	fi
	started=1
else
	notok "head: tcprst starts tracing"; diag $W/head.err
	started=0
fi
# "wait" on the pipeline waits for tcprst too: end a tcprst still running
if [ ! -s $W/head.rc ]; then
	kill -INT $(pidof tcprst) 2>/dev/null; sleep 2
	kill -9 $(pidof tcprst) 2>/dev/null
fi
wait_exit $HEAD 10
cap_stop
if [ $started = 1 ]; then
	check "head: head got one line" [ "$(grep -c . $W/head.json)" = 1 ]
	rst_check "head: the line is a wire RST" $W/head.cap $W/head.exp $W/head.json --subset
fi
check_clean head

# ---- two runs at once, independent; the first one's exit leaves the
# second one working ----
cap_start $W/two1.cap
if tr_start A --json && tr_start B --json; then
	gen_all $W/two1.exp 27000
	sleep 1
	tr_stop A INT
	cap_stop
	cap_start $W/two2.cap
	gen_all $W/two2.exp 28000
	sleep 1
	tr_stop B INT
	cap_stop
	cat $W/two1.cap $W/two2.cap > $W/two.cap
	cat $W/two1.exp $W/two2.exp > $W/two.exp
	rst_check "two runs: the first reports the wire RSTs of its time" \
		$W/two1.cap $W/two1.exp $W/A.json
	rst_check "two runs: the second reports all, also after the first ended" \
		$W/two.cap $W/two.exp $W/B.json
else
	cap_stop
	notok "two runs: both start tracing"
	kill -9 $PID_A $PID_B 2>/dev/null
fi
check_clean "two runs"

# ---- SIGKILL leaves probes; --cleanup removes them, but not those of a
# live run ----
# in_count/out_count LIST1 LIST2: lines of LIST1 that are (not) in LIST2
in_count() { if [ -n "$1" ]; then echo "$1" | grep -cxF "$2"; else echo 0; fi; }
out_count() { if [ -n "$1" ]; then echo "$1" | grep -cvxF "$2"; else echo 0; fi; }
cap_start $W/kill.cap
if tr_start live --json && live=$(leftovers) && tr_start K --json; then
	both=$(leftovers)
	kill -9 $PID_K
	wait_exit $PID_K 5
	dead=$(echo "$both" | grep -vxF "$live")
	check "kill: probes remain after SIGKILL (precondition)" [ -n "$dead" ]
	$TCPRST --cleanup > $W/cleanup.out 2>&1
	RC=$?
	check "kill: tcprst --cleanup exits 0 (got $RC)" [ $RC = 0 ]
	[ $RC = 0 ] || diag $W/cleanup.out
	now=$(leftovers)
	gone=$(in_count "$dead" "$now") kept=$(out_count "$live" "$now")
	check "kill: --cleanup removes the killed run's leftovers ($gone left)" [ $gone = 0 ]
	check "kill: --cleanup keeps a live run's probes ($kept missing)" [ $kept = 0 ]
	[ $gone = 0 ] && [ $kept = 0 ] ||
		{ echo "live:"; echo "$live"; echo "killed+live:"; echo "$both"; echo "now:"; echo "$now"; } | sed 's/^/#   /'
	gen $W/kill.exp -b 31000 -s linger0,closedport -v lo4,lo6,veth4
	sleep 1
	tr_stop live INT
	cap_stop
	rst_check "kill: the live run still reports every wire RST" \
		$W/kill.cap $W/kill.exp $W/live.json
else
	cap_stop
	notok "kill: two runs start tracing"
	kill -9 $PID_live $PID_K 2>/dev/null
fi
check_clean kill

# ---- runs in other PID namespaces (containers): two started together,
# each pid 1 in its own namespace, do not clash; --cleanup and a new run
# here never take them for dead; both report while that happens ----
cap_start $W/pns.cap
unshare -p -f --mount-proc $TCPRST --json > $W/pns1.json 2> $W/pns1.err &
PNS1=$!
unshare -p -f --mount-proc $TCPRST --json > $W/pns2.json 2> $W/pns2.err &
PNS2=$!
if wait_line $W/pns1.err 'tracing' $PNS1 60 && wait_line $W/pns2.err 'tracing' $PNS2 60; then
	pns_before=$(leftovers)
	pns_names=$(ls -d $T/instances/tcprst_* 2> /dev/null | grep -c .)
	$TCPRST --cleanup > $W/pns-clean.out 2>&1
	pns_rc=$?
	if tr_start pnsN --json; then tr_stop pnsN INT; fi
	pns_after=$(leftovers)
	pns_lost=$(out_count "$pns_before" "$pns_after")
	check "pidns: two runs as pid 1 of two new PID namespaces, two instances ($pns_names); --cleanup (exit $pns_rc) and a new run here keep all their probes ($pns_lost missing)" \
		[ "$pns_names" = 2 -a $pns_rc = 0 -a "$pns_lost" = 0 ]
	gen $W/pns.exp -b 31100 -s linger0,closedport -v lo4,lo6
	sleep 1
	kill -INT $(pidof tcprst) 2> /dev/null
	wait_exit $PNS1 20; pns_rc1=$RC
	wait_exit $PNS2 20; pns_rc2=$RC
	cap_stop
	check "pidns: both runs exit 0 on SIGINT ($pns_rc1, $pns_rc2)" [ "$pns_rc1" = 0 -a "$pns_rc2" = 0 ]
	rst_check "pidns: the first still reports every wire RST" $W/pns.cap $W/pns.exp $W/pns1.json
	rst_check "pidns: the second too" $W/pns.cap $W/pns.exp $W/pns2.json
else
	cap_stop
	notok "pidns: two runs start tracing in new PID namespaces"
	diag $W/pns1.err; diag $W/pns2.err
	kill -9 $PNS1 $PNS2 $(pidof tcprst) 2> /dev/null
fi
check_clean pidns

# ---- a new run removes a dead run's leftovers, never a live run's ----
cap_start $W/dead.cap
if tr_start L --json; then
	live=$(leftovers)
	if tr_start D --json; then
		both=$(leftovers)
		kill -9 $PID_D
		wait_exit $PID_D 5
		if tr_start N --json; then
			# the sweep runs once the new run is tracing: wait for what it says
			wait_line $W/N.err 'removed\|remain' $PID_N 30 ||
				notok "dead: the new run says what it removed"
			now=$(leftovers)
			dead=$(echo "$both" | grep -vxF "$live")
			gone=$(in_count "$dead" "$now") kept=$(out_count "$live" "$now")
			check "dead: probes of the killed run differ from the live run's" [ -n "$dead" ]
			check "dead: a new run removes the killed run's leftovers ($gone left)" [ $gone = 0 ]
			# what it says remains must remain: no false alarm
			check "dead: the new run reports no leftover when none is left" \
				sh -c "[ $gone != 0 ] || ! grep -q 'remain' $W/N.err"
			diag $W/N.err
			check "dead: the live run's probes stay ($kept missing)" [ $kept = 0 ]
			[ $gone = 0 ] && [ $kept = 0 ] || { echo "# live:"; echo "$live"; echo "# killed+live:"; echo "$both"; echo "# now:"; echo "$now"; } | sed 's/^/#   /'
			gen_all $W/dead.exp 29000
			sleep 1
			tr_stop L INT
			tr_stop N INT
			cap_stop
			rst_check "dead: the live run still reports every wire RST" \
				$W/dead.cap $W/dead.exp $W/L.json
			rst_check "dead: the new run reports every wire RST" \
				$W/dead.cap $W/dead.exp $W/N.json
		else
			notok "dead: a new run starts while leftovers exist"
			kill -9 $PID_L
		fi
	else
		notok "dead: a second run starts"
		kill -9 $PID_L
	fi
else
	notok "dead: tcprst starts tracing"
fi
cap_stop
check_clean dead

# ---- SIGTERM and SIGHUP end a run cleanly too ----
for sig in TERM HUP; do
	cap_start $W/$sig.cap
	if tr_start $sig --json; then
		gen $W/$sig.exp -b 30000 -s closedport,unspec -v lo4,lo6,veth6
		sleep 1
		tr_stop $sig $sig
		cap_stop
		rst_check "$sig: tcprst reports every wire RST" \
			$W/$sig.cap $W/$sig.exp $W/$sig.json
	else
		cap_stop
		notok "$sig: tcprst starts tracing"
	fi
	check_clean $sig
done
