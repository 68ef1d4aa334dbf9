// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcprst --check: an environment report for the operator of a locked-down
 * host, read before tracing. Text for people, one JSON object for scripts.
 */
#include <string.h>

#include "check.h"
#include "json.h"
#include "output.h"

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

#define MAX_DEGRADED 24

/* What is lost, from what is missing. */
static int degraded(const struct check_report *r, const char *out[], int max)
{
	const struct offsets *o = r->off;
	int n = 0;

#define DEG(cond, text) do { if ((cond) && n < max) out[n++] = (text); } while (0)
	DEG(!r->caps->fetch_comm, "comm (no $comm: reported as null)");
	DEG(offsets_get(o, "inet_sport") < 0, "sport of active resets after SO_LINGER 0 (no inet_sport offset)");
	DEG(offsets_get(o, "skc_v6_daddr") < 0 && (offsets_get(o, "inet_pinet6") < 0 || offsets_get(o, "pinfo_daddr") < 0),
	    "IPv6 addresses of active resets (neither skc_v6_* nor pinet6/ipv6_pinfo offsets)");
	DEG(offsets_get(o, "skb_data") < 0, "tuples, seq and ack of passive resets (no sk_buff.data offset)");
	DEG(r->caps->stack == STACK_FP_WALK, "stacks come from a frame-pointer walk (empty on kernels without frame pointers)");
	if (!r->caps->reason_arg)
		DEG(true, "kernel_reason (the kernel passes none before 6.10)");
	else
		DEG(offsets_get(o, "tcp_v4_send_reset:reason") < 0, "kernel_reason (its argument position comes from BTF, which is missing)");
	DEG(offsets_get(o, "tcp_snd_nxt") < 0, "seq and ack of active resets (no tcp_sock offsets)");
	DEG(offsets_get(o, "tcp_rcv_nxt") < 0 || offsets_get(o, "tcp_copied_seq") < 0,
	    "cause unread-data (no tcp_sock rcv_nxt/copied_seq offsets): unknown instead");
	DEG(offsets_get(o, "sk_receive_queue") < 0 || offsets_get(o, "tcp_linger2") < 0,
	    "causes unread-data, linger2 and memory from close() (no close() evidence: sock/tcp_sock offsets missing): unknown instead");
	DEG(offsets_get(o, "sk_flags") < 0 || offsets_get(o, "sk_lingertime") < 0,
	    "the linger setting in the evidence of linger-zero (no sk_flags/sk_lingertime offsets)");
	DEG(offsets_get(o, "net_ns") < 0 || offsets_get(o, "ns_inum") < 0 || offsets_get(o, "skc_net") < 0 ||
	    offsets_get(o, "skb_dev") < 0 || offsets_get(o, "nd_net") < 0,
	    "netns (no skc_net, sk_buff.dev, nd_net or net.ns.inum offsets: BTF or debug info needed): null");
	DEG(offsets_get(o, "sk_socket") < 0 || offsets_get(o, "salloc_inode") < 0 || offsets_get(o, "inode_ino") < 0,
	    "owner (no sock.sk_socket, socket_alloc or inode.i_ino offsets: BTF or debug info needed): null");
	DEG(offsets_get(o, "skb_nfct") < 0,
	    "conntrack evidence of passive resets (no sk_buff._nfct offset: BTF or debug info of a 4.11+ kernel needed)");
	DEG(offsets_get(o, "ct_status") < 0 || offsets_get(o, "ct_tuplehash") < 0 ||
	    offsets_get(o, "th_tuple") < 0 || offsets_get(o, "tuple_dst") < 0,
	    "nat conntrack-invalid (no nf_conn offsets: BTF or debug info needed): plain no-socket instead");
	for (size_t i = 0; i < probe_table_len; i++)
		DEG(probe_table[i].optional && !r->symbols[i],
		    "causes that need evidence from a function this kernel lacks (see probes)");
#undef DEG
	return n;
}

