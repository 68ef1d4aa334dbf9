// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output: a table for people, JSON Lines for scripts (schema in README.md
 * and tcprst.8). One table of fields drives both: a new field is one row.
 * One call per reset; the caller flushes.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "output.h"

#define SOCK_LINGER_BIT 4	/* enum sock_flags, the same since 2.6 */

/* A code address as "func+0xoff", else in hex; @plain (if not NULL): JSON needs no escape in it. */
static const char *sym_or_hex_plain(const struct output *o, uint64_t addr, char *buf, size_t len,
				    bool *plain)
{
	bool pl = false;
	const char *s = o->sym ? o->sym(o->symctx, addr, &pl) : NULL;

	if (plain)
		*plain = s ? pl : true;
	if (s)
		return s;
	snprintf(buf, len, "0x%" PRIx64, addr);
	return buf;
}

static const char *sym_or_hex(const struct output *o, uint64_t addr, char *buf, size_t len)
{
	return sym_or_hex_plain(o, addr, buf, len, NULL);
}

/* "dir/file.c:line" of a code address, from the debug vmlinux; NULL if unknown */
static const char *line_of(const struct output *o, uint64_t addr, char *buf, size_t len)
{
	if (!o->lines)
		return NULL;
	return srclines_lookup(o->lines, addr, o->sym ? o->sym(o->symctx, addr, NULL) : NULL, buf, len);
}

/* ---- the fields ---------------------------------------------------------- */

/* A field's value: null, a string or a number. */
struct val {
	enum { V_NULL, V_STR, V_INT } t;
	bool plain;	/* a string of ours: printable ASCII, no quote or backslash */
	const char *s;
	long long i;
	char buf[160];
};

typedef void (*get_fn)(const struct output *o, const struct rst_event *ev, struct val *v);

static void v_str(struct val *v, const char *s) { v->t = s ? V_STR : V_NULL; v->s = s; v->plain = false; }
/* our own vocabulary, numbers and addresses: written without escaping */
static void v_plain(struct val *v, const char *s) { v_str(v, s); v->plain = true; }
static void v_int(struct val *v, long long i) { v->t = V_INT; v->i = i; }

static void get_time(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	format_time_iso(ev->wall_ns, v->buf, sizeof(v->buf));
	v_plain(v, v->buf);
}

static void get_time_local(const struct output *o, const struct rst_event *ev, struct val *v)
{
	time_t sec = (time_t)(ev->wall_ns / 1000000000);
	struct tm tm;
	size_t n;

	(void)o;
	localtime_r(&sec, &tm);
	n = strftime(v->buf, sizeof(v->buf), "%H:%M:%S", &tm);
	snprintf(v->buf + n, sizeof(v->buf) - n, ".%06ld", (long)(ev->wall_ns % 1000000000 / 1000));
	v_str(v, v->buf);
}

static void get_kind(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_plain(v, ev->kind);
}

static void get_cause(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_plain(v, ev->cause ? ev->cause : "unknown");
}

static void get_nat(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_plain(v, ev->nat);
}

static void get_family(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	if (ev->family)
		v_int(v, ev->family);
}

static void addr(const struct rst_event *ev, const unsigned char *a, struct val *v)
{
	if (!ev->family)
		return;
	format_addr(ev->family, a, v->buf, sizeof(v->buf));
	v_plain(v, v->buf);
}

static void get_saddr(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	addr(ev, ev->saddr, v);
}

static void get_daddr(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	addr(ev, ev->daddr, v);
}

static void get_sport(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	if (ev->sport)
		v_int(v, ev->sport);
}

static void get_dport(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_int(v, ev->dport);
}

static void get_af(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_str(v, ev->family == 4 ? "4" : ev->family == 6 ? "6" : "?");
}

