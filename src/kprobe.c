// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one way tcprst creates and removes a kprobe: libtracefs' dynevent
 * API where the kernel has dynamic_events, else a line appended to
 * kprobe_events. A function the kernel knows only as a compiler-made copy
 * (.isra.N, .constprop.N) is retried under that name; a refusal is
 * explained with the kernel's error_log where it has one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kprobe.h"
#include "ksyms.h"
#include "session.h"

static int create(const struct kgroup *g, struct kprobe *kp, const char *args)
{
	char line[8192];

	kp->ev = NULL;
	if (g->dynamic_events) {
		struct tracefs_dynevent *d = tracefs_kprobe_alloc(g->name, kp->event, kp->symbol, args);

		if (!d || tracefs_dynevent_create(d)) {
			int e = errno;
			tracefs_dynevent_free(d);
			errno = e;
			return -1;
		}
		kp->ev = d;
		return 0;
	}
	snprintf(line, sizeof(line), "p:%s/%s %s %s", g->name, kp->event, kp->symbol, args);
	return tracefs_instance_file_append(NULL, "kprobe_events", line) > 0 ? 0 : -1;
}

/*
 * error_log holds "[ts] trace_kprobe: error: <reason>" then the command and
 * a caret line: keep the reason, so the message stays one sentence.
 */
static const char *error_line(char *klog)
{
	char *p = klog ? strstr(klog, "error: ") : NULL;

	if (!p)
		return NULL;
	p += strlen("error: ");
	p[strcspn(p, "\n")] = '\0';
	return *p ? p : NULL;
}

/**
 * kprobe_add() - create a probe in our group.
 * @g: our group
 * @event: event name in the group
 * @symbol: the kernel function
 * @args: fetch arguments
 * @kp: filled (event, the symbol used, handle)
 * @err, @errlen: one sentence on failure (may be NULL)
 *
 * Return: 0, or -1 with errno set and @err filled.
 */
int kprobe_add(const struct kgroup *g, const char *event, const char *symbol,
	       const char *args, struct kprobe *kp, char *err, size_t errlen)
{
	char variant[128];

	memset(kp, 0, sizeof(*kp));
	snprintf(kp->event, sizeof(kp->event), "%s", event);
	snprintf(kp->symbol, sizeof(kp->symbol), "%s", symbol);
	if (create(g, kp, args) == 0)
		return kp->created = true, 0;
	int e = errno;
	char *klog = g->error_log ? tracefs_error_last(NULL) : NULL;

	/* the plain name may exist only as a .isra/.constprop copy (not MOD:SYM) */
	if (!strchr(symbol, ':') && ksym_find_variant("/proc/kallsyms", symbol, variant, sizeof(variant)) == 0 &&
	    strcmp(variant, symbol)) {
		snprintf(kp->symbol, sizeof(kp->symbol), "%s", variant);
		if (create(g, kp, args) == 0) {
			free(klog);
			return kp->created = true, 0;
		}
		e = errno;
		free(klog);
		klog = g->error_log ? tracefs_error_last(NULL) : NULL;
	}
	if (err) {
		const char *ld = lockdown_forbids_tracing();
		const char *why = error_line(klog);

		if (ld)
			snprintf(err, errlen, "the kernel refused the kprobe on %s: the kernel is locked down (%s), which forbids kprobe events; boot without lockdown to use tcprst", kp->symbol, ld);
		else
			snprintf(err, errlen, "the kernel refused the kprobe on %s (%s)%s%s", kp->symbol,
				 strerror(e), why ? ": " : "", why ? why : "");
	}
	free(klog);
	errno = e;
	return -1;
}

/**
 * kprobe_remove() - remove a probe made by kprobe_add(); idempotent.
 * @g: our group
 * @kp: the probe
 */
void kprobe_remove(const struct kgroup *g, struct kprobe *kp)
{
	char line[300];

	if (!kp->created)
		return;
	if (kp->ev) {
		tracefs_dynevent_destroy(kp->ev, false);
		tracefs_dynevent_free(kp->ev);
		kp->ev = NULL;
	} else {
		snprintf(line, sizeof(line), "-:%s/%s", g->name, kp->event);
		tracefs_instance_file_append(NULL, "kprobe_events", line);
	}
	kp->created = false;
}

/**
 * kprobe_enable() - enable or disable one of our events in an instance,
 * or all of them.
 * @inst: the instance
 * @g: our group
 * @event: the event, NULL for the whole group (one write; the kernel
 *         still arms each, and fails the write if any fails)
 * @on: enable or disable
 *
 * Writes the event's (or group's) own enable file: tracefs_event_enable()
 * matches group and event as regexes over every events directory (some
 * 300 stat() calls per event on a 6.1 VM).
 *
 * Return: 0, or -1 (errno set).
 */
int kprobe_enable(struct tracefs_instance *inst, const struct kgroup *g, const char *event, bool on)
{
	char path[256];

	if (event)
		return tracefs_event_file_write(inst, g->name, event, "enable", on ? "1" : "0") > 0 ? 0 : -1;
	snprintf(path, sizeof(path), "events/%s/enable", g->name);
	return tracefs_instance_file_write(inst, path, on ? "1" : "0") > 0 ? 0 : -1;
}
