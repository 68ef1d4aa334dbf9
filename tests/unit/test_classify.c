// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * classify(), the evidence store and the RST as on the wire, on events
 * built field by field: every rule, and the cases where evidence is
 * missing or ambiguous must give "unknown", never another cause. (The
 * replay test runs the same code on recorded kernel data.)
 */
#include <stdio.h>
#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "decode.h"
#include "output.h"
#include "pipeline.h"
#include "tap.h"

void test_classify(void);

enum { EST = 1, SYN_SENT = 2, FW2 = 5, TW = 6, CLOSE = 7, CLOSE_WAIT = 8, LISTEN = 10 };

struct ccase {
	const char *what;
	const char *kind, *caller;
	int sk, state;
	int close_state;	/* close() evidence: -1 none */
	int linger2;
	const char *disc_by;	/* tcp_disconnect evidence: its caller, NULL none */
	int rcv_diff;		/* rcv_nxt - copied_seq at the reset, -1 not read */
	int in_flags, in_len;	/* the answered segment, -1 none */
	bool complete;
	const char *want;
};

static const struct ccase cases[] = {
	{ "linger 0 close", "active", "tcp_disconnect", 1, CLOSE, -1, 0, "__tcp_close", 5, -1, 0, false, "linger-zero" },
	{ "linger 0 on 3.10/4.14", "active", "tcp_disconnect", 1, CLOSE, -1, 0, "tcp_close", 5, -1, 0, false, "linger-zero" },
	{ "connect(AF_UNSPEC)", "active", "tcp_disconnect", 1, CLOSE, -1, 0, "__inet_stream_connect", 0, -1, 0, false, "disconnect" },
	{ "listener closed, 4.14+", "active", "tcp_disconnect", 1, CLOSE, -1, 0, "inet_child_forget", 0, -1, 0, false, "listener-close" },
	{ "listener closed, 3.10", "active", "tcp_disconnect", 1, CLOSE, -1, 0, "inet_csk_listen_stop", 0, -1, 0, false, "listener-close" },
	{ "tcp_disconnect without its evidence", "active", "tcp_disconnect", 1, CLOSE, -1, 0, NULL, 0, -1, 0, true, "unknown" },
	{ "tcp_disconnect from elsewhere", "active", "tcp_disconnect", 1, CLOSE, -1, 0, "mptcp_close", 0, -1, 0, true, "unknown" },
	{ "close with 1 byte unread", "active", "__tcp_close", 1, CLOSE, EST, 0, NULL, 1, -1, 0, false, "unread-data" },
	{ "close with data and a FIN unread", "active", "tcp_close", 1, CLOSE, CLOSE_WAIT, 0, NULL, 2, -1, 0, false, "unread-data" },
	{ "only the FIN unread: not unread data", "active", "__tcp_close", 1, CLOSE, CLOSE_WAIT, 0, NULL, 1, -1, 0, false, "memory" },
	{ "FIN_WAIT2 close, TCP_LINGER2 -1", "active", "__tcp_close", 1, CLOSE, FW2, -1, NULL, 0, -1, 0, false, "linger2" },
	{ "TCP_LINGER2 -1 but not in FIN_WAIT2: ambiguous", "active", "__tcp_close", 1, CLOSE, EST, -1, NULL, 0, -1, 0, true, "unknown" },
	{ "close evidence, nothing unread, linger2 >= 0", "active", "__tcp_close", 1, CLOSE, EST, 0, NULL, 0, -1, 0, false, "memory" },
	{ "no close evidence where the filter would have kept it", "active", "__tcp_close", 1, CLOSE, -1, 0, NULL, 0, -1, 0, true, "memory" },
	{ "no close evidence, filter not armed or events lost", "active", "__tcp_close", 1, CLOSE, -1, 0, NULL, 0, -1, 0, false, "unknown" },
	{ "close evidence but unread not readable", "active", "__tcp_close", 1, CLOSE, EST, 0, NULL, -1, -1, 0, true, "unknown" },
	{ "orphan out of resources", "active", "tcp_out_of_resources", 1, CLOSE, -1, 0, NULL, 0, -1, 0, false, "memory" },
	{ "keepalive probes unanswered", "active", "tcp_keepalive_timer", 1, EST, -1, 0, NULL, 0, -1, 0, false, "keepalive-timeout" },
	{ "orphan FIN_WAIT2 timed out", "active", "tcp_keepalive_timer", 1, FW2, -1, 0, NULL, 0, -1, 0, false, "finwait2-timeout" },
	{ "SOCK_DESTROY", "active", "tcp_abort", 1, EST, -1, 0, NULL, 0, -1, 0, false, "abort" },
	{ "active from an unknown caller", "active", "mystery_fn", 1, EST, -1, 0, NULL, 0, -1, 0, true, "unknown" },
	{ "unresolved caller", "active", NULL, 1, EST, -1, 0, NULL, 0, -1, 0, true, "unknown" },
	{ "SYN to a closed port", "passive", "tcp_v4_rcv", 0, -1, -1, 0, NULL, -1, 0x02, 0, false, "no-socket" },
	{ "IPv6 segment, no socket", "passive", "tcp_v6_rcv", 0, -1, -1, 0, NULL, -1, 0x18, 3, false, "no-socket" },
	{ "data to a time-wait socket", "passive", "tcp_v4_rcv", 1, TW, -1, 0, NULL, -1, 0x18, 1, false, "timewait" },
	{ "tcp_v4_rcv with a full socket", "passive", "tcp_v4_rcv", 1, EST, -1, 0, NULL, -1, 0x10, 0, true, "unknown" },
	{ "ACK to a listener", "passive", "tcp_v4_do_rcv", 1, LISTEN, -1, 0, NULL, -1, 0x10, 0, false, "listener-non-syn" },
	{ "bad ACK to SYN_SENT", "passive", "tcp_v6_do_rcv", 1, SYN_SENT, -1, 0, NULL, -1, 0x10, 0, false, "syn-sent-bad-ack" },
	{ "data after shutdown", "passive", "tcp_v4_do_rcv", 1, CLOSE, -1, 0, NULL, -1, 0x18, 1, false, "data-after-close" },
	{ "CLOSE without data: not data-after-close", "passive", "tcp_v4_do_rcv", 1, CLOSE, -1, 0, NULL, -1, 0x10, 0, true, "unknown" },
	{ "SYN to a request socket", "passive", "tcp_check_req", 1, LISTEN, -1, 0, NULL, -1, 0x02, 0, false, "embryonic" },
	{ "final ACK, accept queue full, abort_on_overflow", "passive", "tcp_check_req", 1, LISTEN, -1, 0, NULL, -1, 0x10, 0, false, "accept-overflow" },
	{ "tcp_check_req, segment not read", "passive", "tcp_check_req", 1, LISTEN, -1, 0, NULL, -1, -1, 0, true, "unknown" },
	{ "a passive rule never names an active reset", "active", "tcp_v4_rcv", 0, -1, -1, 0, NULL, 0, -1, 0, true, "unknown" },
	{ "iptables REJECT", "firewall", "reject_tg", 0, -1, -1, 0, NULL, -1, 0x02, 0, false, "firewall-reject" },
	{ "nftables reject, caller unresolved", "firewall", NULL, 0, -1, -1, 0, NULL, -1, 0x10, 5, false, "firewall-reject" },
	{ "RST answering our SYN", "received", "tcp_rcv_state_process", 1, SYN_SENT, -1, 0, NULL, -1, -1, 0, false, "refused" },
	{ "RST to an established socket", "received", "tcp_validate_incoming", 1, EST, -1, 0, NULL, -1, -1, 0, false, "peer-reset" },
	{ "RST to an established socket, inlined", "received", "tcp_rcv_established", 1, EST, -1, 0, NULL, -1, -1, 0, false, "peer-reset" },
	{ "a received RST from elsewhere (mptcp)", "received", "mptcp_incoming_options", 1, EST, -1, 0, NULL, -1, -1, 0, true, "unknown" },
	{ "a received rule never names a sent reset", "passive", "tcp_validate_incoming", 1, EST, -1, 0, NULL, -1, -1, 0, true, "unknown" },
};

