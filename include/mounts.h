/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_MOUNTS_H
#define TCPRST_MOUNTS_H

#include <stdbool.h>

/* tracefs/debugfs mounts that existed before we ran, to undo only ours. */
struct mount_state {
	bool tracefs, debugfs;
};

void mounts_snapshot(struct mount_state *m);
void mounts_restore(const struct mount_state *before);

#endif
