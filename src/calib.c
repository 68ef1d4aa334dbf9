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
