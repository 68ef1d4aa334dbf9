// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * This run's instance and kprobe group, the only things it changes in
 * tracefs besides a dead run's leftovers (runs.c): created, enabled and
 * removed here. Nothing global is touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "calib.h"
#include "decode.h"
#include "filter.h"
#include "ksyms.h"
#include "losses.h"
#include "modules.h"
#include "session.h"
#include "timing.h"

/**
 * lockdown_level() - the active kernel lockdown level.
 *
 * Return: "integrity" or "confidentiality", or NULL when not locked down.
 */
const char *lockdown_level(void)
{
	static char buf[128];
	bool mounted = false;
	char *l, *r;
	FILE *f;

	f = fopen("/sys/kernel/security/lockdown", "re");
	/* securityfs may be unmounted (no systemd): mount it just to look */
	if (!f && errno == ENOENT &&
	    mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL) == 0) {
		mounted = true;
		f = fopen("/sys/kernel/security/lockdown", "re");
	}
	l = f ? fgets(buf, sizeof(buf), f) : NULL;
	if (f)
		fclose(f);
	if (mounted)
		umount2("/sys/kernel/security", MNT_DETACH);
	if (!l || !(l = strchr(buf, '[')) || !(r = strchr(l, ']')))
		return NULL;
	*r = '\0';
	return strcmp(l + 1, "none") ? l + 1 : NULL;
}

/**
 * lockdown_forbids_tracing() - the lockdown level if it forbids tracefs and
 * kprobes. Only "confidentiality" does (LOCKDOWN_KPROBES and
 * LOCKDOWN_TRACEFS lie beyond LOCKDOWN_INTEGRITY_MAX); "integrity" does not,
 * so it must not be blamed.
 *
 * Return: "confidentiality", or NULL.
 */
const char *lockdown_forbids_tracing(void)
{
	const char *ld = lockdown_level();

	return ld && !strcmp(ld, "confidentiality") ? ld : NULL;
}

/**
 * session_render() - a probe definition for this kernel.
 * @s: the session (name, caps)
 * @p: the probe
 * @off: resolved offsets
 * @symbol: the kernel symbol
 * @args_only: only the fetch arguments
 * @buf, @len: output
 *
 * Return: 0, or a negative errno.
 */
int session_render(const struct session *s, const struct probe_def *p,
		   const struct offsets *off, const char *symbol, bool args_only,
		   char *buf, size_t len)
{
	struct utsname u;
	struct render_ctx rc = {
		.off = off, .comm = s->caps.fetch_comm, .xtype = s->caps.fetch_xtype,
		.reason = s->caps.reason_arg,
		.fp_depth = s->want_stack && s->caps.stack == STACK_FP_WALK ? FP_WALK_MAX : 0,
	};

	uname(&u);
	rc.regs = arch_regs_get(u.machine);
	if (!rc.regs)
		return -ENOTSUP;
	return args_only ? probe_render_args(p, &rc, buf, len)
			 : probe_render(p, s->name, symbol, &rc, buf, len);
}

/*
 * Test only: fail at the set-up step TCPRST_TEST_FAIL names (instance,
 * probes, formats, enable), with what was made so far left for the one
 * cleanup path to remove.
 */
static bool injected(const char *step)
{
	const char *want = getenv("TCPRST_TEST_FAIL");

	if (!want || strcmp(want, step))
		return false;
	errno = EIO;
	return true;
}

static int create_probe(struct session *s, const struct probe_def *p,
			const struct offsets *off, char *err, size_t errlen)
{
	char args[4096];
	int i = s->nprobes;

	if (session_render(s, p, off, p->symbol, true, args, sizeof(args)))
		return snprintf(err, errlen, "probe %s is too long", p->event), -1;
	/* test only: make the kernel refuse the last reset probe, after others exist */
	const char *extra = getenv("TCPRST_TEST_BAD_FETCH");
	if (extra && p == &probe_table[2] && strlen(args) + strlen(extra) + 2 < sizeof(args)) {
		strcat(args, " ");
		strcat(args, extra);
	}
	if (kprobe_add(&s->group, p->event, p->symbol, args, &s->probes[i].kp, err, errlen))
		return -1;
	s->probes[i].def = p;
	s->nprobes++;
	return 0;
}

