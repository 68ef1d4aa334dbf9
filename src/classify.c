// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cause of a reset (pure, table-driven): from its kind, its direct
 * caller, the socket's state and the evidence read before it (close() and
 * tcp_disconnect() entry). A cause is never guessed: no matching rule, or
 * evidence that is missing, gives "unknown".
 *
 * The rules follow the kernel's code paths (net/ipv4/tcp.c __tcp_close,
 * tcp_disconnect, tcp_abort; tcp_timer.c; tcp_ipv4.c / tcp_ipv6.c
 * tcp_v{4,6}_rcv and _do_rcv; tcp_minisocks.c tcp_check_req), the same
 * from 3.10 to 6.12; see README.md for each cause.
 */
#include <stdio.h>
#include <string.h>

#include "classify.h"

enum { S_ESTABLISHED = 1, S_SYN_SENT = 2, S_FIN_WAIT2 = 5, S_TIME_WAIT = 6, S_CLOSE = 7,
       S_CLOSE_WAIT = 8, S_LAST_ACK = 9, S_LISTEN = 10, S_CLOSING = 11 };

#define TH_SYN 0x02
#define NFCT_INFOMASK 7ULL	/* skb->_nfct: the ctinfo bits below the pointer */
#define SOCK_LINGER_BIT 4	/* enum sock_flags, the same since 2.6 */

static const char *const by_close[] = { "tcp_close", "__tcp_close", NULL };
static const char *const by_connect[] = { "__inet_stream_connect", "inet_stream_connect", NULL };
static const char *const by_listener[] = { "inet_child_forget", "inet_csk_listen_stop", NULL };
static const char *const c_disconnect[] = { "tcp_disconnect", NULL };
/* tcp_out_of_resources may be inlined into the timers that call it */
static const char *const c_oom_timer[] = { "tcp_out_of_resources", "tcp_write_timeout",
	"tcp_retransmit_timer", "tcp_probe_timer", "tcp_write_timer_handler", NULL };
static const char *const c_keepalive[] = { "tcp_keepalive_timer", NULL };
static const char *const c_abort[] = { "tcp_abort", NULL };
static const char *const c_rcv[] = { "tcp_v4_rcv", "tcp_v6_rcv", NULL };
static const char *const c_do_rcv[] = { "tcp_v4_do_rcv", "tcp_v6_do_rcv", NULL };
static const char *const c_check_req[] = { "tcp_check_req", NULL };
/* tcp_reset()'s callers (the static ones may be inlined into the others) */
static const char *const c_reset_in[] = { "tcp_validate_incoming", "tcp_rcv_established",
	"tcp_rcv_synsent_state_process", "tcp_rcv_state_process", NULL };

