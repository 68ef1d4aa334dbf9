// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pure parts of capability detection: the tracefs README's feature list,
 * the sk_rst_reason table of the tcp_send_reset format (read, never
 * enabled), and the test-only mask. The probing itself is in session.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "capsmask.h"

static const struct { const char *name; unsigned bit; } mask_names[] = {
	{ "tracefs", MASK_TRACEFS }, { "dynamic_events", MASK_DYNAMIC_EVENTS },
	{ "error_log", MASK_ERROR_LOG }, { "readme", MASK_README },
	{ "comm", MASK_COMM }, { "xtype", MASK_XTYPE }, { "argn", MASK_ARGN },
	{ "array", MASK_ARRAY }, { "btfargs", MASK_BTFARGS },
	{ "instance_options", MASK_INSTANCE_OPTIONS }, { "triggers", MASK_TRIGGERS },
	{ "reason", MASK_REASON }, { "clock", MASK_CLOCK },
	/* the legacy profile: features as on 3.10 and 4.14 */
	{ "legacy", MASK_COMM | MASK_ARGN | MASK_TRIGGERS | MASK_INSTANCE_OPTIONS |
		    MASK_DYNAMIC_EVENTS | MASK_ERROR_LOG | MASK_README | MASK_XTYPE |
		    MASK_ARRAY | MASK_BTFARGS | MASK_REASON | MASK_CLOCK },
};

/**
 * caps_parse_mask() - parse TCPRST_MASK, a comma-separated feature list.
 * @mask: the text (NULL or empty: nothing masked)
 * @bits: the result
 * @bad, @badlen: receives an unknown name
 *
 * Return: 0, or -1 for an unknown name.
 */
int caps_parse_mask(const char *mask, unsigned *bits, char *bad, size_t badlen)
{
	char buf[256], *save = NULL;

	*bits = 0;
	if (!mask || !*mask)
		return 0;
	snprintf(buf, sizeof(buf), "%s", mask);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(mask_names) / sizeof(mask_names[0]); i++)
			if (!strcmp(t, mask_names[i].name))
				break;
		if (i == sizeof(mask_names) / sizeof(mask_names[0])) {
			snprintf(bad, badlen, "%s", t);
			return -1;
		}
		*bits |= mask_names[i].bit;
	}
	return 0;
}

/**
 * caps_from_readme() - fetch-arg features from the tracefs README text.
 * @c: caps; readme_args and the fetch_* flags are set
 * @readme: the README's text (NULL: unknown, all false)
 */
void caps_from_readme(struct caps *c, const char *readme)
{
	const char *fa = readme ? strstr(readme, "fetcharg:") : NULL;

	c->readme_args = fa != NULL;
	if (!fa)
		return;
	c->fetch_comm = strstr(fa, "$comm") != NULL;
	c->fetch_argn = strstr(fa, "$arg<N>") != NULL;
	c->fetch_btfargs = strstr(fa, "<argname>") != NULL;
	c->fetch_xtype = strstr(fa, "x8/16/32/64") != NULL;
	c->fetch_array = strstr(fa, "<array-size>") != NULL;
}

/**
 * caps_parse_reasons() - the sk_rst_reason names of this kernel.
 * @c: caps; reasons/nreasons are filled
 * @format: text of events/tcp/tcp_send_reset/format
 *
 * The numbers change between releases, so the table is read from the
 * running kernel: `__print_symbolic(REC->reason, { 0, "NOT_SPECIFIED" }, ...)`.
 *
 * Return: number of names, 0 if the kernel has no reason.
 */
int caps_parse_reasons(struct caps *c, const char *format)
{
	const char *p = format ? strstr(format, "__print_symbolic(REC->reason") : NULL;

	c->nreasons = 0;
	if (!p)
		return 0;
	p = strchr(p, ',');
	while (p && c->nreasons < MAX_REASONS) {
		char name[40];
		unsigned v;
		int n = 0;

		p = strchr(p, '{');
		if (!p || sscanf(p, "{ %u , \"%39[^\"]\" }%n", &v, name, &n) != 2 || !n)
			break;
		if (v < MAX_REASONS) {
			for (char *q = name; *q; q++)
				*q = (char)tolower((unsigned char)*q);
			snprintf(c->reasons[v], sizeof(c->reasons[v]), "%s", name);
			if ((int)v + 1 > c->nreasons)
				c->nreasons = (int)v + 1;
		}
		p += n;
		while (*p == ' ')
			p++;
		if (*p != ',')
			break;
	}
	return c->nreasons;
}

/**
 * caps_reason_name() - the name of a reason value, NULL if unknown.
 * @c: caps
 * @value: the enum value fetched from the third argument
 */
const char *caps_reason_name(const struct caps *c, unsigned value)
{
	if (value >= (unsigned)c->nreasons || !c->reasons[value][0])
		return NULL;
	return c->reasons[value];
}

const char *stack_method_name(enum stack_method m)
{
	switch (m) {
	case STACK_INSTANCE_OPTION: return "instance option stacktrace";
	case STACK_FP_WALK: return "frame-pointer walk in fetch args";
	default: return "none";
	}
}

/**
 * clocksource_stable() - does this clocksource mean a stable sched_clock?
 * @name: the current clocksource (sysfs), without its newline
 *
 * The x86 TSC is the clocksource only while the kernel trusts it
 * (synchronised across CPUs, constant rate; else it marks it unstable and
 * switches to hpet or acpi_pm), and then sched_clock() reads it too: the
 * instance's default "local" trace clock is one clock on every CPU. So is
 * arm64's architected counter. Any other (hpet, kvm-clock, xen, ...):
 * no promise, mono or global is set instead.
 *
 * Return: true for tsc and arch_sys_counter.
 */
bool clocksource_stable(const char *name)
{
	return name && (!strcmp(name, "tsc") || !strcmp(name, "arch_sys_counter"));
}

/**
 * trace_clock_pick() - the trace clock to use, from an instance's
 * trace_clock file ("[local] global counter ... mono ...").
 * @available: its text (NULL: unknown)
 * @no_mono: treat mono as absent (test mask)
 *
 * mono is CLOCK_MONOTONIC: wall time is one offset away. Without it (3.10)
 * global is monotonic across CPUs and is mapped to wall time through a
 * trace_marker write timed against clock_gettime (see pipeline.c).
 *
 * Return: "mono", "global" or "local".
 */
const char *trace_clock_pick(const char *available, bool no_mono)
{
	const char *p;

	for (p = available; p && (p = strstr(p, "mono")); p += 4)
		if ((p == available || p[-1] == ' ' || p[-1] == '[') &&
		    (p[4] == ' ' || p[4] == ']' || p[4] == '\n' || !p[4]) && !no_mono)
			return "mono";
	for (p = available; p && (p = strstr(p, "global")); p += 6)
		if ((p == available || p[-1] == ' ' || p[-1] == '['))
			return "global";
	return "local";
}
