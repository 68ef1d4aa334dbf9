/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Struct shapes like the kernel's, for the DWARF reader's test: members
 * inside anonymous unions and structs, a pointer member, functions with a
 * parameter named reason. Expected offsets come from offsetof().
 */
#ifndef TCPRST_SHAPES_H
#define TCPRST_SHAPES_H

struct sock_common {
	unsigned int skc_daddr, skc_rcv_saddr;
	union {
		unsigned int skc_hash;
		unsigned short skc_u16hashes[2];
	};
	union {
		unsigned int skc_portpair;
		struct {
			unsigned short skc_dport, skc_num;
		};
	};
	unsigned short skc_family;
	volatile unsigned char skc_state;
	char pad[33];
	struct {
		unsigned char skc_v6_daddr[16];
		unsigned char skc_v6_rcv_saddr[16];
	};
};

struct sock {
	struct sock_common __sk_common;
	char rest[301];
};

/* as before 3.13 (upstream): the addresses behind inet_sk(sk)->pinet6 */
struct ipv6_pinfo {
	unsigned char saddr[16], rcv_saddr[16], daddr[16];
	unsigned int flow_label;
};

struct inet_sock {
	struct sock sk;
	struct ipv6_pinfo *pinet6;
	unsigned int inet_saddr;
	short uc_ttl;
	unsigned short cmsg_flags;
	unsigned short inet_sport;
};

struct sk_buff {
	union {
		struct {
			struct sk_buff *next, *prev;
		};
		char rbnode[24];
	};
	char cb[48];
	unsigned char *head, *data;
};

enum sk_rst_reason { SK_RST_REASON_NOT_SPECIFIED, SK_RST_REASON_NO_SOCKET };

void tcp_send_active_reset(struct sock *sk, enum sk_rst_reason reason, int priority);
void tcp_v4_send_reset(const struct sock *sk, struct sk_buff *skb, enum sk_rst_reason reason);

#endif
