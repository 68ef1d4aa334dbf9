// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe table and its rendering into kprobe_events definitions (pure).
 *
 * Everything is fetched at function entry from the argument registers,
 * which works on every kernel version (no $argN, no BTF arguments).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes.h"

/*
 * The network namespace's inode: the socket's, else (no socket) that of the
 * device the segment came in on. skb->dev alone is not enough: a segment
 * processed from a socket's backlog has none (6.12: data-after-close).
 */
#define NETNS_OF_SK  "+{net_ns+ns_inum}(+{skc_net}(%1))"
#define NETNS_OF_SKB "+{net_ns+ns_inum}(+{nd_net}(+{skb_dev}(%2)))"

/* The socket's struct socket and its inode (socket_alloc.vfs_inode.i_ino): the owner. */
#define OWNER_FIELDS \
	{ "sock",   "+{sk_socket}(%1)",      "x64", NEED_NONE }, \
	{ "ino",    "+{salloc_inode+inode_ino}(+{sk_socket}(%1))", "u64", NEED_NONE }

/*
 * A socket's tuple: the sock_common head, stable from 3.10 to 6.18 (see
 * kernel-notes); skc_num may already be 0 (SO_LINGER 0): the port is read
 * from inet_sport too; IPv6 addresses in sock_common (3.13+, RHEL 7) or,
 * before 3.13 upstream, in struct ipv6_pinfo behind pinet6.
 */
#define SOCK_TUPLE_FIELDS \
	{ "sk",     "%1",                    "x64", NEED_NONE }, \
	{ "family", "+16(%1)",               "u16", NEED_NONE }, \
	{ "state",  "+18(%1)",               "u8", NEED_NONE }, \
	{ "daddr",  "+0(%1)",                "u32", NEED_NONE }, \
	{ "saddr",  "+4(%1)",                "u32", NEED_NONE }, \
	{ "dport",  "+12(%1)",               "u16", NEED_NONE }, \
	{ "num",    "+14(%1)",               "u16", NEED_NONE }, \
	{ "sport",  "+{inet_sport}(%1)",     "u16", NEED_NONE }, \
	{ "d6a",    "+{skc_v6_daddr}(%1)",   "x64", NEED_NONE }, \
	{ "d6b",    "+{skc_v6_daddr+8}(%1)", "x64", NEED_NONE }, \
	{ "s6a",    "+{skc_v6_rcv_saddr}(%1)",   "x64", NEED_NONE }, \
	{ "s6b",    "+{skc_v6_rcv_saddr+8}(%1)", "x64", NEED_NONE }, \
	{ "p6da",   "+{pinfo_daddr}(+{inet_pinet6}(%1))",       "x64", NEED_NONE }, \
	{ "p6db",   "+{pinfo_daddr+8}(+{inet_pinet6}(%1))",     "x64", NEED_NONE }, \
	{ "p6sa",   "+{pinfo_rcv_saddr}(+{inet_pinet6}(%1))",   "x64", NEED_NONE }, \
	{ "p6sb",   "+{pinfo_rcv_saddr+8}(+{inet_pinet6}(%1))", "x64", NEED_NONE }

static const struct probe_field active_fields[] = {
	SOCK_TUPLE_FIELDS,
	/* the RST's seq/ack (tcp_acceptable_seq, rcv_nxt) and unread bytes */
	{ "snd_nxt", "+{tcp_snd_nxt}(%1)",   "u32", NEED_NONE },
	{ "snd_una", "+{tcp_snd_una}(%1)",   "u32", NEED_NONE },
	{ "snd_wnd", "+{tcp_snd_wnd}(%1)",   "u32", NEED_NONE },
	{ "rcv_nxt", "+{tcp_rcv_nxt}(%1)",   "u32", NEED_NONE },
	{ "copied",  "+{tcp_copied_seq}(%1)", "u32", NEED_NONE },
	{ "netns",  NETNS_OF_SK,             "u32", NEED_NONE },
	OWNER_FIELDS,
	/* its file, still set while close() releases it: the closer is the owner */
	{ "sfile",  "+{socket_file}(+{sk_socket}(%1))", "x64", NEED_NONE },
	{ "caller", "$stack0",               "x64", NEED_NONE },
	{ "reason", "{arg:reason}",          "u32", NEED_REASON },
	{ "comm",   "$comm",                 "string", NEED_COMM },
	{ NULL, NULL, NULL, NEED_NONE },
};