static void get_tuple(const struct output *o, const struct rst_event *ev, struct val *v)
{
	char sa[INET6_ADDRSTRLEN], da[INET6_ADDRSTRLEN];
	const char *fmt = ev->family == 6 ? "[%s]:%u > [%s]:%u" : "%s:%u > %s:%u";

	(void)o;
	format_addr(ev->family, ev->saddr, sa, sizeof(sa));
	format_addr(ev->family, ev->daddr, da, sizeof(da));
	snprintf(v->buf, sizeof(v->buf), fmt, sa, ev->sport, da, ev->dport);
	v_str(v, v->buf);
}

static void get_state(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_plain(v, tcp_state_name(ev->state));
}

static void get_flags(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	if (!ev->flags)
		return;
	tcp_flags_str(ev->flags, v->buf, sizeof(v->buf));
	v_plain(v, v->buf);
}

static void get_seq(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	if (ev->has_seq)
		v_int(v, ev->seq);
}

static void get_ack(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	if (ev->has_ack)
		v_int(v, ev->ack);
}

static void get_context(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_plain(v, context_name(ev->context));
}

static void get_pid(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_int(v, ev->pid);
}

static void get_comm(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	v_str(v, ev->has_comm ? ev->comm : NULL);
}

/* The table names the task only where the reset ran in it. */
static void get_pid_table(const struct output *o, const struct rst_event *ev, struct val *v)
{
	if (ev->context == CTX_PROCESS)
		get_pid(o, ev, v);
}

