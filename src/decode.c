// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Raw ring-buffer record -> struct rst_event or struct rst_evidence (pure:
 * needs only the parsed event formats). Field names are those of the probe
 * table in probes.c; what a probe's fields mean comes from its row (tuple
 * source, evidence type), never from its kind's name.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "recfield.h"

/* include/linux/trace_events.h: enum trace_flag_type */
#define TRACE_FLAG_HARDIRQ	0x08
#define TRACE_FLAG_SOFTIRQ	0x10
#define TRACE_FLAG_NMI		0x40

/* TCP flags byte */
#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_ACK	0x10

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
	for (size_t i = 0; i < probe_table_len && d->nprobes < PROBES_MAX; i++) {
		e = tep_find_event_by_name(tep, group, probe_table[i].event);
		if (!e)
			continue;
		d->probes[d->nprobes].id = e->id;
		d->probes[d->nprobes].def = &probe_table[i];
		d->probes[d->nprobes].e = e;
		d->nprobes++;
	}
	d->stack_e = tep_find_event_by_name(tep, "ftrace", "kernel_stack");
	d->stack_id = d->stack_e ? d->stack_e->id : -1;
	d->print_e = tep_find_event_by_name(tep, "ftrace", "print");
	d->print_id = d->print_e ? d->print_e->id : -1;
	d->print_buf = d->print_e ? tep_find_field(d->print_e, "buf") : NULL;
	d->stack_caller = d->stack_e ? tep_find_field(d->stack_e, "caller") : NULL;
	d->stack_size = d->stack_e ? tep_find_field(d->stack_e, "size") : NULL;
	e = d->nprobes ? d->probes[0].e : d->stack_e;
	if (e) {
		d->common_type = tep_find_common_field(e, "common_type");
		d->common_pid = tep_find_common_field(e, "common_pid");
		d->common_flags = tep_find_common_field(e, "common_flags");
	}
	return d->nprobes;
}

