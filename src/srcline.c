// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * file:line of kernel addresses from a debug vmlinux, as crash's "dis -l"
 * or addr2line give them. Opened lazily, at the first reset to print: a
 * run that never needs a line never reads the file. The running kernel is
 * shifted from the file by KASLR: the shift is learnt once, from the first
 * address that the symbol table names (its function's start in the file).
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "srcline.h"

/* Recent answers: resets come from a handful of call sites. */
#define LINE_CACHE 64

struct line_cached {
	uint64_t addr;		/* 0: empty */
	char line[120];		/* "" if the address has no line */
};

struct srclines {
	struct line_cached cache[LINE_CACHE];
	char *path;
	bool tried;		/* the file was opened (once) */
	int fd;
	Dwarf *dw;
	bool have_slide;
	int64_t slide;		/* running address - file address */
};

/* Where distributions install the debug vmlinux of a release. */
static const char *const where[] = {
	"/usr/lib/debug/boot/vmlinux-%s", "/usr/lib/debug/lib/modules/%s/vmlinux",
	"/usr/lib/debug/usr/lib/modules/%s/vmlinux", "/boot/vmlinux-%s",
	"/lib/modules/%s/vmlinux", "/lib/modules/%s/build/vmlinux",
};

/**
 * srclines_vmlinux_path() - the @i-th usual place of the running release's vmlinux.
 * @i: from 0
 * @path, @len: out
 *
 * Return: @path, or NULL past the last place.
 */
const char *srclines_vmlinux_path(size_t i, char *path, size_t len)
{
	struct utsname u;

	if (i >= sizeof(where) / sizeof(where[0]) || uname(&u))
		return NULL;
	snprintf(path, len, where[i], u.release);
	return path;
}

/**
 * srclines_find_vmlinux() - the first readable usual place of the vmlinux.
 * @path, @len: out
 *
 * Return: @path, or NULL if none is readable.
 */
const char *srclines_find_vmlinux(char *path, size_t len)
{
	for (size_t i = 0; srclines_vmlinux_path(i, path, len); i++)
		if (access(path, R_OK) == 0)
			return path;
	return NULL;
}

/**
 * srclines_new() - line tables of a vmlinux (or any ELF), read at first use.
 * @path: the file
 *
 * Return: the handle (NULL only without memory). Lookups give NULL if the
 * file turns out to have no DWARF.
 */
struct srclines *srclines_new(const char *path)
{
	struct srclines *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = -1;
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return NULL;
	}
	return s;
}

/* Open the file at the first lookup; false if it cannot give lines. */
static bool opened(struct srclines *s)
{
	if (!s->tried) {
		s->tried = true;
		s->fd = open(s->path, O_RDONLY | O_CLOEXEC);
		s->dw = s->fd >= 0 ? dwarf_begin(s->fd, DWARF_C_READ) : NULL;
	}
	return s->dw != NULL;
}

/**
 * srclines_close() - free the handle.
 * @s: the handle, or NULL
 */
void srclines_close(struct srclines *s)
{
	if (!s)
		return;
	if (s->dw)
		dwarf_end(s->dw);
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s);
}

/* The file address of function @name in the ELF symbol table, or 0. */
static uint64_t symbol_value(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / (sh.sh_entsize ? sh.sh_entsize : 1); i++) {
			GElf_Sym sym;
			const char *n;

			if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			n = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (n && !strcmp(n, name))
				return sym.st_value;
		}
	}
	return 0;
}

/* Learn the KASLR shift from "func+0xoff" at @addr. */
static void learn_slide(struct srclines *s, uint64_t addr, const char *sym)
{
	char name[128];
	unsigned long long off = 0;
	const char *plus = strchr(sym, '+');
	size_t n = plus ? (size_t)(plus - sym) : strlen(sym);
	uint64_t v;

	if (n == 0 || n >= sizeof(name))
		return;
	memcpy(name, sym, n);
	name[n] = '\0';
	if (plus && sscanf(plus + 1, "%llx", &off) != 1)
		return;
	v = symbol_value(dwarf_getelf(s->dw), name);
	if (!v)
		return;
	s->slide = (int64_t)(addr - off - v);
	s->have_slide = true;
}

/* The compile unit holding @a: aranges where present, else every unit's ranges. */
static bool unit_of(Dwarf *dw, Dwarf_Addr a, Dwarf_Die *cu)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	if (dwarf_addrdie(dw, a, cu))
		return true;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, cu) && dwarf_haspc(cu, a) == 1)
			return true;
		off = next;
	}
	return false;
}

static const char *lookup(struct srclines *s, uint64_t addr, const char *sym, char *buf, size_t len);

/**
 * srclines_lookup() - "dir/file.c:line" of a running kernel address.
 * @s: the handle (NULL: no lines)
 * @addr: a running address: a return address unless it is a function's
 *        start (then the call is the instruction before it)
 * @sym: its symbol, "func+0xoff" (from kallsyms), or NULL
 * @buf, @len: out
 *
 * Return: @buf, or NULL when the line is not known.
 */
const char *srclines_lookup(struct srclines *s, uint64_t addr, const char *sym,
			    char *buf, size_t len)
{
	struct line_cached *c;

	if (!s || !addr)
		return NULL;
	c = &s->cache[(addr >> 2) % LINE_CACHE];
	if (c->addr != addr) {
		c->addr = addr;
		if (!opened(s) || !lookup(s, addr, sym, c->line, sizeof(c->line)))
			c->line[0] = '\0';
		if (!s->have_slide)
			c->addr = 0;	/* a later symbol may still teach the shift */
	}
	if (!c->line[0])
		return NULL;
	snprintf(buf, len, "%s", c->line);
	return buf;
}

/* The uncached lookup of srclines_lookup(). */
static const char *lookup(struct srclines *s, uint64_t addr, const char *sym, char *buf, size_t len)
{
	const char *file, *comp = NULL, *plus;
	Dwarf_Attribute at;
	Dwarf_Line *line;
	Dwarf_Die cu;
	Dwarf_Addr a;
	int lineno = 0;

	if (!s->have_slide && sym)
		learn_slide(s, addr, sym);
	if (!s->have_slide)
		return NULL;
	a = addr - s->slide;
	/* a return address: the call is the instruction before it */
	plus = sym ? strstr(sym, "+0x") : NULL;
	if (!plus || strtoull(plus + 3, NULL, 16) != 0)
		a--;
	if (!unit_of(s->dw, a, &cu) || !(line = dwarf_getsrc_die(&cu, a)) ||
	    !(file = dwarf_linesrc(line, NULL, NULL)) || dwarf_lineno(line, &lineno) || lineno <= 0)
		return NULL;
	/* relative to the build directory, as kernel engineers quote it */
	if (dwarf_attr(&cu, DW_AT_comp_dir, &at))
		comp = dwarf_formstring(&at);
	if (comp && !strncmp(file, comp, strlen(comp)) && file[strlen(comp)] == '/')
		file += strlen(comp) + 1;
	while (!strncmp(file, "./", 2))
		file += 2;
	snprintf(buf, len, "%s:%d", file, lineno);
	return buf;
}