/*
 * Passive resets answer the incoming segment: skb->data points at its TCP
 * header, so the RST's source is the segment's destination. The IPv4
 * header is assumed option-less and checked (version/IHL byte == 0x45).
 * Its seq, ack, data offset and the IP length give the RST's seq/ack.
 */
static const struct probe_field passive4_fields[] = {
	{ "sk",     "%1",                         "x64", NEED_NONE },
	{ "state",  "+18(%1)",                    "u8", NEED_NONE },
	{ "sport",  "+2(+{skb_data}(%2))",        "u16", NEED_NONE },
	{ "dport",  "+0(+{skb_data}(%2))",        "u16", NEED_NONE },
	{ "tseq",   "+4(+{skb_data}(%2))",        "u32", NEED_NONE },
	{ "tack",   "+8(+{skb_data}(%2))",        "u32", NEED_NONE },
	{ "doff",   "+12(+{skb_data}(%2))",       "u8", NEED_NONE },
	{ "rflags", "+13(+{skb_data}(%2))",       "u8", NEED_NONE },
	{ "iphdr",  "-20(+{skb_data}(%2))",       "u8", NEED_NONE },
	{ "iplen",  "-18(+{skb_data}(%2))",       "u16", NEED_NONE },
	{ "saddr",  "-4(+{skb_data}(%2))",        "u32", NEED_NONE },
	{ "daddr",  "-8(+{skb_data}(%2))",        "u32", NEED_NONE },
	{ "netns",  NETNS_OF_SK,                  "u32", NEED_NONE },
	{ "devns",  NETNS_OF_SKB,                 "u32", NEED_NONE },
	/* the segment, and its conntrack attachment (the connection | ctinfo) */
	{ "skb",     "%2",                        "x64", NEED_NONE },
	{ "nfct",    "+{skb_nfct}(%2)",           "x64", NEED_NONE },
	OWNER_FIELDS,
	{ "caller", "$stack0",                    "x64", NEED_NONE },
	{ "reason", "{arg:reason}",               "u32", NEED_REASON },
	{ "comm",   "$comm",                      "string", NEED_COMM },
	{ NULL, NULL, NULL, NEED_NONE },
};

/* IPv6 without extension headers: next header (6 = TCP) checked at -34. */
static const struct probe_field passive6_fields[] = {
	{ "sk",      "%1",                        "x64", NEED_NONE },
	{ "state",   "+18(%1)",                   "u8", NEED_NONE },
	{ "sport",   "+2(+{skb_data}(%2))",       "u16", NEED_NONE },
	{ "dport",   "+0(+{skb_data}(%2))",       "u16", NEED_NONE },
	{ "tseq",    "+4(+{skb_data}(%2))",       "u32", NEED_NONE },
	{ "tack",    "+8(+{skb_data}(%2))",       "u32", NEED_NONE },
	{ "doff",    "+12(+{skb_data}(%2))",      "u8", NEED_NONE },
	{ "rflags",  "+13(+{skb_data}(%2))",      "u8", NEED_NONE },
	{ "nexthdr", "-34(+{skb_data}(%2))",      "u8", NEED_NONE },
	{ "iplen",   "-36(+{skb_data}(%2))",      "u16", NEED_NONE },
	{ "s6a",     "-16(+{skb_data}(%2))",      "x64", NEED_NONE },
	{ "s6b",     "-8(+{skb_data}(%2))",       "x64", NEED_NONE },
	{ "d6a",     "-32(+{skb_data}(%2))",      "x64", NEED_NONE },
	{ "d6b",     "-24(+{skb_data}(%2))",      "x64", NEED_NONE },
	{ "netns",   NETNS_OF_SK,                 "u32", NEED_NONE },
	{ "devns",   NETNS_OF_SKB,                "u32", NEED_NONE },
	/* the segment, and its conntrack attachment (the connection | ctinfo) */
	{ "skb",     "%2",                        "x64", NEED_NONE },
	{ "nfct",    "+{skb_nfct}(%2)",           "x64", NEED_NONE },
	OWNER_FIELDS,
	{ "caller",  "$stack0",                   "x64", NEED_NONE },
	{ "reason",  "{arg:reason}",              "u32", NEED_REASON },
	{ "comm",    "$comm",                     "string", NEED_COMM },
	{ NULL, NULL, NULL, NEED_NONE },
};

