/* rstcheck: compare wire truth, expectations and tcprst's JSON Lines.
 *
 * usage: rstcheck [FILTER...] [--subset] [--unknown-ok] [--need-cause]
 *                 [--need-seq] CAPTURE EXPECT [EVENTS]
 *   CAPTURE: "RST <fam> <saddr> <sport> <daddr> <dport> [<if> <dir>]
 *            seq=<u32> ack=<u32> flags=0x<hh>" (rstcap; the seq=, ack=,
 *            flags= fields may be missing: then they are not checked)
 *   EXPECT:  "EXPECT <kind> <fam> <saddr> <sport> <daddr> <dport> [<cause>]"
 *            (rstgen, rstraw; cause "-" or missing: not checked)
 *   EVENTS:  tcprst --json output, one object per line; nested values
 *            (e.g. "evidence": {...}) are skipped
 * FILTER (selects the wire RSTs and expectations that the events must
 * match; events are never filtered): --port P (either side), --sport P,
 * --dport P, --saddr A, --daddr A, --family 4|6.
 * Rules: every expectation is on the wire and every wire RST is expected;
 * with EVENTS, wire RSTs and events match one to one on family+tuple and
 * the event's kind is the expected kind, except wire RSTs expected with
 * kind "raw" (crafted by a raw socket): no event may match those. --subset: events may miss wire
 * RSTs (but each must still match a distinct one).
 * For each matched (wire RST, event) pair:
 *   cause: if the expectation names a cause (not "-") and the event has a
 *     "cause" key, they are equal (WRONG-CAUSE). --unknown-ok: "unknown"
 *     is accepted too (degraded modes), no other cause. --need-cause: an
 *     event without "cause" fails.
 *   seq, ack, flags: an event's non-null "seq" and "ack" (JSON numbers)
 *     equal the wire's; "ack" is null when the wire RST has no ACK; "flags"
 *     as tcpdump prints them ("R.", "R": F S R P . U E W) equals the wire's
 *     (WRONG-SEQ, WRONG-ACK, WRONG-FLAGS). --need-seq: a null or missing
 *     "seq", "ack" (when the wire RST has ACK) or "flags" fails.
 *   time: --time-within MS: the event's "time" is within MS milliseconds
 *     of the capture's time= (the kernel's timestamp of the packet)
 *     (WRONG-TIME).
 * Exit 0 if all rules hold, 1 otherwise (with one line per problem).
 * Build: gcc -static -O2 -Wall -Wextra -o rstcheck rstcheck.c
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ABSENT, JNULL, VALUE };	/* state of an optional field */

struct rec {
	char kind[32];
	int fam, sport, dport;
	char saddr[64], daddr[64];
	int line, match;	/* match: index in the other list, or -1 */
	char cause[48];		/* EXPECT: its cause; event: "cause" */
	int has_cause;		/* event: has a "cause" key */
	int seq_st, ack_st, flags_st;	/* ABSENT, JNULL or VALUE */
	unsigned long seq, ack;
	int flagbyte;		/* capture: the TCP flags byte */
	char flags[16];		/* event: "flags" (tcpdump style) */
	int has_time;
	double time;		/* capture: time=; event: "time" (UTC), seconds */
};

struct list {
	struct rec *r;
	int n, cap;
};

static int problems, unknown_ok, need_cause, need_seq;
static double time_within = -1;	/* --time-within MS, in seconds */
static double time_worst;	/* the largest difference seen, in seconds */

static struct rec *add(struct list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->r = realloc(l->r, l->cap * sizeof(*l->r));
		if (!l->r)
			exit(2);
	}
	memset(&l->r[l->n], 0, sizeof(*l->r));
	l->r[l->n].match = -1;
	return &l->r[l->n++];
}

static FILE *open_or_die(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	return f;
}

