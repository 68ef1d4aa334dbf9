// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcprst --check: an environment report for the operator of a locked-down
 * host, read before tracing. Text for people, one JSON object for scripts.
 */
#include <string.h>

#include "check.h"
#include "output.h"

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

/* What is lost, from what is missing. */
static int degraded(const struct check_report *r, const char *out[], int max)
{
	int n = 0;

	if (!r->caps->fetch_comm && n < max)
		out[n++] = "comm (no $comm: reported as null)";
	if (offsets_get(r->off, "inet_sport") < 0 && n < max)
		out[n++] = "sport of active resets after SO_LINGER 0 (no inet_sport offset)";
	if (offsets_get(r->off, "skc_v6_daddr") < 0 && n < max)
		out[n++] = "IPv6 addresses of active resets (no skc_v6_* offsets)";
	if (offsets_get(r->off, "skb_data") < 0 && n < max)
		out[n++] = "tuples of passive resets (no sk_buff.data offset)";
	if (r->caps->stack == STACK_FP_WALK && n < max)
		out[n++] = "stacks come from a frame-pointer walk (empty on kernels without frame pointers)";
	if (!r->caps->reason_arg && n < max)
		out[n++] = "kernel_reason (the kernel passes none before 6.10)";
	else if (offsets_get(r->off, "tcp_v4_send_reset:reason") < 0 && n < max)
		out[n++] = "kernel_reason (its argument position comes from BTF, which is missing)";
	return n;
}

static void json_str_or_null(FILE *f, const char *s)
{
	if (s)
		json_escape(f, s);
	else
		fputs("null", f);
}

static void print_json(FILE *f, const struct check_report *r)
{
	const struct caps *c = r->caps;
	const char *deg[8];
	int nd = degraded(r, deg, 8);

	fprintf(f, "{\"ok\":%s,\"problem\":", r->problem ? "false" : "true");
	json_str_or_null(f, r->problem);
	fputs(",\"release\":", f);
	json_escape(f, r->release);
	fputs(",\"arch\":", f);
	json_escape(f, r->arch);
	fputs(",\"tracing_dir\":", f);
	json_escape(f, c->tracing_dir);
	fprintf(f, ",\"via_debugfs\":%s,\"dynamic_events\":%s,\"error_log\":%s,"
		"\"fetch_args_from_readme\":%s,\"fetch\":{\"comm\":%s,\"x_types\":%s,"
		"\"argN\":%s,\"arrays\":%s,\"btf_args\":%s},\"instance_options\":%s,"
		"\"stack_method\":\"%s\",\"reason_arg\":%s",
		c->via_debugfs ? "true" : "false", c->dynamic_events ? "true" : "false",
		c->error_log ? "true" : "false", c->readme_args ? "true" : "false",
		c->fetch_comm ? "true" : "false", c->fetch_xtype ? "true" : "false",
		c->fetch_argn ? "true" : "false", c->fetch_array ? "true" : "false",
		c->fetch_btfargs ? "true" : "false", c->instance_options ? "true" : "false",
		stack_method_name(c->stack), c->reason_arg ? "true" : "false");
	fputs(",\"probes\":{", f);
	for (size_t i = 0; i < probe_table_len; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", probe_table[i].symbol);
		json_str_or_null(f, r->symbols[i]);
	}
	fputs("},\"offsets\":{", f);
	for (int i = 0; i < r->off->n; i++) {
		const struct offset_entry *e = &r->off->e[i];

		fprintf(f, "%s\"%s\":{\"value\":", i ? "," : "", e->name);
		if (e->value >= 0)
			fprintf(f, "%d", e->value);
		else
			fputs("null", f);
		fprintf(f, ",\"source\":\"%s\"}", offset_source_name(e->source));
	}
	fputs("},\"degraded\":[", f);
	for (int i = 0; i < nd; i++) {
		fputs(i ? "," : "", f);
		json_escape(f, deg[i]);
	}
	fputs("],\"calibration\":", f);
	json_str_or_null(f, r->calibration);
	fputs(",\"masked\":", f);
	json_escape(f, c->masked);
	fputs("}\n", f);
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
	const char *deg[8];
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
	fprintf(f, "stacks:            %s\n", stack_method_name(c->stack));
	fprintf(f, "reset reason:      %s\n", c->reason_arg ? "third argument (enum sk_rst_reason)" : "none");
	for (size_t i = 0; i < probe_table_len; i++)
		fprintf(f, "probe %-12s %s\n", probe_table[i].event,
			r->symbols[i] ? r->symbols[i] : "NOT FOUND");
	for (int i = 0; i < r->off->n; i++) {
		const struct offset_entry *e = &r->off->e[i];

		if (e->value >= 0)
			fprintf(f, "offset %-17s %d (%s)\n", e->name, e->value, offset_source_name(e->source));
		else if (e->value == -2)
			fprintf(f, "offset %-17s not needed\n", e->name);
		else
			fprintf(f, "offset %-17s unknown\n", e->name);
	}
	if (r->calibration)
		fprintf(f, "calibration:       %s\n", r->calibration);
	nd = degraded(r, deg, 8);
	for (int i = 0; i < nd; i++)
		fprintf(f, "degraded:          %s\n", deg[i]);
	if (c->masked[0])
		fprintf(f, "masked (test):     %s\n", c->masked);
	fprintf(f, "verdict:           %s\n", r->problem ? r->problem : "tracing can work");
}
