// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command line parsing and validation into struct options. Pure: no I/O
 * except printing help or version when asked.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "options.h"

enum {
	OPT_SPORT = 256, OPT_DPORT, OPT_ADDR, OPT_SADDR, OPT_DADDR,
	OPT_PID, OPT_COMM, OPT_EXPLAIN, OPT_CAUSES, OPT_CLEANUP, OPT_CHECK, OPT_DRY_RUN, OPT_OFFSETS, OPT_VMLINUX,
	OPT_BUFFER_KB,
	OPT_SUMMARY,
	OPT_INTERVAL,
	OPT_METRICS_FILE,
	OPT_RECEIVED,
};

static const struct option long_opts[] = {
	{ "json",     no_argument,       NULL, 'j' },
	{ "stack",    no_argument,       NULL, 's' },
	{ "explain",  no_argument,       NULL, OPT_EXPLAIN },
	{ "causes",   no_argument,       NULL, OPT_CAUSES },
	{ "duration", required_argument, NULL, 'd' },
	{ "count",    required_argument, NULL, 'c' },
	{ "port",     required_argument, NULL, 'p' },
	{ "sport",    required_argument, NULL, OPT_SPORT },
	{ "dport",    required_argument, NULL, OPT_DPORT },
	{ "addr",     required_argument, NULL, OPT_ADDR },
	{ "saddr",    required_argument, NULL, OPT_SADDR },
	{ "daddr",    required_argument, NULL, OPT_DADDR },
	{ "pid",      required_argument, NULL, OPT_PID },
	{ "comm",     required_argument, NULL, OPT_COMM },
	{ "cleanup",  no_argument,       NULL, OPT_CLEANUP },
	{ "check",    no_argument,       NULL, OPT_CHECK },
	{ "dry-run",  no_argument,       NULL, OPT_DRY_RUN },
	{ "offsets",  required_argument, NULL, OPT_OFFSETS },
	{ "vmlinux",  required_argument, NULL, OPT_VMLINUX },
	{ "buffer-kb", required_argument, NULL, OPT_BUFFER_KB },
	{ "summary",  no_argument,       NULL, OPT_SUMMARY },
	{ "received", no_argument,       NULL, OPT_RECEIVED },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "help",     no_argument,       NULL, 'h' },
	{ "version",  no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fputs(
"Usage: tcprst [OPTIONS]\n"
"Report every TCP reset this host sends: the exact tuple, seq and ack as on\n"
"the wire, whether it was active (the host decided) or passive (an answer to a\n"
"segment), its cause with the evidence for it, the socket state and the kernel\n"
"stack. Needs root and kprobe events.\n"
"\n"
"Output:\n"
"  -j, --json            JSON Lines, one object per reset\n"
"  -s, --stack           print the kernel stack of each reset\n"
"      --explain         under each reset, what happened and what to check\n"
"      --summary         no line per reset: at exit, counts by kind and cause, top\n"
"                        endpoints and callers, and the kernel's own counters\n"
"                        (OutRsts, TCPAbortOn*, ...) over the same time\n"
"      --interval SECS   with --summary: print it every SECS seconds too; with\n"
"                        --metrics-file: rewrite the file every SECS (default 60)\n"
"      --received        also the RSTs this host's sockets accept from their peers\n"
"                        (kind \"received\"), to see which side reset first\n"
"Run length:\n"
"  -d, --duration SECS   stop after SECS seconds\n"
"  -c, --count N         stop after N resets\n"
"Filters (repeatable options are ORed, different options ANDed):\n"
"  -p, --port PORT       either port of the RST\n"
"      --sport PORT      source port of the RST (the sender's port)\n"
"      --dport PORT      destination port of the RST\n"
"      --addr ADDR[/LEN] either address (IPv4 or IPv6)\n"
"      --saddr ADDR[/LEN] source address of the RST\n"
"      --daddr ADDR[/LEN] destination address of the RST\n"
"  -4, -6                only IPv4 / only IPv6 resets\n"
"      --pid PID         only resets sent in the context of PID\n"
"      --comm NAME       only resets sent in the context of task NAME\n"
"Other:\n"
"      --causes          list the cause codes, the kernel path of each and what to\n"
"                        check (with --json: one object per rule), then exit\n"
"      --cleanup         remove probes and instances left by dead tcprst runs\n"
"      --check           report what this kernel offers and what would be\n"
"                        degraded (with --json: one JSON object); exit 1 if\n"
"                        tracing cannot work\n"
"      --dry-run         print the probe definitions and filters, create nothing\n"
"      --offsets FILE    struct offsets: read FILE if it exists, else save the\n"
"                        resolved ones there (for hosts without BTF)\n"
"      --vmlinux PATH    a vmlinux whose .BTF section or DWARF gives the offsets\n"
"                        when /sys/kernel/btf/vmlinux is missing\n"
"      --metrics-file PATH  keep PATH (Prometheus text format, for node_exporter's\n"
"                        textfile collector) up to date: resets by kind and\n"
"                        cause, lost events; rewritten atomically\n"
"      --buffer-kb KB    ring buffer size per CPU (default: the kernel's); events\n"
"                        lost to a full buffer are counted and reported at exit\n"
"  -h, --help            this help\n"
"  -V, --version         print the version\n"
"\n"
"Exit status: 0 ok, 1 runtime error, 2 usage error.\n"
"\n"
"Examples:\n"
"  tcprst                          # every reset, as a table\n"
"  tcprst --json --stack           # JSON Lines with kernel stacks\n"
"  tcprst --explain -p 8080        # why each reset on port 8080 happened\n"
"  tcprst -p 443 -d 60             # resets on port 443 for one minute\n"
"  tcprst --daddr 10.0.0.0/8 -c 1  # the first reset sent to 10/8\n"
"  tcprst --json | jq .            # for scripts\n", f);
}