/* CAPTURE (tag "RST") or EXPECT (tag "EXPECT", has a kind) lines */
static void read_tuples(const char *path, const char *tag, struct list *l)
{
	char line[1024], t[16];
	FILE *f = open_or_die(path);
	int no = 0;

	while (fgets(line, sizeof(line), f)) {
		struct rec r;
		int n, end = 0;

		no++;
		memset(&r, 0, sizeof(r));
		if (!strcmp(tag, "EXPECT"))
			n = sscanf(line, "%15s %31s %d %63s %d %63s %d %47s", t,
				   r.kind, &r.fam, r.saddr, &r.sport, r.daddr,
				   &r.dport, r.cause) - 1;
		else
			n = sscanf(line, "%15s %d %63s %d %63s %d%n", t, &r.fam,
				   r.saddr, &r.sport, r.daddr, &r.dport, &end);
		if (n < 6 || strcmp(t, tag)) {
			if (line[strspn(line, " \t\r\n")])
				fprintf(stderr, "rstcheck: %s:%d: ignored: %s",
					path, no, line);
			continue;
		}
		/* capture: seq=, ack=, flags= among the fields after the tuple */
		for (char *tok = end ? strtok(line + end, " \t\r\n") : NULL;
		     tok; tok = strtok(NULL, " \t\r\n")) {
			if (!strncmp(tok, "seq=", 4))
				r.seq = strtoul(tok + 4, NULL, 10), r.seq_st = VALUE;
			else if (!strncmp(tok, "ack=", 4))
				r.ack = strtoul(tok + 4, NULL, 10), r.ack_st = VALUE;
			else if (!strncmp(tok, "flags=", 6))
				r.flagbyte = (int)strtol(tok + 6, NULL, 16),
				r.flags_st = VALUE;
			else if (!strncmp(tok, "time=", 5))
				r.time = strtod(tok + 5, NULL), r.has_time = 1;
		}
		r.line = no;
		r.match = -1;
		*add(l) = r;
	}
	fclose(f);
}

/* --- a small JSON reader for one object per line (nested objects and
 * arrays in values are skipped) --- */
static const char *ws(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* parse a JSON string at p (at '"'); copy up to n-1 bytes into out */
static const char *jstring(const char *p, char *out, size_t n)
{
	size_t k = 0;

	if (*p++ != '"')
		return NULL;
	for (; *p && *p != '"'; p++) {
		char c = *p;
		if (c == '\\') {
			c = *++p;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
				c = '?';
				break;
			case '"': case '\\': case '/': break;
			default: return NULL;
			}
		} else if ((unsigned char)c < 0x20) {
			return NULL;
		}
		if (k + 1 < n)
			out[k++] = c;
	}
	if (n)
		out[k] = 0;
	return *p == '"' ? p + 1 : NULL;
}

/* skip any JSON value; if it is a string or a scalar, copy it to out */
static const char *jvalue(const char *p, char *out, size_t n)
{
	int depth = 0;

	p = ws(p);
	if (*p == '"')
		return jstring(p, out, n);
	if (*p == '{' || *p == '[') {
		for (; *p; p++) {
			if (*p == '"') {
				if (!(p = jstring(p, NULL, 0)))
					return NULL;
				p--;
			} else if (*p == '{' || *p == '[') {
				depth++;
			} else if ((*p == '}' || *p == ']') && --depth == 0) {
				return p + 1;
			}
		}
		return NULL;
	}
	size_t k = strspn(p, "0123456789+-.eEtrufalsn");
	if (!k)
		return NULL;
	snprintf(out, n, "%.*s", (int)k, p);
	return p + k;
}

/* "2026-11-25T09:42:07.949558Z" -> seconds since the epoch */
static int iso_time(const char *s, double *out)
{
	struct tm tm;
	double frac = 0;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return 0;
	if (s[n] == '.')
		frac = strtod(s + n, NULL);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (double)timegm(&tm) + frac;
	return 1;
}

