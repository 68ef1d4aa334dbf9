/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_SRCLINE_H
#define TCPRST_SRCLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Source lines of kernel addresses from a debug vmlinux (libdw). */
struct srclines;

struct srclines *srclines_new(const char *path);
void srclines_close(struct srclines *s);
const char *srclines_lookup(struct srclines *s, uint64_t addr, const char *sym,
			    char *buf, size_t len);
const char *srclines_vmlinux_path(size_t i, char *path, size_t len);
const char *srclines_find_vmlinux(char *path, size_t len);

#endif