const struct cause_rule cause_rules[] = {
	{ "active", c_disconnect, T_DISC_BY, -1, by_close, "linger-zero", "tcp_state",
	  "close() with SO_LINGER {1,0}: the application asked for an abortive close; check its linger setting" },
	{ "active", c_disconnect, T_DISC_BY, -1, by_connect, "disconnect", "tcp_state",
	  "connect(AF_UNSPEC) on a connected socket: the application dissolved the connection; check why it disconnects" },
	{ "active", c_disconnect, T_DISC_BY, -1, by_listener, "listener-close", "tcp_state",
	  "a listening socket was closed with connections it had not accepted: each is reset; check that the server accepts (or drains) before it closes or restarts" },
	{ "active", by_close, T_UNREAD, -1, NULL, "unread-data", "tcp_abort_on_close",
	  "close() with data the application never read: the kernel aborts instead of sending a FIN; check that the application reads all input before closing" },
	{ "active", by_close, T_LINGER2, -1, NULL, "linger2", "tcp_abort_on_linger",
	  "close() in FIN_WAIT2 with TCP_LINGER2 < 0: abort instead of waiting for the peer's FIN; check the TCP_LINGER2 setting" },
	{ "active", by_close, T_MEMORY, -1, NULL, "memory", "tcp_abort_on_memory",
	  "close() found too many orphaned sockets or TCP memory exhausted: check net.ipv4.tcp_max_orphans, tcp_mem and /proc/net/sockstat" },
	{ "active", c_oom_timer, T_ANY, -1, NULL, "memory", "tcp_abort_on_memory",
	  "a timer of an orphaned connection found too many orphans or TCP memory exhausted: check net.ipv4.tcp_max_orphans, tcp_mem and /proc/net/sockstat" },
	{ "active", c_keepalive, T_STATE, S_FIN_WAIT2, NULL, "finwait2-timeout", "tcp_state",
	  "an orphaned connection waited in FIN_WAIT2 longer than tcp_fin_timeout (or TCP_LINGER2): the peer never sent its FIN; check the peer's close" },
	{ "active", c_keepalive, T_ANY, -1, NULL, "keepalive-timeout", "tcp_keepalive_timeout",
	  "keepalive probes (or TCP_USER_TIMEOUT) went unanswered: the peer or the path to it is gone; check the peer and the network between" },
	{ "active", c_abort, T_ANY, -1, NULL, "abort", "tcp_state",
	  "the socket was destroyed from outside (sock_diag SOCK_DESTROY, e.g. ss -K): check who kills sockets on this host" },
	{ "passive", c_rcv, T_NO_SOCKET, -1, NULL, "no-socket", "no_socket",
	  "a segment arrived for which no socket exists (closed port, a connection already gone, or traffic a NAT rule did not translate): check that the service listens, and what the peer still thinks is open" },
	{ "passive", c_rcv, T_STATE, S_TIME_WAIT, NULL, "timewait", "tcp_timewait_socket",
	  "a segment TCP must refuse arrived for a connection in TIME_WAIT (new data after this side closed): check the peer's half-close handling" },
	{ "passive", c_do_rcv, T_STATE, S_LISTEN, NULL, "listener-non-syn", "tcp_flags",
	  "a listening socket got a segment without SYN (a stale client, or an ACK to a handshake the listener no longer knows): check for clients reusing old connections, SYN cookies and accept-queue drops" },
	{ "passive", c_do_rcv, T_STATE, S_SYN_SENT, NULL, "syn-sent-bad-ack", "tcp_invalid_ack_sequence",
	  "a connecting socket got an ACK that does not acknowledge its SYN: check for a stale peer or a middlebox rewriting sequence numbers" },
	{ "passive", c_do_rcv, T_DATA_IN, S_CLOSE, NULL, "data-after-close", "tcp_abort_on_data",
	  "data arrived after this side had shut down reading (close() or shutdown(SHUT_RD)): the peer sent data nobody will read; check the protocol's shutdown order" },
	{ "passive", c_check_req, T_SYN_IN, -1, NULL, "embryonic", "invalid_syn",
	  "a SYN arrived for a connection still in its handshake: check the peer for duplicate or misdirected SYNs" },
	/* 6.12 passes invalid_syn here too: tcp_check_req() has one reset */
	{ "passive", c_check_req, T_NO_SYN_IN, -1, NULL, "accept-overflow", "invalid_syn",
	  "the handshake's last ACK could not become a connection (accept queue full, or the child could not be made) and net.ipv4.tcp_abort_on_overflow is 1: check the listener's backlog and how fast the application accepts" },
	{ "firewall", NULL, T_ANY, -1, NULL, "firewall-reject", NULL,
	  "a firewall rule rejected the segment with a TCP reset (iptables/ip6tables REJECT --reject-with tcp-reset, or nftables reject with tcp reset; the caller says which) at the hook shown: TCP never saw it; check the ruleset (iptables-save, nft list ruleset) for the rule that matches this tuple" },
	{ "received", c_reset_in, T_STATE, S_SYN_SENT, NULL, "refused", NULL,
	  "our connection attempt was answered with a RST (the application sees ECONNREFUSED): nothing listens there, or a firewall rejects; check the service and the path" },
	{ "received", c_reset_in, T_ANY, -1, NULL, "peer-reset", NULL,
	  "the peer reset this connection (the application sees ECONNRESET or EPIPE): why is on the peer's side; run tcprst there, or look at its kind and cause if it is this host" },
};
const size_t cause_rules_len = sizeof(cause_rules) / sizeof(cause_rules[0]);

