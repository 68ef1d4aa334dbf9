// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs by name: each run's instance and kprobe group are called
 * tcprst_<pidns>_<pid>_<starttime>, so that a later run can tell a dead
 * run's leftovers (its pid gone, or reused by a process started later) from
 * a live run's, and remove only those. A run of another PID namespace (a
 * container's, or the host's seen from one) has pids this one cannot look
 * up: it is never taken for dead, and two runs of different namespaces
 * never share a name.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session.h"

#define PREFIX "tcprst_"

/* Process start time in clock ticks since boot (field 22 of /proc/PID/stat). */
static unsigned long long start_time(int pid)
{
	char path[64], buf[1024];
	unsigned long long st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');	/* comm may contain spaces */
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
				"%*u %*u %*d %*d %*d %*d %*d %*d %llu", &st) != 1)
			st = 0;
	}
	fclose(f);
	return st;
}

/* Our PID namespace's inode (0 if /proc cannot say, as before 3.8). */
static unsigned long long pid_ns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/**
 * session_name() - the name of this run's instance and kprobe group.
 * @buf, @len: output, "tcprst_<pidns>_<pid>_<starttime>"
 */
void session_name(char *buf, size_t len)
{
	int pid = getpid();

	snprintf(buf, len, PREFIX "%llu_%d_%llu", pid_ns(), pid, start_time(pid));
}

/*
 * A name of ours whose process is gone (or whose pid was reused), in our
 * PID namespace. Names without a namespace are of tcprst before it had
 * them, judged as then.
 */
static bool is_dead_run(const char *name)
{
	unsigned long long st, ns;
	int pid, n = 0;

	if (sscanf(name, PREFIX "%llu_%d_%llu%n", &ns, &pid, &st, &n) == 3 && !name[n])
		return ns == pid_ns() && start_time(pid) != st;
	n = 0;
	if (sscanf(name, PREFIX "%d_%llu%n", &pid, &st, &n) != 2 || name[n])
		return false;
	return start_time(pid) != st;
}

/* What one cleanup pass removed, and what it could not. */
struct sweep {
	int removed;
	int left;
	char why[512];		/* the first leftover and the reason */
};

static void sweep_left(struct sweep *sw, const char *what, const char *name, int err)
{
	if (!sw->left++)
		snprintf(sw->why, sizeof(sw->why), "%s %s (%s%s)", what, name, strerror(err),
			 err == EBUSY ? ": the dead run's buffers are still open" : "");
}

static int remove_dead_instance(const char *name, void *ctx)
{
	struct sweep *sw = ctx;
	struct tracefs_instance *inst;

	if (!is_dead_run(name))
		return 0;
	inst = tracefs_instance_alloc(NULL, name);
	if (inst && tracefs_instance_destroy(inst) == 0)
		sw->removed++;
	else
		sweep_left(sw, "instance", name, errno);
	tracefs_instance_free(inst);
	return 0;
}

/* One pass: instances first (a probe enabled in an instance cannot go). */
static void sweep_once(struct sweep *sw)
{
	char *list, *save = NULL;

	tracefs_instances_walk(remove_dead_instance, sw);
	/* kprobe_events exists on every kernel, with or without dynamic_events */
	list = tracefs_instance_file_read(NULL, "kprobe_events", NULL);
	for (char *l = list ? strtok_r(list, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		char grp[128], ev[128], cmd[300], name[260];

		/* "p:GROUP/EVENT SYMBOL ARGS" */
		if (sscanf(l, "%*[pr]:%127[^/]/%127s", grp, ev) != 2 ||
		    strncmp(grp, PREFIX, strlen(PREFIX)) || !is_dead_run(grp))
			continue;
		snprintf(cmd, sizeof(cmd), "-:%s/%s", grp, ev);
		snprintf(name, sizeof(name), "%s/%s", grp, ev);
		if (tracefs_instance_file_append(NULL, "kprobe_events", cmd) > 0)
			sw->removed++;
		else
			sweep_left(sw, "probe", name, errno);
	}
	free(list);
}

/**
 * cleanup_dead_runs() - remove instances and probes of dead tcprst runs.
 * @removed: incremented per instance or probe removed
 * @left, @len: receives what could not be removed and why, or ""
 *
 * A run killed with SIGKILL cannot clean up; its names tell us it is dead.
 * Live runs' names are left alone. Right after the kill its buffers may
 * still be open (busy): such leftovers are retried for up to a second, and
 * only what still remains then is reported.
 *
 * Return: 0, or -1 if some leftover remains.
 */
int cleanup_dead_runs(int *removed, char *left, size_t len)
{
	struct sweep sw;

	for (int attempt = 0; attempt < 6; attempt++) {
		memset(&sw, 0, sizeof(sw));
		sweep_once(&sw);
		*removed += sw.removed;
		if (!sw.left)
			break;
		usleep(200 * 1000);
	}
	left[0] = '\0';
	if (!sw.left)
		return 0;
	snprintf(left, len, "%d leftover(s) of dead runs remain, e.g. %s; a later run or tcprst --cleanup removes them",
		 sw.left, sw.why);
	return -1;
}

