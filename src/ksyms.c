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
#include <unistd.h>
#include <sys/stat.h>

#include "kallsyms.h"
#include "json.h"
#include "ksyms.h"

#define CACHE_SIZE 4096	/* power of two */

struct centry {
	uint64_t addr;
	char *name;	/* "func+0xoff" or "func+0xoff [mod]" */
	bool plain;	/* JSON needs no escape in it (json_plain()): checked once, not per line */
};

/* Addresses no symbol covers: cached too, or every batch would scan again. */
static char unresolved[] = "";

struct ksyms {
	char *path;
	struct centry cache[CACHE_SIZE];
	int used;
	char *keep;	/* the boot's file of kernel symbols resolved, or NULL */
	bool kept_loaded;
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
		if (k->cache[i].name != unresolved)
			free(k->cache[i].name);
	free(k->keep);
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

struct best {
	uint64_t addr, sym;
	char name[200];
};

/* @name (a kallsyms name and its module, "" or "[mod]") into @b, found at @sym. */
static void best_set(struct best *b, uint64_t sym, const char *name, const char *mod)
{
	size_t n = strlen(name), m = strlen(mod);

	if (n > sizeof(b->name) - 1)
		n = sizeof(b->name) - 1;
	memcpy(b->name, name, n);
	if (m && n + 1 + m < sizeof(b->name)) {
		b->name[n++] = ' ';
		memcpy(b->name + n, mod, m);
		n += m;
	}
	b->name[n] = '\0';
	b->sym = sym;
}

/*
 * The wanted addresses, sorted, and a merge with the kernel's own symbols
 * (sorted too): the symbol of an address is the last one at or below it,
 * known when the first one above it is read. Keeping the best so far for
 * every wanted address instead copied a name per line per address above
 * it: with a stack's fifty addresses, 1.5 G instructions for one pass.
 * A 64-bit kernel's lines start with 16 lowercase hex digits: compared as
 * text (the order of their values), a line is parsed only when it is
 * the symbol of an address.
 */
struct prefetch {
	struct best *b;	/* by address */
	char (*hex)[17];	/* the same as text */
	int nb, next;	/* b[next] is the lowest not yet passed */
	char line[600];	/* the last kernel symbol's line, */
	bool have_line;
	struct best prev;	/* and what it says once parsed */
	bool prev_parsed;
	bool merged;	/* past the kernel's sorted symbols: each line against every address */
};

static uint64_t be64_at(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* Two 16-digit hex texts compared as their values. */
static int cmp16(const char *a, const char *b)
{
	uint64_t x = be64_at(a), y = be64_at(b);

	if (x == y)
		x = be64_at(a + 8), y = be64_at(b + 8);
	return x < y ? -1 : x > y;
}

/* Give the last kernel symbol to the wanted addresses below @line (NULL: all). */
static void pass_below(struct prefetch *pf, const char *line)
{
	for (; pf->next < pf->nb && (!line || cmp16(pf->hex[pf->next], line) < 0); pf->next++) {
		struct best *b = &pf->b[pf->next];
		struct kline l;

		if (!pf->have_line)
			continue;
		if (!pf->prev_parsed) {
			pf->prev.sym = 0;
			if (kallsyms_parse_line(pf->line, &l))
				best_set(&pf->prev, l.addr, l.name, l.mod);
			pf->prev_parsed = true;
		}
		if (pf->prev.sym && pf->prev.sym <= b->addr && pf->prev.sym >= b->sym) {
			memcpy(b->name, pf->prev.name, sizeof(b->name));
			b->sym = pf->prev.sym;
		}
	}
}

static bool prefetch_line(void *ctx, char *line, size_t len)
{
	struct prefetch *pf = ctx;
	struct kline l;

	/*
	 * The kernel's own symbols come first, sorted by address; modules'
	 * (and BPF's, kprobes') follow, above the kernel's text. Past the
	 * highest address wanted, no later kernel symbol can be closer: stop.
	 */
	if (!pf->merged && len > 19 && line[16] == ' ' && line[18] == ' ' && len < sizeof(pf->line)) {
		if (!kallsyms_is_text(line[17]))
			return false;
		if (!pf->have_line || cmp16(line, pf->line) >= 0) {
			pass_below(pf, line);
			if (pf->next == pf->nb && !memchr(line, '[', len))
				return true;
			memcpy(pf->line, line, len + 1);
			pf->have_line = true;
			pf->prev_parsed = false;
			return false;
		}
	}
	/* the modules' symbols (or one out of order, or not 64-bit): each against every address */
	if (!pf->merged) {
		pass_below(pf, NULL);
		pf->merged = true;
	}
	if (!kallsyms_parse_line(line, &l) || !l.addr)
		return false;
	for (int j = 0; j < pf->nb; j++) {
		struct best *b = &pf->b[j];

		if (l.addr <= b->addr && l.addr >= b->sym)
			best_set(b, l.addr, l.name, l.mod);
	}
	return false;
}

static int by_addr(const void *a, const void *b)
{
	uint64_t x = ((const struct best *)a)->addr, y = ((const struct best *)b)->addr;

	return x < y ? -1 : x > y;
}

/*
 * What a pass resolved in the kernel's own text is kept for the boot: the
 * kernel's symbols do not move until it reboots, and a pass costs the
 * kernel a formatted line per symbol, 4 KiB per read(): on the emulated
 * 6.1 VM some 360 reads for a caller, a whole table (0.3 s) for stacks,
 * more than the rest of a 2000-reset burst. Module, BPF and kprobe
 * symbols (" [mod]") come and go: never kept. The file names its boot.
 */
static bool boot_id(char *id, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	bool ok = f && fgets(id, (int)len, f) && id[0];

	if (f)
		fclose(f);
	if (ok)
		id[strcspn(id, "\n")] = '\0';
	return ok;
}

/**
 * ksyms_keep() - keep the kernel's own symbols resolved in @file for the
 * boot, and start from what it holds (read at the first lookup pass).
 * @k: the symbolizer
 * @file: e.g. /run/tcprst/ksyms-<release>; its directory is made if absent
 *
 * Return: 0, or -ENOMEM.
 */
int ksyms_keep(struct ksyms *k, const char *file)
{
	free(k->keep);
	k->keep = strdup(file);
	k->kept_loaded = false;
	return k->keep ? 0 : -ENOMEM;
}

static void kept_load(struct ksyms *k)
{
	char id[64], line[320], name[256], want[80];
	uint64_t a;
	FILE *f;

	k->kept_loaded = true;
	if (!boot_id(id, sizeof(id)) || !(f = fopen(k->keep, "re")))
		return;
	snprintf(want, sizeof(want), "boot %s\n", id);
	if (fgets(line, sizeof(line), f) && !strcmp(line, want)) {
		while (fgets(line, sizeof(line), f) && k->used < CACHE_SIZE / 4) {	/* well below a trim */
			struct centry *c;

			if (sscanf(line, "%" SCNx64 " %255s", &a, name) != 2 || !a || !strchr(name, '+'))
				continue;
			if (!(c = slot(k, a)) || c->name || !(c->name = strdup(name)))
				continue;
			c->plain = json_plain(c->name);
			c->addr = a;
			k->used++;
		}
	}
	fclose(f);
}

/* Rewrite the kept file with every kernel symbol now cached. */
static void kept_save(const struct ksyms *k)
{
	char id[64], tmp[4200], dir[4096], *sl;
	FILE *f;

	if (!boot_id(id, sizeof(id)) || strlen(k->keep) >= sizeof(dir))
		return;
	snprintf(dir, sizeof(dir), "%s", k->keep);
	if ((sl = strrchr(dir, '/')) && sl != dir) {
		*sl = '\0';
		mkdir(dir, 0700);
	}
	snprintf(tmp, sizeof(tmp), "%s.%d", k->keep, (int)getpid());
	if (!(f = fopen(tmp, "we")))
		return;
	fprintf(f, "boot %s\n", id);
	for (int i = 0; i < CACHE_SIZE; i++) {
		const struct centry *c = &k->cache[i];

		if (c->name && c->name != unresolved && !strchr(c->name, ' '))
			fprintf(f, "%016" PRIx64 " %s\n", c->addr, c->name);
	}
	if (fclose(f) || rename(tmp, k->keep))
		unlink(tmp);
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
	struct prefetch pf = { 0 };
	struct best *b;
	int nb = 0, err;

	if (k->keep && !k->kept_loaded)
		kept_load(k);
	b = calloc(n ? n : 1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		struct centry *c = slot(k, addrs[i]);

		if (addrs[i] && c && !c->name)
			b[nb++].addr = addrs[i];
	}
	qsort(b, nb, sizeof(*b), by_addr);
	int u = 0;

	for (int j = 0; j < nb; j++)	/* once each */
		if (!u || b[j].addr != b[u - 1].addr)
			b[u++] = b[j];
	nb = u;
	/* keep the table at most 3/4 full: linear probing stays short */
	if (nb > CACHE_SIZE * 3 / 4 - k->used)
		nb = CACHE_SIZE * 3 / 4 - k->used;
	if (nb <= 0) {
		free(b);
		return 0;
	}
	pf.hex = malloc(nb * sizeof(*pf.hex));
	if (!pf.hex) {
		free(b);
		return -ENOMEM;
	}
	for (int j = 0; j < nb; j++)
		snprintf(pf.hex[j], sizeof(pf.hex[j]), "%016" PRIx64, b[j].addr);
	pf.b = b;
	pf.nb = nb;
	err = kallsyms_scan(k->path, prefetch_line, &pf);
	pass_below(&pf, NULL);
	free(pf.hex);
	if (err) {
		free(b);
		return err;
	}
	bool kernel_found = false;
	for (int j = 0; j < nb; j++) {
		struct centry *c = slot(k, b[j].addr);
		char out[256];

		if (!c)
			continue;
		c->addr = b[j].addr;
		k->used++;
		if (!b[j].sym) {
			c->name = unresolved;
			continue;
		}
		char *sp = strchr(b[j].name, ' ');
		if (sp) {
			*sp = '\0';
			snprintf(out, sizeof(out), "%s+0x%" PRIx64 " %s", b[j].name,
				 b[j].addr - b[j].sym, sp + 1);
		} else {
			snprintf(out, sizeof(out), "%s+0x%" PRIx64, b[j].name,
				 b[j].addr - b[j].sym);
		}
		c->name = strdup(out);
		if (!c->name)
			c->name = unresolved;
		c->plain = json_plain(c->name);
		kernel_found |= !sp;
	}
	free(b);
	if (kernel_found && k->keep)
		kept_save(k);
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
		if (k->cache[i].name != unresolved)
			free(k->cache[i].name);
		k->cache[i].name = NULL;
	}
	k->used = 0;
}

/**
 * ksyms_lookup_plain() - a cached symbol (see ksyms_prefetch()), and
 * whether it can go into JSON unescaped.
 * @k: the symbolizer (void * to fit symbolize_fn)
 * @addr: the address
 * @plain: out if not NULL: true if the name needs no JSON escape
 *
 * Return: "func+0xoff", or NULL if not resolved.
 */
const char *ksyms_lookup_plain(void *k, uint64_t addr, bool *plain)
{
	struct centry *c = k ? slot(k, addr) : NULL;

	if (!c || !c->name || c->name == unresolved || c->addr != addr)
		return NULL;
	if (plain)
		*plain = c->plain;
	return c->name;
}

/**
 * ksyms_lookup() - a cached symbol (see ksyms_prefetch()).
 * @k: the symbolizer
 * @addr: the address
 *
 * Return: "func+0xoff", or NULL if not resolved.
 */
const char *ksyms_lookup(void *k, uint64_t addr)
{
	return ksyms_lookup_plain(k, addr, NULL);
}

static int by_sym(const void *a, const void *b)
{
	uint64_t x = ((const struct best *)a)->sym, y = ((const struct best *)b)->sym;

	return x < y ? -1 : x > y;
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
	/* sorted by address, as the kernel's own table (ksyms_prefetch() relies on it) */
	struct best *v = calloc(CACHE_SIZE, sizeof(*v));
	int n = 0;

	for (int i = 0; v && i < CACHE_SIZE; i++) {
		const struct centry *c = &k->cache[i];
		uint64_t off;

		if (c->name && c->name != unresolved && sscanf(c->name, "%199[^+]+0x%" SCNx64, v[n].name, &off) == 2)
			v[n++].sym = c->addr - off;
	}
	if (v)
		qsort(v, n, sizeof(*v), by_sym);
	for (int i = 0; i < n; i++)
		if (!i || v[i].sym != v[i - 1].sym)
			fprintf(f, "%016" PRIx64 " t %s\n", v[i].sym, v[i].name);
	free(v);
	return fclose(f) ? -1 : 0;
}
