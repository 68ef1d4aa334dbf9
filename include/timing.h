/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_TIMING_H
#define TCPRST_TIMING_H

void timing_mark(const char *what);

#endif
