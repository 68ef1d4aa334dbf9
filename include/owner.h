/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_OWNER_H
#define TCPRST_OWNER_H

#include <stdbool.h>
#include <stdint.h>

#define OWNERS_CACHED 64

/* Which process holds a socket, found as ss -p does: through /proc/PID/fd. */
struct owners {
	const char *proc;	/* "/proc" (a directory of the same shape in tests) */
	int next;
	struct {
		uint64_t ino;	/* 0: empty */
		int pid;	/* -1: no process holds it (any more) */
		bool closing;	/* pid is the task that closed it */
		char comm[16];
	} c[OWNERS_CACHED];
	long scans;		/* full passes over proc, for the tests */
};

void owners_init(struct owners *o, const char *proc);
bool owner_find(struct owners *o, uint64_t ino, int *pid, char *comm, size_t len, bool *closing);
void owner_note(struct owners *o, uint64_t ino, int pid, const char *comm);
void owner_comm_of(const struct owners *o, int pid, char *comm, size_t len);

#endif
