// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the pure parts: options, probes, filters, output, BTF. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "capsmask.h"
#include "filter.h"
#include "ksyms.h"
#include "losses.h"
#include "offsets.h"
#include "options.h"
#include "output.h"
#include "probes.h"
#include "recfield.h"
#include "modules.h"
#include "owner.h"
#include "srcline.h"
#include "summary.h"
#include "tap.h"

int tap_n, tap_failed;

/* ---- options ---------------------------------------------------------- */

static enum opt_result parse(struct options *o, char *err, const char *args)
{
	char buf[512], *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "tcprst %s", args);
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	err[0] = '\0';
	return options_parse(argc, argv, o, err, 256);
}

static void test_options(void)
{
	static const struct { const char *args; enum opt_result want; const char *says; } cases[] = {
		{ "", OPT_RUN, NULL },
		{ "-j -s -d 1.5 -c 3", OPT_RUN, NULL },
		{ "--json --stack --duration 10 --count 1", OPT_RUN, NULL },
		{ "-p 80 -p 443 --sport 1 --dport 65535", OPT_RUN, NULL },
		{ "--addr 10.0.0.0/8 --saddr ::1 --daddr fe80::/10", OPT_RUN, NULL },
		{ "-4 --pid 1 --comm nginx", OPT_RUN, NULL },
		{ "--cleanup", OPT_RUN, NULL },
		{ "--port 0", OPT_USAGE_ERROR, "port '0'" },
		{ "--port 70000", OPT_USAGE_ERROR, "port '70000'" },
		{ "--port 80x", OPT_USAGE_ERROR, "port '80x'" },
		{ "--sport -1", OPT_USAGE_ERROR, "source port" },
		{ "--addr 1.2.3", OPT_USAGE_ERROR, "address '1.2.3'" },
		{ "--addr 10.0.0.0/33", OPT_USAGE_ERROR, "/33" },
		{ "--daddr ::1/129", OPT_USAGE_ERROR, "destination address" },
		{ "--saddr example.com", OPT_USAGE_ERROR, "source address" },
		{ "--duration -1", OPT_USAGE_ERROR, "duration '-1'" },
		{ "--duration 0", OPT_USAGE_ERROR, "duration '0'" },
		{ "--duration nan", OPT_USAGE_ERROR, "duration 'nan'" },
		{ "--count 0", OPT_USAGE_ERROR, "count '0'" },
		{ "--bogus", OPT_USAGE_ERROR, "unknown option '--bogus'" },
		{ "-x", OPT_USAGE_ERROR, "unknown option '-x'" },
		{ "--dur 5", OPT_USAGE_ERROR, "unknown option '--dur'" },	/* exact option names only */
		{ "--port", OPT_USAGE_ERROR, "needs an argument" },
		{ "-4 -6", OPT_USAGE_ERROR, "exclude" },
		{ "stray", OPT_USAGE_ERROR, "unexpected argument" },
	};
	struct options o;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum opt_result r = parse(&o, err, cases[i].args);

		ok(r == cases[i].want, "options '%s' -> %d", cases[i].args, cases[i].want);
		if (cases[i].want == OPT_USAGE_ERROR)
			ok(strstr(err, cases[i].says) && !strchr(err, '\n'),
			   "one sentence for '%s': %s", cases[i].args, err);
	}
	parse(&o, err, "-p 80 -p 443 --addr 10.1.2.3/8 -d 2.5 -c 7 --comm x");
	ok(o.nports == 2 && o.ports[0] == 80 && o.ports[1] == 443, "ports kept in order");
	ok(o.naddrs == 1 && o.addrs[0].family == AF_INET && o.addrs[0].prefix == 8,
	   "address with prefix");
	ok(o.duration == 2.5 && o.count == 7, "duration and count");
	ok(o.ncomms == 1 && !strcmp(o.comms[0], "x"), "comm");
}

/* ---- probe rendering -------------------------------------------------- */

static const struct probe_def *probe(const char *event)
{
	for (size_t i = 0; i < probe_table_len; i++)
		if (!strcmp(probe_table[i].event, event))
			return &probe_table[i];
	return NULL;
}

static void full_offsets(struct offsets *off)
{
	offsets_init(off);
	offsets_set(off, "inet_sport", 782, OFF_BTF);
	offsets_set(off, "skc_v6_daddr", 56, OFF_BTF);
	offsets_set(off, "skc_v6_rcv_saddr", 72, OFF_BTF);
	offsets_set(off, "skb_data", 208, OFF_BTF);
}

/* Rendering for a modern kernel: $comm, x types, no reason, no fp walk. */
static const struct render_ctx *RC(const struct arch_regs *regs, const struct offsets *off)
{
	static struct render_ctx rc;

	rc = (struct render_ctx){ .regs = regs, .off = off, .comm = true, .xtype = true };
	return &rc;
}

