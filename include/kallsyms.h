/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_KALLSYMS_H
#define TCPRST_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One text symbol of kallsyms: "ADDR TYPE NAME[\t[MODULE]]". */
struct kline {
	uint64_t addr;
	const char *name, *mod;	/* NUL-terminated in the scan's buffer; mod "" or "[name]" */
};

bool kallsyms_is_text(char t);
bool kallsyms_parse_line(char *line, struct kline *l);
int kallsyms_scan(const char *path, bool (*fn)(void *ctx, char *line, size_t len), void *ctx);
int ksym_find_variant(const char *path, const char *name, char *out, size_t len);
#define KSYM_VARIANTS_MAX 16	/* names one ksym_find_variants() call takes */
int ksym_find_variants(const char *path, const char *const *names, char (*outs)[128],
		       int *res, int n);

#endif
