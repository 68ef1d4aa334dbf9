/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_KSYMS_H
#define TCPRST_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kallsyms.h"	/* the variant search, with the symbols */

struct ksyms;

struct ksyms *ksyms_new(const char *path);
void ksyms_free(struct ksyms *k);
int ksyms_keep(struct ksyms *k, const char *file);
int ksyms_prefetch(struct ksyms *k, const uint64_t *addrs, int n);
const char *ksyms_lookup(void *k, uint64_t addr);
const char *ksyms_lookup_plain(void *k, uint64_t addr, bool *plain);
void ksyms_trim(struct ksyms *k);
int ksyms_save_used(const struct ksyms *k, const char *dir);

#endif