/*
 * Evidence at close() entry: what decides which of its three resets
 * (unread data, TCP_LINGER2 < 0, memory) a later one is. num/dport tie it
 * to the reset's tuple, so a reused socket address cannot match.
 */
static const struct probe_field close_fields[] = {
	{ "sk",      "%1",                          "x64", NEED_NONE },
	{ "state",   "+18(%1)",                     "u8", NEED_NONE },
	{ "dport",   "+12(%1)",                     "u16", NEED_NONE },
	{ "num",     "+14(%1)",                     "u16", NEED_NONE },
	{ "qlen",    "+{sk_receive_queue+16}(%1)",  "u32", NEED_NONE },
	{ "linger2", "+{tcp_linger2}(%1)",          "s32", NEED_NONE },
	/* the file close() releases (the socket is orphaned before some resets) */
	{ "sfile",   "+{socket_file}(+{sk_socket}(%1))", "x64", NEED_NONE },
	{ NULL, NULL, NULL, NEED_NONE },
};

/*
 * Only closes a reset could follow from for a reason other than memory:
 * the rest are dropped in the kernel, and their absence is evidence too.
 */
static const char *const close_filters[] = { "qlen != 0 || linger2 < 0", NULL };

/* Evidence at tcp_disconnect() entry: who asked (linger 0, connect(AF_UNSPEC), a listener). */
static const struct probe_field disconnect_fields[] = {
	{ "sk",      "%1",                          "x64", NEED_NONE },
	{ "state",   "+18(%1)",                     "u8", NEED_NONE },
	{ "dport",   "+12(%1)",                     "u16", NEED_NONE },
	{ "num",     "+14(%1)",                     "u16", NEED_NONE },
	{ "flags",   "+{sk_flags}(%1)",             "x64", NEED_NONE },
	{ "lingertime", "+{sk_lingertime}(%1)",     "x64", NEED_NONE },
	{ "caller",  "$stack0",                     "x64", NEED_NONE },
	{ NULL, NULL, NULL, NEED_NONE },
};

/*
 * Evidence for no-socket resets behind NAT: nf_ct_l4proto_log_invalid(skb,
 * ct, ...) (module nf_conntrack, 4.14+; called whether or not invalid
 * packets are logged) is where conntrack calls a TCP segment out of
 * window. Such a segment loses its conntrack entry, so NAT does not
 * translate it: the reset that answers the same skb, untranslated, is
 * that. The connection's original tuple and status bits are read from ct.
 */
