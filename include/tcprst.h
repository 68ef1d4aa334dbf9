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

enum rst_kind { KIND_ACTIVE, KIND_PASSIVE };

/* An address with an optional prefix length, family AF_INET or AF_INET6. */
struct addr_match {
	int family;
	unsigned char addr[16];
	int prefix;	/* bits */
};

struct options {
	bool json;
	bool stack;
	bool cleanup_only;
	bool check;		/* --check: report what this kernel offers */
	bool dry_run;		/* --dry-run: print the probes and filters */
	const char *offsets_file;	/* --offsets FILE: load, or save after resolving */
	const char *vmlinux;		/* --vmlinux PATH: .BTF or DWARF when sysfs has no BTF */
	bool only4, only6;
	double duration;	/* seconds, 0 = unlimited */
	long count;		/* 0 = unlimited */
	int nports, nsports, ndports;
	uint16_t ports[MAX_PORTS], sports[MAX_PORTS], dports[MAX_PORTS];
	int naddrs, nsaddrs, ndaddrs;
	struct addr_match addrs[MAX_ADDRS], saddrs[MAX_ADDRS], daddrs[MAX_ADDRS];
	int npids;
	int pids[MAX_PIDS];
	int ncomms;
	char comms[MAX_COMMS][COMM_LEN];
};

/*
 * One reset as it appears on the wire: saddr:sport is the sender of the RST.
 * Addresses are in network byte order, ports in host order.
 */
struct rst_event {
	enum rst_kind kind;
	uint64_t ts_ns;		/* ring-buffer timestamp (trace clock) */
	int64_t wall_ns;	/* wall clock, UTC */
	int cpu;
	int pid;
	char comm[COMM_LEN];
	bool has_comm;		/* false where the kernel has no $comm */
	int reason;		/* enum sk_rst_reason (6.10+), -1 if none */
	int family;		/* 4 or 6; 0 when the address is unknown */
	unsigned char saddr[16], daddr[16];
	uint16_t sport, dport;
	int state;		/* TCP state of the socket involved, -1 if none */
	uint64_t sk;
	uint64_t caller;	/* return address: the direct caller */
	int nstack;
	uint64_t stack[MAX_STACK];
	bool sent;		/* false: the kernel will not send a RST */
};

#endif
