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

static int scan(struct owners *o, uint64_t ino, char *comm, size_t len)
{
	char want[48], path[300];
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
		snprintf(path, sizeof(path), "%s/comm", e->d_name);
		int cfd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
		ssize_t n = cfd >= 0 ? read(cfd, comm, len - 1) : -1;

		if (cfd >= 0)
			close(cfd);
		comm[n > 0 ? n : 0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
	}
	closedir(d);
	return pid;
}

/**
 * owner_find() - the process holding socket inode @ino, now or when first asked.
 * @o: the cache
 * @ino: the socket's inode (0: none)
 * @pid, @comm, @len: out
 *
 * Return: true if a process holds (or held, when first asked) it.
 */
bool owner_find(struct owners *o, uint64_t ino, int *pid, char *comm, size_t len)
{
	int i;

	if (!ino)
		return false;
	for (i = 0; i < OWNERS_CACHED && o->c[i].ino != ino; i++)
		;
	if (i == OWNERS_CACHED) {
		i = o->next;
		o->next = (o->next + 1) % OWNERS_CACHED;
		o->c[i].ino = ino;
		o->c[i].pid = scan(o, ino, o->c[i].comm, sizeof(o->c[i].comm));
	}
	if (o->c[i].pid < 0)
		return false;
	*pid = o->c[i].pid;
	snprintf(comm, len, "%s", o->c[i].comm);
	return true;
}