static void get_comm_table(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	if (ev->context != CTX_PROCESS) {
		snprintf(v->buf, sizeof(v->buf), "(%s)", context_name(ev->context));
		v_str(v, v->buf);
		return;
	}
	/* a task name can hold anything: keep the table on one line */
	snprintf(v->buf, sizeof(v->buf), "%s", ev->has_comm ? ev->comm : "-");
	for (char *p = v->buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	v_str(v, v->buf);
}

static void get_netns(const struct output *o, const struct rst_event *ev, struct val *v)
{
	(void)o;
	if (ev->netns)
		v_int(v, ev->netns);
}

static void get_reason(const struct output *o, const struct rst_event *ev, struct val *v)
{
	v_str(v, o->caps && ev->reason >= 0 ? caps_reason_name(o->caps, (unsigned)ev->reason) : NULL);
}

static void get_caller(const struct output *o, const struct rst_event *ev, struct val *v)
{
	bool plain;
	const char *s = sym_or_hex_plain(o, ev->caller, v->buf, sizeof(v->buf), &plain);

	if (plain)
		v_plain(v, s);
	else
		v_str(v, s);
}

static void get_caller_line(const struct output *o, const struct rst_event *ev, struct val *v)
{
	v_str(v, line_of(o, ev->caller, v->buf, sizeof(v->buf)));
}

static void get_explain(const struct output *o, const struct rst_event *ev, struct val *v)
{
	if (o->explain)
		v_str(v, cause_explain(ev, v->buf, sizeof(v->buf)));
}

/*
 * One row per field: its JSON key and/or table column. A column of width
 * 0 is the last one. JSON-only rows whose value is an object or array
 * have a put function instead.
 */
struct out_field {
	struct jw_keyq key;	/* JSON, n 0: table only */
	const char *head;	/* table, NULL: JSON only */
	int width;
	get_fn get;
	void (*put)(const struct output *o, const struct rst_event *ev, struct jw *w);
	bool when_explain;	/* only with --explain */
};

static void put_evidence(const struct output *o, const struct rst_event *ev, struct jw *w);
static void put_owner(const struct output *o, const struct rst_event *ev, struct jw *w);
static void put_stack(const struct output *o, const struct rst_event *ev, struct jw *w);

#define K(k) JW_KEYQ(k)
#define NOKEY { "", 0 }
static const struct out_field fields[] = {
	{ K("time"),   NULL,    0,  get_time, NULL, false },
	{ NOKEY,     "TIME",  15, get_time_local, NULL, false },
	{ NOKEY,     "PID",   7,  get_pid_table, NULL, false },
	{ NOKEY,     "COMM",  16, get_comm_table, NULL, false },
	{ NOKEY,     "AF",    2,  get_af, NULL, false },
	{ K("kind"),   "KIND",  7,  get_kind, NULL, false },
	{ K("cause"),  "CAUSE", 17, get_cause, NULL, false },
	{ K("nat"),    NULL,    0,  get_nat, NULL, false },
	{ K("family"), NULL,    0,  get_family, NULL, false },
	{ K("saddr"),  NULL,    0,  get_saddr, NULL, false },
	{ K("sport"),  NULL,    0,  get_sport, NULL, false },
	{ K("daddr"),  NULL,    0,  get_daddr, NULL, false },
	{ K("dport"),  NULL,    0,  get_dport, NULL, false },
	{ K("state"),  "STATE", 12, get_state, NULL, false },
	{ NOKEY,     "SADDR:SPORT > DADDR:DPORT", 0, get_tuple, NULL, false },
	{ K("flags"),  NULL,    0,  get_flags, NULL, false },
	{ K("seq"),    NULL,    0,  get_seq, NULL, false },
	{ K("ack"),    NULL,    0,  get_ack, NULL, false },
	{ K("context"), NULL,   0,  get_context, NULL, false },
	{ K("pid"),    NULL,    0,  get_pid, NULL, false },
	{ K("comm"),   NULL,    0,  get_comm, NULL, false },
	{ K("netns"),  NULL,    0,  get_netns, NULL, false },
	{ K("owner"),  NULL,    0,  NULL, put_owner, false },
	{ K("kernel_reason"), NULL, 0, get_reason, NULL, false },
	{ K("caller"), NULL,    0,  get_caller, NULL, false },
	{ K("caller_line"), NULL, 0, get_caller_line, NULL, false },
	{ K("evidence"), NULL,  0,  NULL, put_evidence, false },
	{ K("explain"), NULL,   0,  get_explain, NULL, true },
	{ K("stack"),  NULL,    0,  NULL, put_stack, false },
};
#undef K
#undef NOKEY
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The process holding the socket's file, as ss -p would name it; null if none. */
static void put_owner(const struct output *o, const struct rst_event *ev, struct jw *w)
{
	(void)o;
	if (!ev->owner_pid) {
		jw_null(w, "owner");
		return;
	}
	jw_object(w, "owner");
	jw_int(w, "pid", ev->owner_pid);
	if (ev->owner_comm[0])
		jw_str(w, "comm", ev->owner_comm);
	else	/* no $comm, and the process is gone from proc */
		jw_null(w, "comm");
	jw_bool(w, "closing", ev->owner_closing);
	jw_end(w, '}');
}

/* What the cause was decided from: only what was read. */
/* enum nf_inet_hooks, the same since 2.6 (ingress added in 5.10) */
static const char *nf_hook_name(int hook)
{
	static const char *const names[] = { "prerouting", "input", "forward", "output",
					     "postrouting", "ingress" };

	return hook >= 0 && hook < (int)(sizeof(names) / sizeof(names[0])) ? names[hook] : "unknown";
}

#define IPS_SRC_NAT (1u << 4)	/* enum ip_conntrack_status, the same since 2.6 */
#define IPS_DST_NAT (1u << 5)

/* "ip:port" ("[ip6]:port") */
static void put_endpoint(struct jw *w, const char *key, int family, const unsigned char *a,
			 unsigned port)
{
	char addr[64], buf[80];

	format_addr(family, a, addr, sizeof(addr));
	snprintf(buf, sizeof(buf), family == 6 ? "[%s]:%u" : "%s:%u", addr, port);
	jw_str(w, key, buf);
}

/*
 * The answered segment's conntrack view: the entry attached to it (ctinfo,
 * the low bits of skb->_nfct), or, when conntrack called it invalid, the
 * connection it belonged to.
 */
static void put_conntrack(const struct rst_event *ev, struct jw *w)
{
	static const char *const info[] = { "established", "related", "new", "established",
					    "related" };
	const struct rst_evidence *ct = &ev->ev_ct;
	unsigned ci = ev->nfct & 7;

	jw_object(w, "conntrack");
	if (ct->type == EVID_CT_INVALID)
		jw_str(w, "state", "invalid");
	else if (!ev->nfct)
		jw_str(w, "state", "none");
	else if (ci == 7)
		jw_str(w, "state", "untracked");
	else
		jw_str(w, "state", ci < 5 ? info[ci] : "unknown");
	if (ev->nfct && ci < 5)
		jw_bool(w, "reply", ci >= 3);
	if (ct->type == EVID_CT_INVALID && ct->ct_family) {
		put_endpoint(w, "orig_src", ct->ct_family, ct->ct_src, ct->ct_sport);
		put_endpoint(w, "orig_dst", ct->ct_family, ct->ct_dst, ct->ct_dport);
		jw_bool(w, "dst_nat", ct->ct_status & IPS_DST_NAT);
		jw_bool(w, "src_nat", ct->ct_status & IPS_SRC_NAT);
	}
	jw_end(w, '}');
}

static void put_evidence(const struct output *o, const struct rst_event *ev, struct jw *w)
{
	const struct rst_evidence *c = &ev->ev_close, *d = &ev->ev_disc;
	char buf[160];

	jw_object(w, "evidence");
	if (d->type == EVID_DISCONNECT) {
		jw_str(w, "state_before", tcp_state_name(d->state));
		jw_str(w, "disconnect_by", sym_or_hex(o, d->caller, buf, sizeof(buf)));
		if (d->has_flags)
			jw_bool(w, "linger", d->flags & (1u << SOCK_LINGER_BIT));
		if (d->has_lingertime)
			jw_int(w, "linger_jiffies", (long long)d->lingertime);
	} else if (c->type == EVID_CLOSE) {
		jw_str(w, "state_before", tcp_state_name(c->state));
	}
	if (ev->unread >= 0)
		jw_int(w, "unread", ev->unread);
	if (c->type == EVID_CLOSE && c->has_linger2)
		jw_int(w, "linger2", c->linger2);
	if (ev->hook >= 0)
		jw_str(w, "hook", nf_hook_name(ev->hook));
	if (ev->has_nfct)
		put_conntrack(ev, w);
	if (ev->in.valid) {
		tcp_flags_str(ev->in.flags, buf, sizeof(buf));
		jw_str(w, "in_flags", buf);
		if (ev->in.payload >= 0)
			jw_int(w, "in_len", ev->in.payload);
	}
	jw_end(w, '}');
}

static void put_stack(const struct output *o, const struct rst_event *ev, struct jw *w)
{
	char hex[24], line[160];

	if (!o->stack)
		return;
	jw_array(w, "stack");
	for (int i = 0; i < ev->nstack; i++) {
		bool plain;
		const char *s = sym_or_hex_plain(o, ev->stack[i], hex, sizeof(hex), &plain);

		/* symbols checked once when resolved: most of a stack's line is theirs */
		jw_key_(w, NULL);
		jw_val_text(w, s, plain);
	}
	jw_end(w, ']');
	if (!o->lines)
		return;
	jw_array(w, "stack_lines");
	for (int i = 0; i < ev->nstack; i++)
		jw_str(w, NULL, line_of(o, ev->stack[i], line, sizeof(line)));
	jw_end(w, ']');
}

static void print_json(struct output *o, const struct rst_event *ev)
{
	struct jw w;

	jw_begin(&w, o->f);
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct out_field *fl = &fields[i];
		struct val v;	/* not zeroed: its 160-byte buffer per field was a third of a line's cost */

		if (!fl->key.n || (fl->when_explain && !o->explain))
			continue;
		if (fl->put) {
			fl->put(o, ev, &w);
			continue;
		}
		v.t = V_NULL;
		fl->get(o, ev, &v);
		jw_keyq(&w, &fl->key);
		if (v.t == V_STR)
			jw_val_text(&w, v.s, v.plain);
		else if (v.t == V_INT)
			jw_val_int(&w, v.i);
		else
			jw_val_null(&w);
	}
	jw_end(&w, '}');
}

