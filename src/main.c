// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcprst: parse -> set up -> event loop -> tear down. The only place that
 * exits; every path after set-up goes through the one cleanup below.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
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
#include "filter.h"
#include "ksyms.h"
#include "losses.h"
#include "mounts.h"
#include "modules.h"
#include "options.h"
#include "pipeline.h"
#include "resolve.h"
#include "session.h"
#include "timing.h"

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
 * main undoes on exit); @found tells whether a tracing directory was, for
 * caps_detect_fetch().
 */
static int preflight(struct caps *c, unsigned mask, bool *found, char *err, size_t len)
{
	const char *ld, *missing = NULL;
	char path[600], nokp[700];

	*found = false;
	if (geteuid() != 0)
		return snprintf(err, len, "must run as root: tcprst creates kprobe events in tracefs"), -1;
	*found = caps_detect(c, mask) == 0;
	if (!*found) {
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
}

/* Remove what dead runs left: said on stderr, never fatal. */
static void sweep_dead_runs(void)
{
	char left[1024];
	int removed = 0;

	if (cleanup_dead_runs(&removed, left, sizeof(left)))
		msg("%s", left);
	if (removed)
		msg("removed %d leftover instance(s) and probe(s) of dead runs", removed);
	timing_mark("cleanup");
}

struct run {
	struct options o;
	struct session s;
	struct decoder dec;
	struct pipeline p;
	struct losses base;		/* the instance's stats when tracing began */
	struct summary sum;		/* --summary */
	struct kcounters kc;		/* the kernel's counters at the last summary */
};

/* Events lost since tracing began: the instance's stats and the pages' marks. */
static long long lost_so_far(struct run *r, struct losses *l)
{
	session_losses(&r->s, l);
	l->overrun -= r->base.overrun;
	l->dropped -= r->base.dropped;
	l->pages = reader_lost(r->p.rd);
	return losses_total(l);
}

/* What --summary and --metrics-file show: the summary so far, the metrics file. */
static void report(struct run *r, long long lost)
{
	int err;

	if (r->o.summary && !r->p.stdout_closed) {
		summary_print(stdout, r->o.json, &r->sum, &r->kc, lost, filter_any(&r->o),
			      now_ns(CLOCK_MONOTONIC));
		fflush(stdout);
	}
	if (r->o.metrics_file && (err = summary_write_metrics(r->o.metrics_file, &r->sum, lost)))
		msg("cannot write the metrics file %s: %s", r->o.metrics_file, strerror(-err));
}

/* --interval: the kernel's counters first, the report once all before them is read. */
static void summary_tick(struct pipeline *p, bool print)
{
	struct run *r = (struct run *)((char *)p - offsetof(struct run, p));
	struct losses l = { 0 };

	if (!print)
		kcounters_read(&r->kc);
	else
		report(r, lost_so_far(r, &l));
}

/* Our network namespace's inode: whose counters /proc/net/snmp shows. */
static uint32_t own_netns(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) == 0 ? (uint32_t)st.st_ino : 0;
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

/* The probed functions (or their .isra/.constprop copies), one kallsyms pass. */
static_assert(PROBES_MAX <= KSYM_VARIANTS_MAX, "one kallsyms pass must find every probe's symbol");

static void find_symbols(char (*syms)[128], int *res)
{
	const char *names[PROBES_MAX] = { NULL };

	for (size_t i = 0; i < probe_table_len; i++)
		names[i] = probe_table[i].symbol;
	if (ksym_find_variants("/proc/kallsyms", names, syms, res, (int)probe_table_len))
		for (size_t i = 0; i < probe_table_len; i++)
			res[i] = -ENOENT;
	/* a module's function: the name probed, and whether it waits for the module */
	for (size_t i = 0; i < probe_table_len; i++) {
		char sym[100];

		if (!probe_table[i].module)
			continue;
		snprintf(syms[i], 128, "%s (%s)", sym,
			 module_state_name(module_probe_name(probe_table[i].module, probe_table[i].symbol,
							    sym, sizeof(sym))));
		res[i] = 0;
	}
}

/* --check: report and exit 0 if tracing can work, 1 with the reason if not. */
/* Where source lines come from: --vmlinux FILE, or the release's debug vmlinux where distributions put it. */
static const char *lines_path(const struct options *o, char *buf, size_t len)
{
	return o->vmlinux ? o->vmlinux : srclines_find_vmlinux(buf, len);
}

static int do_check(struct run *r, struct offsets *off, const struct resolve_opts *ro,
		    const struct resolve_result *rr, const char *problem)
{
	static char syms[PROBES_MAX][128];
	int res[PROBES_MAX];
	char err[256], lines[512];
	struct check_report rep = { .caps = &r->s.caps, .off = off, .problem = problem };
	struct utsname u;

	uname(&u);
	rep.release = u.release;
	rep.lines_from = lines_path(&r->o, lines, sizeof(lines));
	rep.arch = u.machine;
	if (!problem) {
		session_preview(&r->s, off, true);
		rep.calibration = r->s.note[0] ? r->s.note : NULL;
		resolve_keep(off, ro, rr, err, sizeof(err));
	}
	find_symbols(syms, res);
	for (size_t i = 0; i < probe_table_len; i++)
		if (res[i] == 0)
			rep.symbols[i] = syms[i];
	if (!problem && !arch_regs_get(u.machine))
		rep.problem = "this architecture is not supported yet";
	for (size_t i = 0; i < probe_table_len && !rep.problem; i++)
		if (!rep.symbols[i] && !probe_table[i].optional)
			rep.problem = "a probed kernel function was not found in /proc/kallsyms";
	check_print(stdout, &rep, r->o.json);
	return rep.problem ? EXIT_RUNTIME : EXIT_OK;
}

/* --dry-run: the exact probe definitions and filters a run would write. */
static int do_dry_run(struct run *r, const struct offsets *off)
{
	char def[4096], filt[4096], syms[PROBES_MAX][128];
	int res[PROBES_MAX];

	session_preview(&r->s, (struct offsets *)off, false);	/* creates no probe */
	r->s.want_stack = r->o.stack;
	find_symbols(syms, res);
	printf("# instance %s, stacks: %s\n", r->s.name,
	       r->o.stack ? stack_method_name(r->s.caps.stack) : "not recorded (no --stack)");
	for (size_t i = 0; i < probe_table_len; i++) {
		const struct probe_def *p = &probe_table[i];
		const char *sym = res[i] == 0 ? syms[i] : p->symbol;
		char msym[128];

		if (p->module) {
			module_probe_name(p->module, p->symbol, msym, sizeof(msym));
			sym = msym;
		}

		if (p->role == ROLE_RESET && !probe_wanted(&r->o, p))
			continue;
		if (session_render(&r->s, p, off, sym, false, def, sizeof(def)))
			return EXIT_RUNTIME;
		printf("%s%s%s\n", def, probe_note(p) ? "   # " : "", probe_note(p) ? probe_note(p) : "");
		if (p->role == ROLE_EVIDENCE && p->filters)
			printf("# filter %s/%s: %s\n", r->s.name, p->event, p->filters[0]);
		else if (p->role == ROLE_RESET && filter_kernel(&r->o, p, filt, sizeof(filt)) == 0 && filt[0])
			printf("# filter %s/%s: %s\n", r->s.name, p->event, filt);
	}
	return EXIT_OK;
}


/*
 * TCPRST_REPLAY=DIR (test only): the pipeline over pages recorded with
 * TCPRST_RECORD_DIR, no kernel needed. Times are the recorded trace clock
 * from the epoch; symbols come from DIR/kallsyms if it was recorded.
 */
static int do_replay(struct run *r, const char *dir)
{
	struct tep_handle *tep = tep_alloc();
	char path[4096], *group = NULL;
	int ret = EXIT_RUNTIME;
	FILE *f;

	snprintf(path, sizeof(path), "%s/group", dir);
	f = fopen(path, "re");
	if (f) {
		size_t n = 0;
		if (getline(&group, &n, f) > 0)
			group[strcspn(group, "\n")] = '\0';
		fclose(f);
	}
	if (!tep || !group || !formats_load_recorded(tep, dir, group) ||
	    !decoder_init(&r->dec, tep, group)) {
		msg("TCPRST_REPLAY: %s is not a recording", dir);
		goto out;
	}
	r->p.rd = reader_open_replay(dir);
	r->p.clock_mono = true;		/* the recorded trace clock, from the epoch */
	r->p.wall_offset = 0;
	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	r->p.ks = access(path, R_OK) == 0 ? ksyms_new(path) : NULL;
	r->p.out.symctx = r->p.ks;
	r->p.out.lines = r->o.vmlinux ? srclines_new(r->o.vmlinux) : NULL;
	snprintf(path, sizeof(path), "%s/close.filtered", dir);
	r->p.close_filtered = access(path, F_OK) == 0;
	snprintf(path, sizeof(path), "%s/tcp_send_reset.format", dir);
	r->s.caps.nreasons = 0;
	f = fopen(path, "re");
	if (f) {
		static char text[65536];
		size_t n = fread(text, 1, sizeof(text) - 1, f);

		text[n] = '\0';
		caps_parse_reasons(&r->s.caps, text);
		fclose(f);
	}
	if (!r->p.rd || collector_init(&r->p.col, &r->dec, r->o.stack)) {
		msg("TCPRST_REPLAY: cannot read the pages in %s", dir);
		goto out;
	}
	if (r->o.summary || r->o.metrics_file) {
		summary_begin(&r->sum, 0, &r->kc, now_ns(CLOCK_MONOTONIC));	/* no kernel counters in a recording */
		r->p.sum = &r->sum;
	}
	ret = EXIT_OK;
	pipeline_finish(&r->p);
	if (r->p.sum)
		report(r, reader_lost(r->p.rd));
out:
	reader_close(r->p.rd);
	collector_free(&r->p.col);
	ksyms_free(r->p.ks);
	srclines_close(r->p.out.lines);
	if (tep)
		tep_free(tep);
	free(group);
	return ret;
}

int main(int argc, char **argv)
{
	timing_mark("start");
	static struct run r;
	struct mount_state mounts;
	struct offsets off;
	struct losses lost = { 0 };
	struct resolve_opts ro;
	struct resolve_result rr;
	char err[2048], bad[64];
	int ret = EXIT_RUNTIME, pf, err_no;
	bool tracing, found;
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
	if (r.o.causes) {
		output_causes(stdout, r.o.json);
		return EXIT_OK;
	}
	/*
	 * Lines go out once per pass (pipeline.c flushes); a pipe's default
	 * 4 KiB buffer made a storm's 2000 lines some 200 write() calls.
	 */
	static char outbuf[64 * 1024];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	/* test only: hide features the kernel has, to run every fallback */
	if (caps_parse_mask(getenv("TCPRST_MASK"), &mask, bad, sizeof(bad))) {
		msg("TCPRST_MASK: unknown feature '%s'", bad);
		return EXIT_USAGE;
	}
	install_signals();
	r.p.o = &r.o;
	r.p.out = (struct output){ .f = stdout, .json = r.o.json, .stack = r.o.stack,
				   .explain = r.o.explain, .sym = ksyms_lookup_plain, .caps = &r.s.caps };
	/* test only: the real pipeline over recorded pages */
	if (getenv("TCPRST_REPLAY"))
		return do_replay(&r, getenv("TCPRST_REPLAY"));
	tracefs_set_loglevel(TEP_LOG_NONE);
	mounts_snapshot(&mounts);
	session_name(r.s.name, sizeof(r.s.name));
	pf = preflight(&r.s.caps, mask, &found, err, sizeof(err));
	snprintf(r.s.caps.masked, sizeof(r.s.caps.masked), "%s",
		 getenv("TCPRST_MASK") ? getenv("TCPRST_MASK") : "");
	tracing = !pf && !r.o.check && !r.o.dry_run;
	/* a metrics file we cannot write: say so before creating anything */
	if (tracing && r.o.metrics_file && (err_no = summary_write_metrics(r.o.metrics_file, &r.sum, 0))) {
		msg("cannot write the metrics file %s: %s", r.o.metrics_file, strerror(-err_no));
		goto out;
	}
	if (tracing && r.o.cleanup_only) {
		sweep_dead_runs();
		ret = EXIT_OK;
		goto out;
	}
	/*
	 * The kernel makes our instance (most of a start) while we read the
	 * rest of what it offers and resolve the offsets.
	 */
	if (tracing)
		session_instance_start(&r.s, r.o.buffer_kb);
	if (found)
		caps_detect_fetch(&r.s.caps, mask, r.s.name);
	timing_mark("caps");
	offsets_init(&off);
	ro = (struct resolve_opts){ r.o.offsets_file, r.o.vmlinux, !pf && r.s.caps.reason_arg };
	resolve_offsets(&off, &ro, &rr);
	timing_mark("offsets");
	if (rr.problem[0])
		msg("%s", rr.problem);
	if (r.o.check) {
		ret = do_check(&r, &off, &ro, &rr, pf ? err : NULL);
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
	if (session_open(&r.s, &r.o, &off, err, sizeof(err))) {
		msg("%s", err);
		goto out;
	}
	if (r.s.note[0])
		msg("offsets neither in BTF nor calibrated (%s): the fields that need them are left out", r.s.note);
	if (r.s.degraded[0])
		msg("causes that need it degrade to unknown: %s", r.s.degraded);
	resolve_keep(&off, &ro, &rr, err, sizeof(err));
	if (err[0])
		msg("%s", err);
	timing_mark("session");
	/* what calibration in this instance may have counted is not a loss */
	session_losses(&r.s, &r.base);
	if (session_enable(&r.s, true)) {
		msg("cannot enable our probes: %s", strerror(errno));
		goto out;
	}
	if (r.o.summary || r.o.metrics_file) {
		/* after enabling: a reset counted from here on is also traced */
		kcounters_read(&r.kc);
		summary_begin(&r.sum, own_netns(), &r.kc, now_ns(CLOCK_MONOTONIC));
		r.p.sum = &r.sum;
		if (r.o.interval > 0) {
			r.p.tick = summary_tick;
			r.p.next_tick = now_ns(CLOCK_MONOTONIC) + (int64_t)(r.o.interval * 1e9);
		}
	}
	r.p.clock_mono = r.s.clock_mono;
	r.p.sync_mark = session_sync_mark;
	r.p.sync_ctx = &r.s;
	timing_mark("enable");
	pipeline_sync(&r.p);
	timing_mark("sync");
	msg("tracing TCP resets (%d probes, instance %s); Ctrl-C to end", r.s.nprobes, r.s.name);
	/*
	 * The kernel records from here on: what reading needs (formats, the
	 * decoder, the reader) comes after the start is announced, as the
	 * ring buffer keeps what happens meanwhile.
	 */
	if (session_formats(&r.s, err, sizeof(err))) {
		msg("%s", err);
		goto out;
	}
	if (!decoder_init(&r.dec, r.s.tep, r.s.name)) {
		msg("cannot find our events' formats in tracefs");
		goto out;
	}
	static struct owners owners;

	owners_init(&owners, "/proc");
	r.p.owners = &owners;
	r.p.ks = ksyms_new("/proc/kallsyms");
	char kept[160];

	resolve_boot_file("ksyms", kept, sizeof(kept));
	if (r.p.ks && kept[0])
		ksyms_keep(r.p.ks, kept);
	r.p.out.symctx = r.p.ks;
	char lpath[512];
	const char *lp = lines_path(&r.o, lpath, sizeof(lpath));

	r.p.out.lines = lp ? srclines_new(lp) : NULL;	/* it keeps a copy of the path */
	r.p.rd = reader_open(r.s.inst);
	r.p.fp_stacks = r.s.caps.stack == STACK_FP_WALK;
	r.p.close_filtered = session_probe_filtered(&r.s, "close");
	if (!r.p.ks || !r.p.rd ||
	    collector_init(&r.p.col, &r.dec, r.o.stack && r.s.caps.stack == STACK_INSTANCE_OPTION)) {
		msg("cannot open the ring buffer of our instance: %s", strerror(errno));
		goto out;
	}
	/* test-only: save formats and raw pages for the replay tests */
	const char *rec = getenv("TCPRST_RECORD_DIR");
	if (rec && (session_record_formats(&r.s, rec) || reader_record(r.p.rd, rec)))
		msg("cannot record into %s", rec);
	r.p.wall_offset = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_MONOTONIC);
	timing_mark("reader");
	/* while tracing: reading kprobe_events waits for the locks a start holds */
	sweep_dead_runs();
	if (pipeline_loop(&r.p, &exiting)) {
		msg("reading the ring buffer failed: %s", strerror(errno));
		goto out;
	}
	ret = EXIT_OK;
	/* the kernel's counters while still tracing: all it counted is traced */
	if (r.o.summary || r.o.metrics_file)
		kcounters_read(&r.kc);
	/* events already in the buffer when we stop are still reported */
	session_enable(&r.s, false);
	pipeline_finish(&r.p);
	if (rec)
		ksyms_save_used(r.p.ks, rec);
	lost_so_far(&r, &lost);
	if (r.p.sum)
		report(&r, losses_total(&lost));
	losses_print(stderr, false, &lost);
	if (r.o.json && !r.p.stdout_closed)
		losses_print(stdout, true, &lost);
	if (r.p.calib_hidden)
		msg("%ld reset(s) of another tcprst run's self-calibration (loopback, in its own "
		    "network namespace) not reported", r.p.calib_hidden);
out:
	reader_close(r.p.rd);
	collector_free(&r.p.col);
	ksyms_free(r.p.ks);
	srclines_close(r.p.out.lines);
	session_close(&r.s);
	mounts_restore(&mounts);
	return ret;
}
