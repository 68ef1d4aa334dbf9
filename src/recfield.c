// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A raw record's fields, for the decoder: each event's fields found once
 * by name (the names of REC_FIELDS, and the firewall's second layout's
 * "b_" names), then strings, network-order words and addresses.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "recfield.h"

static const char *const names[RF_COUNT] = {
#define REC_NAME(n) #n,
	REC_FIELDS(REC_NAME)
#undef REC_NAME
};

/**
 * rec_fid_name() - the name of a field as the probe table gives it.
 * @id: the field
 */
const char *rec_fid_name(enum rec_fid id)
{
	return (unsigned)id < RF_COUNT ? names[id] : "";
}

/**
 * rec_fields_find() - find every field the decoder reads in @e, once.
 * @rf: the event's table, filled and marked ready
 * @e: the event
 *
 * A record asks for some forty fields: by name (tep_find_field() compares
 * along the event's field list), or through a cache keyed on the name, that
 * was a third of a record's decoding; an index into this table is one load.
 */
void rec_fields_find(struct rec_fields *rf, struct tep_event *e)
{
	char name[32];

	for (int id = 0; id < RF_COUNT; id++) {
		rf->f[RL_MAIN][id] = tep_find_field(e, names[id]);
		snprintf(name, sizeof(name), "b_%s", names[id]);
		rf->f[RL_B][id] = tep_find_field(e, name);
	}
	rf->ready = true;
}

/**
 * rec_str() - the bytes of a string field: a __data_loc (or __rel_loc)
 * string, or a fixed array.
 * @x: the record and its fields
 * @id: the field
 * @len: out, its length as stored (the NUL included where there is one)
 *
 * Return: the bytes, inside the record, or NULL if the event has no such
 * field or its place lies outside the record.
 */
const char *rec_str(const struct rec *x, enum rec_fid id, int *len)
{
	const struct tep_format_field *f = x->f[id];
	const struct tep_record *r = x->r;
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
 * @x: the record and its fields
 * @id: the field
 * @v: out
 *
 * Return: false if the event has no such field.
 */
bool rec_net32(const struct rec *x, enum rec_fid id, uint32_t *v)
{
	unsigned long long n;

	if (!rec_num(x, id, &n))
		return false;
	*v = ntohl((uint32_t)n);
	return true;
}

static void put64(unsigned char *dst, unsigned long long v)
{
	uint64_t x = v;

	memcpy(dst, &x, 8);	/* memory order of the traced host, which is ours */
}

/**
 * rec_addr6() - an IPv6 address fetched as two u64 fields, kept in network order.
 * @x: the record and its fields
 * @a, @b: its high and low halves' fields
 * @out: 16 bytes
 *
 * Return: false if a field is missing.
 */
bool rec_addr6(const struct rec *x, enum rec_fid a, enum rec_fid b, unsigned char *out)
{
	unsigned long long hi, lo;

	if (!rec_num(x, a, &hi) || !rec_num(x, b, &lo))
		return false;
	put64(out, hi);
	put64(out + 8, lo);
	return true;
}

/**
 * rec_addr4() - an IPv4 address field: the u32 read from memory keeps network order.
 * @x: the record and its fields
 * @id: the field
 * @out: 4 bytes
 *
 * Return: false if the event has no such field.
 */
bool rec_addr4(const struct rec *x, enum rec_fid id, unsigned char *out)
{
	unsigned long long v;
	uint32_t a;

	if (!rec_num(x, id, &v))
		return false;
	a = (uint32_t)v;
	memcpy(out, &a, 4);
	return true;
}