static int parse_event(const char *p, struct rec *r)
{
	char key[64], val[256];
	int have = 0;

	r->fam = r->sport = r->dport = -1;
	p = ws(p);
	if (*p++ != '{')
		return -1;
	p = ws(p);
	if (*p == '}')
		return -1;
	for (;;) {
		int str;

		val[0] = 0;
		if (!(p = jstring(ws(p), key, sizeof(key))))
			return -1;
		p = ws(p);
		if (*p++ != ':')
			return -1;
		p = ws(p);
		str = *p == '"';
		if (!(p = jvalue(p, val, sizeof(val))))
			return -1;
		if (!strcmp(key, "kind"))
			snprintf(r->kind, sizeof(r->kind), "%s", val), have |= 1;
		else if (!strcmp(key, "family"))
			r->fam = atoi(val), have |= 2;
		else if (!strcmp(key, "saddr"))
			snprintf(r->saddr, sizeof(r->saddr), "%s", val), have |= 4;
		else if (!strcmp(key, "sport"))
			r->sport = atoi(val), have |= 8;
		else if (!strcmp(key, "daddr"))
			snprintf(r->daddr, sizeof(r->daddr), "%s", val), have |= 16;
		else if (!strcmp(key, "dport"))
			r->dport = atoi(val), have |= 32;
		else if (!strcmp(key, "cause"))
			snprintf(r->cause, sizeof(r->cause), "%s", val),
			r->has_cause = 1;
		else if (!strcmp(key, "time"))
			r->has_time = iso_time(val, &r->time);
		else if (!strcmp(key, "flags"))
			r->flags_st = !str && !strcmp(val, "null") ? JNULL : VALUE,
			snprintf(r->flags, sizeof(r->flags), "%s", str ? val : "?");
		else if (!strcmp(key, "seq") || !strcmp(key, "ack")) {
			int st = str ? -1 : !strcmp(val, "null") ? JNULL : VALUE;
			unsigned long x = 0;
			char *e = val;

			if (st == VALUE) {
				x = strtoul(val, &e, 10);
				if (e == val || *e || val[0] == '-' || x > 0xffffffffUL)
					st = -1;
			}
			if (st < 0)
				return -3;	/* not a u32 number or null */
			if (key[0] == 's')
				r->seq = x, r->seq_st = st;
			else
				r->ack = x, r->ack_st = st;
		}
		p = ws(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			return -1;
	}
	if (*ws(p + 1))
		return -1;	/* trailing garbage */
	return have == 63 ? 0 : -2;
}

static void read_events(const char *path, struct list *l)
{
	static char line[65536];
	FILE *f = open_or_die(path);
	int no = 0;

	while (fgets(line, sizeof(line), f)) {
		struct rec r;
		int e;

		no++;
		memset(&r, 0, sizeof(r));
		if (!line[strspn(line, " \t\r\n")])
			continue;
		if (!strncmp(line, "{\"lost\":", 8)) {
			printf("rstcheck: note: %s:%d: %s", path, no, line);	/* not a reset */
			continue;
		}
		if ((e = parse_event(line, &r)) < 0) {
			printf("rstcheck: BAD-EVENT %s:%d: %s: %s", path, no,
			       e == -1 ? "not a JSON object" : e == -3 ?
			       "seq/ack neither a u32 number nor null" :
			       "kind/family/saddr/sport/daddr/dport missing", line);
			problems++;
			continue;
		}
		r.line = no;
		r.match = -1;
		*add(l) = r;
	}
	fclose(f);
}

static int same(const struct rec *a, const struct rec *b)
{
	return a->fam == b->fam && a->sport == b->sport &&
	       a->dport == b->dport && !strcmp(a->saddr, b->saddr) &&
	       !strcmp(a->daddr, b->daddr);
}

static const char *fmt(const struct rec *r)
{
	static char buf[2][256];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%d %s %d > %s %d", r->fam, r->saddr,
		 r->sport, r->daddr, r->dport);
	return buf[i];
}

/* one-to-one matching of a against b on the tuple */
static void match(struct list *a, struct list *b)
{
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++)
			if (b->r[j].match < 0 && same(&a->r[i], &b->r[j])) {
				a->r[i].match = j;
				b->r[j].match = i;
				break;
			}
}

/* the TCP flags byte as tcpdump prints it: F S R P . U E W, or "none" */
static const char *tcpflags(int b, char *out)
{
	static const char letters[] = "FSRP.UEW";
	int k = 0;

	for (int i = 0; i < 8; i++)
		if (b & (1 << i))
			out[k++] = letters[i];
	out[k] = 0;
	return k ? out : "none";
}

/* an optional number as text: the number, "null" or "nothing" */
static const char *num(int st, unsigned long v, char *buf, size_t n)
{
	if (st != VALUE)
		return st == JNULL ? "null" : "nothing";
	snprintf(buf, n, "%lu", v);
	return buf;
}

