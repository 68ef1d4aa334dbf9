/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_RECFIELD_H
#define TCPRST_RECFIELD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <event-parse.h>

/*
 * Every field the decoder reads from our probes' records, by the name the
 * probe table (probes.c) gives its fetch argument. A new field is a row.
 */
#define REC_FIELDS(X) \
	X(sk) X(caller) X(netns) X(devns) X(comm) X(reason) X(skb) X(nfct) \
	X(family) X(state) X(sport) X(dport) X(num) X(saddr) X(daddr) \
	X(s6a) X(s6b) X(d6a) X(d6b) X(p6sa) X(p6sb) X(p6da) X(p6db) \
	X(snd_nxt) X(snd_una) X(snd_wnd) X(rcv_nxt) X(copied) X(sock) X(ino) X(sfile) \
	X(rflags) X(iphdr) X(nexthdr) X(tseq) X(tack) X(doff) X(iplen) \
	X(r3) X(hook) X(proto) X(frag) \
	X(qlen) X(linger2) X(flags) X(lingertime) \
	X(status) X(osport) X(odport) X(l3num) X(osa) X(osb) X(oda) X(odb) \
	X(fp1) X(fp2) X(fp3) X(fp4) X(fp5) X(fp6) X(fp7) X(fp8)

enum rec_fid {
#define REC_FID(n) RF_##n,
	REC_FIELDS(REC_FID)
#undef REC_FID
	RF_COUNT
};

/* The argument layouts of a probe: as named, and the firewall's second ("b_" names). */
enum rec_layout { RL_MAIN, RL_B, RL_COUNT };

/* The fields of one event, found once: [layout][field], NULL where it has none. */
struct rec_fields {
	bool ready;
	struct tep_format_field *f[RL_COUNT][RF_COUNT];
};

/* One record and the fields of one of its event's layouts. */
struct rec {
	struct tep_format_field *const *f;	/* indexed by enum rec_fid */
	const struct tep_record *r;
};

void rec_fields_find(struct rec_fields *rf, struct tep_event *e);
const char *rec_fid_name(enum rec_fid id);

/**
 * rec_field_num() - a number field of a record, in place.
 * @f: the field, or NULL
 * @r: the record
 * @v: out
 *
 * Read in this host's byte order (the traced host's: pages are read or
 * replayed where they were written). tep_read_number_field() did the same
 * through two calls and the handle's endianness.
 *
 * Return: false if @f is NULL or the record does not hold it.
 */
static inline bool rec_field_num(const struct tep_format_field *f, const struct tep_record *r,
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
 * rec_num() - the number field @id of a record (see rec_field_num()).
 * @x: the record and its fields
 * @id: the field
 * @v: out
 *
 * Return: false if the event has no such field, or the record does not hold it.
 */
static inline bool rec_num(const struct rec *x, enum rec_fid id, unsigned long long *v)
{
	return rec_field_num(x->f[id], x->r, v);
}

/* Whether the event has the field @id at all. */
static inline bool rec_has(const struct rec *x, enum rec_fid id)
{
	return x->f[id] != NULL;
}

const char *rec_str(const struct rec *x, enum rec_fid id, int *len);
bool rec_net32(const struct rec *x, enum rec_fid id, uint32_t *v);
bool rec_addr4(const struct rec *x, enum rec_fid id, unsigned char *out);
bool rec_addr6(const struct rec *x, enum rec_fid a, enum rec_fid b, unsigned char *out);

#endif
