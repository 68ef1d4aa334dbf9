/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_PROBES_H
#define TCPRST_PROBES_H

#include <assert.h>
#include <stddef.h>
#include "tcprst.h"
#include "offsets.h"

/*
 * A probe point and the fetch arguments it records. Field templates use
 * "%1"/"%2" for the function's first/second argument register and
 * "{name}" or "{name+N}" for an offset resolved at run time. A field whose
 * offset is unknown is left out and the decoder degrades what needs it.
 */
enum field_need { NEED_NONE, NEED_COMM, NEED_REASON };

struct probe_field {
	const char *name;
	const char *fetch;	/* template */
	const char *type;	/* u8, u16, u32, s32, x64, string */
	enum field_need need;	/* a kernel feature it needs */
};

/* What a probe's records are: a reset sent, or evidence read before one. */
enum probe_role { ROLE_RESET, ROLE_EVIDENCE };

/* Where a reset probe finds the RST's tuple. */
enum tuple_src {
	TUPLE_NONE,
	TUPLE_SOCK,	/* the socket: the RST leaves from it */
	TUPLE_SEG4,	/* the incoming IPv4 segment, reversed */
	TUPLE_SEG6,	/* the incoming IPv6 segment, reversed */
	TUPLE_SOCK_IN,	/* the socket a RST arrived at: from its peer to it */
	TUPLE_NF4,	/* the IPv4 segment a firewall rule rejected, reversed */
	TUPLE_NF6,	/* the IPv6 segment a firewall rule rejected, reversed */
};

struct probe_def {
	const char *event;	/* event name inside our group */
	const char *symbol;	/* kernel function */
	enum probe_role role;
	bool optional;		/* missing: that feature degrades, the run goes on */
	const char *kind;	/* reset probes: the kind they report */
	int family;		/* 0: both, 4 or 6: passive probes per family */
	enum tuple_src tuple;
	enum evidence_type evidence;
	const char *const *filters;	/* evidence: kernel filters to try, best first */
	const struct probe_field *fields;
	const char *module;	/* the module the function lives in, NULL: the kernel */
};

/* Probes of one run; each array sized by it is checked against the table. */
#define PROBES_MAX 10

extern const struct probe_def probe_table[];
extern const size_t probe_table_len;

const struct probe_def *probe_by_event(const char *event);
bool probe_has_field(const struct probe_def *p, const char *name);
const char *probe_note(const struct probe_def *p);

/* Register names for the first arguments of a function, per architecture. */
struct arch_regs {
	const char *arch;
	const char *arg[6];	/* the first six arguments */
	const char *fp;		/* frame pointer register */
};
const struct arch_regs *arch_regs_get(const char *arch);

#define FP_WALK_MAX 8

/* What a rendering may use: registers, offsets and the kernel's features. */
struct render_ctx {
	const struct arch_regs *regs;
	const struct offsets *off;
	bool comm;		/* $comm */
	bool xtype;		/* x8..x64 types, else u8..u64 */
	bool reason;		/* third argument enum sk_rst_reason (6.10+) */
	int fp_depth;		/* >0: fields fp1..fpN walk the frame-pointer chain */
};

int probe_render_args(const struct probe_def *p, const struct render_ctx *rc,
		      char *buf, size_t len);
int probe_render(const struct probe_def *p, const char *group,
		 const char *symbol, const struct render_ctx *rc,
		 char *buf, size_t len);

#endif
