/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_DECODE_H
#define TCPRST_DECODE_H

#include <event-parse.h>
#include "tcprst.h"
#include "probes.h"
#include "recfield.h"

/* What a raw record turned out to be. */
enum rec_type { REC_OTHER, REC_RESET, REC_EVIDENCE, REC_STACK, REC_MARKER };

struct decoder {
	struct tep_handle *tep;
	int nprobes;
	struct {
		int id;
		const struct probe_def *def;
		struct tep_event *e;
		struct rec_fields rf;	/* found at its first record */
	} probes[PROBES_MAX];
	int stack_id;		/* ftrace/kernel_stack, -1 if absent */
	int print_id;		/* ftrace/print (trace_marker), -1 if absent */
	struct tep_event *stack_e, *print_e;
	struct tep_format_field *stack_caller, *stack_size, *print_buf;
	/* the common fields, the same in every event: read without libtraceevent's lookups */
	struct tep_format_field *common_type, *common_pid, *common_flags;
};

/* One decoded record: a reset, an evidence record or a stack. */
struct decoded {
	struct rst_event ev;		/* REC_RESET; REC_STACK: nstack/stack only */
	struct rst_evidence evd;	/* REC_EVIDENCE */
	int marker_seq;			/* REC_MARKER: our clock-sync number; ev.ts_ns its time */
};

int decoder_init(struct decoder *d, struct tep_handle *tep, const char *group);
int formats_parse(struct tep_handle *tep, char *text, size_t len, const char *sys);
int formats_load_recorded(struct tep_handle *tep, const char *dir, const char *group);
enum rec_type decode_record(struct decoder *d, struct tep_record *rec,
			    struct decoded *out);
void rst_on_wire(struct rst_event *ev);

#endif
