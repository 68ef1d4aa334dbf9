// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --summary: the picture instead of one line per reset. Counts by kind and
 * cause, top endpoints and callers, and beside them the kernel's own
 * counters over the same time, with a mismatch line when the kernel counted
 * resets tcprst did not see. Bounded memory: each table keeps
 * SUMMARY_KEYS distinct keys, the rest is counted as "other".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "output.h"
#include "summary.h"

/* The kernel's counters: section of /proc/net/snmp or netstat, and name. */
static const struct { const char *section, *name; } kc[KCOUNTERS] = {
	{ "Tcp",    "OutRsts" },
	{ "TcpExt", "TCPAbortOnClose" },
	{ "TcpExt", "TCPAbortOnData" },
	{ "TcpExt", "TCPAbortOnLinger" },
	{ "TcpExt", "TCPAbortOnMemory" },
	{ "TcpExt", "TCPAbortOnTimeout" },
	{ "TcpExt", "ListenOverflows" },
	{ "TcpExt", "ListenDrops" },
};

const char *const kcounter_names[KCOUNTERS] = {
	"OutRsts", "TCPAbortOnClose", "TCPAbortOnData", "TCPAbortOnLinger",
	"TCPAbortOnMemory", "TCPAbortOnTimeout", "ListenOverflows", "ListenDrops",
};

/* Counters of @section in @text: a header line of names, then one of values. */
static int parse_section(const char *text, const char *section, struct kcounters *k)
{
	size_t sl = strlen(section);
	const char *names = NULL;
	int found = 0;

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, section, sl) || l[sl] != ':')
			continue;
		if (!names) {
			names = l + sl + 1;
			continue;
		}
		/* the values line: walk both lines word by word */
		const char *n = names, *v = l + sl + 1;

		for (;;) {
			char name[64];
			long long val;
			int nl = 0, vl = 0;

			if (sscanf(n, " %63[^ \n]%n", name, &nl) != 1 || sscanf(v, " %lld%n", &val, &vl) != 1)
				break;
			for (int i = 0; i < KCOUNTERS; i++)
				if (!strcmp(kc[i].section, section) && !strcmp(kc[i].name, name)) {
					k->v[i] = val;
					found++;
				}
			n += nl;
			v += vl;
		}
		break;
	}
	return found;
}

/**
 * kcounters_parse() - the counters from the text of /proc/net/snmp and
 * /proc/net/netstat.
 * @snmp, @netstat: the files' contents
 * @k: out; k->ok when OutRsts was found (older kernels lack some TcpExt ones: 0)
 *
 * Return: 0, or -1 without Tcp OutRsts.
 */
int kcounters_parse(const char *snmp, const char *netstat, struct kcounters *k)
{
	memset(k, 0, sizeof(*k));
	parse_section(snmp, "Tcp", k);
	parse_section(netstat, "TcpExt", k);
	k->ok = strstr(snmp, "OutRsts") != NULL;
	return k->ok ? 0 : -1;
}

static char *slurp(const char *path)
{
	static char buf[2][16384];
	static int which;
	FILE *f = fopen(path, "re");
	char *b = buf[which++ % 2];
	size_t n = 0;

	if (f) {
		n = fread(b, 1, sizeof(buf[0]) - 1, f);
		fclose(f);
	}
	b[n] = '\0';
	return b;
}

/**
 * kcounters_read() - the counters of our network namespace, now.
 * @k: out
 *
 * Return: 0, or -1 if they cannot be read.
 */
int kcounters_read(struct kcounters *k)
{
	char *snmp = slurp("/proc/net/snmp");
	char *netstat = slurp("/proc/net/netstat");

	return kcounters_parse(snmp, netstat, k);
}

/**
 * summary_begin() - start counting.
 * @s: the summary
 * @netns: inode of our network namespace (whose counters @base holds), 0 if unknown
 * @base: the kernel's counters at the start
 * @now_ns: CLOCK_MONOTONIC
 */
void summary_begin(struct summary *s, uint32_t netns, const struct kcounters *base, int64_t now_ns)
{
	memset(s, 0, sizeof(*s));
	s->start_ns = now_ns;
	s->netns = netns;
	s->base = *base;
	s->netns_known = true;
}

static void count(struct sum_table *t, const char *key)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->k[i].key, key)) {
			t->k[i].n++;
			return;
		}
	if (t->n == SUMMARY_KEYS) {
		t->other++;
		return;
	}
	snprintf(t->k[t->n].key, sizeof(t->k[0].key), "%s", key);
	t->k[t->n++].n = 1;
}

