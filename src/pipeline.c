// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event loop's work, from raw records to printed lines. Kernel-free
 * apart from what the reader and the symbol table read, so that a replay
 * of recorded pages runs through exactly this code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calib.h"
#include "classify.h"
#include "filter.h"
#include "pipeline.h"

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A frame-pointer walk on a kernel without frame pointers reads junk. */
static void keep_text_frames(struct ksyms *ks, struct rst_event *ev)
{
	int n = 0;

	for (int i = 0; i < ev->nstack; i++)
		if (ksyms_lookup(ks, ev->stack[i]))
			ev->stack[n++] = ev->stack[i];
	ev->nstack = n;
}

/* Queue an address for the batch's one kallsyms pass. */
static void want_symbol(struct pipeline *p, uint64_t *addrs, int *n, int max, uint64_t a)
{
	if (!a || !p->ks || ksyms_lookup(p->ks, a))
		return;
	if (*n == max) {
		ksyms_prefetch(p->ks, addrs, *n);
		*n = 0;
	}
	addrs[(*n)++] = a;
}

/*
 * Claim each ripe event's evidence, then resolve the batch's new addresses
 * (callers, tcp_disconnect's callers, stacks where printed or walked) in
 * one kallsyms pass, not one per event.
 */
static void enrich(struct pipeline *p, int n)
{
	struct collector *c = &p->col;
	bool stacks = p->o->stack;
	uint64_t addrs[1024];
	int na = 0;

	ksyms_trim(p->ks);
	for (int i = 0; i < n; i++) {
		struct rst_event *ev = &c->batch[i];

		/* evidence is of resets this host decides (a received one is its peer's) */
		if (ev->tuple == TUPLE_SOCK) {
			evidence_claim(&c->evidence, EVID_CLOSE, ev, &ev->ev_close);
			evidence_claim(&c->evidence, EVID_DISCONNECT, ev, &ev->ev_disc);
		} else if (ev->tuple == TUPLE_SEG4 || ev->tuple == TUPLE_SEG6) {
			evidence_claim(&c->evidence, EVID_CT_INVALID, ev, &ev->ev_ct);
		}
		/* another run's calibration is not this host's traffic */
		bool calib = calib_own_reset(ev);

		p->calib_hidden += calib;
		ev->hidden = calib || !filter_match(p->o, ev);
		if (ev->hidden)
			continue;
		want_symbol(p, addrs, &na, 1024, ev->caller);
		want_symbol(p, addrs, &na, 1024, ev->ev_disc.caller);
		for (int k = 0; stacks && k < ev->nstack; k++)
			want_symbol(p, addrs, &na, 1024, ev->stack[k]);
	}
	if (na)
		ksyms_prefetch(p->ks, addrs, na);
}

/*
 * The socket's owner: the process holding its file; or, for a reset sent
 * inside close() while the file was still being released (read at the
 * reset, or at close() entry when the socket is orphaned first), the task in
 * whose context close() ran: it dropped the last reference (gone from
 * every fd table by then, so /proc cannot name it). Remembered for later
 * resets of the same inode.
 */
static void name_owner(struct owners *os, struct rst_event *ev)
{
	if (owner_find(os, ev->ino, &ev->owner_pid, ev->owner_comm, sizeof(ev->owner_comm),
		       &ev->owner_closing))
		return;
	bool file = ev->has_file || (ev->ev_close.type == EVID_CLOSE && ev->ev_close.has_file);

	if (!file || ev->context != CTX_PROCESS || !ev->pid || !classify_in_close(ev))
		return;
	ev->owner_pid = ev->pid;
	ev->owner_closing = true;
	if (ev->has_comm)
		snprintf(ev->owner_comm, sizeof(ev->owner_comm), "%s", ev->comm);
	else
		owner_comm_of(os, ev->pid, ev->owner_comm, sizeof(ev->owner_comm));
	owner_note(os, ev->ino, ev->owner_pid, ev->owner_comm);
}

/* Print the ripe events of the last pass; false when the run should end. */
static bool flush(struct pipeline *p)
{
	struct collector *c = &p->col;
	struct classify_ctx cctx = {
		.close_complete = p->close_filtered && !reader_lost(p->rd),
	};
	char fn1[128], fn2[128];
	bool more = true;
	int n = c->ripe, i;

	enrich(p, n);
	for (i = 0; i < n && more; i++) {
		struct rst_event *ev = &c->batch[i];

		if (ev->hidden)
			continue;
		/* a trace clock not yet mapped: stamped when read (said by --check) */
		ev->wall_ns = p->clock_mono || p->sync.done ? (int64_t)ev->ts_ns + p->wall_offset
							    : now_ns(CLOCK_REALTIME);
		ev->caller_fn = fn_name(ksyms_lookup(p->ks, ev->caller), fn1, sizeof(fn1));
		ev->disc_caller_fn = fn_name(ksyms_lookup(p->ks, ev->ev_disc.caller), fn2, sizeof(fn2));
		classify(ev, &cctx);
		if (p->owners)
			name_owner(p->owners, ev);
		if (p->fp_stacks && p->ks)
			keep_text_frames(p->ks, ev);
		if (p->sum)
			summary_add(p->sum, ev, ksyms_lookup(p->ks, ev->caller));
		if (!p->o->summary && output_event(&p->out, ev)) {
			p->stdout_closed = true;
			more = false;
			break;
		}
		if (p->o->count && ++p->printed >= p->o->count)
			more = false;
	}
	/* once per pass, not per line: a storm's lines go out in few writes */
	if (n && !p->o->summary && fflush(p->out.f)) {
		p->stdout_closed = true;
		more = false;
	}
	collector_consume(c, n);
	return more;
}

