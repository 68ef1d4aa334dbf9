/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_BTF_H
#define TCPRST_BTF_H

#include <stdbool.h>

/*
 * One question to the BTF reader: the bit offset of struct type.member, or
 * (param) the index of function type's parameter named member.
 */
struct btf_query {
	const char *type;	/* struct/union name, or function name if param */
	const char *member;	/* member name (anonymous members searched too) or parameter name */
	bool param;
	long bit_offset;	/* answer (bits, or parameter index), -1 if not found */
};

/* Questions one call can take (two per offset entry at most). */
#define BTF_QUERIES_MAX 96

int btf_member_offsets(const char *path, struct btf_query *q, int n);
int btf_member_offsets_at(const char *path, long base, struct btf_query *q, int n);

#endif
