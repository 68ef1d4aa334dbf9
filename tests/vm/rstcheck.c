/* rstcheck: compare wire truth, expectations and tcprst's JSON Lines.
 *
 * usage: rstcheck [FILTER...] [--subset] CAPTURE EXPECT [EVENTS]
 *   CAPTURE: "RST <fam> <saddr> <sport> <daddr> <dport> ..." (rstcap)
 *   EXPECT:  "EXPECT <kind> <fam> <saddr> <sport> <daddr> <dport>" (rstgen)
 *   EVENTS:  tcprst --json output, one object per line
 * FILTER (selects the wire RSTs and expectations that the events must
 * match; events are never filtered): --port P (either side), --sport P,
 * --dport P, --saddr A, --daddr A, --family 4|6.
 * Rules: every expectation is on the wire and every wire RST is expected;
 * with EVENTS, wire RSTs and events match one to one on family+tuple and
 * the event's kind is the expected kind, except wire RSTs expected with
 * kind "raw" (crafted by a raw socket): no event may match those. --subset: events may miss wire
 * RSTs (but each must still match a distinct one).
 * Exit 0 if all rules hold, 1 otherwise (with one line per problem).
 * Build: gcc -static -O2 -Wall -Wextra -o rstcheck rstcheck.c
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
	char kind[32];
	int fam, sport, dport;
	char saddr[64], daddr[64];
	int line, match;	/* match: index in the other list, or -1 */
};

struct list {
	struct rec *r;
	int n, cap;
};

static int problems;

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
		int n;

		no++;
		memset(&r, 0, sizeof(r));
		if (!strcmp(tag, "EXPECT"))
			n = sscanf(line, "%15s %31s %d %63s %d %63s %d", t, r.kind,
				   &r.fam, r.saddr, &r.sport, r.daddr, &r.dport) - 1;
		else
			n = sscanf(line, "%15s %d %63s %d %63s %d", t, &r.fam,
				   r.saddr, &r.sport, r.daddr, &r.dport);
		if (n < 6 || strcmp(t, tag)) {
			if (line[strspn(line, " \t\r\n")])
				fprintf(stderr, "rstcheck: %s:%d: ignored: %s",
					path, no, line);
			continue;
		}
		r.line = no;
		r.match = -1;
		*add(l) = r;
	}
	fclose(f);
}

/* --- a small JSON reader for one flat object per line --- */
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
		val[0] = 0;
		if (!(p = jstring(ws(p), key, sizeof(key))))
			return -1;
		p = ws(p);
		if (*p++ != ':' || !(p = jvalue(p, val, sizeof(val))))
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
		if ((e = parse_event(line, &r)) < 0) {
			printf("rstcheck: BAD-EVENT %s:%d: %s: %s", path, no,
			       e == -1 ? "not a flat JSON object" :
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
		if (!strcmp(o, "port")) flt.port = atoi(v);
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
			const char *want = cap.r[k].match >= 0 ?
				exp.r[cap.r[k].match].kind : "";
			struct rec *w;
			if (!strcmp(want, "raw"))
				continue;
			w = add(&wire);
			*w = cap.r[k];
			snprintf(w->kind, sizeof(w->kind), "%s", want);
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
	printf(", %d problems\n", problems);
	return problems ? 1 : 0;
}