#define CT_TUPLE "ct_tuplehash+th_tuple"
static const struct probe_field ctinvalid_fields[] = {
	{ "skb",     "%1",                                    "x64", NEED_NONE },
	{ "status",  "+{ct_status}(%2)",                      "x64", NEED_NONE },
	{ "osa",     "+{" CT_TUPLE "}(%2)",                   "x64", NEED_NONE },
	{ "osb",     "+{" CT_TUPLE "+8}(%2)",                 "x64", NEED_NONE },
	{ "osport",  "+{" CT_TUPLE "+16}(%2)",                "u16", NEED_NONE },
	{ "l3num",   "+{" CT_TUPLE "+18}(%2)",                "u16", NEED_NONE },
	{ "oda",     "+{" CT_TUPLE "+tuple_dst}(%2)",         "x64", NEED_NONE },
	{ "odb",     "+{" CT_TUPLE "+tuple_dst+8}(%2)",       "x64", NEED_NONE },
	{ "odport",  "+{" CT_TUPLE "+tuple_dst+16}(%2)",      "u16", NEED_NONE },
	{ "proto",   "+{" CT_TUPLE "+tuple_dst+18}(%2)",      "u8", NEED_NONE },
	{ NULL, NULL, NULL, NEED_NONE },
};
static const char *const ctinvalid_filters[] = { "proto == 6", NULL };

/*
 * --received: tcp_reset(), where a socket accepts a RST from its peer (its
 * tuple is the socket's, reversed). Only the socket is read: its first
 * argument on every version (5.12+ also pass the skb).
 */
static const struct probe_field received_fields[] = {
	SOCK_TUPLE_FIELDS,
	{ "netns",  NETNS_OF_SK,             "u32", NEED_NONE },
	OWNER_FIELDS,
	{ "caller", "$stack0",               "x64", NEED_NONE },
	{ "comm",   "$comm",                 "string", NEED_COMM },
	{ NULL, NULL, NULL, NEED_NONE },
};

/*
 * Firewall resets: nf_send_reset{,6}(net, [sk,] oldskb, hook), in the
 * modules nf_reject_ipv4/6 (iptables REJECT --reject-with tcp-reset and
 * nftables reject with tcp reset both end there; TCP never sees them).
 * oldskb->data is at the IP header. The sk parameter came in 5.x (and in
 * stable backports), and module BTF exists only once the module is
 * loaded: both layouts are read and the decoder keeps the one whose third
 * register is a hook number (net, oldskb, hook) rather than a pointer
 * (net, sk, oldskb, hook). net is the first argument in both.
 */
#define NF4_SEGMENT(pfx, skb) \
	{ pfx "iphdr",  "+0(+{skb_data}(" skb "))",  "u8", NEED_NONE }, \
	{ pfx "iplen",  "+2(+{skb_data}(" skb "))",  "u16", NEED_NONE }, \
	{ pfx "frag",   "+6(+{skb_data}(" skb "))",  "u16", NEED_NONE }, \
	{ pfx "proto",  "+9(+{skb_data}(" skb "))",  "u8", NEED_NONE }, \
	{ pfx "daddr",  "+12(+{skb_data}(" skb "))", "u32", NEED_NONE }, \
	{ pfx "saddr",  "+16(+{skb_data}(" skb "))", "u32", NEED_NONE }, \
	{ pfx "dport",  "+20(+{skb_data}(" skb "))", "u16", NEED_NONE }, \
	{ pfx "sport",  "+22(+{skb_data}(" skb "))", "u16", NEED_NONE }, \
	{ pfx "tseq",   "+24(+{skb_data}(" skb "))", "u32", NEED_NONE }, \
	{ pfx "tack",   "+28(+{skb_data}(" skb "))", "u32", NEED_NONE }, \
	{ pfx "doff",   "+32(+{skb_data}(" skb "))", "u8", NEED_NONE }, \
	{ pfx "rflags", "+33(+{skb_data}(" skb "))", "u8", NEED_NONE }