static void run_case(const struct ccase *c)
{
	struct rst_event ev;
	struct classify_ctx ctx = { .close_complete = c->complete };

	memset(&ev, 0, sizeof(ev));
	ev.kind = c->kind;
	ev.caller_fn = c->caller;
	ev.sk = c->sk ? 0xffff888000001000ull : 0;
	ev.state = c->state;
	if (c->close_state >= 0) {
		ev.ev_close.type = EVID_CLOSE;
		ev.ev_close.state = c->close_state;
		ev.ev_close.has_linger2 = true;
		ev.ev_close.linger2 = c->linger2;
	}
	if (c->disc_by) {
		ev.ev_disc.type = EVID_DISCONNECT;
		ev.disc_caller_fn = c->disc_by;
	}
	if (c->rcv_diff >= 0) {
		ev.sock.rcv = true;
		ev.sock.copied = 0xfffffff0u;	/* across the wrap */
		ev.sock.rcv_nxt = ev.sock.copied + (uint32_t)c->rcv_diff;
	}
	if (c->in_flags >= 0) {
		ev.in.valid = true;
		ev.in.flags = (uint8_t)c->in_flags;
		ev.in.payload = c->in_len;
	}
	classify(&ev, &ctx);
	is_str(ev.cause, c->want, "classify: %s -> %s", c->what, c->want);
	/* resets close() sends, and those it does not (memory: both) */
	if (strcmp(c->want, "memory") && strcmp(c->want, "unknown")) {
		bool want_close = !strcmp(c->want, "linger-zero") || !strcmp(c->want, "unread-data") ||
				  !strcmp(c->want, "linger2");

		ok(classify_in_close(&ev) == want_close, "classify: %s %s sent inside close()",
		   c->what, want_close ? "is" : "is not");
	}
	if (strcmp(c->want, "unknown"))
		ok(ev.rule && ev.rule->explain && !strcmp(ev.rule->cause, c->want),
		   "classify: %s has its rule and explanation", c->what);
}

