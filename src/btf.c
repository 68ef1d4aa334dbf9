// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small streaming BTF reader: struct member offsets by name.
 *
 * vmlinux BTF is several MB; we never hold it in memory. One pass over the
 * string section finds the offsets of the few names we look for, one pass
 * over the type section records where each type starts (4 bytes a type),
 * then members are read with pread. Format: include/uapi/linux/btf.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf.h"

#define BTF_MAGIC 0xeB9F
enum {
	K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD, K_TYPEDEF,
	K_VOLATILE, K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO, K_VAR, K_DATASEC,
	K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64,
};

struct btf_hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

struct btf_type {
	uint32_t name_off, info, size_type;
};

struct btf_member {
	uint32_t name_off, type, offset;
};

#define KIND(info) (((info) >> 24) & 0x1f)
#define VLEN(info) ((info) & 0xffff)
#define KFLAG(info) ((info) >> 31)

struct btf {
	int fd;
	long base;	/* where the BTF blob starts in the file (.BTF of a vmlinux) */
	struct btf_hdr h;
	uint32_t *type_pos;	/* file offset of type id i (1-based) */
	uint32_t ntypes;
};

/* Bytes of kind-specific data after a type record. */
static long extra_size(uint32_t info)
{
	uint32_t v = VLEN(info);

	switch (KIND(info)) {
	case K_INT: case K_VAR: case K_DECL_TAG: return 4;
	case K_ARRAY: return 12;
	case K_STRUCT: case K_UNION: case K_DATASEC: case K_ENUM64: return 12L * v;
	case K_ENUM: case K_FUNC_PROTO: return 8L * v;
	case K_PTR: case K_FWD: case K_TYPEDEF: case K_VOLATILE: case K_CONST:
	case K_RESTRICT: case K_FUNC: case K_FLOAT: case K_TYPE_TAG: return 0;
	default: return -1;
	}
}

/* Longer strings are never compared (no name we look for is this long). */
#define NAME_MAX_LEN 127

/* The names looked for, indexed by length: a string is compared only with names as long. */
struct wanted {
	const char **names;
	uint32_t *offs;
	int by_len[2 * BTF_QUERIES_MAX];		/* name indices, shortest first */
	unsigned char from[NAME_MAX_LEN + 2];	/* by_len[from[l]..from[l + 1]) are l long */
	bool first[256];			/* a name starts with this byte */
};

/* The string @s of @len bytes at @start: the offset of every name it is. */
static void match_string(struct wanted *w, const char *s, size_t len, uint32_t start)
{
	if (!len || len > NAME_MAX_LEN || !w->first[(unsigned char)s[0]])
		return;
	for (int i = w->from[len]; i < w->from[len + 1]; i++) {
		int k = w->by_len[i];

		if (!w->offs[k] && !memcmp(s, w->names[k], len))
			w->offs[k] = start;
	}
}

/* Index @n names by length (a counting sort; one longer than NAME_MAX_LEN is never found). */
static void wanted_init(struct wanted *w, const char **names, uint32_t *offs, int n)
{
	size_t len[2 * BTF_QUERIES_MAX];
	int count[NAME_MAX_LEN + 2] = { 0 }, m = 0;

	memset(w, 0, sizeof(*w));
	w->names = names;
	w->offs = offs;
	for (int k = 0; k < n; k++) {
		offs[k] = 0;
		len[k] = strlen(names[k]);
		if (len[k] <= NAME_MAX_LEN) {
			count[len[k]]++;
			w->first[(unsigned char)names[k][0]] = true;
		}
	}
	for (size_t l = 0; l <= NAME_MAX_LEN; l++) {
		w->from[l] = (unsigned char)m;
		m += count[l];
		count[l] = w->from[l];	/* now: where the next name this long goes */
	}
	w->from[NAME_MAX_LEN + 1] = (unsigned char)m;
	for (int k = 0; k < n; k++)
		if (len[k] <= NAME_MAX_LEN)
			w->by_len[count[len[k]]++] = k;
}

/*
 * Find the string-section offsets of @names (at most 2 * BTF_QUERIES_MAX)
 * in one streaming pass. Strings are found with memchr() and compared
 * only with the names as long: a kernel's BTF holds some 100 K strings,
 * and comparing each with every name was most of a first run's start.
 */
