// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output: a table for people, JSON Lines for scripts (schema in README.md
 * and tcprst.8). One call per reset; the caller flushes.
 */
#include <arpa/inet.h>
#include <inttypes.h>
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

/* Length of a valid UTF-8 sequence at s (no overlongs, no surrogates), or 0. */
static int utf8_len(const unsigned char *s)
{
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/**
 * json_escape() - write @s as a JSON string, quotes included.
 * @f: the stream
 * @s: NUL-terminated bytes of any kind
 *
 * Control characters, quotes and backslashes are escaped; bytes that are
 * not valid UTF-8 become \u00XX (the byte's Latin-1 code point), so the
 * output is always valid JSON and valid UTF-8.
 */
void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		int n;

		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p++, f);
		} else if (*p == '\n') {
			fputs("\\n", f), p++;
		} else if (*p == '\t') {
			fputs("\\t", f), p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			fprintf(f, "\\u%04x", *p++);
		}
	}
	fputc('"', f);
}

/**
 * format_addr() - an address as text, "?" when unknown.
 * @family: 4, 6 or 0
 * @a: the address, network order
 * @buf, @len: output
 */
void format_addr(int family, const unsigned char *a, char *buf, size_t len)
{
	if (family == 4)
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
	time_t sec = (time_t)(wall_ns / 1000000000);
	long usec = (long)(wall_ns % 1000000000 / 1000);
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06ldZ", usec);
}

static const char *kind_name(enum rst_kind k)
{
	return k == KIND_ACTIVE ? "active" : "passive";
}

static const char *sym_or_hex(struct output *o, uint64_t addr, char *buf, size_t len)
{
	const char *s = o->sym ? o->sym(o->symctx, addr) : NULL;

	if (s)
		return s;
	snprintf(buf, len, "0x%" PRIx64, addr);
	return buf;
}

static void print_json(struct output *o, const struct rst_event *ev)
{
	char sa[INET6_ADDRSTRLEN], da[INET6_ADDRSTRLEN], t[40], hex[24];
	const char *st = tcp_state_name(ev->state);
	FILE *f = o->f;

	format_time_iso(ev->wall_ns, t, sizeof(t));
	fprintf(f, "{\"time\":\"%s\",\"kind\":\"%s\",", t, kind_name(ev->kind));
	if (ev->family) {
		format_addr(ev->family, ev->saddr, sa, sizeof(sa));
		format_addr(ev->family, ev->daddr, da, sizeof(da));
		fprintf(f, "\"family\":%d,\"saddr\":\"%s\",", ev->family, sa);
	} else {
		fputs("\"family\":null,\"saddr\":null,", f);
	}
	if (ev->sport)
		fprintf(f, "\"sport\":%u,", ev->sport);
	else
		fputs("\"sport\":null,", f);
	if (ev->family)
		fprintf(f, "\"daddr\":\"%s\",", da);
	else
		fputs("\"daddr\":null,", f);
	fprintf(f, "\"dport\":%u,", ev->dport);
	if (st)
		fprintf(f, "\"state\":\"%s\",", st);
	else
		fputs("\"state\":null,", f);
	fprintf(f, "\"pid\":%d,\"comm\":", ev->pid);
	if (ev->has_comm)
		json_escape(f, ev->comm);
	else
		fputs("null", f);
	const char *reason = o->caps && ev->reason >= 0 ?
		caps_reason_name(o->caps, (unsigned)ev->reason) : NULL;
	fputs(",\"kernel_reason\":", f);
	if (reason)
		json_escape(f, reason);
	else
		fputs("null", f);
	fputs(",\"caller\":", f);
	json_escape(f, sym_or_hex(o, ev->caller, hex, sizeof(hex)));
	if (o->stack) {
		fputs(",\"stack\":[", f);
		for (int i = 0; i < ev->nstack; i++) {
			fputs(i ? "," : "", f);
			json_escape(f, sym_or_hex(o, ev->stack[i], hex, sizeof(hex)));
		}
		fputc(']', f);
	}
	fputs("}\n", f);
}

static void print_comm(FILE *f, const char *comm)
{
	/* a task name can hold anything: keep the table on one line */
	for (const unsigned char *p = (const unsigned char *)comm; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

static void print_table(struct output *o, const struct rst_event *ev)
{
	char sa[INET6_ADDRSTRLEN + 8], da[INET6_ADDRSTRLEN + 8], tuple[128], hex[24];
	const char *st = tcp_state_name(ev->state);
	time_t sec = (time_t)(ev->wall_ns / 1000000000);
	struct tm tm;
	char t[16];
	FILE *f = o->f;

	if (!o->header_done) {
		fprintf(f, "%-15s %-7s %-16s %-2s %-7s %-12s %s\n", "TIME", "PID",
			"COMM", "AF", "KIND", "STATE", "SADDR:SPORT > DADDR:DPORT");
		o->header_done = true;
	}
	localtime_r(&sec, &tm);
	strftime(t, sizeof(t), "%H:%M:%S", &tm);
	format_addr(ev->family, ev->saddr, sa, sizeof(sa));
	format_addr(ev->family, ev->daddr, da, sizeof(da));
	if (ev->family == 6) {
		snprintf(tuple, sizeof(tuple), "[%s]:%u > [%s]:%u", sa, ev->sport, da, ev->dport);
	} else {
		snprintf(tuple, sizeof(tuple), "%s:%u > %s:%u", sa, ev->sport, da, ev->dport);
	}
	fprintf(f, "%s.%06ld %-7d ", t, (long)(ev->wall_ns % 1000000000 / 1000), ev->pid);
	print_comm(f, ev->has_comm ? ev->comm : "-");
	int clen = ev->has_comm ? (int)strlen(ev->comm) : 1;

	fprintf(f, "%*s %-2s %-7s %-12s %s\n", clen < 16 ? 16 - clen : 0, "",
		ev->family ? (ev->family == 4 ? "4" : "6") : "?", kind_name(ev->kind),
		st ? st : "-", tuple);
	if (o->stack)
		for (int i = 0; i < ev->nstack; i++)
			fprintf(f, "        %s\n", sym_or_hex(o, ev->stack[i], hex, sizeof(hex)));
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