static bool v4mapped(const unsigned char *a)
{
	static const unsigned char pfx[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

	return !memcmp(a, pfx, 12);
}

static void decode_comm(const struct rec *q, struct rst_event *ev)
{
	char *comm = ev->comm;
	int len = 0;
	const char *s;

	comm[0] = '\0';
	ev->has_comm = rec_has(q, RF_comm);
	s = ev->has_comm ? rec_str(q, RF_comm, &len) : NULL;
	if (!s)
		return;
	if (len >= COMM_LEN)
		len = COMM_LEN - 1;
	memcpy(comm, s, len);
	comm[len] = '\0';
}

/* The tuple of the socket the RST leaves from, and its sequence state. */
static void tuple_sock(const struct rec *q, struct rst_event *ev)
{
	unsigned long long fam = 0, v;
	struct rst_sockseq *s = &ev->sock;

	rec_num(q, RF_family, &fam);
	if (rec_num(q, RF_state, &v))
		ev->state = (int)v;
	if (rec_num(q, RF_dport, &v))
		ev->dport = ntohs((uint16_t)v);
	/* inet_sport survives the unhash that zeroes skc_num */
	if (rec_num(q, RF_sport, &v) && v)
		ev->sport = ntohs((uint16_t)v);
	else if (rec_num(q, RF_num, &v))
		ev->sport = (uint16_t)v;
	/* tcp_sock fields are host order */
	if (rec_num(q, RF_snd_nxt, &v)) {
		s->snd_nxt = (uint32_t)v;
		s->snd = rec_num(q, RF_snd_una, &v) && (s->snd_una = (uint32_t)v, true) &&
			 rec_num(q, RF_snd_wnd, &v) && (s->snd_wnd = (uint32_t)v, true);
	}
	if (rec_num(q, RF_rcv_nxt, &v)) {
		s->rcv_nxt = (uint32_t)v;
		s->rcv = rec_num(q, RF_copied, &v) && (s->copied = (uint32_t)v, true);
	}
	if (fam == AF_INET6 &&
	    ((rec_addr6(q, RF_d6a, RF_d6b, ev->daddr) && rec_addr6(q, RF_s6a, RF_s6b, ev->saddr)) ||
	     (rec_addr6(q, RF_p6da, RF_p6db, ev->daddr) && rec_addr6(q, RF_p6sa, RF_p6sb, ev->saddr)))) {
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
	if (fam == AF_INET && rec_addr4(q, RF_saddr, ev->saddr) && rec_addr4(q, RF_daddr, ev->daddr))
		ev->family = 4;
}

/* The tuple of the incoming segment, reversed, and the segment itself. */
static void tuple_segment(const struct rec *q, int family, struct rst_event *ev)
{
	unsigned long long v, doff = 0, iplen = 0;
	struct rst_segment *in = &ev->in;
	bool hdr_ok;

	if (rec_num(q, RF_rflags, &v)) {
		in->flags = (uint8_t)v;
		if (v & TH_RST)
			ev->sent = false;	/* an incoming RST is never answered */
	}
	if (ev->sk && rec_num(q, RF_state, &v))
		ev->state = (int)v;
	if (rec_num(q, RF_sport, &v))
		ev->sport = ntohs((uint16_t)v);
	if (rec_num(q, RF_dport, &v))
		ev->dport = ntohs((uint16_t)v);
	/* only an option-less IPv4 / extension-less IPv6 header is where we read */
	if (family == 4)
		hdr_ok = rec_num(q, RF_iphdr, &v) && v == 0x45 &&
			 rec_addr4(q, RF_saddr, ev->saddr) && rec_addr4(q, RF_daddr, ev->daddr);
	else
		hdr_ok = rec_num(q, RF_nexthdr, &v) && v == IPPROTO_TCP &&
			 rec_addr6(q, RF_s6a, RF_s6b, ev->saddr) &&
			 rec_addr6(q, RF_d6a, RF_d6b, ev->daddr);
	if (hdr_ok)
		ev->family = family;
	in->valid = rec_net32(q, RF_tseq, &in->seq) && rec_net32(q, RF_tack, &in->ack) &&
		    rec_num(q, RF_rflags, &v);
	in->payload = -1;
	if (hdr_ok && rec_num(q, RF_doff, &doff) && rec_num(q, RF_iplen, &iplen)) {
		/* IPv4 total length counts its 20-byte header, IPv6's payload length does not */
		int len = (int)ntohs((uint16_t)iplen) - (family == 4 ? 20 : 0) - (int)(doff >> 4) * 4;

		if (len >= 0)
			in->payload = len;
	}
}

/*
 * A firewall's RST (nf_send_reset{,6}): the rejected segment, reversed, in
 * the argument layout whose hook is a hook number (see probes.c). The
 * kernel sends nothing for a RST, a non-TCP packet or a later fragment.
 */
#define NF_HOOK_MAX 8
static void firewall(const struct rec *q, const struct rec_fields *rf, int family,
		     struct rst_event *ev)
{
	unsigned long long r3, v;
	struct rec b;

	if (!rec_num(q, RF_r3, &r3))
		return;
	b = (struct rec){ rf->f[r3 < NF_HOOK_MAX ? RL_B : RL_MAIN], q->r };
	ev->hook = r3 < NF_HOOK_MAX ? (int)r3 : rec_num(q, RF_hook, &v) && v < NF_HOOK_MAX ? (int)v : -1;
	tuple_segment(&b, family, ev);
	if (family == 4 && ((rec_num(&b, RF_proto, &v) && v != IPPROTO_TCP) ||
			    (rec_num(&b, RF_frag, &v) && (ntohs((uint16_t)v) & 0x1fff))))
		ev->sent = false;
}

/*
 * A RST the socket accepts from its peer: the socket's tuple, reversed (the
 * RST travels from the peer). tcp_reset() ignores it on a closed socket.
 */
static void received(const struct rec *q, struct rst_event *ev)
{
	unsigned char a[16];
	uint16_t port;

	tuple_sock(q, ev);
	memcpy(a, ev->saddr, 16);
	memcpy(ev->saddr, ev->daddr, 16);
	memcpy(ev->daddr, a, 16);
	port = ev->sport;
	ev->sport = ev->dport;
	ev->dport = port;
	if (ev->state == 7)	/* TCP_CLOSE */
		ev->sent = false;
}

/*
 * A common field (type, pid, flags) of @rec: through the field the decoder
 * found once, else libtraceevent's own reader @lib. -1 if unreadable.
 */
static int common_num(const struct decoder *d, const struct tep_format_field *f,
		      struct tep_record *rec, int (*lib)(struct tep_handle *, struct tep_record *))
{
	unsigned long long v;

	if (!f)
		return lib(d->tep, rec);
	return rec_field_num(f, rec, &v) ? (int)v : -1;
}

static enum rst_context context_of(const struct decoder *d, struct tep_record *rec)
{
	int fl = common_num(d, d->common_flags, rec, tep_data_flags);

	if (fl < 0)
		return CTX_PROCESS;
	if (fl & TRACE_FLAG_NMI)
		return CTX_NMI;
	if (fl & TRACE_FLAG_HARDIRQ)
		return CTX_IRQ;
	if (fl & TRACE_FLAG_SOFTIRQ)
		return CTX_SOFTIRQ;
	return CTX_PROCESS;
}

/**
 * rst_on_wire() - the RST's flags, seq and ack as the kernel builds them.
 * @ev: a decoded reset; flags/seq/ack are set where they can be known
 *
 * Active (tcp_send_active_reset): RST|ACK, seq = tcp_acceptable_seq()
 * (snd_nxt while it is inside the peer's window; beyond it the kernel's
 * choice depends on the window scale, so it is left unknown), ack =
 * rcv_nxt. Passive (tcp_v{4,6}_send_reset): an incoming ACK gives a bare
 * RST with seq = its ack_seq; otherwise RST|ACK, seq 0, ack = seq + SYN +
 * FIN + payload length.
 */
void rst_on_wire(struct rst_event *ev)
{
	if (ev->tuple == TUPLE_SOCK) {
		ev->flags = TH_RST | TH_ACK;
		if (ev->sock.rcv) {
			ev->ack = ev->sock.rcv_nxt;
			ev->has_ack = true;
		}
		if (ev->sock.snd &&
		    (int32_t)(ev->sock.snd_una + ev->sock.snd_wnd - ev->sock.snd_nxt) >= 0) {
			ev->seq = ev->sock.snd_nxt;
			ev->has_seq = true;
		}
		return;
	}
	if (!ev->in.valid)
		return;
	if (ev->in.flags & TH_ACK) {
		ev->flags = TH_RST;
		ev->seq = ev->in.ack;
		ev->has_seq = true;
		return;
	}
	ev->flags = TH_RST | TH_ACK;
	ev->seq = 0;
	ev->has_seq = true;
	if (ev->in.payload < 0)
		return;
	ev->ack = ev->in.seq + !!(ev->in.flags & TH_SYN) + !!(ev->in.flags & TH_FIN) +
		  (uint32_t)ev->in.payload;
	ev->has_ack = true;
}

static void decode_stack(const struct decoder *d, const struct tep_record *r,
			 struct rst_event *ev)
{
	const struct tep_format_field *f = d->stack_caller;
	unsigned long long size = 0;
	int n, avail;

	ev->nstack = 0;
	if (!f || !rec_field_num(d->stack_size, r, &size))
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
/* the walk's fields are fp1..fpN in REC_FIELDS: as many as it goes deep */
_Static_assert(RF_fp8 - RF_fp1 + 1 == FP_WALK_MAX, "REC_FIELDS names fp1..fpN, N = FP_WALK_MAX");

static void decode_fp_walk(const struct rec *q, struct rst_event *ev)
{
	unsigned long long v;

	if (!rec_has(q, RF_fp1))
		return;
	ev->nstack = 0;
	if (ev->caller)
		ev->stack[ev->nstack++] = ev->caller;
	for (int k = 1; k <= FP_WALK_MAX && ev->nstack < MAX_STACK; k++) {
		if (!rec_num(q, (enum rec_fid)(RF_fp1 + k - 1), &v) || !v)
			break;
		ev->stack[ev->nstack++] = v;
	}
}

/* The connection conntrack called a segment of invalid: its original tuple. */
static void decode_ct(const struct rec *q, struct rst_evidence *evd)
{
	unsigned long long v;

	if (rec_num(q, RF_skb, &v))
		evd->skb = v;
	if (rec_num(q, RF_status, &v))
		evd->ct_status = v;
	if (rec_num(q, RF_osport, &v))
		evd->ct_sport = ntohs((uint16_t)v);
	if (rec_num(q, RF_odport, &v))
		evd->ct_dport = ntohs((uint16_t)v);
	if (!rec_num(q, RF_l3num, &v) || (v != AF_INET && v != AF_INET6) ||
	    !rec_addr6(q, RF_osa, RF_osb, evd->ct_src) || !rec_addr6(q, RF_oda, RF_odb, evd->ct_dst))
		return;
	evd->ct_family = v == AF_INET ? 4 : 6;
	if (evd->ct_family == 4) {	/* the address is the first 4 bytes of u3 */
		memset(evd->ct_src + 4, 0, 12);
		memset(evd->ct_dst + 4, 0, 12);
	}
}

static void decode_evidence(const struct probe_def *p, const struct rec *q,
			    struct rst_evidence *evd)
{
	unsigned long long v;

	memset(evd, 0, sizeof(*evd));
	evd->type = p->evidence;
	evd->ts_ns = q->r->ts;
	evd->state = -1;
	if (rec_num(q, RF_sk, &v))
		evd->sk = v;
	if (rec_num(q, RF_state, &v))
		evd->state = (int)v;
	if (rec_num(q, RF_num, &v))
		evd->num = (uint16_t)v;
	if (rec_num(q, RF_dport, &v))
		evd->dport = ntohs((uint16_t)v);
	if ((evd->has_qlen = rec_num(q, RF_qlen, &v)))
		evd->qlen = (uint32_t)v;
	if ((evd->has_linger2 = rec_num(q, RF_linger2, &v)))
		evd->linger2 = (int32_t)v;
	if ((evd->has_flags = rec_num(q, RF_flags, &v)))
		evd->flags = v;
	if ((evd->has_lingertime = rec_num(q, RF_lingertime, &v)))
		evd->lingertime = v;
	if (rec_num(q, RF_caller, &v))
		evd->caller = v;
	evd->has_file = rec_num(q, RF_sfile, &v) && v;
	if (evd->type == EVID_CT_INVALID)
		decode_ct(q, evd);
}

static void decode_reset(struct decoder *d, const struct probe_def *p, struct tep_record *rec,
			 const struct rec *q, const struct rec_fields *rf, struct rst_event *ev)
{
	unsigned long long v;

	memset(ev, 0, sizeof(*ev));
	ev->kind = p->kind;
	ev->tuple = p->tuple;
	ev->ts_ns = rec->ts;
	ev->cpu = rec->cpu;
	ev->pid = common_num(d, d->common_pid, rec, tep_data_pid);
	ev->context = context_of(d, rec);
	ev->state = -1;
	ev->sent = true;
	ev->unread = -1;
	ev->hook = -1;
	if (rec_num(q, RF_sk, &v))
		ev->sk = v;
	if (rec_num(q, RF_caller, &v))
		ev->caller = v;
	/* the socket's namespace, else the receiving device's; a faulting read
	 * stores 0 (before 4.20): no namespace has inode 0 */
	if ((ev->sk || p->tuple == TUPLE_NF4 || p->tuple == TUPLE_NF6) && rec_num(q, RF_netns, &v))
		ev->netns = (uint32_t)v;
	else if (!ev->sk && rec_num(q, RF_devns, &v))
		ev->netns = (uint32_t)v;
	decode_comm(q, ev);
	ev->reason = rec_num(q, RF_reason, &v) ? (int)v : -1;
	decode_fp_walk(q, ev);
	if (p->tuple == TUPLE_SEG4 || p->tuple == TUPLE_SEG6) {
		if (rec_num(q, RF_skb, &v))
			ev->skb = v;
		if ((ev->has_nfct = rec_num(q, RF_nfct, &v)))
			ev->nfct = v;
	}
	if (p->tuple == TUPLE_SOCK_IN)
		received(q, ev);
	else if (p->tuple == TUPLE_SOCK)
		tuple_sock(q, ev);
	else if (p->tuple == TUPLE_NF4 || p->tuple == TUPLE_NF6)
		firewall(q, rf, p->tuple == TUPLE_NF4 ? 4 : 6, ev);
	else
		tuple_segment(q, p->tuple == TUPLE_SEG4 ? 4 : 6, ev);
	/*
	 * The inode only of a full socket that still has its struct socket: a
	 * time-wait or request socket has no sk_socket (what is read there is
	 * not one), and a faulting read may leave its slot unwritten (4.20+).
	 */
	if (ev->sk && ev->state != 6 && ev->state != 12 && rec_num(q, RF_sock, &v) && v &&
	    rec_num(q, RF_ino, &v)) {
		ev->ino = v;
		ev->has_file = rec_num(q, RF_sfile, &v) && v;
	}
	if (p->tuple != TUPLE_SOCK_IN)
		rst_on_wire(ev);
}

/**
 * decode_record() - decode one raw record.
 * @d: the decoder
 * @rec: the record (data, size, ts, cpu)
 * @out: REC_RESET fills out->ev, REC_EVIDENCE out->evd; REC_STACK writes
 *       only out->ev.nstack/stack
 *
 * Return: what the record was.
 */
enum rec_type decode_record(struct decoder *d, struct tep_record *rec,
			    struct decoded *out)
{
	int type = common_num(d, d->common_type, rec, tep_data_type);
	struct rec_fields *rf;
	struct rec q;

	if (type == d->stack_id && type >= 0) {
		decode_stack(d, rec, &out->ev);
		return REC_STACK;
	}
	if (type == d->print_id && type >= 0) {
		struct tep_format_field *f;
		char buf[32];
		int len;

		/* "char buf[]" has size 0: the text runs to the record's end */
		f = d->print_buf;
		len = f ? rec->size - f->offset : 0;
		if (len <= 0)
			return REC_OTHER;
		if (len >= (int)sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, (char *)rec->data + f->offset, len);
		buf[len] = '\0';
		/* only our own clock-sync markers ("tcprst-sync N") */
		if (strncmp(buf, "tcprst-sync ", 12) || sscanf(buf + 12, "%d", &out->marker_seq) != 1)
			return REC_OTHER;
		out->ev.ts_ns = rec->ts;
		return REC_MARKER;
	}
	for (int i = 0; i < d->nprobes; i++) {
		const struct probe_def *p = d->probes[i].def;

		if (d->probes[i].id != type)
			continue;
		rf = &d->probes[i].rf;
		if (!rf->ready)
			rec_fields_find(rf, d->probes[i].e);
		q = (struct rec){ rf->f[RL_MAIN], rec };
		if (p->role == ROLE_EVIDENCE) {
			decode_evidence(p, &q, &out->evd);
			return REC_EVIDENCE;
		}
		decode_reset(d, p, rec, &q, rf, &out->ev);
		return REC_RESET;
	}
	return REC_OTHER;
}