static void test_evidence(void)
{
	static struct evidence_store s;
	struct rst_evidence e, got;
	struct rst_event ev;

	memset(&s, 0, sizeof(s));
	memset(&e, 0, sizeof(e));
	e.type = EVID_CLOSE;
	e.sk = 0x1000;
	e.num = 80;
	e.dport = 5000;
	e.ts_ns = 100;
	e.state = EST;
	evidence_add(&s, &e);
	e.ts_ns = 200;
	e.state = FW2;
	evidence_add(&s, &e);
	e.ts_ns = 300;		/* after the reset below */
	evidence_add(&s, &e);
	e.num = 81;		/* another connection at the same address */
	e.ts_ns = 150;
	evidence_add(&s, &e);

	memset(&ev, 0, sizeof(ev));
	ev.sk = 0x1000;
	ev.sport = 80;
	ev.dport = 5000;
	ev.ts_ns = 250;
	ok(evidence_claim(&s, EVID_CLOSE, &ev, &got) && got.ts_ns == 200 && got.state == FW2,
	   "evidence: the latest record of the same socket and tuple before the reset");
	ok(!evidence_claim(&s, EVID_DISCONNECT, &ev, &got), "evidence: another type is not taken");
	ok(evidence_claim(&s, EVID_CLOSE, &ev, &got) && got.ts_ns == 100,
	   "evidence: a claimed record is gone; the next older one remains");
	ok(!evidence_claim(&s, EVID_CLOSE, &ev, &got),
	   "evidence: neither a later record nor another tuple at the same address");
	ev.sk = 0;
	ok(!evidence_claim(&s, EVID_CLOSE, &ev, &got), "evidence: none for a reset without socket");
	for (int i = 0; i < 3 * EVIDENCE_SLOTS; i++) {
		e.sk = 0x2000 + (uint64_t)i;
		evidence_add(&s, &e);
	}
	ev.sk = 0x1000;
	ev.sport = 81;
	ev.ts_ns = 1000;
	ok(!evidence_claim(&s, EVID_CLOSE, &ev, &got), "evidence: the store is bounded, old records are forgotten");
}

