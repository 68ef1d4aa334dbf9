/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_RESOLVE_H
#define TCPRST_RESOLVE_H

#include "offsets.h"

/*
 * The offsets chain, the same for a run, --check and --dry-run:
 * --offsets FILE -> /sys/kernel/btf/vmlinux -> a vmlinux (--vmlinux, or
 * the release's debug vmlinux) -> this boot's calibration cache; what is
 * still missing is calibrated in our instance (session.c), and the result
 * kept for the boot.
 */
struct resolve_opts {
	const char *file;	/* --offsets */
	const char *vmlinux;	/* --vmlinux */
	bool reason_arg;	/* the kernel passes a reset reason: find its position */
};

struct resolve_result {
	int file_loaded;	/* entries read from --offsets, or -errno */
	char cache[160];	/* /run/tcprst/offsets-<release>, "" if none */
	char problem[256];	/* a --vmlinux that gave nothing */
};

void resolve_boot_file(const char *what, char *path, size_t len);
void resolve_offsets(struct offsets *off, const struct resolve_opts *ro,
		     struct resolve_result *rr);
void resolve_keep(const struct offsets *off, const struct resolve_opts *ro,
		  const struct resolve_result *rr, char *err, size_t len);

#endif
