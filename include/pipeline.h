/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_PIPELINE_H
#define TCPRST_PIPELINE_H

#include <signal.h>
#include "collect.h"
#include "ksyms.h"
#include "output.h"
#include "reader.h"

/*
 * One run's way from raw records to printed lines: collect (decode, pair
 * stacks, keep evidence) -> filter once -> enrich (time, symbols, evidence)
 * -> classify -> output. The source is the live ring buffer or a replay.
 */
struct pipeline {
	const struct options *o;
	struct reader *rd;
	struct collector col;
	struct ksyms *ks;		/* NULL: addresses stay hex */
	struct output out;
	bool clock_mono;		/* ts is CLOCK_MONOTONIC: wall = ts + wall_offset */
	int64_t wall_offset;
	bool fp_stacks;			/* frame-pointer walk: drop frames outside text */
	bool close_filtered;		/* the close probe keeps only what its filter passes */
	long printed;
	bool stdout_closed;
};

int pipeline_loop(struct pipeline *p, volatile sig_atomic_t *exiting);
void pipeline_finish(struct pipeline *p);

#endif