/* IPv6 without extension headers (next header checked), TCP at +40 */
#define NF6_SEGMENT(pfx, skb) \
	{ pfx "iplen",   "+4(+{skb_data}(" skb "))",  "u16", NEED_NONE }, \
	{ pfx "nexthdr", "+6(+{skb_data}(" skb "))",  "u8", NEED_NONE }, \
	{ pfx "d6a",     "+8(+{skb_data}(" skb "))",  "x64", NEED_NONE }, \
	{ pfx "d6b",     "+16(+{skb_data}(" skb "))", "x64", NEED_NONE }, \
	{ pfx "s6a",     "+24(+{skb_data}(" skb "))", "x64", NEED_NONE }, \
	{ pfx "s6b",     "+32(+{skb_data}(" skb "))", "x64", NEED_NONE }, \
	{ pfx "dport",   "+40(+{skb_data}(" skb "))", "u16", NEED_NONE }, \
	{ pfx "sport",   "+42(+{skb_data}(" skb "))", "u16", NEED_NONE }, \
	{ pfx "tseq",    "+44(+{skb_data}(" skb "))", "u32", NEED_NONE }, \
	{ pfx "tack",    "+48(+{skb_data}(" skb "))", "u32", NEED_NONE }, \
	{ pfx "doff",    "+52(+{skb_data}(" skb "))", "u8", NEED_NONE }, \
	{ pfx "rflags",  "+53(+{skb_data}(" skb "))", "u8", NEED_NONE }

#define NF_COMMON \
	{ "r3",     "%3",                         "x64", NEED_NONE }, \
	{ "hook",   "%4",                         "u32", NEED_NONE }, \
	{ "netns",  "+{net_ns+ns_inum}(%1)",      "u32", NEED_NONE }, \
	{ "caller", "$stack0",                    "x64", NEED_NONE }, \
	{ "comm",   "$comm",                      "string", NEED_COMM }, \
	{ NULL, NULL, NULL, NEED_NONE }

static const struct probe_field firewall4_fields[] = {
	NF4_SEGMENT("", "%3"),		/* (net, sk, oldskb, hook) */
	NF4_SEGMENT("b_", "%2"),	/* (net, oldskb, hook): hook is r3 */
	NF_COMMON,
};

static const struct probe_field firewall6_fields[] = {
	NF6_SEGMENT("", "%3"),
	NF6_SEGMENT("b_", "%2"),
	NF_COMMON,
};

const struct probe_def probe_table[] = {
	{ "active",   "tcp_send_active_reset", ROLE_RESET, false, "active",  0, TUPLE_SOCK, EVID_NONE,
	  NULL, active_fields, NULL },
	{ "passive4", "tcp_v4_send_reset",     ROLE_RESET, false, "passive", 4, TUPLE_SEG4, EVID_NONE,
	  NULL, passive4_fields, NULL },
	{ "passive6", "tcp_v6_send_reset",     ROLE_RESET, false, "passive", 6, TUPLE_SEG6, EVID_NONE,
	  NULL, passive6_fields, NULL },
	{ "received", "tcp_reset",             ROLE_RESET, true, "received", 0, TUPLE_SOCK_IN, EVID_NONE,
	  NULL, received_fields, NULL },
	{ "firewall4", "nf_send_reset",        ROLE_RESET, true, "firewall", 4, TUPLE_NF4, EVID_NONE,
	  NULL, firewall4_fields, "nf_reject_ipv4" },
	{ "firewall6", "nf_send_reset6",       ROLE_RESET, true, "firewall", 6, TUPLE_NF6, EVID_NONE,
	  NULL, firewall6_fields, "nf_reject_ipv6" },
	{ "close",    "tcp_close",             ROLE_EVIDENCE, true, NULL, 0, TUPLE_NONE, EVID_CLOSE,
	  close_filters, close_fields, NULL },
	{ "disconnect", "tcp_disconnect",      ROLE_EVIDENCE, true, NULL, 0, TUPLE_NONE, EVID_DISCONNECT,
	  NULL, disconnect_fields, NULL },
	{ "ctinvalid", "nf_ct_l4proto_log_invalid", ROLE_EVIDENCE, true, NULL, 0, TUPLE_NONE, EVID_CT_INVALID,
	  ctinvalid_filters, ctinvalid_fields, "nf_conntrack" },
};
const size_t probe_table_len = sizeof(probe_table) / sizeof(probe_table[0]);
static_assert(sizeof(probe_table) / sizeof(probe_table[0]) <= PROBES_MAX,
	      "PROBES_MAX must hold every probe of the table");

