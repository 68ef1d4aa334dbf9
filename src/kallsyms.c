// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading kallsyms: one streaming pass over its lines (large reads, parsed
 * by hand), and the search for a function's compiler-made copies. The
 * address cache over it is ksyms.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kallsyms.h"

/* Whether kallsyms type @t is a function's (text, weak). */
bool kallsyms_is_text(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

/**
 * kallsyms_parse_line() - a text symbol's line of kallsyms, parsed in place.
 * @line: NUL-terminated, no newline; its name and module get NULs
 * @l: out
 *
 * Return: false if the line is not a text symbol's.
 */
bool kallsyms_parse_line(char *line, struct kline *l)
{
	char *p = line, *e;
	uint64_t a = 0;
	int digits = 0;

	for (;; p++, digits++) {
		unsigned d = (unsigned)*p;

		if (d - '0' < 10)
			d -= '0';
		else if ((d | 0x20) - 'a' < 6)
			d = (d | 0x20) - 'a' + 10;
		else
			break;
		a = a << 4 | d;
	}
	if (!digits || digits > 16 || *p != ' ' || !kallsyms_is_text(p[1]) || p[2] != ' ' || !p[3])
		return false;
	l->addr = a;
	l->name = p + 3;
	l->mod = "";
	for (e = p + 3; *e && *e != '\t' && *e != ' '; e++)
		;
	if (*e) {
		*e++ = '\0';
		while (*e == '\t' || *e == ' ')
			e++;
		if (*e == '[') {	/* kept with its brackets: "[veth]" */
			l->mod = e;
			e += strcspn(e, "]");
			if (*e)
				e[1] = '\0';
		}
	}
	return true;
}

/**
 * kallsyms_scan() - call @fn for every line of kallsyms until it returns true.
 * @path: usually /proc/kallsyms
 * @fn: gets the line, NUL-terminated without its newline, and its length
 *      (kallsyms_parse_line() parses it when it must)
 * @ctx: for @fn
 *
 * One pass over ~150k lines is the costliest thing tcprst does after
 * arming: read in large chunks (the kernel gives 4 KiB a read all the same)
 * and parsed only where wanted.
 *
 * Return: 0, or a negative errno if it cannot be read.
 */
int kallsyms_scan(const char *path, bool (*fn)(void *ctx, char *line, size_t len), void *ctx)
{
	enum { CHUNK = 32768 };
	char *buf = malloc(CHUNK + 1);
	size_t len = 0;
	bool stop = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0 || !buf) {
		err = fd < 0 ? -errno : -ENOMEM;
		free(buf);
		if (fd >= 0)
			close(fd);
		return err;
	}
	while (!stop) {
		ssize_t n = read(fd, buf + len, CHUNK - len);
		char *p = buf, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				err = -errno;
			if (!len || n < 0)
				break;
			buf[len++] = '\n';	/* a last line without its newline */
		}
		len += n > 0 ? (size_t)n : 0;
		buf[len] = '\0';
		while (!stop && (nl = memchr(p, '\n', len - (size_t)(p - buf)))) {
			*nl = '\0';
			stop = fn(ctx, p, (size_t)(nl - p));
			p = nl + 1;
		}
		len -= (size_t)(p - buf);
		memmove(buf, p, len);
		if (len == CHUNK)	/* a line longer than the chunk: not kallsyms */
			len = 0;
		if (n <= 0)
			break;
	}
	free(buf);
	close(fd);
	return err;
}

/* Is @sym the function @name or a compiler-made copy of it (.isra.N, ...)? */
static bool is_variant(const char *sym, const char *name)
{
	size_t nl = strlen(name);

	return !strncmp(sym, name, nl) && (!sym[nl] || sym[nl] == '.') && !strstr(sym + nl, ".cold");
}

struct variants {
	const char *const *names;
	char (*outs)[128];
	int *count, n;
	bool first[256];	/* a name starts with this byte */
};

static bool variant_line(void *ctx, char *line, size_t len)
{
	struct variants *v = ctx;
	struct kline kl, *l = &kl;
	const char *sp = memchr(line, ' ', len);

	/* "ADDR t NAME": most lines' names begin with no name's first byte, and are not parsed */
	if (!sp || (size_t)(sp - line) + 3 >= len || !v->first[(unsigned char)sp[3]])
		return false;
	if (!kallsyms_parse_line(line, l))
		return false;
	for (int i = 0; i < v->n; i++) {
		if (!is_variant(l->name, v->names[i]))
			continue;
		if (!v->outs[i][0] || strcmp(v->outs[i], l->name))
			v->count[i]++;
		snprintf(v->outs[i], 128, "%s", l->name);
	}
	return false;
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
	int count[KSYM_VARIANTS_MAX] = { 0 }, err;
	struct variants v = { .names = names, .outs = outs, .count = count, .n = n };

	if (n > KSYM_VARIANTS_MAX)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		outs[i][0] = '\0';
		v.first[(unsigned char)names[i][0]] = true;
	}
	if ((err = kallsyms_scan(path, variant_line, &v)))
		return err;
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
