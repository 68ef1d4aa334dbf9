// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reads what the running kernel offers into struct caps, once: what making
 * our instance needs before it (caps_detect()), the rest while the kernel
 * makes it (caps_detect_fetch()). Files are only read; where the README does
 * not list the fetch arguments (3.10), a harmless trial probe in our own
 * group tells.
 */
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "capsmask.h"
#include "kprobe.h"
#include "session.h"

static bool exists(const char *dir, const char *file)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* <debugfs>/tracing, mounting debugfs if needed (mounts.c undoes it). */
static int debugfs_tracing(char *out, size_t len)
{
	struct mntent *e;
	FILE *f = setmntent("/proc/mounts", "re");
	char dir[512] = "";

	while (f && (e = getmntent(f)))
		if (!strcmp(e->mnt_type, "debugfs")) {
			snprintf(dir, sizeof(dir), "%s", e->mnt_dir);
			break;
		}
	if (f)
		endmntent(f);
	if (!dir[0]) {
		if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL))
			return -1;
		snprintf(dir, sizeof(dir), "/sys/kernel/debug");
	}
	snprintf(out, len, "%s/tracing", dir);
	return exists(out, "trace") ? 0 : -1;
}

/* The kernel's clocksource: on a stable one our instance keeps its default clock. */
static void read_clocksource(struct caps *c)
{
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "re");

	c->clocksource[0] = '\0';
	if (f) {
		if (fgets(c->clocksource, sizeof(c->clocksource), f))
			c->clocksource[strcspn(c->clocksource, "\n")] = '\0';
		fclose(f);
	}
}

/* Would the kernel accept this fetch argument? Create and remove a probe. */
static bool trial(const char *group, const char *arg)
{
	struct kgroup g = { group, false, false };	/* only where README is silent: old kernels */
	struct kprobe kp;
	char args[128];

	snprintf(args, sizeof(args), "t=%s", arg);
	if (kprobe_add(&g, "trial", "tcp_send_active_reset", args, &kp, NULL, 0))
		return false;
	kprobe_remove(&g, &kp);
	return true;
}

/**
 * caps_detect() - where tracing is and what our instance needs to be made,
 * with TCPRST_MASK applied: the tracing directory, its control files, the
 * clocksource and whether the kernel passes a reset reason.
 * @c: filled (cleared first)
 * @mask: features to hide (MASK_*)
 *
 * Only what must come before the instance's mkdir is read here: the rest
 * (caps_detect_fetch()) is read while the kernel makes it.
 *
 * Return: 0, or -1 if no tracing directory can be reached.
 */
int caps_detect(struct caps *c, unsigned mask)
{
	const char *dir = NULL;
	char *text;
	int len = 0;

	memset(c, 0, sizeof(*c));
	if (!(mask & MASK_TRACEFS))
		dir = tracefs_tracing_dir();	/* mounts tracefs if it can */
	if (dir && exists(dir, "trace")) {
		snprintf(c->tracing_dir, sizeof(c->tracing_dir), "%s", dir);
	} else if (debugfs_tracing(c->tracing_dir, sizeof(c->tracing_dir)) == 0) {
		tracefs_set_tracing_dir(c->tracing_dir);
	} else {
		return -1;
	}
	c->via_debugfs = strstr(c->tracing_dir, "/debug/tracing") != NULL;
	c->dynamic_events = exists(c->tracing_dir, "dynamic_events") && !(mask & MASK_DYNAMIC_EVENTS);
	c->error_log = exists(c->tracing_dir, "error_log") && !(mask & MASK_ERROR_LOG);
	c->no_mono = mask & MASK_CLOCK;
	read_clocksource(c);
	/* a format read waits for event_mutex, which the instance's mkdir holds */
	if (!(mask & MASK_REASON)) {
		text = tracefs_event_file_read(NULL, "tcp", "tcp_send_reset", "format", &len);
		c->reason_arg = caps_parse_reasons(c, text) > 0;
		free(text);
	}
	return 0;
}

/**
 * caps_detect_fetch() - the fetch arguments, instance options and stack
 * method the kernel offers, with TCPRST_MASK applied.
 * @c: found by caps_detect()
 * @mask: features to hide (MASK_*)
 * @group: our kprobe group, for trials
 *
 * Reads the README, which needs no lock the instance's mkdir holds; only
 * where it is silent (3.10) do the trial probes wait for it.
 */
void caps_detect_fetch(struct caps *c, unsigned mask, const char *group)
{
	char *text = mask & MASK_README ? NULL : tracefs_instance_file_read(NULL, "README", NULL);

	caps_from_readme(c, text);
	free(text);
	if (!c->readme_args && exists(c->tracing_dir, "kprobe_events")) {
		c->fetch_comm = trial(group, "$comm");
		c->fetch_xtype = trial(group, "%di:x64") || trial(group, "%x0:x64");
	}
	if (mask & MASK_COMM) c->fetch_comm = false;
	if (mask & MASK_XTYPE) c->fetch_xtype = false;
	if (mask & MASK_ARGN) c->fetch_argn = false;
	if (mask & MASK_ARRAY) c->fetch_array = false;
	if (mask & MASK_BTFARGS) c->fetch_btfargs = false;

	/* instances' options/ is known once ours exists; the top level hints */
	c->instance_options = !(mask & MASK_INSTANCE_OPTIONS);
	c->triggers = !(mask & MASK_TRIGGERS);
	c->stack = c->instance_options ? STACK_INSTANCE_OPTION : STACK_FP_WALK;
}
