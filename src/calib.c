// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decision of self-calibration (pure, tested on recorded readings).
 */
#include <string.h>

#include "calib.h"

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
