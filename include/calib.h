/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_CALIB_H
#define TCPRST_CALIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offsets.h"

struct kgroup;
struct tracefs_instance;
int calibrate(const struct kgroup *g, struct tracefs_instance *inst, struct offsets *off,
	      char *msg, size_t len);

/*
 * Self-calibration of offsets on kernels without BTF or debug info: probes
 * read a bounded set of candidate offsets while loopback connections with
 * known tuples send resets; an offset is kept only if it reads the known
 * value for every sample and no other candidate does.
 */
#define CALIB_MAX_CAND 512
#define CALIB_MAX_EVENTS 16

/* One offset to find: candidates lo, lo+step, ... < hi. */
struct calib_target {
	const char *name;	/* offset name (offsets.h) */
	const char *symbol;	/* function probed */
	int reg;		/* argument holding the pointer */
	int lo, hi, step;
	int width;		/* bytes compared: 2 (u16), 4 (u32) or 16 (two u64) */
	bool deref;		/* a pointer: read +at(+off(reg)) */
	int at;			/* where in the pointed-to struct */
	bool alt;		/* only where skc_v6_* are unknown (pre-3.13 layout) */
};

/*
 * Readings per candidate: every hit of the probe that holds the candidate
 * (up to CALIB_MAX_EVENTS), up to 16 bytes each. Candidates live in
 * different probes, so only a candidate's own hits are compared.
 */
struct calib_readings {
	int ncand;
	int nev[CALIB_MAX_CAND];
	unsigned char v[CALIB_MAX_CAND][CALIB_MAX_EVENTS][16];
};

int calib_ncand(const struct calib_target *t);
int calib_offset(const struct calib_target *t, int i);
int calib_decide(const struct calib_readings *r, int width,
		 const unsigned char (*expected)[16], int nexpected);
int calib_ipv6_layout(struct offsets *off, int pinet6_rcv, int pinet6_daddr);

/*
 * The calibration plan: CALIB_SAMPLES samples, each a set of loopback
 * connections (in a private network namespace) with fixed hosts
 * (127.0.0.N) and ports, so that its resets are known exactly, to the
 * calibrating run and to every other run that sees them.
 */
#define CALIB_SAMPLES 3
enum calib_port {
	CALIB_MAPPED_CLIENT, CALIB_MAPPED_LISTEN,	/* v4-mapped: linger 0 */
	CALIB_SYN_FROM, CALIB_CLOSED,			/* a SYN to a closed port */
	CALIB_V4_CLIENT, CALIB_V4_LISTEN,		/* IPv4: linger 0 */
	CALIB_V6_CLIENT, CALIB_V6_LISTEN,		/* ::1: linger 0 */
};
uint16_t calib_port(enum calib_port which, int k);
int calib_host(enum calib_port which, int k);

struct rst_event;
bool calib_own_reset(const struct rst_event *ev);

#endif
