// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Turns the record stream of each CPU into finished events (pure).
 *
 * The stacktrace option writes the stack right after the event, on the
 * same CPU; a reader can catch the buffer between the two, so an event
 * waits one read cycle for its stack before it is given up.
 *
 * Evidence (close() or tcp_disconnect() entry) is written before its reset
 * but may sit on another CPU, read earlier in the same pass than it was
 * written: a reset is handed out only after one more pass over every CPU.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"

int collector_init(struct collector *c, struct decoder *d, bool want_stacks)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	memset(c, 0, sizeof(*c));
	c->dec = d;
	c->want_stacks = want_stacks;
	c->ncpu = n > 0 ? (int)n : 1;
	c->pending = calloc(c->ncpu, sizeof(*c->pending));
	c->age = malloc(c->ncpu * sizeof(*c->age));
	if (!c->pending || !c->age)
		return -1;
	for (int i = 0; i < c->ncpu; i++)
		c->age[i] = -1;
	return 0;
}

static void finish(struct collector *c, const struct rst_event *ev)
{
	if (!ev->sent) {
		c->dropped_unsent++;
		return;
	}
	if (c->nbatch == c->cap) {
		int cap = c->cap ? c->cap * 2 : 16;
		struct rst_event *b = realloc(c->batch, cap * sizeof(*b));

		if (!b)
			return;	/* out of memory: the event is lost, not the run */
		c->batch = b;
		c->cap = cap;
	}
	c->batch[c->nbatch++] = *ev;
}

/*
 * A stack taken at function entry on a frame-pointer kernel skips the
 * direct caller (4.14: tcp_send_active_reset, tcp_close, ... without
 * tcp_disconnect). $stack0 names it: put it back, only where it is missing.
 */
static void insert_caller(struct rst_event *ev)
{
	if (!ev->caller || ev->nstack < 1 || (ev->nstack > 1 && ev->stack[1] == ev->caller))
		return;
	if (ev->nstack == MAX_STACK)
		ev->nstack--;
	memmove(&ev->stack[2], &ev->stack[1], (ev->nstack - 1) * sizeof(ev->stack[0]));
	ev->stack[1] = ev->caller;
	ev->nstack++;
}

/**
 * collector_begin_pass() - before each pass over every CPU: what was read
 * before it becomes ripe.
 * @c: the collector
 */
void collector_begin_pass(struct collector *c)
{
	c->ripe = c->nbatch;
}

/**
 * collector_record() - feed one raw record (a record_fn).
 * @ctx: the collector
 * @rec: the record
 */
void collector_record(void *ctx, struct tep_record *rec)
{
	struct collector *c = ctx;
	int cpu = rec->cpu;
	static struct decoded d;	/* a reset is large: not on the stack */

	if (cpu < 0 || cpu >= c->ncpu)
		return;
	switch (decode_record(c->dec, rec, &d)) {
	case REC_RESET:
		if (c->age[cpu] >= 0)
			finish(c, &c->pending[cpu]);
		if (!c->want_stacks) {
			finish(c, &d.ev);
			c->age[cpu] = -1;
			break;
		}
		c->pending[cpu] = d.ev;
		c->age[cpu] = 0;
		break;
	case REC_STACK:
		if (c->age[cpu] < 0)
			break;
		c->pending[cpu].nstack = d.ev.nstack;
		memcpy(c->pending[cpu].stack, d.ev.stack, d.ev.nstack * sizeof(d.ev.stack[0]));
		insert_caller(&c->pending[cpu]);
		finish(c, &c->pending[cpu]);
		c->age[cpu] = -1;
		break;
	case REC_EVIDENCE:
		evidence_add(&c->evidence, &d.evd);
		c->evidence_seen++;
		break;
	case REC_MARKER:
		/* the newest: a sync's tries may sit on two CPUs, read in any order */
		if (d.marker_seq > c->marker_seq) {
			c->marker_seq = d.marker_seq;
			c->marker_ts = d.ev.ts_ns;
		}
		break;
	default:
		break;
	}
}

static int by_ts(const void *a, const void *b)
{
	const struct rst_event *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

/**
 * collector_end_cycle() - after a pass over all CPUs: release events that
 * waited long enough for a stack (all of them if @final), sort the ripe
 * ones (all of them if @final: nothing is written any more).
 * @c: the collector
 * @final: the last cycle
 */
void collector_end_cycle(struct collector *c, bool final)
{
	for (int i = 0; i < c->ncpu; i++) {
		if (c->age[i] < 0)
			continue;
		if (final || c->age[i] >= 1) {
			finish(c, &c->pending[i]);
			c->age[i] = -1;
		} else {
			c->age[i]++;
		}
	}
	if (final)
		c->ripe = c->nbatch;
	/* nothing collected yet: batch is NULL, which qsort must not get (fuzzing
	 * found it); a storm on one CPU comes in order: no sort (1.3 KB events) */
	for (int i = 1; i < c->ripe; i++) {
		if (c->batch[i - 1].ts_ns > c->batch[i].ts_ns) {
			qsort(c->batch, c->ripe, sizeof(*c->batch), by_ts);
			break;
		}
	}
}

/**
 * collector_unripe() - whether events wait for one more pass.
 * @c: the collector
 */
bool collector_unripe(const struct collector *c)
{
	return c->nbatch > c->ripe;
}

/**
 * collector_consume() - drop the first @n ripe events once handed out.
 * @c: the collector
 * @n: at most c->ripe
 */
void collector_consume(struct collector *c, int n)
{
	memmove(c->batch, c->batch + n, (c->nbatch - n) * sizeof(*c->batch));
	c->nbatch -= n;
	c->ripe -= n;
}


/**
 * collector_waiting() - whether an event still waits for its stack.
 * @c: the collector
 */
bool collector_waiting(const struct collector *c)
{
	for (int i = 0; i < c->ncpu; i++)
		if (c->age[i] >= 0)
			return true;
	return false;
}

void collector_free(struct collector *c)
{
	free(c->pending);
	free(c->age);
	free(c->batch);
	memset(c, 0, sizeof(*c));
}
