/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_KPROBE_H
#define TCPRST_KPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <tracefs.h>

/* Our kprobe group and how this kernel takes probe definitions. */
struct kgroup {
	const char *name;	/* == our instance's name */
	bool dynamic_events;	/* else kprobe_events only */
	bool error_log;		/* the kernel explains a refusal */
};

/* One probe we created, for its removal. */
struct kprobe {
	char event[64];
	char symbol[128];	/* as created: may carry a .isra.N suffix */
	struct tracefs_dynevent *ev;	/* NULL on the kprobe_events path */
	bool created;
};

int kprobe_add(const struct kgroup *g, const char *event, const char *symbol,
	       const char *args, struct kprobe *kp, char *err, size_t errlen);
void kprobe_remove(const struct kgroup *g, struct kprobe *kp);
int kprobe_enable(struct tracefs_instance *inst, const struct kgroup *g, const char *event, bool on);

#endif
