// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Turns the record stream of each CPU into finished events (pure).
 *
 * The stacktrace option writes the stack right after the event, on the
 * same CPU; a reader can catch the buffer between the two, so an event
 * waits one read cycle for its stack before it is given up.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"

int collector_init(struct collector *c, const struct decoder *d, bool want_stacks)
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

/**
 * collector_record() - feed one raw record (a record_fn).
 * @ctx: the collector
 * @rec: the record
 */
void collector_record(void *ctx, struct tep_record *rec)
{
	struct collector *c = ctx;
	int cpu = rec->cpu;
	struct rst_event ev;

	if (cpu < 0 || cpu >= c->ncpu)
		return;
	switch (decode_record(c->dec, rec, &ev)) {
	case REC_RESET:
		if (c->age[cpu] >= 0)
			finish(c, &c->pending[cpu]);
		if (!c->want_stacks) {
			finish(c, &ev);
			c->age[cpu] = -1;
			break;
		}
		c->pending[cpu] = ev;
		c->age[cpu] = 0;
		break;
	case REC_STACK:
		if (c->age[cpu] < 0)
			break;
		c->pending[cpu].nstack = ev.nstack;
		memcpy(c->pending[cpu].stack, ev.stack, ev.nstack * sizeof(ev.stack[0]));
		finish(c, &c->pending[cpu]);
		c->age[cpu] = -1;
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
 * collector_end_cycle() - after a drain of all CPUs: release events that
 * waited long enough for a stack (all of them if @final), sort the batch.
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
	qsort(c->batch, c->nbatch, sizeof(*c->batch), by_ts);
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
