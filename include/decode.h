/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_DECODE_H
#define TCPRST_DECODE_H

#include <event-parse.h>
#include "tcprst.h"
#include "probes.h"

/* What a raw record turned out to be. */
enum rec_type { REC_OTHER, REC_RESET, REC_STACK };

struct decoder {
	struct tep_handle *tep;
	int nprobes;
	struct {
		int id;
		const struct probe_def *def;
	} probes[8];
	int stack_id;		/* ftrace/kernel_stack, -1 if absent */
};

int decoder_init(struct decoder *d, struct tep_handle *tep, const char *group);
enum rec_type decode_record(const struct decoder *d, struct tep_record *rec,
			    struct rst_event *ev);

#endif
