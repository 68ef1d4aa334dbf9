/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_PIPELINE_H
#define TCPRST_PIPELINE_H

#include <signal.h>
#include "collect.h"
#include "ksyms.h"
#include "output.h"
#include "summary.h"
#include "owner.h"
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
	/* other trace clocks: a marker written at a known wall time maps them */
	int (*sync_mark)(void *ctx, int seq);
	void *sync_ctx;
	struct {
		int seq;		/* the marker waited for, 0: none */
		int64_t wall;		/* when it was written */
		int64_t next;		/* CLOCK_MONOTONIC: when to sync again */
		bool done;		/* wall_offset maps the trace clock */
	} sync;
	bool fp_stacks;			/* frame-pointer walk: drop frames outside text */
	bool close_filtered;		/* the close probe keeps only what its filter passes */
	long printed;
	struct summary *sum;		/* --summary: count instead of printing */
	struct owners *owners;		/* names sockets' owners; NULL: not (replay) */
	/* --interval: read the kernel's counters (@print false), then, once every
	 * reset sent before is read, print the summary so far (@print true) */
	void (*tick)(struct pipeline *p, bool print);
	int64_t next_tick;		/* CLOCK_MONOTONIC */
	long calib_hidden;		/* resets of a tcprst run's calibration, not reported */
	bool stdout_closed;
};

void pipeline_sync(struct pipeline *p);
int pipeline_loop(struct pipeline *p, volatile sig_atomic_t *exiting);
void pipeline_finish(struct pipeline *p);

#endif
