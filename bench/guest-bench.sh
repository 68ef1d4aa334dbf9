#!/bin/busybox sh
# /init of the bench VM (bench/run.sh): a Debian bookworm root with bpftrace,
# bcc, perf-tools and the kernel's headers, plus tcprst, floor, benchrun and
# rstraw in /usr/local/bin. For each round, first the control (a fixed
# computation, alone and beside a storm), then for each tool: one run, measured by
# benchrun: armed, then a burst of RESETS passive resets, then again with
# the tool, the storm and benchrun on CPU 0 (the floors, tcprst-dynamic, a
# boot's first tcprst, without its offsets cache, and tcprst-mono are only
# armed). Prints one line per run:
#   BENCH <tool> <idle|burst|idle1|burst1> <round> arm_s=.. arm_cpu_s=.. cpu_s=.. ...
#   BENCH control <idle|storm> <round> work_ms=.. wall_ms=..
# and "BENCHDONE <release>" at the end (the host's report needs it).
BB=/bin/busybox
$BB mkdir -p /dev /proc /sys /tmp /run
$BB mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C
# bcc's Python tools write to a pipe: unbuffered, each line goes out when
# printed (as tcprst's, perf-tools' and bpftrace's do), not at exit
export PYTHONUNBUFFERED=1
$BB mount -t proc proc /proc
$BB mount -t sysfs sysfs /sys
$BB mount -t tmpfs tmpfs /tmp
$BB mount -t debugfs debugfs /sys/kernel/debug	# perf-tools use its tracing/
$BB mount -t tracefs tracefs /sys/kernel/tracing
$BB ip link set lo up
ROUNDS=$($BB sed -n 's/.*bench.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
RESETS=$($BB sed -n 's/.*bench.resets=\([0-9]*\).*/\1/p' /proc/cmdline)
ONLY=$($BB sed -n 's/.*bench.only=\([^ ]*\).*/\1/p' /proc/cmdline)	# tools, comma-separated
ROUNDS=${ROUNDS:-3} RESETS=${RESETS:-2000}
CS=/sys/devices/system/clocksource/clocksource0/current_clocksource
echo "# bench: $(uname -r), $($BB nproc) CPUs, clocksource $($BB cat $CS), $ROUNDS rounds, $RESETS resets per burst"

# Each RST comes back over loopback to a port where nothing listens, and TCP
# enters tcp_v4_send_reset() for it too (and sends nothing). Dropped before
# TCP sees it, every tool's probe fires once per reset sent.
for m in crypto/crc32c_generic lib/libcrc32c net/netfilter/nfnetlink net/netfilter/nf_tables; do
	[ -f /lib/modules/bench/${m##*/}.ko ] && $BB insmod /lib/modules/bench/${m##*/}.ko 2>/dev/null
done
if nft add table ip bench && nft add chain ip bench pre '{ type filter hook prerouting priority -300; }' &&
	nft add rule ip bench pre tcp flags rst drop; then
	echo "# bench: incoming RSTs dropped before TCP (nft)"
else
	echo "# bench: WARNING: cannot drop the returning RSTs: probes on tcp_v4_send_reset fire twice per reset"
fi
# bcc and bpftrace look for the headers and BTF here
[ -d /lib/modules/$(uname -r)/build ] || echo "# bench: WARNING: no kernel headers for $(uname -r)"

P='tcp_v4_send_reset,kprobe:tcp_v6_send_reset,kprobe:tcp_send_active_reset'
BT_PLAIN="BEGIN { printf(\"armed\\n\"); } kprobe:$P { printf(\"RST %s %d %s\\n\", probe, pid, comm); }"
BT_STACK="BEGIN { printf(\"armed\\n\"); } kprobe:$P { printf(\"RST %s %d %s\\n%s\\n\", probe, pid, comm, kstack); }"
# tool: marker, pattern of an event line, command (| separates the fields)
tools() {
	cat <<EOT
floor|armed||floor
floor-static|armed||floor-static
tcprst|tracing|"kind"|tcprst --json
tcprst-dynamic|tracing|"kind"|tcprst-dynamic --json
tcprst-first|tracing|"kind"|busybox sh -c rm\ -f\ /run/tcprst/offsets-*\;\ exec\ tcprst\ --json
tcprst-stack|tracing|"kind"|tcprst --json --stack
tcprst-mono|tracing|"kind"|tcprst --json
bpftrace|armed|RST |bpftrace -e BT_PLAIN
bpftrace-stack|armed|RST |bpftrace -e BT_STACK
bcc|FUNC| RST|trace-bpfcc BCC_PROBES
bcc-stack|FUNC| RST|trace-bpfcc -K BCC_PROBES
perf-tools|# tracer|tcp_v4_send_reset: (|kprobe-perf -H p:tcp_v4_send_reset
perf-tools-stack|# tracer|tcp_v4_send_reset: (|kprobe-perf -H -s p:tcp_v4_send_reset
untraced|||sleep 1000
EOT
}
run() { # run TOOL KIND ROUND MARKER PATTERN CMD... (a KIND ending in 1: on CPU 0)
	r_t=$1 r_k=$2 r_r=$3 r_m=$4 r_c=$5; shift 5
	case $r_k in *1) r_pin=0 ;; *) r_pin= ;; esac
	port=$((40000 + r_r * 100 + $(tools | $BB grep -n "^$r_t|" | $BB cut -d: -f1)))
	case $r_k in idle*) set -- -- "$@" ;; *) set -- -n $RESETS -p $port -- "$@" ;; esac
	[ $r_t = untraced ] && set -- -q 0 "$@"
	if r_out=$(BENCHRUN_STRACE=${BENCHRUN_STRACE:-} benchrun ${r_pin:+-a $r_pin} -m "$r_m" ${r_c:+-c "$r_c"} "$@" 2> /tmp/err); then
		echo "BENCH $r_t $r_k $r_r $r_out"
	else
		echo "BENCH $r_t $r_k $r_r failed"
		$BB sed 's/^/# /' /tmp/err | $BB tail -n 20
	fi
}
# The bench's own clock, each round: a fixed computation on CPU 1, alone and
# while a storm runs on CPU 0. Charged the same, a task is charged only
# while it runs and CPU per reset on two vCPUs measures the tool.
control_round() {
	echo "BENCH control idle $1 $(control 1 20000000)"
	taskset -c 0 rstraw -S $((RESETS * 10)):$((39000 + $1)) & c_storm=$!
	$BB sleep 0.1
	echo "BENCH control storm $1 $(control 1 20000000)"
	wait $c_storm
}
r=1
while [ $r -le $ROUNDS ]; do
	case ,${ONLY:-control}, in *,control,*) control_round $r ;; esac
	tools | while IFS='|' read -r t m c cmd; do
		case ,${ONLY:-$t}, in *,$t,*) ;; *) continue ;; esac
		case $cmd in
		*BT_PLAIN) set -- bpftrace -e "$BT_PLAIN" ;;
		*BT_STACK) set -- bpftrace -e "$BT_STACK" ;;
		*BCC_PROBES) eval "set -- ${cmd% BCC_PROBES}"
			set -- "$@" 'tcp_v4_send_reset "RST"' 'tcp_v6_send_reset "RST"' 'tcp_send_active_reset "RST"' ;;
		*) eval "set -- $cmd" ;;
		esac
		# one run each: armed, then a burst (its start is measured before
		# the storm); the floor and a boot's first tcprst are only armed
		case $t in
		# tcprst-mono: the clocksource hpet for its runs, so that tcprst
		# sets the mono clock (where the TSC is the clocksource it keeps
		# the instance's default local clock)
		tcprst-mono) cs=$($BB cat $CS); echo hpet > $CS
			run $t idle $r "$m" "$c" "$@"
			run $t idle1 $r "$m" "$c" "$@"
			echo $cs > $CS ;;
		floor|floor-static|tcprst-dynamic|tcprst-first) run $t idle $r "$m" "$c" "$@"
			run $t idle1 $r "$m" "$c" "$@" ;;
		*) run $t burst $r "$m" "$c" "$@"
			# and on one CPU, the storm and benchrun with it: the tool's
			# cost when it must share the CPU it watches
			[ $t = untraced ] || run $t burst1 $r "$m" "$c" "$@" ;;
		esac
		# bench.strace: where the time of a burst goes, system call by call
		if $BB grep -q bench.strace /proc/cmdline && [ $t != untraced ]; then
			BENCHRUN_STRACE=/tmp/strace.txt run $t burst-strace $r "$m" "$c" "$@"
			$BB sed 's/^/# strace /' /tmp/strace.txt | $BB head -n 25
			# bench.reads: the burst's reads by file, and how much each returned
			if $BB grep -q bench.reads /proc/cmdline; then
				BENCHRUN_STRACE=/tmp/reads.txt BENCHRUN_STRACE_READS=1 run $t burst-reads $r "$m" "$c" "$@"
				$BB awk '/openat\(/ { split($0, a, "\""); f = $NF; fd[f] = a[2] }
					/ read\(/ { split($2, b, "("); split(b[2], c, ","); n = $NF; k = c[1] " " (c[1] in fd ? fd[c[1]] : "?")
						calls[k]++; if ($0 ~ /= -1 /) err[k]++; else bytes[k] += n }
					/ppoll|nanosleep/ { split($2, b, "("); o[b[1]]++ }
					END { for (k in calls) printf "# reads fd %s: %d calls, %d bytes, %d errors\n", k, calls[k], bytes[k], err[k]
						for (k in o) printf "# reads %s: %d\n", k, o[k] }' /tmp/reads.txt
			fi
		fi
		# nothing a tool made may stay behind (its probes would tax the next)
		left=$($BB grep -c . /sys/kernel/tracing/kprobe_events)
		[ "$left" = 0 ] || { echo "# bench: $t left $left kprobes:"; $BB sed 's/^/#   /' /sys/kernel/tracing/kprobe_events; }
	done
	r=$((r + 1))
done
# bench.armtrace: where tcprst's start goes (strace of an idle run)
if $BB grep -q bench.armtrace /proc/cmdline; then
	for i in 1 2 3; do
		TCPRST_TIMING=1 tcprst --json --duration 1 2>&1 >/dev/null | $BB grep timing | $BB sed "s/^/# armtrace run $i /"
	done
	strace -f -tt -T -o /tmp/arm.txt tcprst --json --duration 3 > /dev/null 2>&1
	echo "# armtrace: $($BB wc -l < /tmp/arm.txt) calls"
	$BB awk '{ split($3, a, "("); c[a[1]]++ } END { for (k in c) print c[k], k }' /tmp/arm.txt | $BB sort -rn | $BB head -n 12 | $BB sed 's/^/# armtrace count /'
	$BB grep -o 'newfstatat([^"]*"[^"]*"' /tmp/arm.txt | $BB sed 's/.*"\(.*\)"/\1/; s|/[^/]*$||' | $BB sort | $BB uniq -c | $BB sort -rn | $BB head -n 8 | $BB sed 's/^/# armtrace stat /'
	$BB grep -o 'openat([^"]*"[^"]*"' /tmp/arm.txt | $BB sed 's/.*"\(.*\)"/\1/' | $BB sort | $BB uniq -c | $BB sort -rn | $BB head -n 30 | $BB sed 's/^/# armtrace open /'
	# the slowest calls
	$BB sed -n 's/.*<\([0-9.]*\)>$/\1 &/p' /tmp/arm.txt | $BB sort -rn | $BB head -n 15 | $BB cut -c1-200 | $BB sed 's/^/# armtrace slow /'
	$BB head -n 3 /tmp/arm.txt | $BB sed 's/^/# armtrace first /'
	$BB grep 'write(2' /tmp/arm.txt | $BB head -n 3 | $BB cut -c1-160 | $BB sed 's/^/# armtrace msg /'
	# every call up to "tracing", its time since the previous one
	strace -r -T -o /tmp/arm-r.txt tcprst --json --duration 1 > /dev/null 2>&1
	$BB sed '/tcprst: tracing/q' /tmp/arm-r.txt | $BB cut -c1-150 | $BB sed 's/^/# armtrace call /'
	# what the start costs before main (the loader, the libraries)
	for i in 1 2 3; do
		TCPRST_TIMING=1 tcprst --version 2>&1 >/dev/null | $BB sed "s/^/# armtrace bare $i /"
	done
	LD_DEBUG=statistics tcprst --version 2>&1 >/dev/null | $BB grep -E 'total startup|relocation processing' | $BB sed 's/^/# armtrace ld /'
fi
# bench.record: the raw pages of a tcprst --json --stack run over a burst,
# for callgrind on a replay (bench/run.sh unpacks them into $B/storm-rec)
if $BB grep -q bench.record /proc/cmdline; then
	$BB mkdir -p /tmp/rec
	TCPRST_RECORD_DIR=/tmp/rec run tcprst-stack burst-record 0 tracing '"kind"' tcprst --json --stack
	echo "=== record"
	$BB tar -C /tmp/rec -cf - . | $BB gzip -9 | $BB base64
	echo "=== end"
fi
echo "BENCHDONE $(uname -r)"
$BB sync
$BB reboot -f
