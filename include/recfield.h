/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_RECFIELD_H
#define TCPRST_RECFIELD_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

void recfield_use(struct decoder *d);
struct tep_format_field *rec_field(struct tep_event *e, const char *name);
bool rec_num(struct tep_event *e, struct tep_record *r, const char *name, unsigned long long *v);
bool rec_field_num(const struct tep_format_field *f, const struct tep_record *r,
		   unsigned long long *v);
const char *rec_str(struct tep_event *e, struct tep_record *r, const char *name, int *len);
bool rec_net32(struct tep_event *e, struct tep_record *r, const char *name, uint32_t *v);
bool rec_addr4(struct tep_event *e, struct tep_record *r, const char *name, unsigned char *out);
bool rec_addr6(struct tep_event *e, struct tep_record *r, const char *a, const char *b,
	       unsigned char *out);
const char *rec_pf(const char *pfx, const char *name);

#endif