#define RESYNC_NS (30 * 1000000000LL)
#define SYNC_TRIES 4
#define SYNC_WINDOW_NS 1000000LL	/* a marker's write not preempted takes µs */

/**
 * pipeline_sync() - map a trace clock other than mono to wall time: write
 * a marker into our buffer, timed against CLOCK_REALTIME; its record's
 * timestamp gives the offset when it is read. The offset is uncertain by
 * half the time the write took: a write preempted (or a vCPU left waiting)
 * is tried again, up to SYNC_TRIES, and the last marker counts. Again
 * every 30 s, so that drift stays small. Nothing to do for mono.
 * @p: the pipeline
 */
void pipeline_sync(struct pipeline *p)
{
	int64_t w0, w1;
	int i;

	if (p->clock_mono || !p->sync_mark)
		return;
	for (i = 0; i < SYNC_TRIES; i++) {
		w0 = now_ns(CLOCK_REALTIME);
		if (p->sync_mark(p->sync_ctx, p->sync.seq + 1))
			return;
		w1 = now_ns(CLOCK_REALTIME);
		p->sync.seq++;
		p->sync.wall = w0 + (w1 - w0) / 2;
		if (w1 - w0 <= SYNC_WINDOW_NS)
			break;
	}
	p->sync.next = now_ns(CLOCK_MONOTONIC) + RESYNC_NS;
}

/* One pass over every CPU's buffer, then hand out what is ripe; the number of records read. */
static int pass(struct pipeline *p, bool final, bool *more)
{
	int got;

	collector_begin_pass(&p->col);
	if ((got = reader_drain(p->rd, collector_record, &p->col)) < 0)
		return -1;
	if (p->sync.seq && p->col.marker_seq == p->sync.seq) {
		p->wall_offset = p->sync.wall - (int64_t)p->col.marker_ts;
		p->sync.done = true;
	}
	collector_end_cycle(&p->col, final);
	*more = flush(p);
	return got;
}

/*
 * After a pass that found records, let more gather before the next: in a
 * storm the kernel wakes us for every record, and a read per record (a
 * syscall and a page copied for a record or two) cost more than the
 * record's decoding. A lone reset is printed at most this much later.
 */
#define GATHER_NS (10 * 1000000L)

/**
 * pipeline_loop() - read, classify and print until the run ends.
 * @p: the pipeline, its source open
 * @exiting: set by signals
 *
 * Ends on a signal, --duration, --count or a closed stdout.
 *
 * Return: 0, or -1 if reading the source failed (errno set).
 */
int pipeline_loop(struct pipeline *p, volatile sig_atomic_t *exiting)
{
	int64_t deadline = p->o->duration > 0 ?
		now_ns(CLOCK_MONOTONIC) + (int64_t)(p->o->duration * 1e9) : 0;
	bool more = true;
	int got = 0;

	while (!*exiting && more) {
		int timeout = -1;

		if (got > 0 && !reader_backlog(p->rd)) {
			struct timespec gather = { 0, GATHER_NS };

			nanosleep(&gather, NULL);	/* a signal ends it early */
		}

		if (deadline) {
			int64_t left = deadline - now_ns(CLOCK_MONOTONIC);
			if (left <= 0)
				break;
			timeout = (int)(left / 1000000) + 1;
		}
		/* an event waiting for its stack: come back soon */
		if (collector_waiting(&p->col) && (timeout < 0 || timeout > 50))
			timeout = 50;
		/* events waiting for one more pass, or pages not read yet: at once */
		if (collector_unripe(&p->col) || reader_backlog(p->rd))
			timeout = 0;
		/* bounded wait: some kernels wake pollers only at a watermark */
		if (timeout < 0 || timeout > 500)
			timeout = 500;
		if (reader_wait(p->rd, timeout, fileno(p->out.f), &p->stdout_closed) < 0 &&
		    errno != EINTR)
			return -1;
		if (p->stdout_closed)
			break;
		if (p->sync.seq && now_ns(CLOCK_MONOTONIC) >= p->sync.next)
			pipeline_sync(p);
		if (p->tick && now_ns(CLOCK_MONOTONIC) >= p->next_tick) {
			p->tick(p, false);
			/* every page, then one more pass: all that was sent before the counters is ripe */
			do {
				if (pass(p, false, &more) < 0)
					return -1;
			} while (reader_backlog(p->rd));
			if (pass(p, false, &more) < 0)
				return -1;
			p->tick(p, true);
			p->next_tick += (int64_t)(p->o->interval * 1e9);
		}
		if ((got = pass(p, false, &more)) < 0)
			return -1;
	}
	return 0;
}

/**
 * pipeline_finish() - after the probes are disabled: report what is still
 * in the buffers (unless the run ended by --count or a closed stdout).
 * @p: the pipeline
 */
void pipeline_finish(struct pipeline *p)
{
	bool more;

	do {
		if (p->stdout_closed || (p->o->count && p->printed >= p->o->count))
			return;
	} while (pass(p, true, &more) >= 0 && reader_backlog(p->rd));
}
