// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcprst: parse -> set up -> event loop -> tear down. The only place that
 * exits; every path after set-up goes through the one cleanup below.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "filter.h"
#include "ksyms.h"
#include "mounts.h"
#include "options.h"
#include "output.h"
#include "reader.h"
#include "session.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "tcprst: %s\n", buf);
}

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Checks that need no change to the system; each failure is one sentence. */
static int preflight(char *err, size_t len)
{
	const char *dir, *ld;
	char path[512];

	if (geteuid() != 0)
		return snprintf(err, len, "must run as root: tcprst creates kprobe events in tracefs"), -1;
	dir = tracefs_tracing_dir();	/* mounts tracefs if it can */
	if (dir)
		snprintf(path, sizeof(path), "%s/trace", dir);
	ld = lockdown_level();
	if (!dir || access(path, F_OK)) {
		if (ld)
			return snprintf(err, len, "the kernel is locked down (%s), which forbids tracefs and kprobe events; tcprst cannot run on this boot", ld), -1;
		return snprintf(err, len, "tracefs is not mounted and cannot be mounted: mount it with 'mount -t tracefs nodev /sys/kernel/tracing' (the kernel needs CONFIG_FTRACE)"), -1;
	}
	snprintf(path, sizeof(path), "%s/kprobe_events", dir);
	if (access(path, W_OK)) {
		if (ld)
			return snprintf(err, len, "the kernel is locked down (%s), which forbids kprobe events; tcprst cannot run on this boot", ld), -1;
		return snprintf(err, len, "this kernel has no kprobe events (%s missing): it needs CONFIG_KPROBE_EVENTS", path), -1;
	}
	return 0;
}

struct run {
	struct options o;
	struct session s;
	struct decoder dec;
	struct collector col;
	struct reader *rd;
	struct ksyms *ks;
	struct output out;
	int64_t wall_offset;	/* wall = trace clock + offset */
	long printed;
	bool stdout_closed;
};

/* Print what the last cycle finished; false when the run should end. */
static bool flush_batch(struct run *r)
{
	struct collector *c = &r->col;
	bool more = true;

	for (int i = 0; i < c->nbatch && more; i++) {
		struct rst_event *ev = &c->batch[i];

		if (!filter_match(&r->o, ev))
			continue;
		ev->wall_ns = r->s.clock_mono ? (int64_t)ev->ts_ns + r->wall_offset
					      : now_ns(CLOCK_REALTIME);
		uint64_t addrs[MAX_STACK + 1];
		addrs[0] = ev->caller;
		memcpy(addrs + 1, ev->stack, ev->nstack * sizeof(addrs[0]));
		ksyms_prefetch(r->ks, addrs, r->o.stack ? ev->nstack + 1 : 1);
		if (output_event(&r->out, ev) || fflush(stdout)) {
			r->stdout_closed = true;
			more = false;
			break;
		}
		if (r->o.count && ++r->printed >= r->o.count)
			more = false;
	}
	c->nbatch = 0;
	return more;
}

static int trace_loop(struct run *r)
{
	int64_t deadline = r->o.duration > 0 ?
		now_ns(CLOCK_MONOTONIC) + (int64_t)(r->o.duration * 1e9) : 0;

	while (!exiting) {
		int timeout = -1;

		if (deadline) {
			int64_t left = deadline - now_ns(CLOCK_MONOTONIC);
			if (left <= 0)
				break;
			timeout = (int)(left / 1000000) + 1;
		}
		/* an event waiting for its stack: come back soon */
		if (collector_waiting(&r->col) && (timeout < 0 || timeout > 50))
			timeout = 50;
		/* bounded wait: some kernels wake pollers only at a watermark */
		if (timeout < 0 || timeout > 500)
			timeout = 500;
		if (reader_wait(r->rd, timeout, STDOUT_FILENO, &r->stdout_closed) < 0 &&
		    errno != EINTR)
			return -1;
		if (r->stdout_closed)
			break;
		if (reader_drain(r->rd, collector_record, &r->col) < 0)
			return -1;
		collector_end_cycle(&r->col, false);
		if (!flush_batch(r))
			break;
	}
	return 0;
}