static void test_probes(void)
{
	const struct arch_regs *x86 = arch_regs_get("x86_64"), *arm = arch_regs_get("aarch64");
	struct offsets off;
	char buf[4096];

	ok(x86 && arm && !arch_regs_get("sparc64"), "architecture tables");
	full_offsets(&off);
	ok(probe_render(probe("active"), "tcprst_1_2", "tcp_send_active_reset", RC(x86, &off), buf, sizeof(buf)) == 0, "render active");
	ok(!strncmp(buf, "p:tcprst_1_2/active tcp_send_active_reset sk=%di:x64 ", 53),
	   "active head: %.60s", buf);
	ok(strstr(buf, " sport=+782(%di):u16") && strstr(buf, " d6b=+64(%di):x64") &&
	   strstr(buf, " caller=$stack0:x64") && strstr(buf, " comm=$comm:string"),
	   "active uses resolved offsets");
	probe_render(probe("passive4"), "g", "tcp_v4_send_reset.isra.0", RC(x86, &off), buf, sizeof(buf));
	ok(strstr(buf, "g/passive4 tcp_v4_send_reset.isra.0 ") &&
	   strstr(buf, " rflags=+13(+208(%si)):u8") && strstr(buf, " saddr=-4(+208(%si)):u32") &&
	   strstr(buf, " iphdr=-20(+208(%si)):u8"), "passive4 reads the segment: %s", buf);
	probe_render(probe("passive6"), "g", "tcp_v6_send_reset", RC(arm, &off), buf, sizeof(buf));
	ok(strstr(buf, " sk=%x0:x64") && strstr(buf, " nexthdr=-34(+208(%x1)):u8") &&
	   !strstr(buf, "%di") && !strstr(buf, "%si"), "arm64 registers: %s", buf);

	/* netns: the ns_common inside struct net, behind two or three pointers */
	offsets_set(&off, "skc_net", 48, OFF_BTF);
	offsets_set(&off, "skb_dev", 16, OFF_BTF);
	offsets_set(&off, "nd_net", 1264, OFF_BTF);
	offsets_set(&off, "net_ns", 120, OFF_BTF);
	probe_render(probe("active"), "g", "tcp_send_active_reset", RC(x86, &off), buf, sizeof(buf));
	ok(!strstr(buf, "netns="), "netns needs ns_common.inum too: %s", buf);
	offsets_set(&off, "ns_inum", 16, OFF_BTF);
	probe_render(probe("active"), "g", "tcp_send_active_reset", RC(x86, &off), buf, sizeof(buf));
	ok(strstr(buf, " netns=+136(+48(%di)):u32") != NULL, "active netns: net.ns.inum of sk->skc_net: %s", buf);
	probe_render(probe("passive6"), "g", "tcp_v6_send_reset", RC(x86, &off), buf, sizeof(buf));
	ok(strstr(buf, " netns=+136(+48(%di)):u32") && strstr(buf, " devns=+136(+1264(+16(%si))):u32"),
	   "passive netns: the socket's, and the receiving device's (there may be no socket): %s", buf);

	/* a missing offset drops only the fields that need it */
	offsets_init(&off);
	offsets_set(&off, "skb_data", 200, OFF_BTF);
	probe_render(probe("active"), "g", "tcp_send_active_reset", RC(x86, &off), buf, sizeof(buf));
	ok(!strstr(buf, "sport=") && !strstr(buf, "d6a=") && strstr(buf, "num=+14(%di):u16"),
	   "missing offsets degrade the active probe: %s", buf);
	ok(strlen(buf) < 4094, "one line fits the kernel's limit");
	for (const struct probe_field *f = probe("active")->fields; f->name; f++)
		ok(strlen(f->fetch) < 63, "fetch template %s under 63 chars", f->name);
	ok(probe_render(probe("active"), "g", "s", RC(x86, &off), buf, 40) < 0, "overflow is an error");

	/* a legacy kernel: no $comm, no x types, stacks by frame-pointer walk */
	struct render_ctx legacy = { .regs = x86, .off = &off, .fp_depth = 3 };
	full_offsets(&off);
	probe_render(probe("active"), "g", "tcp_send_active_reset", &legacy, buf, sizeof(buf));
	ok(!strstr(buf, "comm=") && !strstr(buf, ":x64") && strstr(buf, " sk=%di:u64") &&
	   strstr(buf, " caller=$stack0:u64"), "no $comm, u64 for x64: %s", buf);
	ok(strstr(buf, " fp1=+8(%bp):u64 fp2=+8(+0(%bp)):u64 fp3=+8(+0(+0(%bp))):u64") &&
	   !strstr(buf, "fp4="), "frame-pointer walk to depth 3");
	legacy.regs = arm;
	legacy.reason = true;
	offsets_set(&off, "tcp_v4_send_reset:reason", 2, OFF_BTF);
	probe_render(probe("passive4"), "g", "tcp_v4_send_reset", &legacy, buf, sizeof(buf));
	ok(strstr(buf, " reason=%x2:u32") && strstr(buf, " fp2=+8(+0(%x29)):u64"),
	   "arm64: reason in x2 (BTF parameter 2), frame pointer x29: %s", buf);
	legacy.regs = x86;
	offsets_set(&off, "tcp_send_active_reset:reason", 1, OFF_BTF);
	probe_render(probe("active"), "g", "tcp_send_active_reset", &legacy, buf, sizeof(buf));
	ok(strstr(buf, " reason=%si:u32") != NULL, "reason in the BTF parameter's register (%%si)");
	probe_render(probe("passive6"), "g", "tcp_v6_send_reset", &legacy, buf, sizeof(buf));
	ok(!strstr(buf, "reason="), "no BTF parameter, no reason field");
	legacy.fp_depth = FP_WALK_MAX;
	legacy.regs = x86;
	probe_render(probe("active"), "g", "s", &legacy, buf, sizeof(buf));
	ok(strstr(buf, "fp8=") && strlen(strstr(buf, "fp8=")) < 63 + 4 && strlen(buf) < 4094,
	   "deepest walk argument under 63 chars, line under 4094");
	/* a field the decoder reads that no probe records would read as missing, silently */
	for (int id = 0; id < RF_COUNT; id++) {
		const char *n = rec_fid_name((enum rec_fid)id);
		char bn[40], fp[40];
		bool found = false;

		snprintf(bn, sizeof(bn), "b_%s", n);
		snprintf(fp, sizeof(fp), " %s=", n);
		for (size_t i = 0; i < probe_table_len && !found; i++)
			found = probe_has_field(&probe_table[i], n) || probe_has_field(&probe_table[i], bn);
		if (!found && !strncmp(n, "fp", 2))
			found = strstr(buf, fp) != NULL;	/* the walk's, rendered above */
		ok(found, "the decoder's field %s is recorded by a probe", n);
	}
}

/* ---- capabilities ------------------------------------------------------ */

