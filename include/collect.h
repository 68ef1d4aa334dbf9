/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_COLLECT_H
#define TCPRST_COLLECT_H

#include "decode.h"

/*
 * Pairs each reset with the kernel_stack record that follows it on the
 * same CPU, and hands out finished events in timestamp order.
 */
struct collector {
	const struct decoder *dec;
	bool want_stacks;
	int ncpu;
	struct rst_event *pending;	/* one per CPU */
	int *age;			/* -1: none pending, else cycles waited */
	struct rst_event *batch;
	int nbatch, cap;
	long long dropped_unsent;	/* entered send_reset but no RST was sent */
};

int collector_init(struct collector *c, const struct decoder *d, bool want_stacks);
void collector_record(void *ctx, struct tep_record *rec);
void collector_end_cycle(struct collector *c, bool final);
bool collector_waiting(const struct collector *c);
void collector_free(struct collector *c);

#endif
