/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_COLLECT_H
#define TCPRST_COLLECT_H

#include "classify.h"
#include "decode.h"

/*
 * Pairs each reset with the kernel_stack record that follows it on the
 * same CPU, keeps evidence records, and hands out finished events in
 * timestamp order once they are ripe: read before a later pass over every
 * CPU, so that whatever was written before them (their evidence, on any
 * CPU) has been read too.
 */
struct collector {
	struct decoder *dec;
	bool want_stacks;
	int ncpu;
	struct rst_event *pending;	/* one per CPU */
	int *age;			/* -1: none pending, else cycles waited */
	struct rst_event *batch;
	int nbatch, cap;
	int ripe;			/* batch[0..ripe) may be handed out */
	long long dropped_unsent;	/* entered send_reset but no RST was sent */
	long long evidence_seen;
	int marker_seq;			/* the last clock-sync marker read, 0: none */
	uint64_t marker_ts;
	struct evidence_store evidence;
};

int collector_init(struct collector *c, struct decoder *d, bool want_stacks);
void collector_begin_pass(struct collector *c);
void collector_record(void *ctx, struct tep_record *rec);
void collector_end_cycle(struct collector *c, bool final);
bool collector_waiting(const struct collector *c);
bool collector_unripe(const struct collector *c);
void collector_consume(struct collector *c, int n);
void collector_free(struct collector *c);

#endif