static void install_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake the poll */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* held until ppoll: a signal during set-up still ends the run cleanly */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int main(int argc, char **argv)
{
	static struct run r;
	struct mount_state mounts;
	char err[2048];
	int ret = EXIT_RUNTIME, removed = 0, missing;

	switch (options_parse(argc, argv, &r.o, err, sizeof(err))) {
	case OPT_EXIT_OK:
		return EXIT_OK;
	case OPT_USAGE_ERROR:
		msg("%s", err);
		return EXIT_USAGE;
	default:
		break;
	}
	install_signals();
	tracefs_set_loglevel(TEP_LOG_NONE);
	mounts_snapshot(&mounts);
	if (preflight(err, sizeof(err))) {
		msg("%s", err);
		goto out;
	}
	if (cleanup_dead_runs(&removed))
		msg("some leftovers of dead runs could not be removed");
	if (removed)
		msg("removed %d leftover instance(s) and probe(s) of dead runs", removed);
	if (r.o.cleanup_only) {
		ret = EXIT_OK;
		goto out;
	}

	struct offsets off;
	offsets_init(&off);
	missing = offsets_resolve_btf(&off, "/sys/kernel/btf/vmlinux");
	if (missing < 0)
		msg("no BTF (%s): IPv6 addresses and passive resets cannot be decoded", strerror(-missing));
	else if (missing > 0)
		msg("%d struct offset(s) not found in BTF: some fields will be missing", missing);

	if (session_open(&r.s, &r.o, &off, err, sizeof(err))) {
		msg("%s", err);
		goto out;
	}
	if (!decoder_init(&r.dec, r.s.tep, r.s.name)) {
		msg("cannot find our events' formats in tracefs");
		goto out;
	}
	r.ks = ksyms_new("/proc/kallsyms");
	r.rd = reader_open(r.s.inst, r.s.tep);
	if (!r.ks || !r.rd || collector_init(&r.col, &r.dec, r.s.stack_option)) {
		msg("cannot open the ring buffer of our instance: %s", strerror(errno));
		goto out;
	}
	/* test-only: save formats and raw pages for the replay unit tests */
	const char *rec = getenv("TCPRST_RECORD_DIR");
	if (rec && (session_record_formats(&r.s, rec) || reader_record(r.rd, rec)))
		msg("cannot record into %s", rec);
	r.out.f = stdout;
	r.out.json = r.o.json;
	r.out.stack = r.o.stack;
	r.out.sym = ksyms_lookup;
	r.out.symctx = r.ks;
	r.wall_offset = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_MONOTONIC);
	if (session_enable(&r.s, true)) {
		msg("cannot enable our probes: %s", strerror(errno));
		goto out;
	}
	msg("tracing TCP resets (%d probes, instance %s); Ctrl-C to end", r.s.nprobes, r.s.name);
	if (trace_loop(&r)) {
		msg("reading the ring buffer failed: %s", strerror(errno));
		goto out;
	}
	ret = EXIT_OK;
	/* events already in the buffer when we stop are still reported */
	session_enable(&r.s, false);
	if (!r.stdout_closed && !(r.o.count && r.printed >= r.o.count)) {
		reader_drain(r.rd, collector_record, &r.col);
		collector_end_cycle(&r.col, true);
		flush_batch(&r);
	}
	if (reader_lost(r.rd))
		msg("%lld event(s) were lost: the ring buffer overflowed", reader_lost(r.rd));
out:
	reader_close(r.rd);
	collector_free(&r.col);
	ksyms_free(r.ks);
	session_close(&r.s);
	mounts_restore(&mounts);
	return ret;
}