/**
 * summary_add() - count one reported reset.
 * @s: the summary
 * @ev: the reset, classified
 * @caller: its direct caller as printed ("func+0xoff"), or NULL
 */
void summary_add(struct summary *s, const struct rst_event *ev, const char *caller)
{
	char a[INET6_ADDRSTRLEN + 16], key[96];

	s->resets++;
	/* OutRsts counts what TCP sends: not the RSTs received, nor a firewall's */
	if (ev->kind && (!strcmp(ev->kind, "received") || !strcmp(ev->kind, "firewall")))
		s->received++;
	else if (!ev->netns)
		s->netns_known = false;
	else if (ev->netns == s->netns)
		s->in_netns++;
	snprintf(key, sizeof(key), "%s:%s%s%s", ev->kind ? ev->kind : "?", ev->cause ? ev->cause : "unknown",
		 ev->nat ? "/" : "", ev->nat ? ev->nat : "");
	count(&s->causes, key);
	format_addr(ev->family, ev->saddr, a, sizeof(a));
	snprintf(key, sizeof(key), ev->family == 6 ? "[%s]:%u" : "%s:%u", a, ev->sport);
	count(&s->local, key);
	format_addr(ev->family, ev->daddr, a, sizeof(a));
	count(&s->remote, a);
	count(&s->callers, caller ? caller : "?");
}

static int by_count(const void *x, const void *y)
{
	const struct sum_key *a = x, *b = y;

	return a->n != b->n ? (a->n < b->n ? 1 : -1) : strcmp(a->key, b->key);
}

#define TOP 5

/* The table's keys, most counted first (at most @max). */
static int top(const struct sum_table *t, struct sum_key *out, int max)
{
	memcpy(out, t->k, t->n * sizeof(t->k[0]));
	qsort(out, t->n, sizeof(out[0]), by_count);
	return t->n < max ? t->n : max;
}

static const struct {
	const char *json, *text;
	size_t off;
	int max;
} tables[] = {
	{ "by_cause",   "by kind and cause",       offsetof(struct summary, causes),  SUMMARY_CAUSES },
	{ "top_local",  "top local endpoints",     offsetof(struct summary, local),   TOP },
	{ "top_remote", "top remote addresses",    offsetof(struct summary, remote),  TOP },
	{ "top_callers", "top direct callers",     offsetof(struct summary, callers), TOP },
};

/* Resets tcprst saw this host send where the counters are: in our namespace, or all if unknown. */
static long long seen_here(const struct summary *s)
{
	return s->netns_known ? s->in_netns : s->resets - s->received;
}

/*
 * The sentence on what the kernel counted and tcprst did not see, or NULL.
 * Only OutRsts counts every reset; compared where it is meaningful.
 */
static const char *mismatch(const struct summary *s, const struct kcounters *now, long long lost,
			    bool filtered, char *buf, size_t len)
{
	long long kernel = now->v[0] - s->base.v[0];
	long long seen = seen_here(s);

	if (!now->ok || !s->base.ok || filtered || kernel <= seen)
		return NULL;
	snprintf(buf, len, "the kernel counted %lld resets (OutRsts) in network namespace %u, "
		 "tcprst saw %lld there: %lld not seen (%lld events lost%s)", kernel, s->netns, seen,
		 kernel - seen, lost, lost ? "" : ": a path tcprst does not probe, or raw-socket RSTs");
	return buf;
}

/**
 * summary_print() - print the summary so far.
 * @f: the stream
 * @json: one JSON object {"summary": {...}} instead of text
 * @s: the summary
 * @now: the kernel's counters now (deltas from the start are printed)
 * @lost: events lost so far
 * @filtered: the run has filters (the kernel's totals are not comparable)
 * @now_ns: CLOCK_MONOTONIC
 */