/**
 * probe_by_event() - a probe of the table by its event name.
 * @event: e.g. "active"
 *
 * Return: the probe, or NULL.
 */
const struct probe_def *probe_by_event(const char *event)
{
	for (size_t i = 0; i < probe_table_len; i++)
		if (!strcmp(probe_table[i].event, event))
			return &probe_table[i];
	return NULL;
}

/**
 * probe_has_field() - whether a probe records a field of that name.
 * @p: the probe
 * @name: the field
 */
bool probe_has_field(const struct probe_def *p, const char *name)
{
	for (const struct probe_field *f = p->fields; f->name; f++)
		if (!strcmp(f->name, name))
			return true;
	return false;
}

/**
 * probe_note() - why a probe may be missing without failing the run.
 * @p: the probe
 *
 * Return: a few words, or NULL for a probe every run needs.
 */
const char *probe_note(const struct probe_def *p)
{
	if (!p->optional)
		return NULL;
	if (p->role == ROLE_EVIDENCE)
		return "optional evidence";
	if (p->module)
		return "firewall resets, optional";
	return "with --received";
}

static const struct arch_regs arch_table[] = {
	{ "x86_64",  { "%di", "%si", "%dx", "%cx", "%r8", "%r9" }, "%bp" },
	{ "aarch64", { "%x0", "%x1", "%x2", "%x3", "%x4", "%x5" }, "%x29" },
	{ "arm64",   { "%x0", "%x1", "%x2", "%x3", "%x4", "%x5" }, "%x29" },
};

/**
 * arch_regs_get() - argument registers for a machine name (uname -m).
 * @arch: the machine name
 *
 * Return: the register table, or NULL if the architecture is unsupported.
 */
const struct arch_regs *arch_regs_get(const char *arch)
{
	for (size_t i = 0; i < sizeof(arch_table) / sizeof(arch_table[0]); i++)
		if (!strcmp(arch_table[i].arch, arch))
			return &arch_table[i];
	return NULL;
}

/*
 * Expand one template; -ENOENT if it needs an offset we don't have.
 * "{arg:NAME}" is the register of @symbol's parameter NAME (from BTF).
 */
static int expand(const char *t, const char *symbol, const struct arch_regs *regs,
		  const struct offsets *off, char *out, size_t len)
{
	size_t n = 0;

	while (*t) {
		char piece[64];

		if (t[0] == '%' && t[1] >= '1' && t[1] <= '6') {
			snprintf(piece, sizeof(piece), "%s", regs->arg[t[1] - '1']);
			t += 2;
		} else if (*t == '{') {
			const char *end = strchr(t, '}');
			char name[48];
			long add = 0;
			int v;

			if (!end || (size_t)(end - t - 1) >= sizeof(name))
				return -EINVAL;
			memcpy(name, t + 1, end - t - 1);
			name[end - t - 1] = '\0';
			if (!strncmp(name, "arg:", 4)) {
				char key[96];

				snprintf(key, sizeof(key), "%s:%s", symbol, name + 4);
				v = offsets_get(off, key);
				if (v < 0 || v >= 6)
					return -ENOENT;
				snprintf(piece, sizeof(piece), "%s", regs->arg[v]);
				t = end + 1;
				goto add;
			}
			/* NAME+NAME2+...+N: members of embedded structs, a constant */
			for (char *term = name, *next; term; term = next) {
				next = strchr(term, '+');
				if (next)
					*next++ = '\0';
				if (*term >= '0' && *term <= '9') {
					add += strtol(term, NULL, 10);
					continue;
				}
				v = offsets_get(off, term);
				if (v < 0)
					return -ENOENT;
				add += v;
			}
			snprintf(piece, sizeof(piece), "%ld", add);
			t = end + 1;
		} else {
			piece[0] = *t++;
			piece[1] = '\0';
		}
add:;
		size_t pl = strlen(piece);
		if (n + pl + 1 > len)
			return -ENOSPC;
		memcpy(out + n, piece, pl + 1);
		n += pl;
	}
	return 0;
}

