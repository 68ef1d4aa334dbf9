/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_CLASSIFY_H
#define TCPRST_CLASSIFY_H

#include "tcprst.h"

/* What a rule asks of the evidence, beyond the caller. */
enum rule_test {
	T_ANY,
	T_NO_SOCKET,	/* the reset has no socket */
	T_STATE,	/* the socket's state at the reset is rule->state */
	T_UNREAD,	/* close() found unread bytes */
	T_LINGER2,	/* close() of a FIN_WAIT2 socket with TCP_LINGER2 < 0, nothing unread */
	T_MEMORY,	/* close() with nothing unread and TCP_LINGER2 >= 0 */
	T_DISC_BY,	/* tcp_disconnect() was called by one of rule->by */
	T_SYN_IN,	/* the answered segment has SYN */
	T_NO_SYN_IN,	/* the answered segment has no SYN */
	T_DATA_IN,	/* state rule->state and the answered segment carries data */
};

/*
 * One row of the cause table: a reset of @kind whose direct caller is one
 * of @callers and that passes @test is @cause. Rows are tried in order.
 */
struct cause_rule {
	const char *kind;
	const char *const *callers;
	enum rule_test test;
	int state;
	const char *const *by;
	const char *cause;
	const char *kernel_reason;	/* what 6.10+ passes for it, NULL if not specific */
	const char *explain;		/* what happened and what to check */
};

extern const struct cause_rule cause_rules[];
extern const size_t cause_rules_len;

/* What classification may conclude from the absence of evidence. */
struct classify_ctx {
	bool close_complete;	/* the close probe's filter is armed and nothing was lost */
};

#define EVIDENCE_SLOTS 512

/* Recent evidence records, bounded; a reset claims the one of its socket. */
struct evidence_store {
	struct rst_evidence e[EVIDENCE_SLOTS];
	int next;
	int live;		/* records not claimed yet: none, nothing to search */
};

void evidence_add(struct evidence_store *s, const struct rst_evidence *e);
bool evidence_claim(struct evidence_store *s, enum evidence_type type,
		    const struct rst_event *ev, struct rst_evidence *out);
void classify(struct rst_event *ev, const struct classify_ctx *ctx);
const char *fn_name(const char *sym, char *buf, size_t len);
bool classify_in_close(const struct rst_event *ev);
const char *cause_explain(const struct rst_event *ev, char *buf, size_t len);

#endif