static void print_table(struct output *o, const struct rst_event *ev)
{
	FILE *f = o->f;
	char hex[24], line[160];

	if (!o->header_done) {
		for (size_t i = 0; i < NFIELDS; i++)
			if (fields[i].head)
				fprintf(f, fields[i].width ? "%-*s " : "%*s\n", fields[i].width,
					fields[i].head);
		o->header_done = true;
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		struct val v;
		char num[24];
		const char *s = "-";

		if (!fields[i].head)
			continue;
		v.t = V_NULL;
		fields[i].get(o, ev, &v);
		if (v.t == V_STR) {
			s = v.s;
		} else if (v.t == V_INT) {
			snprintf(num, sizeof(num), "%lld", v.i);
			s = num;
		}
		fprintf(f, fields[i].width ? "%-*s " : "%*s\n", fields[i].width, s);
	}
	if (o->explain) {
		struct val v = { .t = V_NULL };

		get_explain(o, ev, &v);
		fprintf(f, "        why: %s\n", v.s);
	}
	for (int i = 0; o->stack && i < ev->nstack; i++) {
		const char *l = line_of(o, ev->stack[i], line, sizeof(line));

		fprintf(f, "        %s%s%s\n", sym_or_hex(o, ev->stack[i], hex, sizeof(hex)),
			l ? "  " : "", l ? l : "");
	}
}