/* cause, seq, ack and flags of a matched (wire RST, event) pair */
static void check_fields(const struct rec *w, const struct rec *e)
{
	char wf[16], b1[24], b2[24];
	const char *want;

	if (*w->cause && strcmp(w->cause, "-") && e->has_cause &&
	    strcmp(w->cause, e->cause) &&
	    !(unknown_ok && !strcmp(e->cause, "unknown"))) {
		printf("rstcheck: WRONG-CAUSE %s: expected %s, tcprst said "
		       "\"%s\" (events line %d)\n", fmt(w), w->cause, e->cause,
		       e->line);
		problems++;
	}
	if (need_cause && !e->has_cause) {
		printf("rstcheck: WRONG-CAUSE %s: expected %s, tcprst gave no "
		       "cause (events line %d)\n", fmt(w),
		       *w->cause ? w->cause : "-", e->line);
		problems++;
	}
	if (e->has_time && w->has_time && fabs(e->time - w->time) > time_worst)
		time_worst = fabs(e->time - w->time);
	if (time_within >= 0 && w->has_time &&
	    (!e->has_time || e->time - w->time > time_within || w->time - e->time > time_within)) {
		printf("rstcheck: WRONG-TIME %s: on the wire at %.6f, tcprst said %.6f "
		       "(%+.0f ms; events line %d)\n", fmt(w), w->time, e->time,
		       (e->time - w->time) * 1000, e->line);
		problems++;
	}
	if (w->seq_st != VALUE)
		return;		/* an old capture without seq/ack/flags */
	if ((e->seq_st == VALUE && e->seq != w->seq) ||
	    (need_seq && e->seq_st != VALUE)) {
		printf("rstcheck: WRONG-SEQ %s: wire %lu, tcprst said %s "
		       "(events line %d)\n", fmt(w), w->seq,
		       num(e->seq_st, e->seq, b1, sizeof(b1)), e->line);
		problems++;
	}
	if (w->flagbyte & 0x10 ?
	    (e->ack_st == VALUE && e->ack != w->ack) ||
	    (need_seq && e->ack_st != VALUE) :
	    e->ack_st == VALUE) {
		printf("rstcheck: WRONG-ACK %s: wire %s, tcprst said %s "
		       "(events line %d)\n", fmt(w),
		       w->flagbyte & 0x10 ? num(VALUE, w->ack, b1, sizeof(b1)) :
		       "null (no ACK flag)",
		       num(e->ack_st, e->ack, b2, sizeof(b2)), e->line);
		problems++;
	}
	want = tcpflags(w->flagbyte, wf);
	if ((e->flags_st == VALUE && strcmp(e->flags, want)) ||
	    (need_seq && e->flags_st != VALUE)) {
		printf("rstcheck: WRONG-FLAGS %s: wire \"%s\" (0x%02x), tcprst "
		       "said %s%s%s (events line %d)\n", fmt(w), want,
		       w->flagbyte, e->flags_st == VALUE ? "\"" : "",
		       e->flags_st == VALUE ? e->flags : e->flags_st == JNULL ?
		       "null" : "nothing", e->flags_st == VALUE ? "\"" : "",
		       e->line);
		problems++;
	}
}

static struct {
	int port, sport, dport, fam;
	const char *saddr, *daddr;
} flt = { -1, -1, -1, -1, NULL, NULL };

static int selected(const struct rec *r)
{
	return (flt.port < 0 || r->sport == flt.port || r->dport == flt.port) &&
	       (flt.sport < 0 || r->sport == flt.sport) &&
	       (flt.dport < 0 || r->dport == flt.dport) &&
	       (flt.fam < 0 || r->fam == flt.fam) &&
	       (!flt.saddr || !strcmp(r->saddr, flt.saddr)) &&
	       (!flt.daddr || !strcmp(r->daddr, flt.daddr));
}

static void filter(struct list *l)
{
	int k = 0;

	for (int i = 0; i < l->n; i++)
		if (selected(&l->r[i]))
			l->r[k++] = l->r[i];
	l->n = k;
}

