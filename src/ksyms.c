// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel symbols from kallsyms, read lazily: we never load the whole table
 * (150k+ lines). Addresses are resolved in batches with one streaming pass
 * and cached; a probe symbol is looked up only if the plain name fails.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

#define CACHE_SIZE 4096	/* power of two */

struct centry {
	uint64_t addr;
	char *name;	/* "func+0xoff" or "func+0xoff [mod]" */
};

struct ksyms {
	char *path;
	struct centry cache[CACHE_SIZE];
	int used;
};

/**
 * ksyms_new() - a symbolizer over a kallsyms file.
 * @path: usually /proc/kallsyms
 *
 * Return: the symbolizer, or NULL on allocation failure.
 */
struct ksyms *ksyms_new(const char *path)
{
	struct ksyms *k = calloc(1, sizeof(*k));

	if (k && !(k->path = strdup(path))) {
		free(k);
		k = NULL;
	}
	return k;
}

void ksyms_free(struct ksyms *k)
{
	if (!k)
		return;
	for (int i = 0; i < CACHE_SIZE; i++)
		free(k->cache[i].name);
	free(k->path);
	free(k);
}

static struct centry *slot(struct ksyms *k, uint64_t addr)
{
	uint64_t h = (addr * 0x9E3779B97F4A7C15ull) >> 52;

	for (int i = 0; i < CACHE_SIZE; i++) {
		struct centry *c = &k->cache[(h + i) & (CACHE_SIZE - 1)];

		if (!c->name || c->addr == addr)
			return c;
	}
	return NULL;
}

