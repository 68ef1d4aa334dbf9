/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_FILTER_H
#define TCPRST_FILTER_H

#include <stddef.h>
#include "tcprst.h"
#include "probes.h"

bool probe_wanted(const struct options *o, const struct probe_def *p);
int filter_kernel(const struct options *o, const struct probe_def *p,
		  char *buf, size_t len);
bool filter_match(const struct options *o, const struct rst_event *ev);
bool filter_any(const struct options *o);

#endif
