/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_OFFSETS_H
#define TCPRST_OFFSETS_H

#include <stdbool.h>

/* Where an offset came from; shown by --check in a later version. */
enum offset_source {
	OFF_NONE, OFF_BTF, OFF_FIXED, OFF_CALIBRATED, OFF_FILE, OFF_VMLINUX_BTF, OFF_DWARF,
};

/* A struct member offset the probes need, resolved at run time. */
struct offset_entry {
	const char *name;	/* placeholder used in probe templates */
	const char *type;	/* struct name */
	const char *member;
	bool param;		/* value is the index of function type's parameter member */
	int value;		/* bytes (or parameter index), -1 when unknown */
	enum offset_source source;
	bool evidence;		/* only for causes and seq/ack: never calibrated */
	bool alt;		/* another layout's home of a tuple field: not counted */
	const char *alt_type, *alt_member;	/* where older kernels keep it */
};

#define OFFSETS_MAX 48

struct offsets {
	int n;
	struct offset_entry e[OFFSETS_MAX];
};

void offsets_init(struct offsets *off);
int offsets_get(const struct offsets *off, const char *name);
int offsets_set(struct offsets *off, const char *name, int value,
		enum offset_source src);
int offsets_resolve_btf(struct offsets *off, const char *btf_path);
int offsets_missing(const struct offsets *off);
const char *offsets_unneeded(const struct offsets *off, const struct offset_entry *e);
int offsets_evidence_missing(const struct offsets *off);
void offsets_skip_params(struct offsets *off);
int offsets_resolve_vmlinux(struct offsets *off, const char *path);
int offsets_load(struct offsets *off, const char *path, bool keep_source);
int offsets_save(const struct offsets *off, const char *path);
const char *offset_source_name(enum offset_source s);

#endif