static void test_wire(void)
{
	struct rst_event ev;
	char fl[16];

	memset(&ev, 0, sizeof(ev));
	ev.tuple = TUPLE_SEG4;
	ev.in = (struct rst_segment){ true, 1000, 777, 0x02, 0 };
	rst_on_wire(&ev);
	tcp_flags_str(ev.flags, fl, sizeof(fl));
	ok(!strcmp(fl, "R.") && ev.has_seq && ev.seq == 0 && ev.has_ack && ev.ack == 1001,
	   "wire: a SYN is answered RST|ACK, seq 0, ack = seq + 1 (%s %u %u)", fl, ev.seq, ev.ack);
	memset(&ev, 0, sizeof(ev));
	ev.tuple = TUPLE_SEG6;
	ev.in = (struct rst_segment){ true, 5000, 0xdeadbeef, 0x18, 100 };
	rst_on_wire(&ev);
	tcp_flags_str(ev.flags, fl, sizeof(fl));
	ok(!strcmp(fl, "R") && ev.seq == 0xdeadbeef && !ev.has_ack,
	   "wire: a segment with ACK is answered by a bare RST with seq = its ack");
	memset(&ev, 0, sizeof(ev));
	ev.tuple = TUPLE_SEG4;
	ev.in = (struct rst_segment){ true, 0xfffffffe, 0, 0x01, 3 };
	rst_on_wire(&ev);
	ok(ev.ack == 2 && ev.has_ack, "wire: FIN and payload count, modulo 2^32");
	ev.in.payload = -1;
	ev.has_ack = false;
	rst_on_wire(&ev);
	ok(!ev.has_ack, "wire: no ack when the payload length is unknown");
	memset(&ev, 0, sizeof(ev));
	ev.tuple = TUPLE_SOCK;
	ev.sock = (struct rst_sockseq){ true, true, 5000, 4000, 2000, 9000, 8000 };
	rst_on_wire(&ev);
	tcp_flags_str(ev.flags, fl, sizeof(fl));
	ok(!strcmp(fl, "R.") && ev.seq == 5000 && ev.ack == 9000,
	   "wire: active RST|ACK, seq = snd_nxt inside the window, ack = rcv_nxt");
	ev.sock.snd_wnd = 100;	/* snd_nxt beyond snd_una + snd_wnd */
	ev.has_seq = false;
	rst_on_wire(&ev);
	ok(!ev.has_seq, "wire: beyond the window the kernel's choice depends on the scale: unknown");
	tcp_flags_str(0xff, fl, sizeof(fl));
	is_str(fl, "FSRP.UEW", "flags in tcpdump's order");
}

/* A trace_marker record as the kernel writes it (ftrace/print, 6.1's format). */
static void test_marker(void)
{
	static const char fmt[] =
		"name: print\nID: 5\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;\n"
		"\tfield:char buf[];\toffset:16;\tsize:0;\tsigned:1;\n\n"
		"print fmt: \"%ps: %s\", (void *)REC->ip, REC->buf\n";
	struct tep_handle *tep = tep_alloc();
	unsigned char data[64] = { 5, 0 };
	struct tep_record rec = { .ts = 123456789, .data = data };
	static struct decoded out;
	struct decoder d;

	tep_set_long_size(tep, 8);
	ok(tep_parse_event(tep, fmt, sizeof(fmt) - 1, "ftrace") == 0, "marker: print format parses");
	decoder_init(&d, tep, "nogroup");
	memcpy(data + 16, "tcprst-sync 7\n", 14);
	rec.size = 16 + 14;
	ok(decode_record(&d, &rec, &out) == REC_MARKER && out.marker_seq == 7 && out.ev.ts_ns == 123456789,
	   "marker: our clock-sync marker is read with its number and time");
	memcpy(data + 16, "someone else's\n", 15);
	rec.size = 16 + 15;
	ok(decode_record(&d, &rec, &out) == REC_OTHER, "marker: another writer's text is not ours");
	tep_free(tep);
}

/* A fake marker writer: the first @slow writes take 3 ms (preempted). */
struct fake_marks { int calls, slow, last_seq; int64_t t0[8], t1[8]; };

static int fake_mark(void *ctx, int seq)
{
	struct fake_marks *f = ctx;
	struct timespec d = { 0, 3000000 };
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	f->t0[f->calls] = t.tv_sec * 1000000000LL + t.tv_nsec;
	if (f->calls < f->slow)
		nanosleep(&d, NULL);
	clock_gettime(CLOCK_REALTIME, &t);
	f->t1[f->calls++] = t.tv_sec * 1000000000LL + t.tv_nsec;
	f->last_seq = seq;
	return 0;
}

/* The clock sync tries again while its marker's write was slow. */
static void test_sync(void)
{
	static struct pipeline p;
	struct fake_marks f = { .slow = 2 };

	p.sync_mark = fake_mark;
	p.sync_ctx = &f;
	pipeline_sync(&p);
	ok(f.calls == 3 && p.sync.seq == 3 && f.last_seq == 3,
	   "sync: two slow marker writes tried again, the third counts (%d writes, seq %d)", f.calls, p.sync.seq);
	ok(p.sync.wall >= f.t0[2] - 1000000 && p.sync.wall <= f.t1[2] + 1000000,
	   "sync: wall time taken around the write that counts");
	f = (struct fake_marks){ .slow = 9 };
	pipeline_sync(&p);
	ok(f.calls == 4 && p.sync.seq == 7, "sync: at most four tries (%d)", f.calls);
	p.clock_mono = true;
	f.calls = 0;
	pipeline_sync(&p);
	ok(f.calls == 0, "sync: no marker for the mono clock");
}