static void test_caps(void)
{
	struct caps c;
	unsigned bits;
	char bad[64];
	const char *readme612 =
		"	 fetcharg: (%<register>|$<efield>), @<address>, @<symbol>[+|-<offset>],\n"
		"	           $stack<index>, $stack, $retval, $comm, $arg<N>,\n"
		"	           <argname>[->field[->field|.field...]],\n"
		"	     type: s8/16/32/64, u8/16/32/64, x8/16/32/64, char, string, symbol,\n"
		"	           symstr, %pd/%pD, <type>\\[<array-size>\\]\n";
	const char *readme414 =
		"	 fetcharg: %<register>, @<address>, @<symbol>[+|-<offset>],\n"
		"	           $stack<index>, $stack, $retval, $comm\n"
		"	     type: s8/16/32/64, u8/16/32/64, x8/16/32/64, string\n";
	const char *fmt612 = "print fmt: \"... reason=%s\", REC->state ? __print_symbolic(REC->state, "
		"{ TCP_ESTABLISHED, \"TCP_ESTABLISHED\" }) : \"UNKNOWN\", __print_symbolic(REC->reason, "
		"{ 0, \"NOT_SPECIFIED\" }, { 1, \"NO_SOCKET\" }, { 2, \"TCP_INVALID_ACK_SEQUENCE\" }, "
		"{ 9, \"TCP_TIMEWAIT_SOCKET\" }, { 25, \"MAX\" })\n";

	memset(&c, 0, sizeof(c));
	caps_from_readme(&c, readme612);
	ok(c.readme_args && c.fetch_comm && c.fetch_argn && c.fetch_btfargs && c.fetch_xtype &&
	   c.fetch_array, "6.12 README: every feature");
	memset(&c, 0, sizeof(c));
	caps_from_readme(&c, readme414);
	ok(c.readme_args && c.fetch_comm && c.fetch_xtype && !c.fetch_argn && !c.fetch_array &&
	   !c.fetch_btfargs, "4.14 README: $comm and x types, no $argN, arrays or BTF args");
	memset(&c, 0, sizeof(c));
	caps_from_readme(&c, "no fetch args listed here\n");
	ok(!c.readme_args && !c.fetch_comm, "3.10 README: nothing listed (trials decide)");

	ok(caps_parse_reasons(&c, fmt612) == 26, "reason table read from the format file");
	is_str(caps_reason_name(&c, 1), "no_socket", "value 1: lower case, no prefix");
	is_str(caps_reason_name(&c, 9), "tcp_timewait_socket", "value 9");
	ok(caps_reason_name(&c, 5) == NULL && caps_reason_name(&c, 99) == NULL,
	   "values not in the table are unknown");
	ok(caps_parse_reasons(&c, "print fmt: \"skbaddr=%p\", REC->skbaddr") == 0 && c.nreasons == 0,
	   "no reason before 6.10");

	ok(caps_parse_mask("comm,xtype", &bits, bad, sizeof(bad)) == 0 &&
	   bits == (MASK_COMM | MASK_XTYPE), "mask list");
	ok(caps_parse_mask("legacy", &bits, bad, sizeof(bad)) == 0 && (bits & MASK_COMM) &&
	   (bits & MASK_INSTANCE_OPTIONS) && (bits & MASK_DYNAMIC_EVENTS) && !(bits & MASK_TRACEFS),
	   "legacy profile keeps tracefs");
	ok(caps_parse_mask("comm,nosuch", &bits, bad, sizeof(bad)) == -1 && !strcmp(bad, "nosuch"),
	   "unknown mask name refused");
	ok(caps_parse_mask(NULL, &bits, bad, sizeof(bad)) == 0 && bits == 0, "no mask");

	is_str(trace_clock_pick("[local] global counter uptime perf mono mono_raw boot\n", false), "mono",
	       "trace clock: mono where offered");
	is_str(trace_clock_pick("[local] global counter uptime perf mono mono_raw boot\n", true), "global",
	       "trace clock: global with mono masked");
	is_str(trace_clock_pick("[local] global counter x86-tsc\n", false), "global",
	       "trace clock: global on 3.10 (no mono)");
	is_str(trace_clock_pick(NULL, false), "local", "trace clock: local if the list is unknown");
	ok(clocksource_stable("tsc") && clocksource_stable("arch_sys_counter"),
	   "clocksource: tsc and arm64's counter mean one sched_clock on every CPU");
	ok(!clocksource_stable("hpet") && !clocksource_stable("acpi_pm") && !clocksource_stable("kvm-clock") &&
	   !clocksource_stable("tsc-early") && !clocksource_stable("") && !clocksource_stable(NULL),
	   "clocksource: hpet, acpi_pm, kvm-clock, tsc-early, unknown: no promise");
}

/* ---- filters ---------------------------------------------------------- */

static struct rst_event ev4(const char *s, int sp, const char *d, int dp)
{
	struct rst_event e;

	memset(&e, 0, sizeof(e));
	e.family = strchr(s, ':') ? 6 : 4;
	inet_pton(e.family == 4 ? AF_INET : AF_INET6, s, e.saddr);
	inet_pton(e.family == 4 ? AF_INET : AF_INET6, d, e.daddr);
	e.sport = sp;
	e.dport = dp;
	e.pid = 42;
	strcpy(e.comm, "nginx");
	e.has_comm = true;
	e.reason = -1;
	return e;
}

