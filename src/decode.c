// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Raw ring-buffer record -> struct rst_event (pure: needs only the parsed
 * event formats). Field names are those of the probe table in probes.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"

/**
 * decoder_init() - find our events (and the kernel_stack event) in @tep.
 * @d: the decoder
 * @tep: parsed formats of our kprobe group and of the ftrace system
 * @group: our kprobe group
 *
 * Return: number of probe events found.
 */
int decoder_init(struct decoder *d, struct tep_handle *tep, const char *group)
{
	struct tep_event *e;

	memset(d, 0, sizeof(*d));
	d->tep = tep;
	for (size_t i = 0; i < probe_table_len && d->nprobes < 8; i++) {
		e = tep_find_event_by_name(tep, group, probe_table[i].event);
		if (!e)
			continue;
		d->probes[d->nprobes].id = e->id;
		d->probes[d->nprobes].def = &probe_table[i];
		d->nprobes++;
	}
	e = tep_find_event_by_name(tep, "ftrace", "kernel_stack");
	d->stack_id = e ? e->id : -1;
	return d->nprobes;
}

static bool num(struct tep_event *e, struct tep_record *r, const char *name,
		unsigned long long *v)
{
	struct tep_format_field *f = tep_find_field(e, name);

	return f && tep_read_number_field(f, r->data, v) == 0;
}

static void put64(unsigned char *dst, unsigned long long v)
{
	uint64_t x = v;

	memcpy(dst, &x, 8);	/* memory order of the traced host, which is ours */
}

static bool addr6(struct tep_event *e, struct tep_record *r, const char *a,
		  const char *b, unsigned char *out)
{
	unsigned long long hi, lo;

	if (!num(e, r, a, &hi) || !num(e, r, b, &lo))
		return false;
	put64(out, hi);
	put64(out + 8, lo);
	return true;
}

/* An IPv4 address field: the u32 read from memory keeps network order. */
static bool addr4(struct tep_event *e, struct tep_record *r, const char *name,
		  unsigned char *out)
{
	unsigned long long v;
	uint32_t a;

	if (!num(e, r, name, &v))
		return false;
	a = (uint32_t)v;
	memcpy(out, &a, 4);
	return true;
}

