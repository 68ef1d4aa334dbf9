// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The process that owns a socket: its inode is read in the probe, and
 * /proc/PID/fd/N links read "socket:[INODE]" for each process holding it
 * (as ss -p finds owners). One pass over /proc per inode not seen before;
 * answers, found or not, are cached (an inode is never reused while its
 * socket lives, and a socket gone from every fd table does not come back).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "owner.h"

/**
 * owners_init() - an empty cache.
 * @o: the cache
 * @proc: the proc directory ("/proc")
 */
void owners_init(struct owners *o, const char *proc)
{
	memset(o, 0, sizeof(*o));
	o->proc = proc;
}

/* Does process @pid hold @want (its "socket:[N]" text)? */
static bool holds(int dfd, const char *pid, const char *want)
{
	char path[300], link[64];
	struct dirent *e;
	bool found = false;
	DIR *fds;
	int fd;

	snprintf(path, sizeof(path), "%s/fd", pid);
	fd = openat(dfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(fds = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (!found && (e = readdir(fds))) {
		ssize_t n = readlinkat(fd, e->d_name, link, sizeof(link) - 1);

		if (n > 0) {
			link[n] = '\0';
			found = !strcmp(link, want);
		}
	}
	closedir(fds);
	return found;
}

/* /proc/PID/comm, relative to an open proc directory; "" if gone. */
static void read_comm(int dfd, const char *pid, char *comm, size_t len)
{
	char path[300];
	int cfd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/comm", pid);
	cfd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	n = cfd >= 0 ? read(cfd, comm, len - 1) : -1;
	if (cfd >= 0)
		close(cfd);
	comm[n > 0 ? n : 0] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
}

static int scan(struct owners *o, uint64_t ino, char *comm, size_t len)
{
	char want[48];
	struct dirent *e;
	int dfd, pid = -1;
	DIR *d = opendir(o->proc);

	o->scans++;
	if (!d)
		return -1;
	dfd = dirfd(d);
	snprintf(want, sizeof(want), "socket:[%llu]", (unsigned long long)ino);
	while (pid < 0 && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || !holds(dfd, e->d_name, want))
			continue;
		pid = atoi(e->d_name);
		read_comm(dfd, e->d_name, comm, len);
	}
	closedir(d);
	return pid;
}

/* The cache slot of @ino, taking the oldest when it has none. */
static int slot(struct owners *o, uint64_t ino, bool *fresh)
{
	int i;

	for (i = 0; i < OWNERS_CACHED && o->c[i].ino != ino; i++)
		;
	*fresh = i == OWNERS_CACHED;
	if (*fresh) {
		i = o->next;
		o->next = (o->next + 1) % OWNERS_CACHED;
		o->c[i].ino = ino;
		o->c[i].pid = -1;
		o->c[i].closing = false;
	}
	return i;
}

/**
 * owner_find() - the process holding socket inode @ino, now or when first asked.
 * @o: the cache
 * @ino: the socket's inode (0: none)
 * @pid, @comm, @len: out
 * @closing: out (may be NULL): the owner was noted as the task that closed it
 *
 * Return: true if a process holds (or held, when first asked) it.
 */
bool owner_find(struct owners *o, uint64_t ino, int *pid, char *comm, size_t len, bool *closing)
{
	bool fresh;
	int i;

	if (!ino)
		return false;
	i = slot(o, ino, &fresh);
	if (fresh)
		o->c[i].pid = scan(o, ino, o->c[i].comm, sizeof(o->c[i].comm));
	if (o->c[i].pid < 0)
		return false;
	*pid = o->c[i].pid;
	snprintf(comm, len, "%s", o->c[i].comm);
	if (closing)
		*closing = o->c[i].closing;
	return true;
}

/**
 * owner_note() - remember the task that closed socket inode @ino as its owner
 * (its file is already gone from every fd table: no scan can find it).
 * @o: the cache
 * @ino: the socket's inode
 * @pid, @comm: the closing task
 */
void owner_note(struct owners *o, uint64_t ino, int pid, const char *comm)
{
	bool fresh;
	int i;

	if (!ino)
		return;
	i = slot(o, ino, &fresh);
	o->c[i].pid = pid;
	o->c[i].closing = true;
	snprintf(o->c[i].comm, sizeof(o->c[i].comm), "%s", comm);
}

/**
 * owner_comm_of() - a process's name from proc ("" if it is gone).
 * @o: the cache (its proc directory)
 * @pid: the process
 * @comm, @len: out
 */
void owner_comm_of(const struct owners *o, int pid, char *comm, size_t len)
{
	char name[16];
	int dfd = open(o->proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	comm[0] = '\0';
	if (dfd < 0)
		return;
	snprintf(name, sizeof(name), "%d", pid);
	read_comm(dfd, name, comm, len);
	close(dfd);
}