static void test_filters(void)
{
	struct options o;
	char err[256], buf[1024];
	struct rst_event a = ev4("10.1.2.3", 443, "192.168.0.9", 51000);
	struct rst_event b = ev4("::1", 8080, "2001:db8::7", 40000);

	parse(&o, err, "");
	ok(filter_match(&o, &a) && filter_match(&o, &b), "no filter matches all");
	filter_kernel(&o, probe("active"), buf, sizeof(buf));
	ok(buf[0] == '\0', "no filter, no kernel filter");

	parse(&o, err, "-p 443");
	ok(filter_match(&o, &a) && !filter_match(&o, &b), "--port either side (source)");
	parse(&o, err, "-p 51000");
	ok(filter_match(&o, &a), "--port either side (destination)");
	parse(&o, err, "--sport 51000");
	ok(!filter_match(&o, &a), "--sport is the RST's source only");
	parse(&o, err, "--dport 40000 --sport 8080");
	ok(filter_match(&o, &b) && !filter_match(&o, &a), "--sport and --dport are ANDed");
	parse(&o, err, "--addr 192.168.0.0/16");
	ok(filter_match(&o, &a) && !filter_match(&o, &b), "--addr prefix");
	parse(&o, err, "--daddr 2001:db8::/33");
	ok(filter_match(&o, &b) && !filter_match(&o, &a), "--daddr IPv6 prefix");
	parse(&o, err, "--saddr 10.1.2.2/31");
	ok(filter_match(&o, &a), "/31 .2-.3 covers .3");
	parse(&o, err, "--saddr 10.1.2.4/31");
	ok(!filter_match(&o, &a), "/31 .4-.5 excludes .3");
	parse(&o, err, "-6");
	ok(!filter_match(&o, &a) && filter_match(&o, &b), "-6");
	ok(!probe_wanted(&o, probe("passive4")) && probe_wanted(&o, probe("active")),
	   "-6 drops the v4 passive probe only (v4-mapped goes there)");
	parse(&o, err, "--pid 42 --comm nginx");
	ok(filter_match(&o, &a), "--pid and --comm");
	parse(&o, err, "--comm apache");
	ok(!filter_match(&o, &a), "--comm mismatch");

	parse(&o, err, "-p 80 -p 443 --pid 7");
	filter_kernel(&o, probe("passive4"), buf, sizeof(buf));
	char want[256];
	snprintf(want, sizeof(want),
		 "(sport == %u || dport == %u || sport == %u || dport == %u) && (common_pid == 7)",
		 htons(80), htons(80), htons(443), htons(443));
	is_str(buf, want, "kernel filter: ports in network order, ORed, then ANDed");
	parse(&o, err, "--daddr 127.0.0.1");
	filter_kernel(&o, probe("passive4"), buf, sizeof(buf));
	uint32_t lo = htonl(0x7f000001);
	snprintf(want, sizeof(want), "(daddr == %u)", lo);
	is_str(buf, want, "exact IPv4 address in the kernel");
	filter_kernel(&o, probe("passive6"), buf, sizeof(buf));
	is_str(buf, "", "no IPv4 address filter on the IPv6 probe");
	parse(&o, err, "--daddr 127.0.0.0/8");
	filter_kernel(&o, probe("passive4"), buf, sizeof(buf));
	is_str(buf, "", "prefixes stay in user space");
}

/* ---- output ----------------------------------------------------------- */

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	fn(f, arg);
	fclose(f);
	return buf;
}

static void esc(FILE *f, const void *s) { json_escape(f, s); }

/* an array of the numbers, as the writer prints them */
static void ints(FILE *f, const void *arg)
{
	const long long *v = arg;
	struct jw w;

	jw_begin(&w, f);
	jw_array(&w, "n");
	for (int i = 0; v[i] != 42; i++)
		jw_int(&w, NULL, v[i]);
	jw_end(&w, ']');
	jw_end(&w, '}');
}

