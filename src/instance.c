// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Our ftrace instance, made (its directory, its clock, its buffer) in a
 * thread of its own while main() resolves the offsets. Making it is kernel
 * work, most of a start (the instance's directory of every event, then the
 * clock's buffer reset and its synchronize_rcu); the offsets are work in
 * user space that needs none of it, so the two overlap on two CPUs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "timing.h"

#define THREAD_STACK (256 * 1024)	/* under a huge page's 2 MiB */

/**
 * session_set_clock() - the instance's trace clock, chosen to map to wall time.
 * @s: the session (its caps; the clock chosen is kept in it)
 * @inst: the instance
 *
 * Where sched_clock is stable (clocksource tsc), the default local clock is
 * kept: one clock on every CPU, mapped through trace_marker (pipeline.c),
 * and no write, as setting a clock resets the buffer (a synchronize_rcu,
 * 45-65 ms of a start under QEMU). Else mono, CLOCK_MONOTONIC; without it
 * (3.10) global, mapped like local; never the per-CPU local clock where
 * another is offered.
 */
void session_set_clock(struct session *s, struct tracefs_instance *inst)
{
	const char *want = "local";

	if (!clocksource_stable(s->caps.clocksource)) {
		char *avail = tracefs_instance_file_read(inst, "trace_clock", NULL);

		want = trace_clock_pick(avail, s->caps.no_mono);
		free(avail);
	}
	if (strcmp(want, "local") && tracefs_instance_file_write(inst, "trace_clock", want) <= 0)
		want = "local";
	snprintf(s->caps.clock, sizeof(s->caps.clock), "%s", want);
	s->clock_mono = !strcmp(want, "mono");
}

/* The instance, its clock and its ring buffer; on failure one sentence in @err. */
static int make_instance(struct session *s, long buffer_kb, char *err, size_t errlen)
{
	s->inst = tracefs_instance_create(s->name);
	if (!s->inst)
		return snprintf(err, errlen, "cannot create ftrace instance %s: %s",
				s->name, strerror(errno)), -1;
	s->inst_created = tracefs_instance_is_new(s->inst);
	if (!s->inst_created)
		return snprintf(err, errlen, "ftrace instance %s already exists", s->name), -1;
	timing_mark("instance");
	session_set_clock(s, s->inst);
	timing_mark("clock");
	if (buffer_kb) {
		char kb[32];

		snprintf(kb, sizeof(kb), "%ld", buffer_kb);
		if (tracefs_instance_file_write(s->inst, "buffer_size_kb", kb) <= 0)
			return snprintf(err, errlen, "cannot make the ring buffer %s KiB per CPU: %s",
					kb, strerror(errno)), -1;
	}
	/* wake the reader as soon as anything is there */
	if (tracefs_file_exists(s->inst, "buffer_percent"))
		tracefs_instance_file_write(s->inst, "buffer_percent", "0");
	return 0;
}

static void *instance_main(void *arg)
{
	struct session *s = arg;

	s->mk.ret = make_instance(s, s->mk.buffer_kb, s->mk.err, sizeof(s->mk.err));
	return NULL;
}

/**
 * session_instance_start() - start making our instance in the background.
 * @s: the session, named, its caps detected (tracefs found)
 * @buffer_kb: the ring buffer's size per CPU, 0 for the kernel's
 *
 * Until session_instance_wait(), the thread owns s->inst, s->inst_created,
 * s->caps.clock and s->clock_mono. If no thread can be made, the wait
 * makes the instance itself.
 */
void session_instance_start(struct session *s, long buffer_kb)
{
	pthread_attr_t attr;

	s->mk.buffer_kb = buffer_kb;
	/*
	 * A small stack (it needs some 30 KiB): glibc's default of 8 MiB is a
	 * mapping where a kernel with transparent huge pages "always" (Debian's
	 * before 6.7) may fault in 2 MiB at once, the peak RSS jumping to 4.8 MB.
	 */
	if (pthread_attr_init(&attr))
		return;
	s->mk.started = !pthread_attr_setstacksize(&attr, THREAD_STACK) &&
			pthread_create(&s->mk.thread, &attr, instance_main, s) == 0;
	pthread_attr_destroy(&attr);
}

/**
 * session_instance_wait() - our instance, made: waits for the thread that
 * makes it, or makes it now if none was started.
 * @s: the session
 * @buffer_kb: as for session_instance_start() (used if none was started)
 * @err, @errlen: one sentence on failure
 *
 * Whatever was made is left in @s for session_close().
 *
 * Return: 0 or -1.
 */
int session_instance_wait(struct session *s, long buffer_kb, char *err, size_t errlen)
{
	if (!s->mk.started)
		return make_instance(s, buffer_kb, err, errlen);
	pthread_join(s->mk.thread, NULL);
	s->mk.started = false;
	if (s->mk.ret)
		snprintf(err, errlen, "%s", s->mk.err);
	return s->mk.ret;
}