void summary_print(FILE *f, bool json, const struct summary *s, const struct kcounters *now,
		   long long lost, bool filtered, int64_t now_ns)
{
	static struct sum_key sorted[SUMMARY_KEYS];
	double secs = (double)(now_ns - s->start_ns) / 1e9;
	char mm[320];
	const char *m = mismatch(s, now, lost, filtered, mm, sizeof(mm));
	struct jw w;

	if (json) {
		jw_begin(&w, f);
		jw_object(&w, "summary");
		jw_int(&w, "seconds", (long long)secs);
		jw_int(&w, "resets", s->resets);
		jw_int(&w, "lost", lost);
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			const struct sum_table *tb = (const void *)((const char *)s + tables[t].off);
			int n = top(tb, sorted, tables[t].max);

			jw_object(&w, tables[t].json);
			for (int i = 0; i < n; i++)
				jw_int(&w, sorted[i].key, sorted[i].n);
			if (tb->other)
				jw_int(&w, "other", tb->other);
			jw_end(&w, '}');
		}
		if (s->netns)
			jw_int(&w, "netns", s->netns);
		else
			jw_null(&w, "netns");
		jw_object(&w, "kernel_counters");
		for (int i = 0; i < KCOUNTERS && now->ok && s->base.ok; i++)
			jw_int(&w, kcounter_names[i], now->v[i] - s->base.v[i]);
		jw_end(&w, '}');
		jw_int(&w, "seen_in_netns", seen_here(s));
		jw_str(&w, "mismatch", m);
		jw_end(&w, '}');
		jw_end(&w, '}');
		return;
	}
	fprintf(f, "summary: %lld resets in %.0f s", s->resets, secs);
	if (lost)
		fprintf(f, ", %lld events lost", lost);
	fputc('\n', f);
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct sum_table *tb = (const void *)((const char *)s + tables[t].off);
		int n = top(tb, sorted, tables[t].max);

		if (!n)
			continue;
		fprintf(f, "  %s:\n", tables[t].text);
		for (int i = 0; i < n; i++)
			fprintf(f, "    %8lld  %s\n", sorted[i].n, sorted[i].key);
		if (tb->other)
			fprintf(f, "    %8lld  (other)\n", tb->other);
	}
	if (now->ok && s->base.ok) {
		fprintf(f, "  kernel counters over the same time (network namespace %u):\n", s->netns);
		for (int i = 0; i < KCOUNTERS; i++) {
			fprintf(f, "    %8lld  %s", now->v[i] - s->base.v[i], kcounter_names[i]);
			if (i == 0 && s->netns_known)
				fprintf(f, " (tcprst saw %lld resets in this namespace)", s->in_netns);
			fputc('\n', f);
		}
	}
	if (m)
		fprintf(f, "  mismatch: %s\n", m);
}

/* A Prometheus label value: backslash, double quote and newline escaped. */
static void label(FILE *f, const char *v, size_t n)
{
	for (size_t i = 0; i < n && v[i]; i++) {
		if (v[i] == '\\' || v[i] == '"')
			fputc('\\', f);
		if (v[i] == '\n')
			fputs("\\n", f);
		else
			fputc(v[i], f);
	}
}

/**
 * summary_metrics() - the counts in the Prometheus text format.
 * @f: the stream
 * @s: the summary
 * @lost: events lost so far
 *
 * Counters since tcprst started (a restart starts them at 0 again, as
 * Prometheus expects of counters).
 */
void summary_metrics(FILE *f, const struct summary *s, long long lost)
{
	fputs("# HELP tcprst_resets_total TCP resets this host sent, as tcprst saw them, by kind and cause.\n"
	      "# TYPE tcprst_resets_total counter\n", f);
	for (int i = 0; i < s->causes.n; i++) {
		const char *k = s->causes.k[i].key, *colon = strchr(k, ':'), *slash;

		if (!colon)
			continue;
		slash = strchr(colon, '/');	/* kind:cause/nat */
		fputs("tcprst_resets_total{kind=\"", f);
		label(f, k, (size_t)(colon - k));
		fputs("\",cause=\"", f);
		label(f, colon + 1, slash ? (size_t)(slash - colon - 1) : strlen(colon + 1));
		if (slash) {
			fputs("\",nat=\"", f);
			label(f, slash + 1, strlen(slash + 1));
		}
		fprintf(f, "\"} %lld\n", s->causes.k[i].n);
	}
	fprintf(f, "# HELP tcprst_lost_events_total Trace events lost before tcprst read them "
		"(ring buffer overruns and drops).\n"
		"# TYPE tcprst_lost_events_total counter\n"
		"tcprst_lost_events_total %lld\n", lost);
}

/**
 * summary_write_metrics() - replace @path with the current metrics, atomically
 * (node_exporter's textfile collector must never read half a file).
 * @path: the file
 * @s, @lost: as for summary_metrics()
 *
 * Return: 0, or -errno.
 */
int summary_write_metrics(const char *path, const struct summary *s, long long lost)
{
	char tmp[4096];
	FILE *f;
	int err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	summary_metrics(f, s, lost);
	if (fflush(f) || fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