/* A user's filter on a reset probe; a refused one only costs speed. */
static void set_user_filter(struct session *s, const struct options *o, int i)
{
	char f[4096];

	if (filter_kernel(o, s->probes[i].def, f, sizeof(f)) || !f[0])
		return;
	tracefs_event_file_write(s->inst, s->name, s->probes[i].def->event, "filter", f);
}

/*
 * An evidence probe's own filter, the first this kernel accepts. Without
 * one it would record every call: then it is removed (its feature
 * degrades) rather than cost a record per close() of the host.
 */
static bool set_evidence_filter(struct session *s, int i)
{
	const struct probe_def *p = s->probes[i].def;

	if (!p->filters)
		return true;
	for (const char *const *f = p->filters; *f; f++)
		if (tracefs_event_file_write(s->inst, s->name, p->event, "filter", *f) > 0)
			return s->probes[i].filtered = true;
	return false;
}

static void note_degraded(struct session *s, const char *what, const char *why)
{
	size_t n = strlen(s->degraded);

	snprintf(s->degraded + n, sizeof(s->degraded) - n, "%s%s: %s", n ? "; " : "", what, why);
}

/* Remove probe @i, keeping the others in order. */
static void drop_probe(struct session *s, int i)
{
	kprobe_remove(&s->group, &s->probes[i].kp);
	memmove(&s->probes[i], &s->probes[i + 1], (s->nprobes - i - 1) * sizeof(s->probes[0]));
	s->nprobes--;
}

/*
 * Optional probes: evidence, and reset probes on a module's function
 * (firewall resets: MOD:SYM, which the kernel arms when the module loads
 * if it is not loaded yet). An evidence probe needs every field it is
 * filtered on. A kernel that refuses one costs its feature only.
 */
static void create_optional_probe(struct session *s, const struct probe_def *p,
				  const struct offsets *off)
{
	char args[4096], sym[128], err[512];

	module_probe_name(p->module, p->symbol, sym, sizeof(sym));
	if (session_render(s, p, off, p->symbol, true, args, sizeof(args)))
		return note_degraded(s, sym, "probe too long");
	for (const char *const *f = p->filters; f && *f; f++)
		for (const struct probe_field *fl = p->fields; fl->name; fl++)
			if (strstr(*f, fl->name) && !strstr(args, fl->name))
				return note_degraded(s, sym, "the offsets its filter needs are unknown");
	if (kprobe_add(&s->group, p->event, sym, args, &s->probes[s->nprobes].kp,
		       err, sizeof(err)))
		return note_degraded(s, sym, "the kernel refused the probe");
	s->probes[s->nprobes].def = p;
	s->probes[s->nprobes].filtered = false;
	s->nprobes++;
}

static int parse_format(struct tep_handle *tep, const char *sys, const char *event)
{
	int len = 0;
	char *text = tracefs_event_file_read(NULL, sys, event, "format", &len);
	int r = text && formats_parse(tep, text, (size_t)len, sys) == 0 ? 0 : -1;

	free(text);
	return r;
}

/*
 * Only our events and ftrace/kernel_stack: libtracefs' loaders would also
 * read all of kallsyms, saved_cmdlines and printk_formats (megabytes and
 * most of the start-up time) for nothing we use.
 */
static struct tep_handle *load_formats(struct session *s)
{
	struct tep_handle *tep = tep_alloc();

	if (!tep)
		return NULL;
	tep_set_long_size(tep, sizeof(long));
	tep_set_page_size(tep, getpagesize());
	for (int i = 0; i < s->nprobes; i++) {
		if (parse_format(tep, s->name, s->probes[i].def->event)) {
			tep_free(tep);
			return NULL;
		}
	}
	/* (each format read costs ~2 ms of an emulated start: only those used) */
	if (s->want_stack && s->caps.stack == STACK_INSTANCE_OPTION)
		parse_format(tep, "ftrace", "kernel_stack");	/* stacks are optional */
	if (!s->clock_mono)
		parse_format(tep, "ftrace", "print");		/* clock-sync markers */
	return tep;
}