static int find_strings(struct btf *b, const char **names, uint32_t *offs, int n)
{
	struct wanted w;
	char buf[65536], cur[NAME_MAX_LEN + 1];
	uint32_t base = (uint32_t)b->base + b->h.hdr_len + b->h.str_off, pos = 0, start = 0;
	size_t curlen = 0;	/* a string begun in the last read: its bytes so far */
	bool carry = false;

	wanted_init(&w, names, offs, n);
	while (pos < b->h.str_len) {
		size_t want = b->h.str_len - pos < sizeof(buf) ? b->h.str_len - pos : sizeof(buf);
		ssize_t r = pread(b->fd, buf, want, base + pos);
		size_t i = 0;

		if (r <= 0)
			return -EIO;
		while (i < (size_t)r) {
			const char *z = memchr(buf + i, '\0', (size_t)r - i);
			size_t seg = z ? (size_t)(z - buf) - i : (size_t)r - i;

			if (!z || carry) {
				/* a string across two reads: kept whole only if it may be wanted */
				if (curlen + seg < sizeof(cur))
					memcpy(cur + curlen, buf + i, seg);
				curlen += seg;
				carry = true;
				if (!z)
					break;
				match_string(&w, cur, curlen, start);	/* (too long: not kept, not compared) */
				curlen = 0;
				carry = false;
			} else {
				match_string(&w, buf + i, seg, start);
			}
			i += seg + 1;
			start = pos + (uint32_t)i;
		}
		pos += (uint32_t)r;
	}
	return 0;
}

/* A read window over the file, so one pass costs a few large reads. */
struct window {
	char buf[65536];
	uint32_t start, len;
};