/**
 * parse_port() - parse a TCP port number, 1..65535.
 * @s: the text
 * @port: where to store the port
 *
 * Return: 0 on success, -1 if @s is not a valid port.
 */
int parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/**
 * parse_addr_match() - parse "ADDR" or "ADDR/LEN", IPv4 or IPv6.
 * @s: the text
 * @m: the result; a missing /LEN means the full length
 *
 * Return: 0 on success, -1 on malformed input.
 */
int parse_addr_match(const char *s, struct addr_match *m)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash, *end;
	int max;
	long len;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(m, 0, sizeof(*m));
	if (inet_pton(AF_INET, buf, m->addr) == 1) {
		m->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, m->addr) == 1) {
		m->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	m->prefix = max;
	if (slash) {
		errno = 0;
		len = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || len < 0 || len > max)
			return -1;
		m->prefix = (int)len;
	}
	return 0;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 1e9)
		return -1;
	*out = v;
	return 0;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return OPT_USAGE_ERROR; } while (0)

static enum opt_result add_port(uint16_t *arr, int *n, const char *arg,
				const char *name, char *err, size_t errlen)
{
	if (*n >= MAX_PORTS)
		FAIL("too many %s options (at most %d)", name, MAX_PORTS);
	if (parse_port(arg, &arr[*n]))
		FAIL("invalid %s '%s': expected a number from 1 to 65535", name, arg);
	(*n)++;
	return OPT_RUN;
}

static enum opt_result add_addr(struct addr_match *arr, int *n, const char *arg,
				const char *name, char *err, size_t errlen)
{
	if (*n >= MAX_ADDRS)
		FAIL("too many %s options (at most %d)", name, MAX_ADDRS);
	if (parse_addr_match(arg, &arr[*n]))
		FAIL("invalid %s '%s': expected an IPv4 or IPv6 address with an optional /prefix", name, arg);
	(*n)++;
	return OPT_RUN;
}

/**
 * options_parse() - parse and validate the command line.
 * @argc, @argv: as given to main
 * @o: filled with the options
 * @err, @errlen: receives one sentence on a usage error
 *
 * Return: OPT_RUN to trace, OPT_EXIT_OK after --help or --version,
 * OPT_USAGE_ERROR with @err set.
 */
