/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcprst: shared types. Every module works on these plain structs so that
 * the pure parts (options, probe rendering, decoding, filtering, output)
 * can be tested without a kernel.
 */
#ifndef TCPRST_H
#define TCPRST_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <netinet/in.h>

/* Exit codes, documented in tcprst(8). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

#define MAX_PORTS	16
#define MAX_ADDRS	16
#define MAX_PIDS	16
#define MAX_COMMS	16
#define MAX_STACK	64
#define COMM_LEN	64

/* The context a reset was sent in, from the record's common_flags. */
enum rst_context { CTX_PROCESS, CTX_SOFTIRQ, CTX_IRQ, CTX_NMI };

/* Evidence records, matched to a later reset of the same socket. */
enum evidence_type { EVID_NONE, EVID_CLOSE, EVID_DISCONNECT, EVID_CT_INVALID, EVID_TYPES };

/* An address with an optional prefix length, family AF_INET or AF_INET6. */
struct addr_match {
	int family;
	unsigned char addr[16];
	int prefix;	/* bits */
};

struct options {
	bool json;
	bool stack;
	bool explain;		/* --explain: a sentence under each reset */
	bool causes;		/* --causes: list the vocabulary and exit */
	bool cleanup_only;
	bool check;		/* --check: report what this kernel offers */
	bool dry_run;		/* --dry-run: print the probes and filters */
	const char *offsets_file;	/* --offsets FILE: load, or save after resolving */
	const char *vmlinux;		/* --vmlinux PATH: .BTF or DWARF when sysfs has no BTF */
	bool only4, only6;
	double duration;	/* seconds, 0 = unlimited */
	long count;		/* 0 = unlimited */
	long buffer_kb;		/* --buffer-kb: ring buffer per CPU, 0 = the kernel's default */
	bool summary;		/* --summary: counts at exit instead of one line per reset */
	bool received;		/* --received: also the RSTs this host's sockets accept */
	double interval;	/* --interval SECS: the summary every SECS too, 0 = only at exit */
	const char *metrics_file;	/* --metrics-file PATH: Prometheus text, each interval */
	int nports, nsports, ndports;
	uint16_t ports[MAX_PORTS], sports[MAX_PORTS], dports[MAX_PORTS];
	int naddrs, nsaddrs, ndaddrs;
	struct addr_match addrs[MAX_ADDRS], saddrs[MAX_ADDRS], daddrs[MAX_ADDRS];
	int npids;
	int pids[MAX_PIDS];
	int ncomms;
	char comms[MAX_COMMS][COMM_LEN];
};

struct cause_rule;

/*
 * What an evidence probe read before a reset (close() or tcp_disconnect()
 * entry). Kept until a reset of the same socket and tuple claims it.
 */
struct rst_evidence {
	enum evidence_type type;	/* EVID_NONE: there is none */
	uint64_t ts_ns;
	uint64_t sk;
	uint16_t num, dport;		/* host order: ties it to the reset's tuple */
	int state;			/* the socket's state then */
	bool has_qlen, has_linger2, has_flags, has_lingertime;
	uint32_t qlen;			/* skbs in the receive queue */
	int32_t linger2;		/* TCP_LINGER2 (tp->linger2) */
	uint64_t flags;			/* sk_flags */
	uint64_t lingertime;		/* sk_lingertime, jiffies */
	uint64_t caller;		/* tcp_disconnect's caller */
	bool has_file;			/* close(): the socket's file, being released */
	/* conntrack called a segment invalid (nf_ct_l4proto_log_invalid) */
	uint64_t skb;			/* the segment */
	uint64_t ct_status;		/* its connection's status bits (IPS_*) */
	int ct_family;			/* 4 or 6, 0: unknown */
	unsigned char ct_src[16], ct_dst[16];	/* the connection's original tuple */
	uint16_t ct_sport, ct_dport;	/* host order */
};

/* The socket's sequence state when an active reset is sent (tcp_sock). */
struct rst_sockseq {
	bool snd, rcv;			/* snd_* / rcv_nxt+copied_seq were read */
	uint32_t snd_nxt, snd_una, snd_wnd, rcv_nxt, copied;
};

/* The incoming segment a passive reset answers. */
struct rst_segment {
	bool valid;
	uint32_t seq, ack;		/* host order */
	uint8_t flags;			/* TCP flags byte */
	int payload;			/* bytes, -1 if unknown */
};

/*
 * One reset as it appears on the wire: saddr:sport is the sender of the RST.
 * Addresses are in network byte order, ports in host order.
 */
struct rst_event {
	const char *kind;	/* "active", "passive" (the probe table's names) */
	int tuple;		/* enum tuple_src of its probe */
	uint64_t ts_ns;		/* ring-buffer timestamp (trace clock) */
	int64_t wall_ns;	/* wall clock, UTC */
	int cpu;
	int pid;
	enum rst_context context;
	char comm[COMM_LEN];
	bool has_comm;		/* false where the kernel has no $comm */
	int reason;		/* enum sk_rst_reason (6.10+), -1 if none */
	int family;		/* 4 or 6; 0 when the address is unknown */
	unsigned char saddr[16], daddr[16];
	uint16_t sport, dport;
	int state;		/* TCP state of the socket involved, -1 if none */
	uint64_t sk;
	uint32_t netns;		/* network-namespace inode, 0 if unknown */
	int hook;		/* firewall: the netfilter hook (NF_INET_*), -1 if none */
	uint64_t skb;		/* passive: the segment answered */
	bool has_nfct;		/* passive: its conntrack attachment was read */
	uint64_t nfct;		/* skb->_nfct: the connection | ctinfo (low 3 bits) */
	uint64_t ino;		/* the socket's inode (it has a file), 0 if none or unknown */
	bool has_file;		/* the socket had a file when the reset was sent */
	int owner_pid;		/* the process holding that file, 0 if not found */
	char owner_comm[COMM_LEN];
	bool owner_closing;	/* the owner is the task whose close() sent the reset */
	uint64_t caller;	/* return address: the direct caller */
	int nstack;
	uint64_t stack[MAX_STACK];
	bool sent;		/* false: the kernel will not send a RST */
	bool hidden;		/* not reported: filtered out, or a calibration's */
	struct rst_sockseq sock;	/* active: read from the socket */
	struct rst_segment in;		/* passive: the segment answered */
	/* the RST as on the wire, where it can be known */
	bool has_seq, has_ack;
	uint32_t seq, ack;
	uint8_t flags;		/* 0: unknown */
	/* filled by classification */
	const char *cause;	/* a cause code, "unknown" when no rule matched */
	const struct cause_rule *rule;
	struct rst_evidence ev_close, ev_disc, ev_ct;	/* what was matched */
	const char *nat;	/* no-socket: why NAT did not apply ("conntrack-invalid"), or NULL */
	int64_t unread;		/* bytes close() found unread, -1 if not known */
	const char *caller_fn;	/* the caller's function name, NULL if unresolved */
	const char *disc_caller_fn;	/* tcp_disconnect's caller's name */
};

#endif
