/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_BTF_H
#define TCPRST_BTF_H

/* One question to the BTF reader: the offset of type.member. */
struct btf_query {
	const char *type;	/* struct or union name */
	const char *member;	/* member name, searched in anonymous members too */
	long bit_offset;	/* answer, -1 if not found */
};

int btf_member_offsets(const char *path, struct btf_query *q, int n);

#endif
