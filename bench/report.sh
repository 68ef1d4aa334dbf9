#!/bin/sh
# report.sh LOG [DATE [ACCEL]] -- bench/RESULTS.md from the bench VM's serial
# log (bench/run.sh; ACCEL: QEMU's -accel option it booted with, which the
# log does not say). Every ratio is taken within one round (the tool and its
# reference measured minutes apart in the same boot), then summarised over
# the rounds as median (min-max).
set -eu
log=$1 day=${2:-$(date -u +%Y-%m-%d)} accel=${3:-}
tr -d '\r' < "$log" | awk -v day="$day" -v accel="${accel#-accel }" '
function med(list,   n, a, i, j, t) {	# "median (min-max)" of a space-separated list
	n = split(list, a, " ")
	if (n == 0) return "-"
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	m = (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	return n == 1 ? fmt(m) : fmt(m) " (" fmt(a[1]) "-" fmt(a[n]) ")"
}
function fmt(x) { return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : x >= 1 ? sprintf("%.2f", x) : sprintf("%.3f", x) }
function add(k, v) { L[k] = (k in L) ? L[k] " " v : v }
function table(heads, keys,   n, k, i, j, t, key, line) {	# a row per tool, a column per list (_ for its spaces)
	n = split(keys, k, " ")
	gsub(/\|/, " | ", heads)
	printf "\n| tool | %s |\n|---|", heads
	for (j = 1; j <= n; j++) printf "---|"
	print ""
	for (i = 1; i <= nt; i++) {
		t = order[i]
		if (t == "untraced" || t == "control") continue
		line = "| " t (failed[t] ? " (" failed[t] " runs failed)" : "")
		for (j = 1; j <= n; j++) {
			if (k[j] == "sent") { line = line " | " (sent[t] ? rep[t] "/" sent[t] : "-"); continue }
			key = k[j]; gsub(/_/, " ", key)
			line = line " | " med(L[t " " key])
		}
		print line " |"
	}
}
/# bench: [0-9]/ { setup = substr($0, index($0, "# bench: ") + 9) }	# (the first line comes after the console'"'"'s escapes)
/# bench: WARNING/ { warn = warn "\n- " substr($0, index($0, "# bench: ") + 9) }
/^BENCHDONE/ { rel = $2 }
/^BENCH / {
	t = $2; k = $3; r = $4
	if (!(t in seen)) { order[++nt] = t; seen[t] = 1 }
	if ($5 == "failed") { failed[t] = failed[t] + 1; next }
	for (i = 5; i <= NF; i++) { split($i, kv, "="); V[t, k, r, kv[1]] = kv[2] }
	V[t, k, r, "ok"] = 1
	if (r > rounds) rounds = r
}
END {
	split("burst burst1", BURST, " ")
	for (r = 1; r <= rounds; r++) for (i = 1; i <= nt; i++) {
		t = order[i]
		for (kk = 1; kk <= 4; kk++) {	# the start: of a run only armed, or before its burst
			k = kk % 2 ? "idle" : "burst"; one = kk > 2 ? "1" : ""; k = k one
			if (!V[t, k, r, "ok"]) continue
			add(t " arm" one, V[t, k, r, "arm_s"])
			add(t " armcpu" one, V[t, k, r, "arm_cpu_s"])
			add(t " rss", V[t, k, r, "rss_kb"] / 1024)
			if (V["floor", "idle" one, r, "ok"] && V["floor", "idle" one, r, "arm_s"] > 0)
				add(t " armratio" one, V[t, k, r, "arm_s"] / V["floor", "idle" one, r, "arm_s"])
			if (V["floor-static", "idle" one, r, "ok"] && V["floor-static", "idle" one, r, "arm_s"] > 0)
				add(t " armsratio" one, V[t, k, r, "arm_s"] / V["floor-static", "idle" one, r, "arm_s"])
		}
		for (kk = 1; kk <= 2; kk++) {	# a burst on two CPUs, then on one
			k = BURST[kk]
			if (!V[t, k, r, "ok"] || V[t, k, r, "outrsts"] <= 0 || V[t, k, r, "burst_cpu_s"] < 0)
				continue
			n = V[t, k, r, "outrsts"]
			if (V[t, k, r, "after_cpu_s"] != "" && V[t, k, r, "after_cpu_s"] >= 0)
				add(t " after " k, V[t, k, r, "after_cpu_s"])
			c = V[t, k, r, "burst_cpu_s"] / n * 1000
			CPR[t, k, r] = c
			add(t " cpr " k, c)
			rep[t] += V[t, k, r, "reported"]; sent[t] += n
		}
		if (V[t, "burst", r, "ok"] && V["untraced", "burst", r, "ok"] && V[t, "burst", r, "storm_s"] > 0)
			add(t " thr", 100 * V["untraced", "burst", r, "storm_s"] / V[t, "burst", r, "storm_s"])
	}
	for (r = 1; r <= rounds; r++) for (i = 1; i <= nt; i++) {
		t = order[i]; ref = (t ~ /-stack$/) ? "perf-tools-stack" : "perf-tools"
		for (kk = 1; kk <= 2; kk++) {
			k = BURST[kk]
			if (((t, k, r) in CPR) && ((ref, k, r) in CPR) && CPR[ref, k, r] > 0)
				add(t " cprratio " k, CPR[t, k, r] / CPR[ref, k, r])
		}
	}
	for (r = 1; r <= rounds; r++)
		if (V["control", "idle", r, "ok"] && V["control", "storm", r, "ok"] && V["control", "idle", r, "work_ms"] > 0) {
			add("control idle", V["control", "idle", r, "work_ms"])
			add("control storm", V["control", "storm", r, "work_ms"])
			add("control ratio", V["control", "storm", r, "work_ms"] / V["control", "idle", r, "work_ms"])
		}
	print "# tcprst side by side"
	print ""
	printf "Measured by `make bench` (bench/run.sh) on %s: Debian %s under QEMU\n", day, rel
	print "(software emulation, " (accel != "" ? "`-accel " accel "`" : "QEMU'"'"'s -accel not recorded") ", 2 vCPUs, nothing else in the VM); " setup "."
	print "Each figure is the median over the rounds, with (min-max); a ratio is"
	print "taken within one round, then summarised. A burst is a storm of SYNs to a"
	print "closed loopback port, each answered by a passive RST (the RSTs coming back"
	print "are dropped before TCP, so every probe fires once per reset)."
	if (warn != "") print "\nWarnings from the VM:" warn
	print ""
	if ("control ratio" in L) {
		split(med(L["control ratio"]), cr, " ")
		print "The bench'"'"'s clock (control): a fixed computation on vCPU 1 was charged " med(L["control idle"]) " ms alone and " med(L["control storm"]) " ms while a storm ran on vCPU 0, " med(L["control ratio"]) " times as much: " \
			(cr[1] + 0 < 1.25 ? "a task is charged only while it runs, so CPU per reset on two vCPUs is the tool'"'"'s own." : "the emulator charges a task for time it did not run, and CPU per reset on two vCPUs includes some of the storm'"'"'s.")
	}
	else
		print "The bench'"'"'s clock (control) was not measured."
	print ""
	print "On two vCPUs (the storm free to run on the other):"
	table("armed, s|armed / floor|armed / static floor|peak RSS, MB|CPU to arm, s|CPU after armed, s|CPU per reset, ms|CPU per reset / perf-tools|storm throughput, % of untraced|reported / sent",
		"arm armratio armsratio rss armcpu after_burst cpr_burst cprratio_burst thr sent")
	print ""
	print "On one CPU (the tool, the storm and benchrun bound to CPU 0):"
	table("armed, s|armed / floor|armed / static floor|CPU to arm, s|CPU after armed, s|CPU per reset, ms|CPU per reset / perf-tools",
		"arm1 armratio1 armsratio1 armcpu1 after_burst1 cpr_burst1 cprratio_burst1")
	print ""
	print "What each row runs (bench/guest-bench.sh): `floor` creates one ftrace"
	print "instance and one kprobe with libtracefs and reads nothing (`floor-static`:"
	print "the same program linked statically, as tcprst is by default; under"
	print "emulation the dynamic loader alone costs tens of milliseconds); `tcprst --json`"
	print "(`tcprst-dynamic`, only armed: the same tree linked against the shared"
	print "libraries, `./configure --disable-static-binary`;"
	print "`--stack` adds kernel stacks; `tcprst-first` is only armed, as the first"
	print "run of a boot: without the offsets kept in /run/tcprst, so it reads BTF;"
	print "`tcprst-mono`, only armed, with the clocksource switched to hpet, so that"
	print "it sets the mono trace clock where on the TSC it keeps the default one);"
	print "a bpftrace program printing one line per"
	print "reset (with `kstack`); bcc'"'"'s `trace` (`-K`: stacks); perf-tools'"'"' `kprobe`"
	print "on `tcp_v4_send_reset` (`-s`: stacks), which reads the ftrace text pipe."
	print "Armed: from the start to the line each prints once its probes are live."
	print "CPU to arm: user + system time of the tool and the children it reaped, when"
	print "armed (/proc, 10 ms resolution). CPU after armed: what the tool'"'"'s threads"
	print "and children used on CPU (schedstat) in the second after that, before the"
	print "storm (tcprst reads its events'"'"' formats then: the kernel keeps what"
	print "happens meanwhile). CPU per reset: the time on CPU of the"
	print "tool'"'"'s threads and children (schedstat, ns) from just before the storm to"
	print "the last reset printed, over the resets sent (Tcp OutRsts). Each tool is"
	print "measured twice a round: with the storm free to run on the other vCPU, and"
	print "on one CPU (the tool, the storm and benchrun on CPU 0). QEMU runs each"
	print "vCPU in a host thread of its own, so the two run at once as on hardware."
	print "With one thread for both (`-accel tcg,thread=single`, as the test suite"
	print "runs) they take turns while the guest clock runs on, and a task on the"
	print "vCPU left waiting is charged the time the other ran: the control'"'"'s fixed"
	print "computation was charged 2-2.5 times as much beside a storm there, and a"
	print "tool that works while the storm runs is charged some of the storm."
	print "The control line above says which the run had. Peak RSS: the largest"
	print "process of the tool'"'"'s tree. Storm throughput: the storm'"'"'s duration"
	print "untraced over its duration traced, same round. The kernel'"'"'s own work in"
	print "the probes is charged to the storm, not to the tool."
}'
