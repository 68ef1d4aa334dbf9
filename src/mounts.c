// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libtracefs mounts tracefs (or debugfs) when it finds none. We leave the
 * system as we found it: whatever was not mounted before is unmounted.
 */
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "mounts.h"

static void scan(struct mount_state *m, char paths[2][256])
{
	struct mntent *e;
	FILE *f = setmntent("/proc/mounts", "re");

	memset(m, 0, sizeof(*m));
	if (!f)
		return;
	while ((e = getmntent(f))) {
		if (!strcmp(e->mnt_type, "tracefs") && !m->tracefs) {
			m->tracefs = true;
			if (paths)
				snprintf(paths[0], 256, "%s", e->mnt_dir);
		} else if (!strcmp(e->mnt_type, "debugfs") && !m->debugfs) {
			m->debugfs = true;
			if (paths)
				snprintf(paths[1], 256, "%s", e->mnt_dir);
		}
	}
	endmntent(f);
}

/**
 * mounts_snapshot() - note which of tracefs and debugfs are mounted.
 * @m: the state
 */
void mounts_snapshot(struct mount_state *m)
{
	scan(m, NULL);
}

/**
 * mounts_restore() - unmount tracefs/debugfs if they were not mounted before.
 * @before: the snapshot taken before libtracefs was first used
 */
void mounts_restore(const struct mount_state *before)
{
	struct mount_state now;
	char paths[2][256] = { "", "" };

	scan(&now, paths);
	/* tracefs first: it may sit under debugfs/tracing */
	if (now.tracefs && !before->tracefs)
		umount2(paths[0], MNT_DETACH);
	if (now.debugfs && !before->debugfs)
		umount2(paths[1], MNT_DETACH);
}