static void test_output(void)
{
	char t[64];

	static const long long nums[] = { 0, 7, 9, 10, 99, 100, 101, 4026531840LL, -1, -10, -100,
					  LLONG_MAX, LLONG_MIN, 42 };
	char want[512];
	size_t wl = (size_t)snprintf(want, sizeof(want), "{\"n\":[");

	for (int i = 0; nums[i] != 42; i++)
		wl += (size_t)snprintf(want + wl, sizeof(want) - wl, "%s%lld", i ? "," : "", nums[i]);
	snprintf(want + wl, sizeof(want) - wl, "]}\n");
	is_str(capture(ints, nums), want, "integers as printf prints them, two digits at a time");
	is_str(capture(esc, "nginx"), "\"nginx\"", "plain comm");
	is_str(capture(esc, "a\"b\\c"), "\"a\\\"b\\\\c\"", "quote and backslash");
	is_str(capture(esc, "a\nb\tc\x01\x1f\x7f"), "\"a\\nb\\tc\\u0001\\u001f\\u007f\"",
	       "control characters");
	is_str(capture(esc, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	       "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "valid UTF-8 kept");
	is_str(capture(esc, "\xff\xc3(\xe2\x82\xc0\x80\xed\xa0\x80"),
	       "\"\\u00ff\\u00c3(\\u00e2\\u0082\\u00c0\\u0080\\u00ed\\u00a0\\u0080\"",
	       "invalid UTF-8 (truncated, overlong, surrogate) escaped");
	format_time_iso(1764025801123456789LL, t, sizeof(t));
	is_str(t, "2025-11-24T23:10:01.123456Z", "ISO 8601 UTC, microseconds");
	format_time_iso(0, t, sizeof(t));
	is_str(t, "1970-01-01T00:00:00.000000Z", "epoch");
	is_str(tcp_state_name(7), "CLOSE", "state 7");
	is_str(tcp_state_name(6), "TIME_WAIT", "state 6");
	ok(tcp_state_name(-1) == NULL && tcp_state_name(99) == NULL, "no state");

	struct rst_event e = ev4("::ffff:1.2.3.4", 1, "::1", 2);
	struct output o = { .json = true };
	char buf[2048];
	o.f = fmemopen(buf, sizeof(buf), "w");
	e.state = -1;
	e.wall_ns = 1764025801123456789LL;
	strcpy(e.comm, "we\"ird\x01");
	e.caller = 0xffffffff81000000ull;
	output_event(&o, &e);
	e.family = 0;
	e.has_comm = false;
	output_event(&o, &e);
	fclose(o.f);
	ok(strstr(buf, "\"family\":6,\"saddr\":\"::ffff:1.2.3.4\",\"sport\":1,\"daddr\":\"::1\",\"dport\":2,\"state\":null")
	   != NULL, "JSON tuple, null state: %s", buf);
	ok(strstr(buf, "\"comm\":\"we\\\"ird\\u0001\"") && strstr(buf, "\"caller\":\"0xffffffff81000000\""),
	   "JSON comm escaped, unresolved caller in hex");
	ok(strstr(buf, "\"family\":null,\"saddr\":null") != NULL, "unknown address is null");
	ok(strstr(buf, "\"comm\":null,\"netns\":null,\"owner\":null,\"kernel_reason\":null") != NULL,
	   "no $comm and no reason: null");
	ok(!strstr(buf, "\"stack\""), "no stack without --stack");
}

/* ---- kallsyms ----------------------------------------------------------- */

static const char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/tcprst-ksyms-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return NULL;
	close(fd);
	return path;
}

static void test_ksyms(void)
{
	const char *path = write_tmp(
		"ffffffff81000000 T _stext\n"
		"ffffffff81a00000 t tcp_v4_send_reset.isra.0\n"
		"ffffffff81a00400 t tcp_v4_send_reset.cold\n"
		"ffffffff81a00800 T tcp_send_active_reset\n"
		"ffffffff81a00900 d tcp_v6_send_reset\n"
		"ffffffff81a01000 t tcp_v6_send_reset.constprop.0\n"
		"ffffffff81a02000 t tcp_v6_send_reset.constprop.1\n"
		"ffffffff81a03000 t tcp_v4_send_reset_other\n"
		"ffffffffc0001000 t veth_xmit\t[veth]\n");
	char out[128];
	struct ksyms *k;
	uint64_t addrs[] = { 0xffffffff81a00803ull, 0xffffffff81a00001ull,
			     0xffffffffc0001010ull, 0xffffffff81000000ull, 0 };

	ok(path != NULL, "fake kallsyms written");
	ok(ksym_find_variant(path, "tcp_v4_send_reset", out, sizeof(out)) == 0 &&
	   !strcmp(out, "tcp_v4_send_reset.isra.0"), ".isra copy found, .cold and longer names ignored: %s", out);
	ok(ksym_find_variant(path, "tcp_send_active_reset", out, sizeof(out)) == 0 &&
	   !strcmp(out, "tcp_send_active_reset"), "exact name found");
	ok(ksym_find_variant(path, "tcp_v6_send_reset", out, sizeof(out)) == -ENOTUNIQ,
	   "two copies: refused as not unique (data symbols ignored)");
	ok(ksym_find_variant(path, "tcp_nosuch", out, sizeof(out)) == -ENOENT, "absent: -ENOENT");

	k = ksyms_new(path);
	ok(k && ksyms_prefetch(k, addrs, 5) == 0, "prefetch in one pass");
	is_str(ksyms_lookup(k, addrs[0]), "tcp_send_active_reset+0x3", "symbol+offset");
	is_str(ksyms_lookup(k, addrs[1]), "tcp_v4_send_reset.isra.0+0x1", "suffixed symbol");
	is_str(ksyms_lookup(k, addrs[2]), "veth_xmit+0x10 [veth]", "module symbol");
	is_str(ksyms_lookup(k, addrs[3]), "_stext+0x0", "exact start");
	ok(ksyms_lookup(k, 0xffffffff80000000ull) == NULL, "below every symbol: unresolved");
	ksyms_free(k);
	unlink(path);

	/* a name JSON must escape: checked once when resolved, escaped in every line */
	path = write_tmp("ffffffff81000000 T _stext\n"
			 "ffffffff81b00000 t we\"ird\\sym\n");
	uint64_t odd[] = { 0xffffffff81b00010ull, 0xffffffff81000020ull };
	bool plain_odd = true, plain_ok = false;
	struct rst_event e = { .family = 4, .nstack = 2, .caller = odd[0],
			       .stack = { odd[0], odd[1] } };
	char buf[4096] = "";
	struct output o = { .json = true, .stack = true, .sym = ksyms_lookup_plain };

	k = ksyms_new(path);
	ok(k && ksyms_prefetch(k, odd, 2) == 0, "prefetch of an odd name");
	ok(ksyms_lookup_plain(k, odd[0], &plain_odd) && !plain_odd &&
	   ksyms_lookup_plain(k, odd[1], &plain_ok) && plain_ok,
	   "a name with a quote and a backslash is not plain, _stext+0x20 is");
	o.symctx = k;
	o.f = fmemopen(buf, sizeof(buf), "w");
	output_event(&o, &e);
	fclose(o.f);
	ok(strstr(buf, "\"caller\":\"we\\\"ird\\\\sym+0x10\"") &&
	   strstr(buf, "\"stack\":[\"we\\\"ird\\\\sym+0x10\",\"_stext+0x20\"]"),
	   "caller and stack: the odd name escaped, the plain one as it is: %s", buf);
	ksyms_free(k);
	unlink(path);

	/* a long run: thousands of distinct addresses, batch after batch */
	static uint64_t many[1000];
	int resolved = 0;

	path = write_tmp("ffffffff81000000 T _stext\n");
	k = ksyms_new(path);
	for (int batch = 0; batch < 6; batch++) {
		ksyms_trim(k);
		for (int i = 0; i < 1000; i++)
			many[i] = 0xffffffff81000000ull + (uint64_t)(batch * 1000 + i) * 16;
		ksyms_prefetch(k, many, 1000);
		for (int i = 0; i < 1000; i++)
			resolved += ksyms_lookup(k, many[i]) != NULL;
	}
	ok(resolved == 6000, "6000 distinct addresses in batches all resolve (%d): the cache never fills up", resolved);
	ksyms_free(k);
	unlink(path);

	/*
	 * The merge against sorted kernel symbols gives what a search of the
	 * whole table gives: symbols every 0x100 from _stext, data between,
	 * two modules after (out of order), addresses anywhere.
	 */
	static char table[2000 * 48];
	size_t len = 0;

	for (int i = 0; i < 1500; i++) {
		len += (size_t)sprintf(table + len, "%016llx t f%d\n", 0xffffffff81000000ull + i * 0x100ull, i);
		len += (size_t)sprintf(table + len, "%016llx d v%d\n", 0xffffffff81000080ull + i * 0x100ull, i);
	}
	len += (size_t)sprintf(table + len, "ffffffffc0002000 t m2\t[b]\nffffffffc0001000 t m1\t[a]\n");
	path = write_tmp(table);
	k = ksyms_new(path);
	int right = 0, asked = 0;

	for (int i = 0; i < 1000; i++)	/* some twice, in no order */
		many[i] = i % 7 == 6 ? 0xffffffffc0000f00ull + (uint64_t)(i * 37 % 0x1300) :
			  0xffffffff80fff000ull + (uint64_t)((i * 7919) % 0x180000);
	ksyms_prefetch(k, many, 1000);
	for (int i = 0; i < 1000; i++) {
		uint64_t a = many[i], base = 0xffffffff81000000ull;
		char want[64] = "";

		if (a >= 0xffffffffc0002000ull)
			snprintf(want, sizeof(want), "m2+0x%llx [b]", (unsigned long long)(a - 0xffffffffc0002000ull));
		else if (a >= 0xffffffffc0001000ull)
			snprintf(want, sizeof(want), "m1+0x%llx [a]", (unsigned long long)(a - 0xffffffffc0001000ull));
		else if (a >= base)
			snprintf(want, sizeof(want), "f%llu+0x%llx", (unsigned long long)((a - base) / 0x100 < 1500 ? (a - base) / 0x100 : 1499),
				 (unsigned long long)((a - base) / 0x100 < 1500 ? (a - base) % 0x100 : a - base - 1499 * 0x100ull));
		asked++;
		right += *want ? ksyms_lookup(k, a) && !strcmp(ksyms_lookup(k, a), want) : !ksyms_lookup(k, a);
	}
	ok(right == asked, "merged pass: %d of %d addresses as a full search gives them", right, asked);
	ksyms_free(k);
	unlink(path);

	/* the boot's kept symbols: the kernel's own, reused without a pass; a file of another boot is not */
	char kept[] = "/tmp/tcprst-kept-XXXXXX";
	int kfd = mkstemp(kept);
	uint64_t two[] = { 0xffffffff81000110ull, 0xffffffffc0001004ull };
	char line[200];
	FILE *kf;

	close(kfd);
	unlink(kept);
	path = write_tmp(table);
	k = ksyms_new(path);
	ksyms_keep(k, kept);
	ksyms_prefetch(k, two, 2);
	ksyms_free(k);
	unlink(path);
	k = ksyms_new("/nonexistent/kallsyms");
	ksyms_keep(k, kept);
	ksyms_prefetch(k, two, 2);
	is_str(ksyms_lookup(k, two[0]), "f1+0x10", "a kernel symbol kept for the boot: found with no kallsyms to read");
	ok(ksyms_lookup(k, two[1]) == NULL, "a module's symbol is never kept");
	ksyms_free(k);
	kf = fopen(kept, "r+");
	ok(kf && fgets(line, sizeof(line), kf) && !strncmp(line, "boot ", 5), "the kept file names its boot");
	if (kf) {
		rewind(kf);
		fputs("boot 00000000-another-boot", kf);	/* another boot id over the first */
		fclose(kf);
	}
	k = ksyms_new("/nonexistent/kallsyms");
	ksyms_keep(k, kept);
	ksyms_prefetch(k, two, 2);
	ok(ksyms_lookup(k, two[0]) == NULL, "symbols kept by another boot are not used");
	ksyms_free(k);
	unlink(kept);
}

void test_replay(void);
void test_offsets(void);
void test_classify(void);

/* ---- loss accounting ------------------------------------------------- */

static void test_losses(void)
{
	/* as 6.1 prints per_cpu/cpu0/stats ("commit overrun" must not be taken) */
	static const char stats[] =
		"entries: 12\ncommit overrun: 7\noverrun: 9876\nbytes: 1024\n"
		"oldest event ts:  4242.000001\nnow ts:  4243.000002\ndropped events: 3\nread events: 40\n";
	/* a kernel whose stats have no "dropped events" line */
	static const char stats310[] = "entries: 0\noverrun: 5\ncommit overrun: 0\nbytes: 0\n";
	struct losses l = { 0 };
	long long o, d;

	ok(losses_parse_stats(stats, &o, &d) == 0 && o == 9876 && d == 3,
	   "stats: overrun and dropped events, not commit overrun (%lld, %lld)", o, d);
	ok(losses_parse_stats(stats310, &o, &d) == 0 && o == 5 && d == 0, "stats of 3.10: no dropped line");
	ok(losses_parse_stats("entries: 1\n", &o, &d) == -1, "stats without overrun: refused");
	l.overrun = 30, l.pages = 31;
	ok(losses_total(&l) == 31, "total: the larger of the stats and the pages' marks");
	l.overrun = 30, l.dropped = 4, l.pages = 1;
	ok(losses_total(&l) == 34, "total: overrun + dropped");
	l = (struct losses){ 0 };
	ok(losses_total(&l) == 0, "total: nothing lost");
}

/* ---- source lines: DWARF line tables, checked against binutils ------- */

/* The first line of @cmd's output, or "" */
static const char *first_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");

	buf[0] = '\0';
	if (p && fgets(buf, (int)len, p))
		buf[strcspn(buf, "\n")] = '\0';
	if (p)
		pclose(p);
	return buf;
}

