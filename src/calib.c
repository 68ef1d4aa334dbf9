// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decision of self-calibration (pure, tested on recorded readings).
 */
#include <arpa/inet.h>
#include <string.h>

#include "calib.h"
#include "tcprst.h"

int calib_ncand(const struct calib_target *t)
{
	int n = (t->hi - t->lo + t->step - 1) / t->step;

	return n > CALIB_MAX_CAND ? CALIB_MAX_CAND : n;
}

int calib_offset(const struct calib_target *t, int i)
{
	return t->lo + i * t->step;
}

/**
 * calib_decide() - the one candidate that reads every expected value.
 * @r: readings per candidate (extra hits from elsewhere on the host are fine)
 * @width: bytes compared
 * @expected: the values each sample must show, one per sample
 * @nexpected: number of samples (several, so that a coincidence fails)
 *
 * A candidate qualifies if, for every sample, some recorded event read
 * exactly that sample's value at it. Zero is never a valid reading (a
 * faulting read gives 0).
 *
 * Return: the candidate index, -1 if none qualifies, -2 if several do
 * (ambiguous: refused rather than guessed).
 */
int calib_decide(const struct calib_readings *r, int width,
		 const unsigned char (*expected)[16], int nexpected)
{
	static const unsigned char zero[16];
	int found = -1;

	for (int c = 0; c < r->ncand; c++) {
		bool all = nexpected > 0;

		for (int s = 0; s < nexpected && all; s++) {
			bool seen = false;

			if (!memcmp(expected[s], zero, width))
				return -1;	/* a sample must be distinctive */
			for (int e = 0; e < r->nev[c] && !seen; e++)
				seen = !memcmp(r->v[c][e], expected[s], width);
			all = seen;
		}
		if (!all)
			continue;
		if (found >= 0)
			return -2;
		found = c;
	}
	return found;
}

/**
 * calib_ipv6_layout() - the pre-3.13 home of a socket's IPv6 addresses.
 * @off: offsets; where skc_v6_daddr/skc_v6_rcv_saddr were found nothing
 *       is done, else inet_pinet6, pinfo_rcv_saddr and pinfo_daddr are set
 * @pinet6_rcv: the inet_sock offset whose pointer's target held every
 *              sample's rcv_saddr at +16, or < 0
 * @pinet6_daddr: the same for daddr at +32, or < 0
 *
 * Upstream kernels before 3.13 keep the addresses in struct ipv6_pinfo
 * (saddr, rcv_saddr, daddr at 0, 16, 32), reached through
 * inet_sk(sk)->pinet6. One pointer member must read both addresses of
 * every sample; otherwise nothing is decided.
 *
 * Return: 0 if the layout was decided (or not needed), -1 if not.
 */
int calib_ipv6_layout(struct offsets *off, int pinet6_rcv, int pinet6_daddr)
{
	if (offsets_get(off, "skc_v6_daddr") >= 0 && offsets_get(off, "skc_v6_rcv_saddr") >= 0)
		return 0;
	if (pinet6_rcv < 0 || pinet6_rcv != pinet6_daddr)
		return -1;
	offsets_set(off, "inet_pinet6", pinet6_rcv, OFF_CALIBRATED);
	offsets_set(off, "pinfo_rcv_saddr", 16, OFF_CALIBRATED);
	offsets_set(off, "pinfo_daddr", 32, OFF_CALIBRATED);
	return 0;
}

/**
 * calib_port() - the port of one end of a calibration sample.
 * @which: which end
 * @k: the sample, 0 .. CALIB_SAMPLES-1
 *
 * Distinct per sample and end, no zero byte (a faulting read gives 0).
 */
uint16_t calib_port(enum calib_port which, int k)
{
	static const uint16_t base[] = {
		[CALIB_MAPPED_CLIENT] = 40001, [CALIB_MAPPED_LISTEN] = 46003,
		[CALIB_SYN_FROM] = 51005, [CALIB_CLOSED] = 56007,
		[CALIB_V4_CLIENT] = 36009, [CALIB_V4_LISTEN] = 31011,
		[CALIB_V6_CLIENT] = 26013, [CALIB_V6_LISTEN] = 21015,
	};

	return (uint16_t)(base[which] + 1111 * k);
}

/**
 * calib_host() - the loopback host (127.0.0.N) of one end of a sample.
 * @which: which end
 * @k: the sample
 *
 * Return: N, or 0 for the ::1 pair.
 */
int calib_host(enum calib_port which, int k)
{
	static const int base[] = {
		[CALIB_MAPPED_CLIENT] = 20, [CALIB_MAPPED_LISTEN] = 10,
		[CALIB_SYN_FROM] = 30, [CALIB_CLOSED] = 40,
		[CALIB_V4_CLIENT] = 60, [CALIB_V4_LISTEN] = 50,
		[CALIB_V6_CLIENT] = 0, [CALIB_V6_LISTEN] = 0,
	};

	return base[which] ? base[which] + k : 0;
}

/* the RST goes from the first end to the second */
static const enum calib_port resets[][2] = {
	{ CALIB_MAPPED_CLIENT, CALIB_MAPPED_LISTEN },	/* v4-mapped: reported as IPv4 */
	{ CALIB_V4_CLIENT, CALIB_V4_LISTEN },
	{ CALIB_V6_CLIENT, CALIB_V6_LISTEN },
	{ CALIB_CLOSED, CALIB_SYN_FROM },
};

static bool host_is(const struct rst_event *ev, const unsigned char *a, int host)
{
	static const unsigned char lo6[16] = { [15] = 1 };
	uint32_t v4 = htonl(0x7f000000u | (uint32_t)host);

	if (ev->family == 0)
		return true;	/* addresses unknown: the ports decide */
	if (host == 0)
		return ev->family == 6 && !memcmp(a, lo6, 16);
	return ev->family == 4 && !memcmp(a, &v4, 4);
}

/**
 * calib_own_reset() - whether a reset is one a calibrating tcprst run made.
 * @ev: a decoded event (v4-mapped already reported as IPv4)
 *
 * Any run sees the resets of another run's calibration (its namespace is
 * private, the probes are not). They carry the plan's exact tuple: both
 * ports, and both hosts where the addresses are known.
 */
bool calib_own_reset(const struct rst_event *ev)
{
	for (size_t i = 0; i < sizeof(resets) / sizeof(resets[0]); i++)
		for (int k = 0; k < CALIB_SAMPLES; k++) {
			enum calib_port s = resets[i][0], d = resets[i][1];

			if (ev->sport == calib_port(s, k) && ev->dport == calib_port(d, k) &&
			    host_is(ev, ev->saddr, calib_host(s, k)) &&
			    host_is(ev, ev->daddr, calib_host(d, k)))
				return true;
		}
	return false;
}
