// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How values are written, the same in the table, JSON, the summary and
 * --explain: TCP states, contexts, TCP flags as tcpdump prints them,
 * addresses and times.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output.h"

/* include/net/tcp_states.h */
static const char *const tcp_states[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV",
	[4] = "FIN_WAIT1", [5] = "FIN_WAIT2", [6] = "TIME_WAIT",
	[7] = "CLOSE", [8] = "CLOSE_WAIT", [9] = "LAST_ACK", [10] = "LISTEN",
	[11] = "CLOSING", [12] = "NEW_SYN_RECV", [13] = "BOUND_INACTIVE",
};

/**
 * tcp_state_name() - the kernel's name of a TCP state.
 * @state: TCP_ESTABLISHED..., or -1
 *
 * Return: the name, or NULL for -1 or an unknown value.
 */
const char *tcp_state_name(int state)
{
	if (state <= 0 || state >= (int)(sizeof(tcp_states) / sizeof(tcp_states[0])))
		return NULL;
	return tcp_states[state];
}

/**
 * context_name() - "process", "softirq", "irq" or "nmi".
 * @c: the context
 */
const char *context_name(enum rst_context c)
{
	static const char *const names[] = { "process", "softirq", "irq", "nmi" };

	return names[c];
}

/**
 * tcp_flags_str() - TCP flags as tcpdump prints them ("R.", "S", ...).
 * @flags: the flags byte
 * @buf, @len: output, at least 9 bytes
 */
void tcp_flags_str(uint8_t flags, char *buf, size_t len)
{
	/* tcpdump's order: FIN SYN RST PSH, ACK as '.', URG ECE CWR */
	static const struct { uint8_t bit; char c; } f[] = {
		{ 0x01, 'F' }, { 0x02, 'S' }, { 0x04, 'R' }, { 0x08, 'P' },
		{ 0x10, '.' }, { 0x20, 'U' }, { 0x40, 'E' }, { 0x80, 'W' },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]) && n + 1 < len; i++)
		if (flags & f[i].bit)
			buf[n++] = f[i].c;
	buf[n] = '\0';
}

/**
 * format_addr() - an address as text, "?" when unknown.
 * @family: 4, 6 or 0
 * @a: the address, network order
 * @buf, @len: output
 */
void format_addr(int family, const unsigned char *a, char *buf, size_t len)
{
	if (family == 4 && len >= INET_ADDRSTRLEN) {
		char *p = buf;

		/* by hand: glibc's inet_ntop() goes through sprintf() */
		for (int i = 0; i < 4; i++) {
			unsigned v = a[i];

			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = i < 3 ? '.' : '\0';
		}
	} else if (family == 4)
		inet_ntop(AF_INET, a, buf, len);
	else if (family == 6)
		inet_ntop(AF_INET6, a, buf, len);
	else
		snprintf(buf, len, "?");
}

/**
 * format_time_iso() - ISO 8601 UTC with microseconds.
 * @wall_ns: nanoseconds since the epoch
 * @buf, @len: output, e.g. "2026-11-24T23:10:01.123456Z"
 */
void format_time_iso(int64_t wall_ns, char *buf, size_t len)
{
	static time_t last = -1;	/* the second's text, kept: resets come in bursts */
	static char head[32];
	static size_t hn;
	time_t sec = (time_t)(wall_ns / 1000000000);
	long usec = (long)(wall_ns % 1000000000 / 1000);

	if (sec != last) {
		struct tm tm;

		gmtime_r(&sec, &tm);
		hn = strftime(head, sizeof(head), "%Y-%m-%dT%H:%M:%S", &tm);
		last = sec;
	}
	if (len < hn + 9) {
		snprintf(buf, len, "%s", head);
		return;
	}
	memcpy(buf, head, hn);
	buf[hn] = '.';
	for (int i = 6; i >= 1; i--, usec /= 10)
		buf[hn + i] = (char)('0' + (usec < 0 ? 0 : usec % 10));
	buf[hn + 7] = 'Z';
	buf[hn + 8] = '\0';
}