static int is_text(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

/**
 * ksyms_prefetch() - resolve addresses not yet cached, in one pass.
 * @k: the symbolizer
 * @addrs, @n: addresses (0 entries are ignored)
 *
 * Return: 0, or a negative errno if kallsyms cannot be read.
 */
int ksyms_prefetch(struct ksyms *k, const uint64_t *addrs, int n)
{
	struct best { uint64_t addr, sym; char name[200]; } *b;
	int nb = 0;
	char line[512];
	FILE *f;

	b = calloc(n ? n : 1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		struct centry *c = slot(k, addrs[i]);
		bool dup = false;

		if (!addrs[i] || !c || c->name)
			continue;
		for (int j = 0; j < nb; j++)
			dup |= b[j].addr == addrs[i];
		if (!dup)
			b[nb++].addr = addrs[i];
	}
	/* keep the table at most 3/4 full: linear probing stays short */
	if (nb > CACHE_SIZE * 3 / 4 - k->used)
		nb = CACHE_SIZE * 3 / 4 - k->used;
	if (nb <= 0) {
		free(b);
		return 0;
	}
	f = fopen(k->path, "re");
	if (!f) {
		int e = -errno;
		free(b);
		return e;
	}
	while (fgets(line, sizeof(line), f)) {
		char type, name[128], mod[64] = "";
		uint64_t a;

		if (sscanf(line, "%" SCNx64 " %c %127s %63s", &a, &type, name, mod) < 3 ||
		    !is_text(type) || !a)
			continue;
		for (int j = 0; j < nb; j++) {
			if (a > b[j].addr || a < b[j].sym)
				continue;
			b[j].sym = a;
			if (mod[0])
				snprintf(b[j].name, sizeof(b[j].name), "%s %s", name, mod);
			else
				snprintf(b[j].name, sizeof(b[j].name), "%s", name);
		}
	}
	fclose(f);
	for (int j = 0; j < nb; j++) {
		struct centry *c = slot(k, b[j].addr);
		char out[256];

		if (!c || !b[j].sym)
			continue;
		char *sp = strchr(b[j].name, ' ');
		if (sp) {
			*sp = '\0';
			snprintf(out, sizeof(out), "%s+0x%" PRIx64 " %s", b[j].name,
				 b[j].addr - b[j].sym, sp + 1);
		} else {
			snprintf(out, sizeof(out), "%s+0x%" PRIx64, b[j].name,
				 b[j].addr - b[j].sym);
		}
		c->addr = b[j].addr;
		c->name = strdup(out);
		k->used++;
	}
	free(b);
	return 0;
}

/**
 * ksyms_trim() - between batches: forget every cached symbol once the table
 * is half full, so that a long run keeps resolving new addresses.
 * @k: the symbolizer
 */
void ksyms_trim(struct ksyms *k)
{
	if (!k || k->used < CACHE_SIZE / 2)
		return;
	for (int i = 0; i < CACHE_SIZE; i++) {
		free(k->cache[i].name);
		k->cache[i].name = NULL;
	}
	k->used = 0;
}

/**
 * ksyms_lookup() - a cached symbol (see ksyms_prefetch()).
 * @k: the symbolizer (void * to fit symbolize_fn)
 * @addr: the address
 *
 * Return: "func+0xoff", or NULL if not resolved.
 */
const char *ksyms_lookup(void *k, uint64_t addr)
{
	struct centry *c = k ? slot(k, addr) : NULL;

	return c && c->name && c->addr == addr ? c->name : NULL;
}

/* Is @sym the function @name or a compiler-made copy of it (.isra.N, ...)? */
static bool is_variant(const char *sym, const char *name)
{
	size_t nl = strlen(name);

	return !strncmp(sym, name, nl) && (!sym[nl] || sym[nl] == '.') && !strstr(sym + nl, ".cold");
}

/**
 * ksym_find_variants() - find several functions or their compiler-suffixed
 * copies in one pass over kallsyms.
 * @path: kallsyms
 * @names: e.g. "tcp_v4_send_reset"
 * @outs: receive e.g. "tcp_v4_send_reset.isra.0", @len bytes each
 * @res: per name: 0, -ENOENT if none, -ENOTUNIQ if several (the kernel
 *       refuses to probe a name that is not unique)
 * @n: number of names
 *
 * Accepts the name itself or the name followed by ".isra.N",
 * ".constprop.N", ".part.N", ".llvm.N"; ".cold" parts are not functions.
 *
 * Return: 0, or -errno if kallsyms cannot be read.
 */
int ksym_find_variants(const char *path, const char *const *names, char (*outs)[128],
		       int *res, int n)
{
	char line[512];
	int count[KSYM_VARIANTS_MAX] = { 0 };
	FILE *f;

	if (n > KSYM_VARIANTS_MAX)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		outs[i][0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char type, sym[128];
		uint64_t a;

		if (sscanf(line, "%" SCNx64 " %c %127s", &a, &type, sym) != 3 || !is_text(type))
			continue;
		for (int i = 0; i < n; i++) {
			if (!is_variant(sym, names[i]))
				continue;
			if (!outs[i][0] || strcmp(outs[i], sym))
				count[i]++;
			snprintf(outs[i], 128, "%s", sym);
		}
	}
	fclose(f);
	for (int i = 0; i < n; i++)
		res[i] = !count[i] ? -ENOENT : count[i] > 1 ? -ENOTUNIQ : 0;
	return 0;
}

/**
 * ksym_find_variant() - ksym_find_variants() for one name.
 * @path: kallsyms
 * @name: the function
 * @out, @len: the symbol found
 *
 * Return: 0, -ENOENT if none, -ENOTUNIQ if several, or another -errno.
 */
int ksym_find_variant(const char *path, const char *name, char *out, size_t len)
{
	char found[1][128];
	int res, r = ksym_find_variants(path, &name, found, &res, 1);

	if (r)
		return r;
	if (!res)
		snprintf(out, len, "%s", found[0]);
	return res;
}

/**
 * ksyms_save_used() - write the functions of every cached address as a
 * small kallsyms file (for replay tests: symbols without the whole table).
 * @k: the symbolizer
 * @dir: where to write "kallsyms"
 *
 * Return: 0 or -1.
 */
int ksyms_save_used(const struct ksyms *k, const char *dir)
{
	char path[4096];
	FILE *f;

	if (!k)
		return -1;
	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	f = fopen(path, "we");
	if (!f)
		return -1;
	for (int i = 0; i < CACHE_SIZE; i++) {
		const struct centry *c = &k->cache[i];
		char name[200];
		uint64_t off;

		if (!c->name || sscanf(c->name, "%199[^+]+0x%" SCNx64, name, &off) != 2)
			continue;
		fprintf(f, "%016" PRIx64 " t %s\n", c->addr - off, name);
	}
	return fclose(f) ? -1 : 0;
}
