// SPDX-License-Identifier: GPL-2.0-or-later
/* Built with -g only for its DWARF (tests/unit/test_units.c reads it). */
#include <stddef.h>
#include "shapes.h"

void tcp_send_active_reset(struct sock *sk, enum sk_rst_reason reason, int priority)
{
	(void)sk; (void)reason; (void)priority;
}

void tcp_v4_send_reset(const struct sock *sk, struct sk_buff *skb, enum sk_rst_reason reason)
{
	(void)sk; (void)skb; (void)reason;
}

int main(void)
{
	static struct inet_sock i;
	static struct sk_buff b;
	static struct ipv6_pinfo np;

	i.pinet6 = &np;
	tcp_send_active_reset(&i.sk, SK_RST_REASON_NO_SOCKET, 0);
	tcp_v4_send_reset(&i.sk, &b, SK_RST_REASON_NOT_SPECIFIED);
	return 0;
}
