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
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capsmask.h"
#include "check.h"
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

/*
 * Checks before anything is created; each failure is one sentence. Reads
 * what the kernel offers into @c (it may mount tracefs or debugfs, which
 * main undoes on exit).
 */
static int preflight(struct caps *c, unsigned mask, const char *group, char *err, size_t len)
{
	const char *ld, *missing = NULL;
	char path[600], nokp[700];

	if (geteuid() != 0)
		return snprintf(err, len, "must run as root: tcprst creates kprobe events in tracefs"), -1;
	if (caps_detect(c, mask, group)) {
		missing = "neither tracefs nor debugfs tracing can be mounted: mount it with 'mount -t tracefs nodev /sys/kernel/tracing' (the kernel needs CONFIG_FTRACE)";
	} else {
		snprintf(path, sizeof(path), "%s/kprobe_events", c->tracing_dir);
		if (access(path, W_OK)) {
			snprintf(nokp, sizeof(nokp), "this kernel has no kprobe events (%s missing): it needs CONFIG_KPROBE_EVENTS", path);
			missing = nokp;
		}
	}
	if (!missing)
		return 0;
	/* under lockdown tracefs cannot even be mounted: name the real cause */
	if ((ld = lockdown_forbids_tracing()))
		return snprintf(err, len, "the kernel is locked down (%s), which forbids tracefs and kprobe events; tcprst cannot run on this boot", ld), -1;
	return snprintf(err, len, "%s", missing), -1;
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

/* A frame-pointer walk on a kernel without frame pointers reads junk. */
static void keep_text_frames(struct ksyms *ks, struct rst_event *ev)
{
	int n = 0;

	for (int i = 0; i < ev->nstack; i++)
		if (ksyms_lookup(ks, ev->stack[i]))
			ev->stack[n++] = ev->stack[i];
	ev->nstack = n;
}

/*
 * Resolve the batch's new addresses (callers, and stacks where printed)
 * in one kallsyms pass per batch, not one per event.
 */
static void prefetch_symbols(struct run *r)
{
	uint64_t addrs[1024];
	bool stacks = r->o.stack;
	int n = 0;

	for (int i = 0; i < r->col.nbatch; i++) {
		const struct rst_event *ev = &r->col.batch[i];

		if (!filter_match(&r->o, ev))
			continue;
		for (int k = -1; k < (stacks ? ev->nstack : 0); k++) {
			uint64_t a = k < 0 ? ev->caller : ev->stack[k];

			if (!a || ksyms_lookup(r->ks, a))
				continue;
			if (n == (int)(sizeof(addrs) / sizeof(addrs[0]))) {
				ksyms_prefetch(r->ks, addrs, n);
				n = 0;
			}
			addrs[n++] = a;
		}
	}
	if (n)
		ksyms_prefetch(r->ks, addrs, n);
}

/* Print what the last cycle finished; false when the run should end. */
static bool flush_batch(struct run *r)
{
	struct collector *c = &r->col;
	bool more = true;

	prefetch_symbols(r);
	for (int i = 0; i < c->nbatch && more; i++) {
		struct rst_event *ev = &c->batch[i];

		if (!filter_match(&r->o, ev))
			continue;
		ev->wall_ns = r->s.clock_mono ? (int64_t)ev->ts_ns + r->wall_offset
					      : now_ns(CLOCK_REALTIME);
		if (r->s.caps.stack == STACK_FP_WALK)
			keep_text_frames(r->ks, ev);
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

/*
 * No BTF in sysfs: a vmlinux given with --vmlinux, or the debug vmlinux of
 * the running release where distributions install it.
 */
static void resolve_from_vmlinux(struct offsets *off, const char *given)
{
	static const char *const where[] = {
		"/usr/lib/debug/boot/vmlinux-%s", "/usr/lib/debug/lib/modules/%s/vmlinux",
		"/usr/lib/debug/usr/lib/modules/%s/vmlinux", "/boot/vmlinux-%s",
		"/lib/modules/%s/vmlinux", "/lib/modules/%s/build/vmlinux",
	};
	char path[512];
	struct utsname u;

	if (given) {
		if (offsets_resolve_vmlinux(off, given) < 0)
			msg("%s has neither a .BTF section nor DWARF", given);
		return;
	}
	uname(&u);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]) && offsets_missing(off); i++) {
		snprintf(path, sizeof(path), where[i], u.release);
		if (access(path, R_OK) == 0)
			offsets_resolve_vmlinux(off, path);
	}
}

/*
 * Calibration makes real resets (in a private network namespace) that
 * other tcprst runs would see: its result is kept for this boot in
 * /run/tcprst/offsets-<release> (/run is emptied at boot).
 */
static void calib_cache(char *path, size_t len)
{
	struct utsname u;

	path[0] = '\0';
	if (geteuid() || access("/run", W_OK) || uname(&u))
		return;
	snprintf(path, len, "/run/tcprst/offsets-%s", u.release);
}

static void save_calibration(const struct offsets *off, const char *cache)
{
	bool calibrated = false;

	for (int i = 0; i < off->n; i++)
		calibrated |= off->e[i].source == OFF_CALIBRATED;
	if (!cache[0] || !calibrated || access(cache, F_OK) == 0)
		return;
	mkdir("/run/tcprst", 0700);
	offsets_save(off, cache);
}