/* Does our "file:line" name the same line as addr2line's "/abs/file:line (discriminator N)"? */
static bool same_line(const char *ours, const char *theirs)
{
	char t[512];

	snprintf(t, sizeof(t), "%s", theirs);
	t[strcspn(t, " ")] = '\0';
	return ours && strlen(t) >= strlen(ours) && !strcmp(t + strlen(t) - strlen(ours), ours) &&
	       t[strlen(t) - strlen(ours) - 1] == '/';
}

static void test_srclines(void)
{
	struct srclines *s = srclines_new(SHAPES);
	char buf[256], cmd[600], out[512];
	unsigned long long file_main = 0;
	const char *got;
	/* a "running" address far from the file's: the shift is learnt from the symbol */
	const uint64_t run = 0xffffffffa0001000ull;

	ok(srclines_lookup(NULL, run, "main+0x0", buf, sizeof(buf)) == NULL, "no vmlinux: no line");
	ok(srclines_lookup(s, run, "no_such_function+0x0", buf, sizeof(buf)) == NULL,
	   "a symbol the file lacks teaches nothing: no line");
	snprintf(cmd, sizeof(cmd), "nm %s 2>/dev/null | awk '$3 == \"main\" { print $1 }'", SHAPES);
	sscanf(first_line(cmd, out, sizeof(out)), "%llx", &file_main);
	if (!file_main) {
		ok(1, "# SKIP no binutils (nm, addr2line) to check lines against");
	} else {
		got = srclines_lookup(s, run, "main+0x0", buf, sizeof(buf));
		snprintf(cmd, sizeof(cmd), "addr2line -e %s 0x%llx", SHAPES, file_main);
		first_line(cmd, out, sizeof(out));
		ok(got && same_line(got, out) && got[0] != '/' && strstr(got, "tests/unit/shapes.c:"),
		   "a function's start: addr2line's line, relative to the build directory (%s; %s)", got, out);
		got = srclines_lookup(s, run + 2, "main+0x2", buf, sizeof(buf));
		snprintf(cmd, sizeof(cmd), "addr2line -e %s 0x%llx", SHAPES, file_main + 1);
		first_line(cmd, out, sizeof(out));
		ok(got && same_line(got, out), "a return address: the call's line, as addr2line gives for it - 1 (%s; %s)",
		   got, out);
	}
	srclines_close(s);
	s = srclines_new(FIXTURES "/6.1/kallsyms");
	ok(srclines_lookup(s, run, "main+0x0", buf, sizeof(buf)) == NULL, "a file without DWARF: no line");
	srclines_close(s);
	s = srclines_new("/nonexistent/vmlinux");
	ok(srclines_lookup(s, run, "main+0x0", buf, sizeof(buf)) == NULL, "a missing file: no line");
	srclines_close(s);
}