/**
 * output_event() - print one reset.
 * @o: output settings
 * @ev: the reset
 *
 * Return: 0, or -1 if the stream failed (e.g. a closed pipe).
 */
int output_event(struct output *o, const struct rst_event *ev)
{
	if (o->json)
		print_json(o, ev);
	else
		print_table(o, ev);
	return ferror(o->f) ? -1 : 0;
}

/**
 * output_causes() - the cause vocabulary, one rule per line: the cause,
 * the kind, the direct callers it applies to, the test on the evidence,
 * the kernel's own reason (6.10+) where it is specific, what to check.
 * @f: the stream
 * @json: one JSON object per rule
 */
void output_causes(FILE *f, bool json)
{
	static const char *const tests[] = {
		[T_ANY] = "any", [T_NO_SOCKET] = "no socket", [T_STATE] = "state",
		[T_UNREAD] = "close() found unread data", [T_LINGER2] = "close() in FIN_WAIT2, TCP_LINGER2 < 0",
		[T_MEMORY] = "close() with nothing unread, TCP_LINGER2 >= 0",
		[T_DISC_BY] = "tcp_disconnect() called by", [T_SYN_IN] = "segment with SYN",
		[T_NO_SYN_IN] = "segment without SYN", [T_DATA_IN] = "segment with data, state",
	};

	for (size_t i = 0; i < cause_rules_len; i++) {
		const struct cause_rule *r = &cause_rules[i];
		char when[256];
		size_t n;

		n = (size_t)snprintf(when, sizeof(when), "%s", tests[r->test]);
		if (r->state >= 0)
			n += (size_t)snprintf(when + n, sizeof(when) - n, " %s", tcp_state_name(r->state));
		for (const char *const *b = r->by; b && *b && n < sizeof(when); b++)
			n += (size_t)snprintf(when + n, sizeof(when) - n, " %s", *b);
		if (json) {
			struct jw w;

			jw_begin(&w, f);
			jw_str(&w, "cause", r->cause);
			jw_str(&w, "kind", r->kind);
			jw_array(&w, "callers");
			for (const char *const *c = r->callers; c && *c; c++)
				jw_str(&w, NULL, *c);
			jw_end(&w, ']');
			jw_str(&w, "when", when);
			jw_str(&w, "kernel_reason", r->kernel_reason);
			jw_str(&w, "explain", r->explain);
			jw_end(&w, '}');
			continue;
		}
		fprintf(f, "%-17s %-7s from", r->cause, r->kind);
		for (const char *const *c = r->callers; c && *c; c++)
			fprintf(f, " %s", *c);
		if (!r->callers)
			fprintf(f, " any caller of its probe");
		fprintf(f, "; %s%s%s\n    %s\n", when, r->kernel_reason ? "; kernel reason " : "",
			r->kernel_reason ? r->kernel_reason : "", r->explain);
	}
}
