// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A raw record's fields by name, for the decoder: the per-event field
 * cache, numbers, network-order words and addresses, and the names of a
 * second argument layout. Names are literals or made once (rec_pf()):
 * the cache keys on their addresses.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "recfield.h"

/* The decoder of the record being decoded: its field cache. */
static struct decoder *cur;

/**
 * recfield_use() - the decoder whose field cache the next lookups use.
 * @d: the decoder (NULL: no cache)
 */
void recfield_use(struct decoder *d)
{
	cur = d;
}

/**
 * rec_field() - a field of an event, looked up once per (event, name).
 * @e: the event
 * @name: a literal, or a name made by rec_pf() or kept for good
 *
 * tep_find_field() compares names along the event's field list; a record
 * asks for some forty fields by name: remember each answer per event.
 * Keyed on the name's address, not its text (hashing and comparing the
 * text was a fifth of a record's decoding): every name passed here is a
 * literal or made once for good (rec_pf(), the frame-pointer names), so one
 * address always holds one name.
 *
 * Return: the field, or NULL if the event has none of that name.
 */
struct tep_format_field *rec_field(struct tep_event *e, const char *name)
{
	struct tep_format_field *f;
	struct field_slot *sl;
	uint64_t h;

	if (!cur)
		return tep_find_field(e, name);
	h = ((uint64_t)(uintptr_t)name ^ ((uint64_t)(uintptr_t)e << 7)) * 0x9E3779B97F4A7C15ull >> 40;
	for (int i = 0; i < FIELD_PROBE; i++) {
		sl = &cur->cache[(h + i) % FIELD_CACHE];
		if (sl->e == e && sl->name == name)
			return sl->f;
		if (!sl->e)
			break;	/* a free slot: not cached yet */
	}
	f = tep_find_field(e, name);
	/* (a full run of slots: the first is overwritten) */
	if (sl->e)
		sl = &cur->cache[h % FIELD_CACHE];
	sl->e = e;
	sl->f = f;
	sl->name = name;
	return f;
}

/**
 * rec_num() - a number field of a record.
 * @e, @r: the record's event and the record
 * @name: the field (see rec_field())
 * @v: out
 *
 * Read in place, in this host's byte order (the traced host's: pages are
 * read or replayed where they were written). tep_read_number_field() did
 * the same through two calls and the handle's endianness: a tenth of a
 * record's decoding.
 *
 * Return: false if the event has no such field, or the record does not hold it.
 */
bool rec_num(struct tep_event *e, struct tep_record *r, const char *name, unsigned long long *v)
{
	return rec_field_num(rec_field(e, name), r, v);
}

/**
 * rec_field_num() - a number field of a record, by the field (see rec_num()).
 * @f: the field, or NULL
 * @r: the record
 * @v: out
 *
 * Return: false if @f is NULL or the record does not hold it.
 */
bool rec_field_num(const struct tep_format_field *f, const struct tep_record *r,
		   unsigned long long *v)
{
	const char *p;

	if (!f || f->offset < 0 || f->offset + f->size > r->size)
		return false;
	p = (const char *)r->data + f->offset;
	switch (f->size) {
	case 1: { uint8_t x; memcpy(&x, p, 1); *v = x; return true; }
	case 2: { uint16_t x; memcpy(&x, p, 2); *v = x; return true; }
	case 4: { uint32_t x; memcpy(&x, p, 4); *v = x; return true; }
	case 8: { uint64_t x; memcpy(&x, p, 8); *v = x; return true; }
	default: return false;
	}
}

/**
 * rec_str() - the bytes of a string field: a __data_loc (or __rel_loc)
 * string, or a fixed array.
 * @e, @r: as for rec_num()
 * @name: as for rec_num()
 * @len: out, its length as stored (the NUL included where there is one)
 *
 * Return: the bytes, inside the record, or NULL if the event has no such
 * field or its place lies outside the record.
 */
const char *rec_str(struct tep_event *e, struct tep_record *r, const char *name, int *len)
{
	struct tep_format_field *f = rec_field(e, name);
	int off, n;

	if (!f || f->offset < 0 || f->offset + f->size > r->size)
		return NULL;
	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		uint32_t loc;

		if (f->size != 4)
			return NULL;
		memcpy(&loc, (const char *)r->data + f->offset, 4);
		off = (int)(loc & 0xffff);
		n = (int)(loc >> 16);
		if (f->flags & TEP_FIELD_IS_RELATIVE)
			off += f->offset + f->size;
	} else {
		off = f->offset;
		n = f->size;
	}
	/* a string's place comes from the record: it must lie inside it (fuzzing found one that did not) */
	if (n <= 0 || off + n > r->size)
		return NULL;
	*len = n;
	return (const char *)r->data + off;
}

/**
 * rec_net32() - a u32 read from memory in network order (seq, ack), in host order.
 * @e, @r, @name: as for rec_num()
 * @v: out
 *
 * Return: false if the event has no such field.
 */
bool rec_net32(struct tep_event *e, struct tep_record *r, const char *name, uint32_t *v)
{
	unsigned long long x;

	if (!rec_num(e, r, name, &x))
		return false;
	*v = ntohl((uint32_t)x);
	return true;
}

static void put64(unsigned char *dst, unsigned long long v)
{
	uint64_t x = v;

	memcpy(dst, &x, 8);	/* memory order of the traced host, which is ours */
}

/**
 * rec_addr6() - an IPv6 address fetched as two u64 fields, kept in network order.
 * @e, @r: as for rec_num()
 * @a, @b: its high and low halves' fields
 * @out: 16 bytes
 *
 * Return: false if a field is missing.
 */
bool rec_addr6(struct tep_event *e, struct tep_record *r, const char *a, const char *b,
	       unsigned char *out)
{
	unsigned long long hi, lo;

	if (!rec_num(e, r, a, &hi) || !rec_num(e, r, b, &lo))
		return false;
	put64(out, hi);
	put64(out + 8, lo);
	return true;
}

/**
 * rec_addr4() - an IPv4 address field: the u32 read from memory keeps network order.
 * @e, @r, @name: as for rec_num()
 * @out: 4 bytes
 *
 * Return: false if the event has no such field.
 */
bool rec_addr4(struct tep_event *e, struct tep_record *r, const char *name, unsigned char *out)
{
	unsigned long long v;
	uint32_t a;

	if (!rec_num(e, r, name, &v))
		return false;
	a = (uint32_t)v;
	memcpy(out, &a, 4);
	return true;
}

/**
 * rec_pf() - the field @name of one argument layout (@pfx "" or "b_"), as a
 * string that lives as long as the program: rec_field() keys its cache on
 * the pointer. @pfx and @name are literals; each pair is made once.
 * @pfx: the layout's prefix
 * @name: the field
 *
 * Return: the name, or "" if it cannot be made.
 */
const char *rec_pf(const char *pfx, const char *name)
{
	static struct {
		const char *pfx, *name;
		char s[32];
	} made[48];
	static int n;

	if (!*pfx)
		return name;
	for (int i = 0; i < n; i++)
		if (made[i].pfx == pfx && made[i].name == name)
			return made[i].s;
	if (n == (int)(sizeof(made) / sizeof(made[0])) ||
	    strlen(pfx) + strlen(name) >= sizeof(made[0].s))
		return "";
	made[n].pfx = pfx;
	made[n].name = name;
	snprintf(made[n].s, sizeof(made[n].s), "%s%s", pfx, name);
	return made[n++].s;
}
