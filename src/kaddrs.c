// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel functions' addresses tcprst probes by, kept for the boot in
 * /run/tcprst/probes-<release>: "boot <boot_id>" then "<hex addr> <name>"
 * lines. Only a name kallsyms lists once, in the kernel's own text, is
 * kept with its address, other names with 0 (a module's address changes
 * when it loads again; a name listed twice is ambiguous, and the kernel
 * refuses it by name too). The kernel moves its text at every boot
 * (KASLR): a file of another boot is ignored.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kaddrs.h"
#include "kallsyms.h"

/**
 * kaddrs_get() - the kept address of a function.
 * @a: the addresses
 * @name: the function
 *
 * Return: its address, or 0 if none is kept.
 */
uint64_t kaddrs_get(const struct kaddrs *a, const char *name)
{
	int i = kaddrs_index(a, name);

	return i < 0 ? 0 : a->e[i].addr;
}

/**
 * kaddrs_index() - where a function is in the table.
 * @a: the addresses
 * @name: the function
 *
 * Return: its index (its address 0 if it was looked up and cannot be
 * probed by address), or -1 if it was never looked up.
 */
int kaddrs_index(const struct kaddrs *a, const char *name)
{
	for (int i = 0; i < a->n; i++)
		if (!strcmp(a->e[i].name, name))
			return i;
	return -1;
}

static void put(struct kaddrs *a, const char *name, uint64_t addr)
{
	if (kaddrs_index(a, name) >= 0 || a->n >= KADDRS_MAX || strlen(name) >= sizeof(a->e[0].name))
		return;
	snprintf(a->e[a->n].name, sizeof(a->e[0].name), "%s", name);
	a->e[a->n++].addr = addr;
}

/**
 * kaddrs_load() - the addresses kept in @file for this boot.
 * @a: filled (emptied first)
 * @file: the kept file
 * @boot: this boot's id (/proc/sys/kernel/random/boot_id)
 *
 * Return: the number of addresses, 0 if the file is absent or of another boot.
 */
int kaddrs_load(struct kaddrs *a, const char *file, const char *boot)
{
	char line[256], name[128], want[96];
	uint64_t addr;
	FILE *f;

	a->n = 0;
	if (!boot || !boot[0] || !(f = fopen(file, "re")))
		return 0;
	snprintf(want, sizeof(want), "boot %s\n", boot);
	if (fgets(line, sizeof(line), f) && !strcmp(line, want))
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%" SCNx64 " %127s", &addr, name) == 2)
				put(a, name, addr);
	fclose(f);
	return a->n;
}

struct find {
	const char *const *names;
	int n;
	uint64_t addr[KADDRS_MAX];
	int seen[KADDRS_MAX];
};

static bool find_line(void *ctx, char *line, size_t len)
{
	struct find *fd = ctx;
	struct kline l;

	(void)len;
	if (!kallsyms_parse_line(line, &l))
		return false;
	for (int i = 0; i < fd->n; i++)
		if (!strcmp(l.name, fd->names[i])) {
			fd->seen[i]++;
			fd->addr[i] = l.mod[0] ? 0 : l.addr;	/* a module's: not kept */
		}
	return false;
}

/**
 * kaddrs_find() - add the addresses of @names from one pass over kallsyms.
 * @a: the addresses (what it holds already is kept)
 * @kallsyms: usually /proc/kallsyms
 * @names, @n: functions (at most KADDRS_MAX)
 *
 * A name listed more than once, only in a module, not at all, or with its
 * address hidden (kptr_restrict: zeros) is added with address 0: looked
 * up, to be probed by name, and not looked up again this boot.
 *
 * Return: 0, or a negative errno if kallsyms cannot be read.
 */
int kaddrs_find(struct kaddrs *a, const char *kallsyms, const char *const *names, int n)
{
	struct find fd = { names, n < KADDRS_MAX ? n : KADDRS_MAX, { 0 }, { 0 } };
	int err = kallsyms_scan(kallsyms, find_line, &fd);

	if (err)
		return err;
	for (int i = 0; i < fd.n; i++)
		put(a, names[i], fd.seen[i] == 1 ? fd.addr[i] : 0);
	return 0;
}

/**
 * kaddrs_save() - keep the addresses for this boot (written whole, then
 * renamed: a run reading it never sees half).
 * @a: the addresses
 * @file: the kept file; its directory is made (0700) if absent
 * @boot: this boot's id
 *
 * Return: 0, or a negative errno.
 */
int kaddrs_save(const struct kaddrs *a, const char *file, const char *boot)
{
	char tmp[4200];
	FILE *f = kallsyms_kept_create(file, boot, tmp, sizeof(tmp));

	if (!f)
		return -EINVAL;
	for (int i = 0; i < a->n; i++)
		fprintf(f, "%016" PRIx64 " %s\n", a->e[i].addr, a->e[i].name);
	return kallsyms_kept_commit(f, tmp, file);
}