static bool v4mapped(const unsigned char *a)
{
	static const unsigned char pfx[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

	return !memcmp(a, pfx, 12);
}

static void decode_comm(struct tep_event *e, struct tep_record *r, struct rst_event *ev)
{
	char *comm = ev->comm;
	int len = 0;
	const char *s;

	comm[0] = '\0';
	ev->has_comm = tep_find_field(e, "comm") != NULL;
	s = ev->has_comm ? tep_get_field_raw(NULL, e, "comm", r, &len, 0) : NULL;
	if (!s || len <= 0)
		return;
	if (len >= COMM_LEN)
		len = COMM_LEN - 1;
	memcpy(comm, s, len);
	comm[len] = '\0';
}

static void decode_active(struct tep_event *e, struct tep_record *r,
			  struct rst_event *ev)
{
	unsigned long long fam = 0, v;

	num(e, r, "family", &fam);
	if (num(e, r, "state", &v))
		ev->state = (int)v;
	if (num(e, r, "dport", &v))
		ev->dport = ntohs((uint16_t)v);
	/* inet_sport survives the unhash that zeroes skc_num */
	if (num(e, r, "sport", &v) && v)
		ev->sport = ntohs((uint16_t)v);
	else if (num(e, r, "num", &v))
		ev->sport = (uint16_t)v;
	if (fam == AF_INET6 && addr6(e, r, "d6a", "d6b", ev->daddr) &&
	    addr6(e, r, "s6a", "s6b", ev->saddr)) {
		ev->family = 6;
		if (!v4mapped(ev->daddr))
			return;
		/* v4-mapped: the RST goes out as IPv4 */
		memmove(ev->daddr, ev->daddr + 12, 4);
		memmove(ev->saddr, ev->saddr + 12, 4);
		memset(ev->daddr + 4, 0, 12);
		memset(ev->saddr + 4, 0, 12);
		ev->family = 4;
		return;
	}
	if (fam == AF_INET && addr4(e, r, "saddr", ev->saddr) && addr4(e, r, "daddr", ev->daddr))
		ev->family = 4;
}

static void decode_passive(struct tep_event *e, struct tep_record *r,
			   int family, struct rst_event *ev)
{
	unsigned long long v;

	if (num(e, r, "rflags", &v) && (v & 0x04))
		ev->sent = false;	/* an incoming RST is never answered */
	if (ev->sk && num(e, r, "state", &v))
		ev->state = (int)v;
	if (num(e, r, "sport", &v))
		ev->sport = ntohs((uint16_t)v);
	if (num(e, r, "dport", &v))
		ev->dport = ntohs((uint16_t)v);
	if (family == 4) {
		/* only an option-less IPv4 header puts the addresses where we read them */
		if (num(e, r, "iphdr", &v) && v == 0x45 &&
		    addr4(e, r, "saddr", ev->saddr) && addr4(e, r, "daddr", ev->daddr))
			ev->family = 4;
		return;
	}
	if (!num(e, r, "nexthdr", &v) || v != IPPROTO_TCP)
		return;
	if (addr6(e, r, "s6a", "s6b", ev->saddr) && addr6(e, r, "d6a", "d6b", ev->daddr))
		ev->family = 6;
}

static void decode_stack(struct tep_event *e, struct tep_record *r,
			 struct rst_event *ev)
{
	struct tep_format_field *f = tep_find_field(e, "caller");
	unsigned long long size = 0;
	int n, avail;

	ev->nstack = 0;
	if (!f || !num(e, r, "size", &size))
		return;
	avail = (r->size - f->offset) / 8;
	n = (int)(size < (unsigned long long)avail ? size : (unsigned long long)avail);
	for (int i = 0; i < n && ev->nstack < MAX_STACK; i++) {
		uint64_t a;

		memcpy(&a, (char *)r->data + f->offset + 8 * i, 8);
		if (a == 0 || a == UINT64_MAX)
			break;
		ev->stack[ev->nstack++] = a;
	}
}

/*
 * Frame-pointer walk (kernels whose instances have no stacktrace option):
 * the stack is the direct caller ($stack0) then fp1..fpN, until a zero
 * (a faulting read). On kernels without frame pointers these are junk;
 * the output keeps only frames that resolve to kernel text.
 */
static void decode_fp_walk(struct tep_event *e, struct tep_record *r, struct rst_event *ev)
{
	unsigned long long v;
	char name[8];

	if (!tep_find_field(e, "fp1"))
		return;
	ev->nstack = 0;
	if (ev->caller)
		ev->stack[ev->nstack++] = ev->caller;
	for (int k = 1; k <= 8 && ev->nstack < MAX_STACK; k++) {
		snprintf(name, sizeof(name), "fp%d", k);
		if (!num(e, r, name, &v) || !v)
			break;
		ev->stack[ev->nstack++] = v;
	}
}

/**
 * decode_record() - decode one raw record.
 * @d: the decoder
 * @rec: the record (data, size, ts, cpu)
 * @ev: filled for REC_RESET; for REC_STACK only nstack/stack are written
 *
 * Return: what the record was.
 */
enum rec_type decode_record(const struct decoder *d, struct tep_record *rec,
			    struct rst_event *ev)
{
	int type = tep_data_type(d->tep, rec);
	struct tep_event *e;
	unsigned long long v;

	if (type == d->stack_id && type >= 0) {
		e = tep_find_event(d->tep, type);
		if (!e)
			return REC_OTHER;
		decode_stack(e, rec, ev);
		return REC_STACK;
	}
	for (int i = 0; i < d->nprobes; i++) {
		if (d->probes[i].id != type)
			continue;
		e = tep_find_event(d->tep, type);
		if (!e)
			return REC_OTHER;
		memset(ev, 0, sizeof(*ev));
		ev->kind = d->probes[i].def->kind;
		ev->ts_ns = rec->ts;
		ev->cpu = rec->cpu;
		ev->pid = tep_data_pid(d->tep, rec);
		ev->state = -1;
		ev->sent = true;
		if (num(e, rec, "sk", &v))
			ev->sk = v;
		if (num(e, rec, "caller", &v))
			ev->caller = v;
		decode_comm(e, rec, ev);
		ev->reason = num(e, rec, "reason", &v) ? (int)v : -1;
		decode_fp_walk(e, rec, ev);
		if (ev->kind == KIND_ACTIVE)
			decode_active(e, rec, ev);
		else
			decode_passive(e, rec, d->probes[i].def->family, ev);
		return REC_RESET;
	}
	return REC_OTHER;
}