/* ---- --summary: the kernel's counters and the counts ----------------- */

static void test_summary(void)
{
	/* 3.10's snmp has no InCsumErrors, and its netstat fewer TcpExt names */
	static const char snmp[] =
		"Ip: Forwarding DefaultTTL\nIp: 1 64\n"
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
		"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts\n"
		"Tcp: 1 200 120000 -1 17 2 0 0 0 7325 3877 0 0 42\n";
	static const char netstat[] =
		"TcpExt: SyncookiesSent TCPAbortOnData TCPAbortOnClose ListenOverflows\n"
		"TcpExt: 0 7 3 11\nIpExt: InNoRoutes\nIpExt: 0\n";
	struct kcounters k, base = { .ok = true };
	struct summary s;
	struct rst_event ev = { .kind = "active", .cause = "linger-zero", .family = 4,
				.sport = 80, .dport = 4242, .netns = 4026531840u };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok(kcounters_parse(snmp, netstat, &k) == 0 && k.v[0] == 42 && k.v[1] == 3 && k.v[2] == 7 &&
	   k.v[6] == 11 && k.v[3] == 0, "counters by name, in any column order; missing ones 0");
	ok(kcounters_parse("Ip: a\nIp: 1\n", "", &k) == -1 && !k.ok, "no Tcp OutRsts: refused");
	ok(kcounters_read(&k) == 0 && k.ok, "this machine's /proc/net counters read");

	inet_pton(AF_INET, "10.0.0.1", ev.saddr);
	inet_pton(AF_INET, "10.0.0.2", ev.daddr);
	summary_begin(&s, 4026531840u, &base, 0);
	for (int i = 0; i < 3; i++)
		summary_add(&s, &ev, "tcp_disconnect+0x4bf");
	ev.kind = "passive", ev.cause = "no-socket", ev.netns = 4026532114u;
	summary_add(&s, &ev, "tcp_v4_rcv+0x994");
	k = base;
	k.v[0] = 9;	/* the kernel counted 9 in our namespace, we saw 3 there */
	f = open_memstream(&buf, &len);
	summary_print(f, true, &s, &k, 2, false, 5000000000LL);
	fclose(f);
	ok(buf && strstr(buf, "\"resets\":4") && strstr(buf, "\"active:linger-zero\":3") &&
	   strstr(buf, "\"passive:no-socket\":1") && strstr(buf, "\"10.0.0.1:80\":4") &&
	   strstr(buf, "\"tcp_disconnect+0x4bf\":3") && strstr(buf, "\"OutRsts\":9") &&
	   strstr(buf, "\"seen_in_netns\":3") && strstr(buf, "6 not seen (2 events lost)"),
	   "summary JSON: counts, tops, counter deltas and the mismatch: %s", buf);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	summary_print(f, false, &s, &k, 0, true, 5000000000LL);
	fclose(f);
	ok(buf && strstr(buf, "summary: 4 resets in 5 s") && strstr(buf, "active:linger-zero") &&
	   !strstr(buf, "mismatch"), "summary text; a filtered run is not compared with the kernel's total");
	free(buf);

	/* sub-reasons are counted apart; a firewall's RST is not TCP's (OutRsts) */
	ev.netns = 4026531840u;
	ev.nat = "conntrack-invalid";
	summary_add(&s, &ev, "tcp_v4_rcv+0x994");
	ev.nat = NULL, ev.kind = "firewall", ev.cause = "firewall-reject";
	summary_add(&s, &ev, "reject_tg+0xaf");
	buf = NULL;
	f = open_memstream(&buf, &len);
	summary_metrics(f, &s, 0);
	fclose(f);
	ok(buf && strstr(buf, "tcprst_resets_total{kind=\"passive\",cause=\"no-socket\",nat=\"conntrack-invalid\"} 1\n") &&
	   strstr(buf, "tcprst_resets_total{kind=\"passive\",cause=\"no-socket\"} 1\n") &&
	   strstr(buf, "tcprst_resets_total{kind=\"firewall\",cause=\"firewall-reject\"} 1\n"),
	   "metrics: the nat sub-reason as its own label, firewall resets by kind: %s", buf);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	summary_print(f, true, &s, &k, 0, false, 5000000000LL);
	fclose(f);
	ok(buf && strstr(buf, "\"passive:no-socket/conntrack-invalid\":1") && strstr(buf, "\"seen_in_netns\":4"),
	   "summary: the sub-reason counted apart; the firewall's reset not held against OutRsts: %s", buf);
	free(buf);
}