/* A no-socket reset behind NAT: conntrack called its segment invalid. */
static void test_ct(void)
{
	static struct evidence_store s;
	struct classify_ctx ctx = { false };
	struct rst_evidence e;
	struct rst_event ev;
	char buf[64];

	memset(&s, 0, sizeof(s));
	memset(&e, 0, sizeof(e));
	e.type = EVID_CT_INVALID;
	e.skb = 0xffff888000a00000ull;
	e.ts_ns = 100;
	e.ct_family = 4;
	inet_pton(AF_INET, "10.99.0.1", e.ct_src);	/* client:40000 -> 10.99.0.2:1112 */
	inet_pton(AF_INET, "10.99.0.2", e.ct_dst);
	e.ct_sport = 40000;
	e.ct_dport = 1112;
	e.ct_status = 1u << 5;				/* IPS_DST_NAT */
	evidence_add(&s, &e);

	memset(&ev, 0, sizeof(ev));
	ev.kind = "passive";
	ev.caller_fn = "tcp_v4_rcv";
	ev.family = 4;
	ev.skb = e.skb;
	ev.ts_ns = 200;
	inet_pton(AF_INET, "10.99.0.2", ev.saddr);	/* the RST, from the untranslated address */
	inet_pton(AF_INET, "10.99.0.1", ev.daddr);
	ev.sport = 1112;
	ev.dport = 40000;
	ev.has_nfct = true;
	ev.nfct = 0;
	ev.dport = 40001;
	ok(!evidence_claim(&s, EVID_CT_INVALID, &ev, &ev.ev_ct), "ct: another connection's tuple is not taken");
	ev.dport = 40000;
	ev.skb = e.skb + 0x100;
	ok(!evidence_claim(&s, EVID_CT_INVALID, &ev, &ev.ev_ct), "ct: another segment is not taken");
	ev.skb = e.skb;
	ok(evidence_claim(&s, EVID_CT_INVALID, &ev, &ev.ev_ct), "ct: the same segment, the RST reversing its original tuple");
	classify(&ev, &ctx);
	ok(!strcmp(ev.cause, "no-socket") && ev.nat && !strcmp(ev.nat, "conntrack-invalid"),
	   "ct: no-socket, sub-reason conntrack-invalid (%s)", ev.nat ? ev.nat : "none");
	ok(strstr(cause_explain(&ev, buf, sizeof(buf)), "nf_conntrack_tcp_be_liberal") != NULL,
	   "ct: --explain names the remedies");
	ev.nfct = 0xffff888000b00002ull;		/* an entry attached after all: no claim of NAT */
	classify(&ev, &ctx);
	ok(!ev.nat, "ct: not conntrack-invalid when the segment still has an entry");
	ev.has_nfct = false;				/* the attachment not read: nothing said */
	ev.nfct = 0;
	classify(&ev, &ctx);
	ok(!ev.nat, "ct: not conntrack-invalid when its attachment was not read");
	ev.ev_ct.type = EVID_NONE;
	ev.has_nfct = true;
	classify(&ev, &ctx);
	ok(!ev.nat && !strcmp(ev.cause, "no-socket"), "ct: without the invalid record, plain no-socket");
}

void test_classify(void)
{
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	for (size_t i = 0; i < cause_rules_len; i++) {
		bool seen = false;

		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			seen |= !strcmp(cases[k].want, cause_rules[i].cause);
		ok(seen, "rule %zu (%s) has a case", i, cause_rules[i].cause);
	}
	is_str(fn_name("tcp_v4_rcv.part.0+0x10 [mod]", buf, sizeof(buf)), "tcp_v4_rcv", "function name without suffixes");
	is_str(fn_name("__tcp_close+0x243", buf, sizeof(buf)), "__tcp_close", "function name of an offset");
	ok(fn_name(NULL, buf, sizeof(buf)) == NULL, "no symbol, no name");
	test_evidence();
	test_ct();
	test_wire();
	test_marker();
	test_sync();
}
