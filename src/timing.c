// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the start goes: with TCPRST_TIMING set (for the bench, not a
 * documented option), each phase of setting up prints its wall and CPU
 * milliseconds since the process started, on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "timing.h"

/**
 * timing_mark() - print "tcprst: timing WHAT WALL_MS CPU_MS" if asked.
 * @what: the phase just finished
 */
void timing_mark(const char *what)
{
	static int on = -1;
	static struct timespec t0;
	struct timespec t, c;

	if (on < 0) {
		on = getenv("TCPRST_TIMING") != NULL;
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
	if (!on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	fprintf(stderr, "tcprst: timing %-14s %7.1f ms %7.1f ms cpu\n", what,
		(t.tv_sec - t0.tv_sec) * 1e3 + (t.tv_nsec - t0.tv_nsec) / 1e6,
		c.tv_sec * 1e3 + c.tv_nsec / 1e6);
}
