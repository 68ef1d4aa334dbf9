/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_SUMMARY_H
#define TCPRST_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tcprst.h"

/* The kernel's own counters beside what tcprst saw (per network namespace). */
#define KCOUNTERS 8
#define SUMMARY_KEYS 256	/* distinct keys kept per table; the rest is "other" */
#define SUMMARY_CAUSES 32

struct kcounters {
	bool ok;
	long long v[KCOUNTERS];
};

struct sum_key {
	char key[80];
	long long n;
};

struct sum_table {
	int n;
	long long other;	/* counted after the table was full */
	struct sum_key k[SUMMARY_KEYS];
};

struct summary {
	int64_t start_ns;		/* CLOCK_MONOTONIC */
	uint32_t netns;			/* our namespace's inode: whose counters */
	struct kcounters base;
	long long resets, in_netns;	/* all, and those sent in our namespace */
	long long received;		/* of them, not TCP's: received (--received) or a firewall's */
	bool netns_known;		/* every reset had its netns */
	struct sum_table causes, local, remote, callers;
};

extern const char *const kcounter_names[KCOUNTERS];

int kcounters_parse(const char *snmp, const char *netstat, struct kcounters *k);
int kcounters_read(struct kcounters *k);
void summary_begin(struct summary *s, uint32_t netns, const struct kcounters *base, int64_t now_ns);
void summary_add(struct summary *s, const struct rst_event *ev, const char *caller);
void summary_print(FILE *f, bool json, const struct summary *s, const struct kcounters *now,
		   long long lost, bool filtered, int64_t now_ns);

void summary_metrics(FILE *f, const struct summary *s, long long lost);
int summary_write_metrics(const char *path, const struct summary *s, long long lost);

#endif