/**
 * session_sync_mark() - write a clock-sync marker into our instance.
 * @ctx: the session
 * @seq: its number, read back by the pipeline
 *
 * Return: 0 or -1.
 */
int session_sync_mark(void *ctx, int seq)
{
	struct session *s = ctx;

	/* libtracefs returns 0 on success (not a byte count), -1 on error */
	return tracefs_printf(s->inst, "tcprst-sync %d\n", seq) < 0 ? -1 : 0;
}

/*
 * Instances have their own options/ from 4.14 (not on 3.10): stacks then
 * come from the instance's stacktrace option (enabled if @enable), else
 * from a frame-pointer walk in the probes' fetch arguments.
 */
static void decide_stacks(struct session *s, struct tracefs_instance *inst, bool enable)
{
	if (s->caps.instance_options && (!tracefs_dir_exists(inst, "options") ||
	    (enable && tracefs_option_enable(inst, TRACEFS_OPTION_STACKTRACE))))
		s->caps.instance_options = false;
	s->caps.stack = s->caps.instance_options ? STACK_INSTANCE_OPTION : STACK_FP_WALK;
}

/**
 * session_open() - create our instance and probes, ready to enable.
 * @s: the session, zeroed by the caller (its instance perhaps being made
 *     already: session_instance_start())
 * @o: options (for -4/-6 and kernel filters)
 * @off: resolved offsets
 * @err, @errlen: one sentence on failure
 *
 * On failure whatever was created is left in @s for session_close().
 *
 * Return: 0 or -1.
 */
int session_open(struct session *s, const struct options *o,
		 struct offsets *off, char *err, size_t errlen)
{
	struct utsname u;

	uname(&u);
	if (!arch_regs_get(u.machine))
		return snprintf(err, errlen, "architecture %s is not supported yet", u.machine), -1;
	s->group = (struct kgroup){ s->name, s->caps.dynamic_events, s->caps.error_log };
	s->want_stack = o->stack;
	/* made in the background if session_instance_start() was called */
	if (session_instance_wait(s, o->buffer_kb, err, errlen))
		return -1;
	if (injected("instance"))
		return snprintf(err, errlen, "cannot set up ftrace instance %s: injected failure", s->name), -1;
	/*
	 * Stacks, only when asked (a stack costs a record and its symbols):
	 * the instance's own stacktrace option where instances have options
	 * (never the trigger, which on 4.14 writes to the top-level buffer);
	 * else a frame-pointer walk in the probes' fetch arguments.
	 */
	decide_stacks(s, s->inst, o->stack);

	/* no BTF (or an incomplete one): calibrate what is missing */
	if (offsets_missing(off) && calibrate(&s->group, s->inst, off, s->note, sizeof(s->note)) < 0 &&
	    !s->note[0])
		snprintf(s->note, sizeof(s->note), "self-calibration could not run");

	for (size_t i = 0; i < probe_table_len; i++) {
		const struct probe_def *p = &probe_table[i];

		if (p->role == ROLE_EVIDENCE) {
			create_optional_probe(s, p, off);
			continue;
		}
		if (!probe_wanted(o, p))
			continue;
		if (p->module) {
			create_optional_probe(s, p, off);
			continue;
		}
		if (create_probe(s, p, off, err, errlen))
			return -1;
	}
	timing_mark("probes");
	if (injected("probes"))
		return snprintf(err, errlen, "cannot create the probes: injected failure after %d", s->nprobes), -1;
	for (int i = 0; i < s->nprobes; i++) {
		if (s->probes[i].def->role == ROLE_RESET) {
			set_user_filter(s, o, i);
		} else if (!set_evidence_filter(s, i)) {
			note_degraded(s, s->probes[i].def->symbol, "the kernel refused its filter");
			drop_probe(s, i--);
		}
	}
	return 0;
}