/* ---- the socket's owner, through a proc tree of the same shape ------- */

static void test_owner(void)
{
	char dir[] = "/tmp/tcprst-owner-XXXXXX", path[1024], comm[16];
	struct owners o;
	int pid = 0;
	FILE *f;

	if (!mkdtemp(dir)) {
		ok(0, "a temporary proc tree");
		return;
	}
	snprintf(path, sizeof(path), "mkdir -p %s/123/fd %s/45/fd %s/self && ln -s 'socket:[4242]' %s/123/fd/3 && "
		 "ln -s 'pipe:[4242]' %s/45/fd/1 && ln -s 'socket:[42]' %s/45/fd/2", dir, dir, dir, dir, dir, dir);
	ok(system(path) == 0, "a proc tree: 123 holds socket 4242, 45 a pipe and socket 42");
	snprintf(path, sizeof(path), "%s/123/comm", dir);
	f = fopen(path, "we");
	fputs("nc\n", f);
	fclose(f);
	owners_init(&o, dir);
	ok(owner_find(&o, 4242, &pid, comm, sizeof(comm), NULL) && pid == 123 && !strcmp(comm, "nc"),
	   "socket:[4242] is held by 123 (nc): %d %s", pid, comm);
	ok(!owner_find(&o, 4243, &pid, comm, sizeof(comm), NULL), "an inode nobody holds: no owner");
	ok(!owner_find(&o, 0, &pid, comm, sizeof(comm), NULL), "no inode (no file, or not read): no owner");
	long scans = o.scans;
	ok(owner_find(&o, 4242, &pid, comm, sizeof(comm), NULL) && !owner_find(&o, 4243, &pid, comm, sizeof(comm), NULL) &&
	   o.scans == scans, "answers are cached: no new pass over proc (%ld)", o.scans);
	bool closing = true;
	ok(owner_find(&o, 4242, &pid, comm, sizeof(comm), &closing) && !closing,
	   "a holder found in proc did not close it");
	owner_comm_of(&o, 123, comm, sizeof(comm));
	ok(!strcmp(comm, "nc"), "a pid's name from proc: %s", comm);
	owner_comm_of(&o, 99999, comm, sizeof(comm));
	ok(!comm[0], "a pid gone from proc: no name (%s)", comm);
	owner_note(&o, 4243, 77, "rstgen");
	ok(owner_find(&o, 4243, &pid, comm, sizeof(comm), &closing) && pid == 77 && closing &&
	   !strcmp(comm, "rstgen") && o.scans == scans,
	   "the task that closed a socket names it afterwards, without a scan: %d %s", pid, comm);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	system(path);
}

/* ---- a module's probe: loaded, built in, or armed when it loads ------ */

static void test_modules(void)
{
	char dir[] = "/tmp/tcprst-mod-XXXXXX", cmd[1024], sym[128];

	if (!mkdtemp(dir)) {
		ok(0, "a temporary sys/lib tree");
		return;
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/module/nf_reject_ipv4 %s/sys/module/nf_reject_ipv6 "
		 "%s/lib/modules/9.9/ && touch %s/sys/module/nf_reject_ipv4/initstate && "
		 "printf 'kernel/net/ipv6/netfilter/nf_reject_ipv6.ko\nkernel/net/x/nf_reject_ipv4x.ko\n' "
		 "> %s/lib/modules/9.9/modules.builtin", dir, dir, dir, dir, dir);
	ok(system(cmd) == 0, "a tree: nf_reject_ipv4 loaded, nf_reject_ipv6 built in");
	ok(module_state(dir, "9.9", "nf_reject_ipv4") == MODULE_LOADED, "a module with initstate is loaded");
	ok(module_state(dir, "9.9", "nf_reject_ipv6") == MODULE_BUILTIN,
	   "one listed in modules.builtin (and no initstate) is built in");
	ok(module_state(dir, "9.9", "nft_reject") == MODULE_ABSENT &&
	   module_state(dir, "9.8", "nf_reject_ipv6") == MODULE_ABSENT,
	   "neither: not loaded (a name's suffix, another release's list do not count)");
	module_symbol("nf_reject_ipv4", "nf_send_reset", MODULE_ABSENT, sym, sizeof(sym));
	is_str(sym, "nf_reject_ipv4:nf_send_reset", "not loaded: MOD:SYM, armed when it loads");
	module_symbol("nf_reject_ipv4", "nf_send_reset", MODULE_LOADED, sym, sizeof(sym));
	is_str(sym, "nf_reject_ipv4:nf_send_reset", "loaded: MOD:SYM, so a reload re-arms it");
	module_symbol("nf_reject_ipv4", "nf_send_reset", MODULE_BUILTIN, sym, sizeof(sym));
	is_str(sym, "nf_send_reset", "built in: the plain name");
	module_symbol(NULL, "tcp_v4_send_reset", MODULE_ABSENT, sym, sizeof(sym));
	is_str(sym, "tcp_v4_send_reset", "the kernel's own function: the plain name");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	system(cmd);
}

int main(void)
{
	test_modules();
	test_owner();
	test_summary();
	test_options();
	test_probes();
	test_caps();
	test_filters();
	test_output();
	test_ksyms();
	test_offsets();
	test_classify();
	test_replay();
	test_losses();
	test_srclines();
	return tap_done();
}
