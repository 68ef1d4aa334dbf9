// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Filters. The user-space match is authoritative; the ftrace filter built
 * here is a subset of it that lets the kernel drop what cannot match
 * before it reaches the ring buffer.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "filter.h"

/**
 * probe_wanted() - whether a probe can produce events that pass -4/-6
 * (and resets received only with --received).
 * @o: options
 * @p: the probe
 *
 * v4-mapped traffic on IPv6 sockets is answered by tcp_v4_send_reset, so a
 * passive probe's family is the wire family.
 */
bool probe_wanted(const struct options *o, const struct probe_def *p)
{
	if (p->tuple == TUPLE_SOCK_IN && !o->received)
		return false;
	if (o->only4 && p->family == 6)
		return false;
	if (o->only6 && p->family == 4)
		return false;
	return true;
}

struct sbuf {
	char *buf;
	size_t len, n;
	bool overflow;
};

static void sb_printf(struct sbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(s->buf + s->n, s->len - s->n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= s->len - s->n)
		s->overflow = true;
	else
		s->n += w;
}

/* Ports are stored as read from memory: network order seen as a host u16. */
static unsigned int port_raw(uint16_t port)
{
	return htons(port);
}

static void clause_ports(struct sbuf *s, const struct probe_def *p, const char *f1,
			 const char *f2, const uint16_t *ports, int n)
{
	if (!n || !probe_has_field(p, f1))
		return;
	sb_printf(s, "%s(", s->n ? " && " : "");
	for (int i = 0; i < n; i++) {
		sb_printf(s, "%s%s == %u", i ? " || " : "", f1, port_raw(ports[i]));
		if (f2)
			sb_printf(s, " || %s == %u", f2, port_raw(ports[i]));
	}
	sb_printf(s, ")");
}

/* Exact IPv4 addresses only, and only if every entry of the option is one. */
static void clause_addrs(struct sbuf *s, const struct probe_def *p,
			 const char *f1, const char *f2,
			 const struct addr_match *a, int n)
{
	uint32_t v;

	if (!n || p->family == 6 || !probe_has_field(p, f1))
		return;
	for (int i = 0; i < n; i++)
		if (a[i].family != AF_INET || a[i].prefix != 32)
			return;
	sb_printf(s, "%s(", s->n ? " && " : "");
	for (int i = 0; i < n; i++) {
		memcpy(&v, a[i].addr, 4);
		sb_printf(s, "%s%s == %u", i ? " || " : "", f1, v);
		if (f2)
			sb_printf(s, " || %s == %u", f2, v);
	}
	sb_printf(s, ")");
}

/**
 * filter_kernel() - the ftrace filter for one probe.
 * @o: options
 * @p: the probe; its fields sport/dport/saddr/daddr are in RST order
 * @buf, @len: output; empty when nothing can be filtered in the kernel
 *
 * Return: 0, or -1 if @buf is too small.
 */
int filter_kernel(const struct options *o, const struct probe_def *p,
		  char *buf, size_t len)
{
	struct sbuf s = { buf, len, 0, false };

	if (len)
		buf[0] = '\0';
	/*
	 * A received RST's fields are its socket's, reversed; a firewall
	 * probe's depend on an argument layout known only when decoded:
	 * both filtered in user space.
	 */
	if (p->tuple == TUPLE_SOCK_IN || p->tuple == TUPLE_NF4 || p->tuple == TUPLE_NF6)
		return 0;
	clause_ports(&s, p, "sport", "dport", o->ports, o->nports);
	clause_ports(&s, p, "sport", NULL, o->sports, o->nsports);
	clause_ports(&s, p, "dport", NULL, o->dports, o->ndports);
	/* an active probe on an IPv6 socket reads 0 here: only exact v4 is safe */
	clause_addrs(&s, p, "saddr", "daddr", o->addrs, o->naddrs);
	clause_addrs(&s, p, "saddr", NULL, o->saddrs, o->nsaddrs);
	clause_addrs(&s, p, "daddr", NULL, o->daddrs, o->ndaddrs);
	if (o->npids) {
		sb_printf(&s, "%s(", s.n ? " && " : "");
		for (int i = 0; i < o->npids; i++)
			sb_printf(&s, "%scommon_pid == %d", i ? " || " : "", o->pids[i]);
		sb_printf(&s, ")");
	}
	return s.overflow ? -1 : 0;
}

/**
 * filter_any() - whether the run reports only some resets.
 * @o: the options
 */
bool filter_any(const struct options *o)
{
	return o->nports || o->nsports || o->ndports || o->naddrs || o->nsaddrs || o->ndaddrs ||
	       o->npids || o->ncomms || o->only4 || o->only6;
}

static bool port_in(uint16_t port, const uint16_t *ports, int n)
{
	for (int i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

static bool prefix_eq(const unsigned char *a, const unsigned char *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

static bool addr_in(int family, const unsigned char *addr,
		    const struct addr_match *a, int n)
{
	for (int i = 0; i < n; i++) {
		int f = a[i].family == AF_INET ? 4 : 6;

		if (f == family && prefix_eq(addr, a[i].addr, a[i].prefix))
			return true;
	}
	return false;
}

/**
 * filter_match() - whether an event passes every filter option.
 * @o: options
 * @ev: the decoded reset
 *
 * Return: true to report it.
 */
bool filter_match(const struct options *o, const struct rst_event *ev)
{
	if (o->only4 && ev->family != 4)
		return false;
	if (o->only6 && ev->family != 6)
		return false;
	if (o->nports && !port_in(ev->sport, o->ports, o->nports) &&
	    !port_in(ev->dport, o->ports, o->nports))
		return false;
	if (o->nsports && !port_in(ev->sport, o->sports, o->nsports))
		return false;
	if (o->ndports && !port_in(ev->dport, o->dports, o->ndports))
		return false;
	if (o->naddrs && !addr_in(ev->family, ev->saddr, o->addrs, o->naddrs) &&
	    !addr_in(ev->family, ev->daddr, o->addrs, o->naddrs))
		return false;
	if (o->nsaddrs && !addr_in(ev->family, ev->saddr, o->saddrs, o->nsaddrs))
		return false;
	if (o->ndaddrs && !addr_in(ev->family, ev->daddr, o->daddrs, o->ndaddrs))
		return false;
	if (o->npids) {
		bool ok = false;

		for (int i = 0; i < o->npids; i++)
			ok |= o->pids[i] == ev->pid;
		if (!ok)
			return false;
	}
	if (o->ncomms) {
		bool ok = false;

		for (int i = 0; i < o->ncomms; i++)
			ok |= !strcmp(o->comms[i], ev->comm);
		if (!ok)
			return false;
	}
	return true;
}