/**
 * session_formats() - read the formats of our events, to decode records.
 * @s: the session, its probes made
 * @err, @errlen: one sentence on failure
 *
 * Nothing here is needed to record: main() reads them once the probes are
 * enabled and tracing is announced, so that what it costs (~2 ms a format
 * under QEMU) is not part of the start; the ring buffer keeps the events.
 *
 * Return: 0 or -1.
 */
int session_formats(struct session *s, char *err, size_t errlen)
{
	s->tep = injected("formats") ? NULL : load_formats(s);
	if (!s->tep)
		return snprintf(err, errlen, "cannot read the formats of our events: %s",
				strerror(errno)), -1;
	timing_mark("formats");
	return 0;
}

/**
 * session_probe_filtered() - whether a probe of ours runs with its filter.
 * @s: the session
 * @event: its event name
 */
bool session_probe_filtered(const struct session *s, const char *event)
{
	for (int i = 0; i < s->nprobes; i++)
		if (!strcmp(s->probes[i].def->event, event))
			return s->probes[i].filtered;
	return false;
}

/**
 * session_preview() - for --check and --dry-run: in a throw-away instance
 * of ours, decide the stack method and, if asked, calibrate what is missing.
 * @s: the session (name and caps set, nothing created)
 * @off: offsets to complete
 * @calibrate_missing: run self-calibration for unknown offsets
 *
 * Return: 0, or -1 if the instance could not be created.
 */
int session_preview(struct session *s, struct offsets *off, bool calibrate_missing)
{
	s->inst = tracefs_instance_create(s->name);
	if (!s->inst || !tracefs_instance_is_new(s->inst)) {
		tracefs_instance_free(s->inst);
		s->inst = NULL;
		s->caps.instance_options = false;
		s->caps.stack = STACK_FP_WALK;
		return -1;
	}
	decide_stacks(s, s->inst, false);
	session_set_clock(s, s->inst);
	s->group = (struct kgroup){ s->name, s->caps.dynamic_events, s->caps.error_log };
	if (calibrate_missing && offsets_missing(off))
		calibrate(&s->group, s->inst, off, s->note, sizeof(s->note));
	tracefs_instance_destroy(s->inst);
	tracefs_instance_free(s->inst);
	s->inst = NULL;
	return 0;
}

/**
 * session_enable() - enable or disable our events in our instance.
 * @s: the session
 * @on: enable or disable
 *
 * Return: 0 or -1 (errno set).
 */
int session_enable(struct session *s, bool on)
{
	int ret = 0;

	/* one write for the group; probe by probe only if it fails (to do what can be done) */
	if (s->nprobes && !(on && injected("enable")) &&
	    !kprobe_enable(s->inst, &s->group, NULL, on))
		return 0;
	for (int i = 0; i < s->nprobes; i++) {
		if (kprobe_enable(s->inst, &s->group, s->probes[i].def->event, on))
			ret = -1;
		if (on && i == 0 && injected("enable"))	/* half enabled */
			return -1;
	}
	return ret;
}

/**
 * session_losses() - what the kernel counted as lost in our buffer.
 * @s: the session
 * @l: filled (overrun, dropped); pages is left alone
 */
void session_losses(const struct session *s, struct losses *l)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	char *text;

	l->overrun = l->dropped = 0;
	for (long cpu = 0; s->inst && cpu < ncpu; cpu++) {
		char path[64];
		long long o, d;

		snprintf(path, sizeof(path), "per_cpu/cpu%ld/stats", cpu);
		text = tracefs_instance_file_read(s->inst, path, NULL);
		if (text && !losses_parse_stats(text, &o, &d)) {
			l->overrun += o;
			l->dropped += d;
		}
		free(text);
	}
}

/*
 * tracefs unmounted under the run (umount -l): the instance and probes are
 * still in the kernel, only out of reach. Mount it again where only we
 * look, point libtracefs there, and remove them from there; @tmp is left
 * naming the mount to undo, "" if none was needed or possible. Judged by
 * the directory our things were made under, not by libtracefs' current
 * one: asked again, libtracefs may mount tracefs at a new place of its own
 * (seen on 5.10 with debugfs unmounted), which our instance is not under.
 */
