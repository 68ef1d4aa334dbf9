/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_LOSSES_H
#define TCPRST_LOSSES_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Events the kernel could not hand us: overwritten in our ring buffer
 * before we read them (per_cpu/cpuN/stats "overrun", and the pages' own
 * missed-events marks) and dropped by it ("dropped events"). Not
 * kprobe_profile's "missed" column: 5.10 raised it by one or two per hit
 * of a probe whose every event was read (seen in the suite's storm).
 */
struct losses {
	long long overrun;	/* sum over CPUs, since tracing began */
	long long dropped;
	long long pages;	/* what the pages we read marked as missed */
};

int losses_parse_stats(const char *text, long long *overrun, long long *dropped);
long long losses_total(const struct losses *l);
void losses_print(FILE *f, bool json, const struct losses *l);

#endif