static int append(char *buf, size_t len, size_t *n, const char *name,
		  const char *fetch, const char *type, bool xtype)
{
	char t[16];
	int w;

	/* kernels without x types print the same bits as unsigned */
	snprintf(t, sizeof(t), "%s", type);
	if (!xtype && t[0] == 'x')
		t[0] = 'u';
	w = snprintf(buf + *n, len - *n, "%s%s=%s:%s", *n ? " " : "", name, fetch, t);
	if (w < 0 || (size_t)w >= len - *n)
		return -ENOSPC;
	*n += w;
	return 0;
}

/*
 * At function entry the frame pointer is still the caller's: +8(fp) is the
 * caller's return address (the direct caller itself is $stack0), and +0(fp)
 * the next frame. Faulting reads give 0, never a crash.
 */
static int append_fp_walk(const struct render_ctx *rc, char *buf, size_t len, size_t *n)
{
	char inner[200], fetch[210], name[8];

	snprintf(inner, sizeof(inner), "%s", rc->regs->fp);
	for (int k = 1; k <= rc->fp_depth && k <= FP_WALK_MAX; k++) {
		snprintf(fetch, sizeof(fetch), "+8(%s)", inner);
		snprintf(name, sizeof(name), "fp%d", k);
		if (append(buf, len, n, name, fetch, "x64", rc->xtype))
			return -ENOSPC;
		char next[200];
		if (strlen(inner) + 5 > sizeof(next))
			return -ENOSPC;
		snprintf(next, sizeof(next), "+0(%s)", inner);
		snprintf(inner, sizeof(inner), "%s", next);
	}
	return 0;
}

/**
 * probe_render_args() - the fetch-argument part of a probe definition.
 * @p: the probe
 * @rc: registers, offsets and kernel features to render for; fields
 *      needing a missing offset or feature are left out
 * @buf, @len: output, e.g. "sk=%di:x64 family=+16(%di):u16 ..."
 *
 * Return: 0, or -ENOSPC/-EINVAL.
 */
int probe_render_args(const struct probe_def *p, const struct render_ctx *rc,
		      char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (const struct probe_field *f = p->fields; f->name; f++) {
		char fetch[128];
		int r;

		if ((f->need == NEED_COMM && !rc->comm) || (f->need == NEED_REASON && !rc->reason))
			continue;
		r = expand(f->fetch, p->symbol, rc->regs, rc->off, fetch, sizeof(fetch));
		if (r == -ENOENT)
			continue;
		if (r)
			return r;
		if (append(buf, len, &n, f->name, fetch, f->type, rc->xtype))
			return -ENOSPC;
	}
	if (rc->fp_depth > 0 && rc->regs->fp)
		return append_fp_walk(rc, buf, len, &n);
	return 0;
}

/**
 * probe_render() - a whole kprobe_events line, as --dry-run shows it.
 * @p: the probe
 * @group: our kprobe group
 * @symbol: the resolved kernel symbol (may carry a .isra.N suffix)
 * @rc: as for probe_render_args()
 * @buf, @len: output
 *
 * Return: 0, or a negative errno.
 */
int probe_render(const struct probe_def *p, const char *group,
		 const char *symbol, const struct render_ctx *rc,
		 char *buf, size_t len)
{
	int w = snprintf(buf, len, "p:%s/%s %s ", group, p->event, symbol);

	if (w < 0 || (size_t)w >= len)
		return -ENOSPC;
	return probe_render_args(p, rc, buf + w, len - w);
}
