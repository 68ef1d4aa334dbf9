/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_OPTIONS_H
#define TCPRST_OPTIONS_H

#include <stdio.h>
#include "tcprst.h"

enum opt_result { OPT_RUN, OPT_EXIT_OK, OPT_USAGE_ERROR };

enum opt_result options_parse(int argc, char **argv, struct options *o,
			      char *err, size_t errlen);
void options_usage(FILE *f);
int parse_addr_match(const char *s, struct addr_match *m);
int parse_port(const char *s, uint16_t *port);

#endif