static void reach_tracefs(struct session *s, char *tmp, size_t len)
{
	const char *dir = s->caps.tracing_dir[0] ? s->caps.tracing_dir : tracefs_tracing_dir();
	char path[4096], trdir[4200];

	tmp[0] = '\0';
	snprintf(path, sizeof(path), "%s/kprobe_events", dir ? dir : "/nonexistent");
	if (!s->inst_created && !s->nprobes)
		return;
	if (access(path, F_OK) == 0)
		return;
	snprintf(tmp, len, "/tmp/tcprst-tracefs-XXXXXX");
	if (!mkdtemp(tmp)) {
		tmp[0] = '\0';
		return;
	}
	snprintf(trdir, sizeof(trdir), "%s", tmp);
	if (mount("nodev", tmp, "tracefs", 0, NULL)) {	/* before 4.1: debugfs only */
		snprintf(trdir, sizeof(trdir), "%s/tracing", tmp);
		if (mount("nodev", tmp, "debugfs", 0, NULL)) {
			rmdir(tmp);
			tmp[0] = '\0';
			return;
		}
	}
	tracefs_set_tracing_dir(trdir);
	if (s->inst) {
		tracefs_instance_free(s->inst);
		s->inst = tracefs_instance_alloc(trdir, s->name);
	}
	fprintf(stderr, "tcprst: tracefs was unmounted while tracing: removing what this run made through a private mount\n");
}

/**
 * session_close() - remove everything the session created; idempotent.
 * @s: the session
 */
void session_close(struct session *s)
{
	char tmp[64];

	if (s->mk.started)	/* an exit before session_open() */
		session_instance_wait(s, 0, tmp, sizeof(tmp));
	reach_tracefs(s, tmp, sizeof(tmp));
	if (s->inst) {
		session_enable(s, false);
		tracefs_print_close(s->inst);	/* its trace_marker, if a sync opened it */
		if (s->inst_created)
			tracefs_instance_destroy(s->inst);
		tracefs_instance_free(s->inst);
		s->inst = NULL;
	}
	for (int i = s->nprobes - 1; i >= 0; i--)
		kprobe_remove(&s->group, &s->probes[i].kp);
	s->nprobes = 0;
	if (s->tep) {
		tep_free(s->tep);
		s->tep = NULL;
	}
	s->inst_created = false;
	if (tmp[0]) {
		umount2(tmp, MNT_DETACH);
		rmdir(tmp);
	}
}

static int save(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || !text || fputs(text, f) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

/**
 * session_record_formats() - save what a replay of this run needs.
 * @s: the session
 * @dir: an existing directory
 *
 * Writes group (our group's name), <event>.format per probe,
 * kernel_stack.format, tcp_send_reset.format (the reason names, where the
 * kernel has them) and close.filtered if the close probe runs filtered.
 *
 * Return: 0 or -1.
 */
int session_record_formats(struct session *s, const char *dir)
{
	int ret = save(dir, "group", s->name);
	char *text, name[128];

	for (int i = 0; i < s->nprobes; i++) {
		text = tracefs_event_file_read(NULL, s->name, s->probes[i].def->event, "format", NULL);
		snprintf(name, sizeof(name), "%s.format", s->probes[i].def->event);
		ret |= save(dir, name, text);
		free(text);
	}
	text = tracefs_event_file_read(NULL, "ftrace", "kernel_stack", "format", NULL);
	ret |= save(dir, "kernel_stack.format", text);
	free(text);
	text = tracefs_event_file_read(NULL, "ftrace", "print", "format", NULL);
	ret |= save(dir, "print.format", text);
	free(text);
	text = tracefs_event_file_read(NULL, "tcp", "tcp_send_reset", "format", NULL);
	if (text && strstr(text, "REC->reason"))
		ret |= save(dir, "tcp_send_reset.format", text);
	free(text);
	if (session_probe_filtered(s, "close"))
		ret |= save(dir, "close.filtered", "yes\n");
	return ret;
}