int main(int argc, char **argv)
{
	struct list cap = { 0 }, exp = { 0 }, ev = { 0 };
	int i, subset = 0;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *o = argv[i] + 2, *v = i + 1 < argc ? argv[i + 1] : "";
		if (!strcmp(o, "subset")) { subset = 1; continue; }
		if (!strcmp(o, "unknown-ok")) { unknown_ok = 1; continue; }
		if (!strcmp(o, "need-cause")) { need_cause = 1; continue; }
		if (!strcmp(o, "need-seq")) { need_seq = 1; continue; }
		if (!strcmp(o, "time-within")) time_within = atof(v) / 1000;
		else if (!strcmp(o, "port")) flt.port = atoi(v);
		else if (!strcmp(o, "sport")) flt.sport = atoi(v);
		else if (!strcmp(o, "dport")) flt.dport = atoi(v);
		else if (!strcmp(o, "family")) flt.fam = atoi(v);
		else if (!strcmp(o, "saddr")) flt.saddr = v;
		else if (!strcmp(o, "daddr")) flt.daddr = v;
		else { fprintf(stderr, "rstcheck: unknown option %s\n", argv[i]); return 2; }
		i++;
	}
	if (argc - i < 2 || argc - i > 3) {
		fprintf(stderr, "usage: rstcheck [--port P|--sport P|--dport P|"
			"--saddr A|--daddr A|--family F]... [--subset] "
			"[--unknown-ok] [--need-cause] [--need-seq] [--time-within MS] "
			"CAPTURE EXPECT [EVENTS]\n");
		return 2;
	}
	read_tuples(argv[i], "RST", &cap);
	read_tuples(argv[i + 1], "EXPECT", &exp);
	filter(&cap);
	filter(&exp);
	match(&exp, &cap);
	for (int k = 0; k < exp.n; k++)
		if (exp.r[k].match < 0) {
			printf("rstcheck: EXPECTED-NOT-ON-WIRE %s %s (expect line %d)\n",
			       exp.r[k].kind, fmt(&exp.r[k]), exp.r[k].line);
			problems++;
		}
	for (int k = 0; k < cap.n; k++)
		if (cap.r[k].match < 0) {
			printf("rstcheck: UNEXPLAINED-WIRE-RST %s (capture line %d)\n",
			       fmt(&cap.r[k]), cap.r[k].line);
			problems++;
		}
	if (argc - i == 3) {
		/* wire RSTs the events must match, each with its expected kind;
		 * raw-socket RSTs are on the wire but not sent by TCP */
		struct list wire = { 0 };
		for (int k = 0; k < cap.n; k++) {
			const struct rec *x = cap.r[k].match >= 0 ?
				&exp.r[cap.r[k].match] : NULL;
			const char *want = x ? x->kind : "";
			struct rec *w;
			if (!strcmp(want, "raw"))
				continue;
			w = add(&wire);
			*w = cap.r[k];
			snprintf(w->kind, sizeof(w->kind), "%s", want);
			snprintf(w->cause, sizeof(w->cause), "%s", x ? x->cause : "");
			w->match = -1;
		}
		read_events(argv[i + 2], &ev);
		match(&wire, &ev);
		for (int k = 0; k < wire.n; k++) {
			const struct rec *w = &wire.r[k], *e;
			if (w->match < 0) {
				if (!subset) {
					printf("rstcheck: MISSING-EVENT %s %s\n",
					       *w->kind ? w->kind : "?", fmt(w));
					problems++;
				}
				continue;
			}
			e = &ev.r[w->match];
			if (*w->kind && strcmp(w->kind, e->kind)) {
				printf("rstcheck: WRONG-KIND %s: expected %s, "
				       "tcprst said \"%s\" (events line %d)\n",
				       fmt(w), w->kind, e->kind, e->line);
				problems++;
			}
			check_fields(w, e);
		}
		for (int k = 0; k < ev.n; k++) {
			const char *why = selected(&ev.r[k]) ?
				"no such RST on the wire" :
				"no such RST on the wire, or filtered out";
			if (ev.r[k].match >= 0)
				continue;
			for (int x = 0; x < exp.n; x++)
				if (!strcmp(exp.r[x].kind, "raw") &&
				    same(&exp.r[x], &ev.r[k]))
					why = "crafted by a raw socket, not sent by "
					      "the kernel's TCP";
			printf("rstcheck: EXTRA-EVENT %s %s (events line %d, %s)\n",
			       ev.r[k].kind, fmt(&ev.r[k]), ev.r[k].line, why);
			problems++;
		}
	}
	printf("rstcheck: %s: %d wire RSTs, %d expected", problems ? "FAIL" : "ok",
	       cap.n, exp.n);
	if (argc - i == 3)
		printf(", %d events", ev.n);
	if (time_within >= 0)
		printf(", times within %.0f ms of the wire's", time_worst * 1000);
	printf(", %d problems\n", problems);
	return problems ? 1 : 0;
}