/**
 * fn_name() - the function of a symbolized address, without compiler suffixes.
 * @sym: "tcp_close+0x1f", "tcp_v4_rcv.part.0+0x10 [mod]", or NULL
 * @buf, @len: output
 *
 * Return: @buf, or NULL if @sym is NULL.
 */
const char *fn_name(const char *sym, char *buf, size_t len)
{
	size_t n;

	if (!sym)
		return NULL;
	n = strcspn(sym, "+. ");
	if (n >= len)
		n = len - 1;
	memcpy(buf, sym, n);
	buf[n] = '\0';
	return buf;
}

static bool in(const char *name, const char *const *list)
{
	for (; name && list && *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

/**
 * evidence_add() - remember an evidence record (the oldest is forgotten).
 * @s: the store
 * @e: the record
 */
void evidence_add(struct evidence_store *s, const struct rst_evidence *e)
{
	s->live += (s->e[s->next].type == EVID_NONE) - (e->type == EVID_NONE);
	s->e[s->next] = *e;
	s->next = (s->next + 1) % EVIDENCE_SLOTS;
}

/* Is @e, read before @ev, evidence of the kind @type for it? */
static bool matches(const struct rst_evidence *e, enum evidence_type type,
		    const struct rst_event *ev)
{
	if (e->type != type || e->ts_ns > ev->ts_ns)
		return false;
	if (type != EVID_CT_INVALID)	/* the same socket and connection */
		return e->sk == ev->sk && e->num == ev->sport && e->dport == ev->dport;
	/* the same segment, of the connection whose original tuple the RST reverses */
	return e->skb == ev->skb && e->ct_family == ev->family && e->ct_dport == ev->sport &&
	       e->ct_sport == ev->dport && !memcmp(e->ct_dst, ev->saddr, 16) &&
	       !memcmp(e->ct_src, ev->daddr, 16);
}

/**
 * evidence_claim() - take the latest record of @type for @ev.
 * @s: the store
 * @type: EVID_CLOSE or EVID_DISCONNECT (of @ev's socket: its address,
 *        ports and time must match, a record read before the reset, of the
 *        same connection), or EVID_CT_INVALID (conntrack called @ev's
 *        segment invalid: the same skb, of the connection whose original
 *        tuple the RST reverses, i.e. sent to its original destination)
 * @ev: the reset
 * @out: the record, removed from the store
 *
 * Return: true if one was found.
 */
bool evidence_claim(struct evidence_store *s, enum evidence_type type,
		    const struct rst_event *ev, struct rst_evidence *out)
{
	int best = -1;

	if (!s->live || (type == EVID_CT_INVALID ? !ev->skb || !ev->family : !ev->sk))
		return false;
	for (int i = 0; i < EVIDENCE_SLOTS; i++)
		if (matches(&s->e[i], type, ev) && (best < 0 || s->e[i].ts_ns > s->e[best].ts_ns))
			best = i;
	if (best < 0)
		return false;
	*out = s->e[best];
	s->e[best].type = EVID_NONE;
	s->live--;
	return true;
}

/* Bytes close() found unread: rcv_nxt - copied_seq, less a FIN not yet read. */
static int64_t unread_bytes(const struct rst_event *ev)
{
	int st = ev->ev_close.state;
	uint32_t diff;

	if (ev->ev_close.type != EVID_CLOSE || !ev->sock.rcv)
		return -1;
	diff = ev->sock.rcv_nxt - ev->sock.copied;
	/* a FIN takes one sequence number; it is read only after all data */
	if (diff && (st == S_CLOSE_WAIT || st == S_LAST_ACK || st == S_CLOSING))
		diff--;
	return diff;
}

static bool test_rule(const struct cause_rule *r, const struct rst_event *ev,
		      const struct classify_ctx *ctx)
{
	const struct rst_evidence *c = &ev->ev_close;
	bool have_close = c->type == EVID_CLOSE;

	switch (r->test) {
	case T_ANY:
		return true;
	case T_NO_SOCKET:
		return !ev->sk;
	case T_STATE:
		return ev->sk && ev->state == r->state;
	case T_UNREAD:
		return ev->unread > 0;
	case T_LINGER2:
		return have_close && ev->unread == 0 && c->has_linger2 && c->linger2 < 0 &&
		       c->state == S_FIN_WAIT2;
	case T_MEMORY:
		/* the close probe keeps only closes with queued data or
		 * TCP_LINGER2 < 0: no record means neither, if none was lost */
		if (!have_close)
			return ctx->close_complete;
		return ev->unread == 0 && c->has_linger2 && c->linger2 >= 0;
	case T_DISC_BY:
		return ev->ev_disc.type == EVID_DISCONNECT && in(ev->disc_caller_fn, r->by);
	case T_SYN_IN:
		return ev->in.valid && (ev->in.flags & TH_SYN);
	case T_NO_SYN_IN:
		return ev->in.valid && !(ev->in.flags & TH_SYN);
	case T_DATA_IN:
		return ev->sk && ev->state == r->state && ev->in.payload > 0;
	}
	return false;
}

/**
 * classify() - name the cause of a reset.
 * @ev: the reset, with caller_fn/disc_caller_fn resolved and its evidence
 *      (ev_close, ev_disc) claimed; cause, rule and unread are set
 * @ctx: what the absence of evidence means in this run
 */
void classify(struct rst_event *ev, const struct classify_ctx *ctx)
{
	ev->unread = unread_bytes(ev);
	ev->rule = NULL;
	ev->cause = "unknown";
	for (size_t i = 0; i < cause_rules_len; i++) {
		const struct cause_rule *r = &cause_rules[i];

		/* no caller list: the probe alone decides (nf_send_reset is the firewall's) */
		if (!ev->kind || strcmp(r->kind, ev->kind) || (r->callers && !in(ev->caller_fn, r->callers)) ||
		    !test_rule(r, ev, ctx))
			continue;
		ev->rule = r;
		ev->cause = r->cause;
		break;
	}
	/*
	 * Behind NAT: conntrack called this very segment invalid, and it
	 * reached TCP with no conntrack entry attached, so no translation
	 * was applied and TCP looked for a socket at the address it was sent
	 * to.
	 */
	ev->nat = NULL;
	if (ev->rule && !strcmp(ev->cause, "no-socket") && ev->ev_ct.type == EVID_CT_INVALID &&
	    ev->has_nfct && !(ev->nfct & ~NFCT_INFOMASK))
		ev->nat = "conntrack-invalid";
}

/**
 * classify_in_close() - whether a reset was sent inside close(): its caller,
 * or the tcp_disconnect() that sent it, was called by tcp_close(). close()
 * runs in the task that dropped the socket's last file reference.
 * @ev: the reset, callers resolved
 */
bool classify_in_close(const struct rst_event *ev)
{
	return in(ev->caller_fn, by_close) ||
	       (ev->ev_disc.type == EVID_DISCONNECT && in(ev->disc_caller_fn, by_close));
}

/**
 * cause_explain() - one sentence on what happened and what to check.
 * @ev: a classified reset
 * @buf, @len: output (used for unknown causes)
 *
 * Return: the sentence.
 */
const char *cause_explain(const struct rst_event *ev, char *buf, size_t len)
{
	if (ev->nat && !strcmp(ev->nat, "conntrack-invalid"))
		return "conntrack called the segment invalid (out of its window), dropped its "
		       "entry, and so the NAT rule of its connection did not translate it: TCP found no "
		       "socket at the address it was sent to. Check for out-of-window traffic (lost or "
		       "reordered segments, a peer that kept a dead connection); the usual remedies, to "
		       "weigh: drop INVALID segments before they reach TCP (iptables -m conntrack "
		       "--ctstate INVALID -j DROP, nft ct state invalid drop), or "
		       "net.netfilter.nf_conntrack_tcp_be_liberal=1 (it stops marking out-of-window "
		       "segments invalid, for every connection)";
	if (ev->rule)
		return ev->rule->explain;
	snprintf(buf, len, "no rule explains a %s reset from %s%s: the stack (--stack) shows the path",
		 ev->kind ? ev->kind : "?", ev->caller_fn ? ev->caller_fn : "an unresolved caller",
		 ev->sk ? "" : " without a socket");
	return buf;
}
