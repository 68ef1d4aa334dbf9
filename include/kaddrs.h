/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_KADDRS_H
#define TCPRST_KADDRS_H

#include <stdint.h>

#define KADDRS_MAX 16

/*
 * The addresses of the kernel functions tcprst probes, kept for the boot:
 * a kprobe made by address spares the kernel its passes over every symbol
 * (kallsyms_lookup_name(), and since 6.1.y the check that the name is
 * unique), 3 ms a probe under emulation.
 */
struct kaddrs {
	int n;
	struct {
		char name[128];
		uint64_t addr;
	} e[KADDRS_MAX];
};

uint64_t kaddrs_get(const struct kaddrs *a, const char *name);
int kaddrs_index(const struct kaddrs *a, const char *name);
int kaddrs_load(struct kaddrs *a, const char *file, const char *boot);
int kaddrs_find(struct kaddrs *a, const char *kallsyms, const char *const *names, int n);
int kaddrs_save(const struct kaddrs *a, const char *file, const char *boot);

#endif