enum opt_result options_parse(int argc, char **argv, struct options *o,
			      char *err, size_t errlen)
{
	enum opt_result r = OPT_RUN;
	long v;
	int c, li;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 0;	/* glibc: also forget the previous parse */
	/* '+': no permutation, so the option's word is argv[prev] */
	for (int prev = 1;
	     (li = -1, c = getopt_long(argc, argv, "+:jsd:c:p:46hV", long_opts, &li)) != -1;
	     prev = optind) {
		/* getopt_long accepts abbreviations; we take exact names only */
		if (li >= 0) {
			const char *given = argv[prev];
			size_t gl = strcspn(given + 2, "=");

			if (gl != strlen(long_opts[li].name))
				FAIL("unknown option '%.*s' (see tcprst --help)", (int)(gl + 2), given);
		}
		switch (c) {
		case 'j': o->json = true; break;
		case 's': o->stack = true; break;
		case OPT_EXPLAIN: o->explain = true; break;
		case OPT_CAUSES: o->causes = true; break;
		case '4': o->only4 = true; break;
		case '6': o->only6 = true; break;
		case OPT_CLEANUP: o->cleanup_only = true; break;
		case OPT_CHECK: o->check = true; break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case OPT_OFFSETS: o->offsets_file = optarg; break;
		case OPT_VMLINUX: o->vmlinux = optarg; break;
		case 'd':
			if (parse_seconds(optarg, &o->duration))
				FAIL("invalid duration '%s': expected a positive number of seconds", optarg);
			break;
		case OPT_SUMMARY: o->summary = true; break;
		case OPT_RECEIVED: o->received = true; break;
		case OPT_METRICS_FILE: o->metrics_file = optarg; break;
		case OPT_INTERVAL:
			if (parse_seconds(optarg, &o->interval))
				FAIL("invalid interval '%s': expected a positive number of seconds", optarg);
			break;
		case OPT_BUFFER_KB:
			if (parse_long(optarg, 1, 4L << 20, &o->buffer_kb))
				FAIL("invalid buffer size '%s': expected KiB per CPU, 1 to 4194304", optarg);
			break;
		case 'c':
			if (parse_long(optarg, 1, LONG_MAX, &o->count))
				FAIL("invalid count '%s': expected a positive whole number", optarg);
			break;
		case 'p': r = add_port(o->ports, &o->nports, optarg, "port", err, errlen); break;
		case OPT_SPORT: r = add_port(o->sports, &o->nsports, optarg, "source port", err, errlen); break;
		case OPT_DPORT: r = add_port(o->dports, &o->ndports, optarg, "destination port", err, errlen); break;
		case OPT_ADDR: r = add_addr(o->addrs, &o->naddrs, optarg, "address", err, errlen); break;
		case OPT_SADDR: r = add_addr(o->saddrs, &o->nsaddrs, optarg, "source address", err, errlen); break;
		case OPT_DADDR: r = add_addr(o->daddrs, &o->ndaddrs, optarg, "destination address", err, errlen); break;
		case OPT_PID:
			if (o->npids >= MAX_PIDS)
				FAIL("too many --pid options (at most %d)", MAX_PIDS);
			if (parse_long(optarg, 0, INT_MAX, &v))
				FAIL("invalid pid '%s': expected a process id", optarg);
			o->pids[o->npids++] = (int)v;
			break;
		case OPT_COMM:
			if (o->ncomms >= MAX_COMMS)
				FAIL("too many --comm options (at most %d)", MAX_COMMS);
			if (!*optarg || strlen(optarg) >= COMM_LEN)
				FAIL("invalid comm '%s': expected a task name of 1 to %d bytes", optarg, COMM_LEN - 1);
			strcpy(o->comms[o->ncomms++], optarg);
			break;
		case 'h':
			options_usage(stdout);
			return OPT_EXIT_OK;
		case 'V':
			printf("tcprst %s\n", PACKAGE_VERSION);
			return OPT_EXIT_OK;
		case ':':
			FAIL("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				FAIL("unknown option '-%c' (see tcprst --help)", optopt);
			FAIL("unknown option '%s' (see tcprst --help)", argv[optind - 1]);
		}
		if (r != OPT_RUN)
			return r;
	}
	if (optind < argc)
		FAIL("unexpected argument '%s' (see tcprst --help)", argv[optind]);
	if (o->only4 && o->only6)
		FAIL("-4 and -6 exclude each other");
	if (o->interval > 0 && !o->summary && !o->metrics_file)
		FAIL("--interval needs --summary or --metrics-file");
	if (o->metrics_file && !o->interval)
		o->interval = 60;
	if (o->summary && (o->stack || o->explain))
		FAIL("--summary prints no line per reset: --stack and --explain do not go with it");
	return OPT_RUN;
}
