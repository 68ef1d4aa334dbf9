/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_CAPS_H
#define TCPRST_CAPS_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_REASONS 64

/* How stacks are captured on this kernel. */
enum stack_method {
	STACK_NONE,
	STACK_INSTANCE_OPTION,	/* options/stacktrace of our instance */
	STACK_FP_WALK,		/* frame-pointer chain through fetch args */
};

/*
 * What the running kernel offers, read once. Every other module asks this
 * struct, never the version number. TCPRST_MASK (test only) hides features
 * the kernel has, so that each fallback runs on the kernels of the suite.
 */
struct caps {
	char tracing_dir[512];
	bool via_debugfs;	/* tracing reached through <debugfs>/tracing */
	bool dynamic_events;	/* else kprobe_events only */
	bool error_log;
	bool readme_args;	/* README lists fetch args (else: trials) */
	bool fetch_comm, fetch_xtype, fetch_argn, fetch_array, fetch_btfargs;
	bool instance_options;	/* per-instance options/ directory */
	bool triggers;
	enum stack_method stack;
	bool reason_arg;	/* 6.10+: enum sk_rst_reason third argument */
	bool no_mono;		/* TCPRST_MASK=clock: treat the mono trace clock as absent */
	char clocksource[32];	/* the kernel's current clocksource, "" if unknown */
	char clock[16];		/* our instance's trace clock: local if clocksource_stable(), else mono, else global */
	int nreasons;
	char reasons[MAX_REASONS][40];	/* value -> lower-case name */
	char masked[256];	/* TCPRST_MASK as applied */
};

int caps_parse_mask(const char *mask, unsigned *bits, char *bad, size_t badlen);
void caps_from_readme(struct caps *c, const char *readme);
int caps_parse_reasons(struct caps *c, const char *format);
const char *caps_reason_name(const struct caps *c, unsigned value);
const char *stack_method_name(enum stack_method m);
const char *trace_clock_pick(const char *available, bool no_mono);
bool clocksource_stable(const char *name);

#endif