static void print_json(FILE *f, const struct check_report *r)
{
	const struct caps *c = r->caps;
	const char *deg[MAX_DEGRADED];
	int nd = degraded(r, deg, MAX_DEGRADED);
	struct jw w;

	jw_begin(&w, f);
	jw_bool(&w, "ok", !r->problem);
	jw_str(&w, "problem", r->problem);
	jw_str(&w, "release", r->release);
	jw_str(&w, "arch", r->arch);
	jw_str(&w, "tracing_dir", c->tracing_dir);
	jw_bool(&w, "via_debugfs", c->via_debugfs);
	jw_bool(&w, "dynamic_events", c->dynamic_events);
	jw_bool(&w, "error_log", c->error_log);
	jw_bool(&w, "fetch_args_from_readme", c->readme_args);
	jw_object(&w, "fetch");
	jw_bool(&w, "comm", c->fetch_comm);
	jw_bool(&w, "x_types", c->fetch_xtype);
	jw_bool(&w, "argN", c->fetch_argn);
	jw_bool(&w, "arrays", c->fetch_array);
	jw_bool(&w, "btf_args", c->fetch_btfargs);
	jw_end(&w, '}');
	jw_bool(&w, "instance_options", c->instance_options);
	jw_str(&w, "stack_method", stack_method_name(c->stack));
	jw_str(&w, "trace_clock", c->clock[0] ? c->clock : NULL);
	jw_str(&w, "clocksource", c->clocksource[0] ? c->clocksource : NULL);
	jw_bool(&w, "reason_arg", c->reason_arg);
	jw_object(&w, "probes");
	for (size_t i = 0; i < probe_table_len; i++)
		jw_str(&w, probe_table[i].symbol, r->symbols[i]);
	jw_end(&w, '}');
	jw_object(&w, "offsets");
	for (int i = 0; i < r->off->n; i++) {
		const struct offset_entry *e = &r->off->e[i];

		jw_object(&w, e->name);
		if (e->value >= 0)
			jw_int(&w, "value", e->value);
		else
			jw_null(&w, "value");
		jw_str(&w, "source", offset_source_name(e->source));
		if (offsets_unneeded(r->off, e))
			jw_str(&w, "unneeded", offsets_unneeded(r->off, e));
		jw_end(&w, '}');
	}
	jw_end(&w, '}');
	jw_array(&w, "degraded");
	for (int i = 0; i < nd; i++)
		jw_str(&w, NULL, deg[i]);
	jw_end(&w, ']');
	jw_str(&w, "calibration", r->calibration);
	jw_str(&w, "source_lines", r->lines_from);
	jw_str(&w, "masked", c->masked);
	jw_end(&w, '}');
}

/* The trace clock, and how its times become wall time. */
static const char *clock_text(const struct caps *c)
{
	if (!c->clock[0])
		return "unknown";
	if (!strcmp(c->clock, "mono"))
		return "mono (CLOCK_MONOTONIC, one offset from wall time)";
	if (strcmp(c->clock, "local"))
		return "global, mapped to wall time through trace_marker every 30 s";
	return clocksource_stable(c->clocksource) ?
		"local, one clock on every CPU, mapped to wall time through trace_marker every 30 s" :
		"local, mapped to wall time through trace_marker (per-CPU clock)";
}

/**
 * check_print() - print the environment report.
 * @f: the stream
 * @r: what was found
 * @json: one JSON object instead of text
 */
void check_print(FILE *f, const struct check_report *r, bool json)
{
	const struct caps *c = r->caps;
	const char *deg[MAX_DEGRADED];
	int nd;

	if (json) {
		print_json(f, r);
		return;
	}
	fprintf(f, "kernel:            %s %s\n", r->release, r->arch);
	fprintf(f, "tracing directory: %s%s\n", c->tracing_dir, c->via_debugfs ? " (through debugfs)" : "");
	fprintf(f, "probe interface:   %s\n", c->dynamic_events ? "dynamic_events" : "kprobe_events");
	fprintf(f, "error_log:         %s\n", yesno(c->error_log));
	fprintf(f, "fetch arguments:   %s: $comm %s, x types %s, $argN %s, arrays %s, BTF args %s\n",
		c->readme_args ? "from README" : "by trial", yesno(c->fetch_comm), yesno(c->fetch_xtype),
		yesno(c->fetch_argn), yesno(c->fetch_array), yesno(c->fetch_btfargs));
	fprintf(f, "stacks:            %s (only with --stack)\n", stack_method_name(c->stack));
	fprintf(f, "trace clock:       %s (clocksource %s)\n", clock_text(c),
		c->clocksource[0] ? c->clocksource : "unknown");
	fprintf(f, "reset reason:      %s\n", c->reason_arg ? "third argument (enum sk_rst_reason)" : "none");
	for (size_t i = 0; i < probe_table_len; i++) {
		const char *note = probe_note(&probe_table[i]);

		fprintf(f, "probe %-12s %s%s%s%s\n", probe_table[i].event,
			r->symbols[i] ? r->symbols[i] : "NOT FOUND",
			note ? " (" : "", note ? note : "", note ? ")" : "");
	}
	for (int i = 0; i < r->off->n; i++) {
		const struct offset_entry *e = &r->off->e[i];

		if (e->value >= 0)
			fprintf(f, "offset %-17s %d (%s)\n", e->name, e->value, offset_source_name(e->source));
		else if (offsets_unneeded(r->off, e))
			fprintf(f, "offset %-17s %s\n", e->name, offsets_unneeded(r->off, e));
		else
			fprintf(f, "offset %-17s unknown\n", e->name);
	}
	if (r->calibration)
		fprintf(f, "calibration:       %s\n", r->calibration);
	fprintf(f, "source lines:      %s%s\n", r->lines_from ? "from " : "none (no debug vmlinux: --vmlinux FILE)",
		r->lines_from ? r->lines_from : "");
	nd = degraded(r, deg, MAX_DEGRADED);
	for (int i = 0; i < nd; i++)
		fprintf(f, "degraded:          %s\n", deg[i]);
	if (c->masked[0])
		fprintf(f, "masked (test):     %s\n", c->masked);
	fprintf(f, "verdict:           %s\n", r->problem ? r->problem : "tracing can work");
}
