/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_OUTPUT_H
#define TCPRST_OUTPUT_H

#include <stdio.h>
#include "tcprst.h"
#include "caps.h"
#include "json.h"
#include "srcline.h"

/* "func+0xoff" of a code address or NULL; *plain (if not NULL): JSON needs no escape in it */
typedef const char *(*symbolize_fn)(void *ctx, uint64_t addr, bool *plain);

struct output {
	FILE *f;
	bool json, stack, explain;
	symbolize_fn sym;
	void *symctx;
	const struct caps *caps;	/* reason names; NULL: none */
	struct srclines *lines;		/* file:line of code addresses; NULL: none */
	bool header_done;
};

const char *tcp_state_name(int state);
const char *context_name(enum rst_context c);
void tcp_flags_str(uint8_t flags, char *buf, size_t len);
void format_addr(int family, const unsigned char *a, char *buf, size_t len);
void format_time_iso(int64_t wall_ns, char *buf, size_t len);
int output_event(struct output *o, const struct rst_event *ev);
void output_causes(FILE *f, bool json);

#endif