/* The probed functions (or their .isra/.constprop copies), one kallsyms pass. */
static void find_symbols(char (*syms)[128], int *res)
{
	const char *names[8] = { NULL };
	size_t n = probe_table_len < 8 ? probe_table_len : 8;

	for (size_t i = 0; i < n; i++)
		names[i] = probe_table[i].symbol;
	if (ksym_find_variants("/proc/kallsyms", names, syms, res, (int)n))
		for (size_t i = 0; i < n; i++)
			res[i] = -ENOENT;
}

/* --check: report and exit 0 if tracing can work, 1 with the reason if not. */
static int do_check(struct run *r, struct offsets *off, const char *cache, const char *problem)
{
	static char syms[8][128];
	int res[8];
	struct check_report rep = { .caps = &r->s.caps, .off = off, .problem = problem };
	struct utsname u;

	uname(&u);
	rep.release = u.release;
	rep.arch = u.machine;
	if (!problem) {
		session_preview(&r->s, off, true);
		rep.calibration = r->s.note[0] ? r->s.note : NULL;
		save_calibration(off, cache);
	}
	find_symbols(syms, res);
	for (size_t i = 0; i < probe_table_len && i < 8; i++)
		if (res[i] == 0)
			rep.symbols[i] = syms[i];
	if (!problem && !arch_regs_get(u.machine))
		rep.problem = "this architecture is not supported yet";
	for (size_t i = 0; i < probe_table_len && !rep.problem; i++)
		if (!rep.symbols[i])
			rep.problem = "a probed kernel function was not found in /proc/kallsyms";
	check_print(stdout, &rep, r->o.json);
	return rep.problem ? EXIT_RUNTIME : EXIT_OK;
}

/* --dry-run: the exact probe definitions and filters a run would write. */
static int do_dry_run(struct run *r, const struct offsets *off)
{
	char def[4096], filt[4096], syms[8][128];
	int res[8];

	session_preview(&r->s, (struct offsets *)off, false);	/* creates no probe */
	find_symbols(syms, res);
	printf("# instance %s, stacks: %s\n", r->s.name, stack_method_name(r->s.caps.stack));
	for (size_t i = 0; i < probe_table_len; i++) {
		const struct probe_def *p = &probe_table[i];

		if (!probe_wanted(&r->o, p))
			continue;
		const char *sym = i < 8 && res[i] == 0 ? syms[i] : p->symbol;

		if (session_render(&r->s, p, off, sym, false, def, sizeof(def)))
			return EXIT_RUNTIME;
		printf("%s\n", def);
		if (filter_kernel(&r->o, p, filt, sizeof(filt)) == 0 && filt[0])
			printf("# filter %s/%s: %s\n", r->s.name, p->event, filt);
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct mount_state mounts;
	struct offsets off;
	char err[2048], bad[64], cache[160];
	int ret = EXIT_RUNTIME, removed = 0, pf, loaded;
	unsigned mask;

	switch (options_parse(argc, argv, &r.o, err, sizeof(err))) {
	case OPT_EXIT_OK:
		return EXIT_OK;
	case OPT_USAGE_ERROR:
		msg("%s", err);
		return EXIT_USAGE;
	default:
		break;
	}
	/* test only: hide features the kernel has, to run every fallback */
	if (caps_parse_mask(getenv("TCPRST_MASK"), &mask, bad, sizeof(bad))) {
		msg("TCPRST_MASK: unknown feature '%s'", bad);
		return EXIT_USAGE;
	}
	install_signals();
	tracefs_set_loglevel(TEP_LOG_NONE);
	mounts_snapshot(&mounts);
	session_name(r.s.name, sizeof(r.s.name));
	pf = preflight(&r.s.caps, mask, r.s.name, err, sizeof(err));
	snprintf(r.s.caps.masked, sizeof(r.s.caps.masked), "%s",
		 getenv("TCPRST_MASK") ? getenv("TCPRST_MASK") : "");
	offsets_init(&off);
	if (!pf && !r.s.caps.reason_arg)
		offsets_skip_params(&off);
	loaded = r.o.offsets_file ? offsets_load(&off, r.o.offsets_file, false) : -ENOENT;
	if (geteuid() == 0)
		offsets_resolve_btf(&off, "/sys/kernel/btf/vmlinux");
	if (offsets_missing(&off))
		resolve_from_vmlinux(&off, r.o.vmlinux);
	/* calibrated on this boot already: reuse, and make no new resets */
	calib_cache(cache, sizeof(cache));
	if (cache[0] && offsets_missing(&off))
		offsets_load(&off, cache, true);
	if (r.o.check) {
		ret = do_check(&r, &off, cache, pf ? err : NULL);
		goto out;
	}
	if (pf) {
		msg("%s", err);
		goto out;
	}
	if (r.o.dry_run) {
		ret = do_dry_run(&r, &off);
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
	if (session_open(&r.s, &r.o, &off, err, sizeof(err))) {
		msg("%s", err);
		goto out;
	}
	if (r.s.note[0])
		msg("offsets neither in BTF nor calibrated (%s): the fields that need them are left out", r.s.note);
	if (r.o.offsets_file && loaded == -ENOENT && offsets_save(&off, r.o.offsets_file))
		msg("cannot save offsets to %s", r.o.offsets_file);
	save_calibration(&off, cache);
	if (!decoder_init(&r.dec, r.s.tep, r.s.name)) {
		msg("cannot find our events' formats in tracefs");
		goto out;
	}
	r.ks = ksyms_new("/proc/kallsyms");
	r.rd = reader_open(r.s.inst, r.s.tep);
	if (!r.ks || !r.rd ||
	    collector_init(&r.col, &r.dec, r.s.caps.stack == STACK_INSTANCE_OPTION)) {
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
	r.out.caps = &r.s.caps;
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
