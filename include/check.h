/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_CHECK_H
#define TCPRST_CHECK_H

#include <stdio.h>
#include "session.h"

struct check_report {
	const char *release, *arch;
	const struct caps *caps;
	const struct offsets *off;
	const char *symbols[PROBES_MAX];	/* resolved symbol per probe_table entry, NULL: missing */
	const char *problem;		/* why tracing cannot work, NULL if it can */
	const char *calibration;	/* what calibration could not find, or NULL */
	const char *lines_from;		/* debug vmlinux for source lines, or NULL */
};

void check_print(FILE *f, const struct check_report *r, bool json);

#endif