static const void *window_at(struct btf *b, struct window *w, uint32_t pos, uint32_t n)
{
	if (pos < w->start || pos + n > w->start + w->len) {
		ssize_t r = pread(b->fd, w->buf, sizeof(w->buf), pos);

		if (r < (ssize_t)n)
			return NULL;
		w->start = pos;
		w->len = (uint32_t)r;
	}
	return w->buf + (pos - w->start);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Record where each type starts, and the first non-empty struct/union (or
 * function, where @want_func) named by each of @want into @found.
 */
static int index_types(struct btf *b, const uint32_t *want, const bool *want_func,
		       uint32_t *found, int n)
{
	uint32_t cap = 1024, pos = 0, base = (uint32_t)b->base + b->h.hdr_len + b->h.type_off;
	uint32_t names[BTF_QUERIES_MAX];	/* the wanted names, sorted: most types are none */
	struct window *w = malloc(sizeof(*w));
	size_t nnames = 0;
	int r = 0;

	for (int i = 0; i < n; i++)
		if (want[i])
			names[nnames++] = want[i];
	qsort(names, nnames, sizeof(*names), cmp_u32);

	b->type_pos = malloc(cap * sizeof(uint32_t));
	if (!w || !b->type_pos) {
		free(w);
		return -ENOMEM;
	}
	w->start = w->len = 0;
	b->ntypes = 0;
	while (pos + sizeof(struct btf_type) <= b->h.type_len) {
		const struct btf_type *t = window_at(b, w, base + pos, sizeof(*t));
		long extra;

		if (!t) {
			r = -EIO;
			break;
		}
		extra = extra_size(t->info);
		if (extra < 0) {
			r = -EINVAL;
			break;
		}
		if (b->ntypes + 2 > cap) {
			uint32_t *p = realloc(b->type_pos, (cap *= 2) * sizeof(uint32_t));
			if (!p) {
				r = -ENOMEM;
				break;
			}
			b->type_pos = p;
		}
		b->type_pos[++b->ntypes] = base + pos;
		if ((((KIND(t->info) == K_STRUCT || KIND(t->info) == K_UNION) && VLEN(t->info)) ||
		     KIND(t->info) == K_FUNC) &&
		    bsearch(&t->name_off, names, nnames, sizeof(*names), cmp_u32))
			for (int i = 0; i < n; i++)
				if (want[i] && !found[i] && t->name_off == want[i] &&
				    (KIND(t->info) == K_FUNC) == want_func[i])
					found[i] = b->ntypes;
		pos += sizeof(*t) + extra;
	}
	free(w);
	return r;
}

static int read_type(struct btf *b, uint32_t id, struct btf_type *t)
{
	if (id == 0 || id > b->ntypes)
		return -ENOENT;
	return pread(b->fd, t, sizeof(*t), b->type_pos[id]) == sizeof(*t) ? 0 : -EIO;
}

/* Skip typedefs and qualifiers. */
static uint32_t resolve(struct btf *b, uint32_t id, struct btf_type *t)
{
	for (int depth = 0; depth < 32; depth++) {
		if (read_type(b, id, t))
			return 0;
		switch (KIND(t->info)) {
		case K_TYPEDEF: case K_VOLATILE: case K_CONST: case K_RESTRICT:
		case K_TYPE_TAG:
			id = t->size_type;
			continue;
		default:
			return id;
		}
	}
	return 0;
}

/* Bit offset of member @name_off in struct/union @id, recursing into anonymous members. */
static long member_offset(struct btf *b, uint32_t id, uint32_t name_off, int depth)
{
	struct btf_type t;

	if (depth > 8 || !(id = resolve(b, id, &t)))
		return -1;
	if (KIND(t.info) != K_STRUCT && KIND(t.info) != K_UNION)
		return -1;
	uint32_t pos = b->type_pos[id] + sizeof(t);
	struct btf_member ms[64];	/* members read 64 at a time: one pread, not one each */

	for (uint32_t i = 0; i < VLEN(t.info); i++) {
		long off;

		if (i % 64 == 0) {
			size_t want = (VLEN(t.info) - i < 64 ? VLEN(t.info) - i : 64) * sizeof(*ms);

			if (pread(b->fd, ms, want, pos + i * sizeof(*ms)) != (ssize_t)want)
				return -1;
		}
		const struct btf_member m = ms[i % 64];

		off = KFLAG(t.info) ? (m.offset & 0xffffff) : m.offset;
		if (m.name_off == name_off)
			return off;
		if (m.name_off == 0) {
			long sub = member_offset(b, m.type, name_off, depth + 1);
			if (sub >= 0)
				return off + sub;
		}
	}
	return -1;
}

/* Index of the parameter named @name_off of function @fid, or -1. */
static long param_index(struct btf *b, uint32_t fid, uint32_t name_off)
{
	struct btf_type f, proto;
	uint32_t pid;

	if (read_type(b, fid, &f) || !(pid = f.size_type) || read_type(b, pid, &proto) ||
	    KIND(proto.info) != K_FUNC_PROTO)
		return -1;
	for (uint32_t i = 0; i < VLEN(proto.info); i++) {
		uint32_t param[2];	/* name_off, type */

		if (pread(b->fd, param, sizeof(param), b->type_pos[pid] + sizeof(proto) + i * 8) != 8)
			return -1;
		if (param[0] == name_off)
			return i;
	}
	return -1;
}

/**
 * btf_member_offsets() - answer member-offset and parameter queries from BTF.
 * @path: raw BTF, e.g. /sys/kernel/btf/vmlinux
 * @q: the queries; bit_offset is set to the answer or -1
 * @n: number of queries
 *
 * Return: number of queries answered, or a negative errno if the file
 * cannot be read as BTF.
 */
int btf_member_offsets(const char *path, struct btf_query *q, int n)
{
	return btf_member_offsets_at(path, 0, q, n);
}

/**
 * btf_member_offsets_at() - as btf_member_offsets(), for BTF at @base in the file.
 * @path: the file, e.g. a vmlinux whose .BTF section starts at @base
 * @base: file offset of the BTF header
 * @q, @n: the queries
 *
 * Return: as btf_member_offsets().
 */
int btf_member_offsets_at(const char *path, long base, struct btf_query *q, int n)
{
	struct btf b = { .fd = -1, .base = base };
	const char *names[2 * BTF_QUERIES_MAX];
	uint32_t offs[2 * BTF_QUERIES_MAX];
	int answered = 0, r;

	if (n > BTF_QUERIES_MAX)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		q[i].bit_offset = -1;
		names[2 * i] = q[i].type;
		names[2 * i + 1] = q[i].member;
	}
	b.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (b.fd < 0)
		return -errno;
	r = -EINVAL;
	if (pread(b.fd, &b.h, sizeof(b.h), base) != sizeof(b.h) || b.h.magic != BTF_MAGIC)
		goto out;
	r = find_strings(&b, names, offs, 2 * n);
	if (r)
		goto out;
	uint32_t want[BTF_QUERIES_MAX], sid[BTF_QUERIES_MAX] = { 0 };
	bool want_func[BTF_QUERIES_MAX];

	for (int i = 0; i < n; i++) {
		want[i] = offs[2 * i + 1] ? offs[2 * i] : 0;
		want_func[i] = q[i].param;
	}
	r = index_types(&b, want, want_func, sid, n);
	if (r)
		goto out;
	for (int i = 0; i < n; i++) {
		if (!sid[i])
			continue;
		q[i].bit_offset = q[i].param ? param_index(&b, sid[i], offs[2 * i + 1])
					     : member_offset(&b, sid[i], offs[2 * i + 1], 0);
		if (q[i].bit_offset >= 0)
			answered++;
	}
	r = answered;
out:
	free(b.type_pos);
	close(b.fd);
	return r;
}
