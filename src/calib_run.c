// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Self-calibration, the kernel side. With neither BTF nor debug info,
 * probes in our own group read bounded sets of candidate offsets while a
 * child in a private network namespace makes loopback connections whose
 * tuples we chose; calib_decide() keeps an offset only if it reads every
 * known value and no other candidate does. The probes are removed after.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calib.h"
#include "decode.h"
#include "ksyms.h"
#include "probes.h"
#include "reader.h"
#include "kprobe.h"
#include "session.h"

#define ARGS_PER_PROBE 100
#define MAX_CAL_PROBES 16

static const struct calib_target targets[] = {
	{ "inet_sport",       "tcp_send_active_reset", 0, 400, 1400, 2, 2,  false, 0, false },
	{ "skc_v6_daddr",     "tcp_send_active_reset", 0, 40,  136,  8, 16, false, 0, false },
	{ "skc_v6_rcv_saddr", "tcp_send_active_reset", 0, 40,  136,  8, 16, false, 0, false },
	{ "skb_data",         "tcp_v4_send_reset",     1, 96,  320,  8, 4,  true,  0, false },
	/* before 3.13: inet_sk(sk)->pinet6, its rcv_saddr at +16 and daddr at +32 */
	{ "inet_pinet6",      "tcp_send_active_reset", 0, 400, 1400, 8, 16, true, 16, true },
	{ "inet_pinet6@daddr", "tcp_send_active_reset", 0, 400, 1400, 8, 16, true, 32, true },
};
enum { T_SPORT, T_V6DADDR, T_V6RCV, T_SKBDATA, T_PINET6_RCV, T_PINET6_DADDR };
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

#define SAMPLES CALIB_SAMPLES

/* The samples' tuples (calib.c's plan, which other runs recognise). */
static uint16_t cport(int k) { return calib_port(CALIB_MAPPED_CLIENT, k); }
static uint16_t lport(int k) { return calib_port(CALIB_MAPPED_LISTEN, k); }
static uint16_t pport(int k) { return calib_port(CALIB_SYN_FROM, k); }
static uint16_t qport(int k) { return calib_port(CALIB_CLOSED, k); }
static uint16_t c4port(int k) { return calib_port(CALIB_V4_CLIENT, k); }
static uint16_t l4port(int k) { return calib_port(CALIB_V4_LISTEN, k); }
static uint16_t c6port(int k) { return calib_port(CALIB_V6_CLIENT, k); }
static uint16_t l6port(int k) { return calib_port(CALIB_V6_LISTEN, k); }
static uint32_t lo_addr(int n) { return htonl(0x7f000000u | (uint32_t)n); }

static void mapped(struct sockaddr_in6 *a, int host, uint16_t port)
{
	uint32_t v4 = lo_addr(host);

	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	a->sin6_addr.s6_addr[10] = a->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&a->sin6_addr.s6_addr[12], &v4, 4);
}

static void inet4(struct sockaddr_in *a, int host, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	a->sin_addr.s_addr = lo_addr(host);
}

/*
 * The values target @t must read, one per sample; returns how many. The
 * source port is checked on v4-mapped, IPv4 and IPv6 sockets: the cached
 * IPv4 flow (inet->cork.fl) also holds it for the first two, not for IPv6.
 */
static int expected(int t, unsigned char (*out)[16])
{
	memset(out, 0, 3 * SAMPLES * 16);
	for (int k = 0; k < SAMPLES; k++) {
		struct sockaddr_in6 a;
		uint16_t p[2];

		switch (t) {
		case T_SPORT:
			p[0] = htons(cport(k));
			memcpy(out[k], p, 2);
			p[0] = htons(c4port(k));
			memcpy(out[SAMPLES + k], p, 2);
			p[0] = htons(c6port(k));
			memcpy(out[2 * SAMPLES + k], p, 2);
			break;
		/* the v4-mapped client resets: its peer is .10+k, itself .20+k */
		case T_V6DADDR: case T_PINET6_DADDR:
			mapped(&a, calib_host(CALIB_MAPPED_LISTEN, k), 0);
			memcpy(out[k], &a.sin6_addr, 16);
			break;
		case T_V6RCV: case T_PINET6_RCV:
			mapped(&a, calib_host(CALIB_MAPPED_CLIENT, k), 0);
			memcpy(out[k], &a.sin6_addr, 16);
			break;
		case T_SKBDATA:
			p[0] = htons(pport(k));
			p[1] = htons(qport(k));
			memcpy(out[k], p, 4);
			break;
		}
	}
	return t == T_SPORT ? 3 * SAMPLES : SAMPLES;
}

static int linger0_pair(int family, const void *la, const void *ca, socklen_t len)
{
	struct linger lg = { 1, 0 };
	int one = 1, l, c, a;

	l = socket(family, SOCK_STREAM, 0);
	c = socket(family, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, la, len) || listen(l, 1) || bind(c, ca, len) || connect(c, la, len))
		return -1;
	a = accept(l, NULL, NULL);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c);
	close(a);
	close(l);
	return 0;
}

/* In the child, inside a fresh network namespace: make the resets. */
static int child_samples(void)
{
	struct ifreq ifr;
	int fd;

	if (unshare(CLONE_NEWNET))
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		return 3;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		return 3;
	close(fd);
	for (int k = 0; k < SAMPLES; k++) {
		struct sockaddr_in6 la, ca;
		struct sockaddr_in pa, qa, l4, c4;
		int p;

		/* active: SO_LINGER {1,0} close of a v4-mapped and of an IPv4 client */
		mapped(&la, calib_host(CALIB_MAPPED_LISTEN, k), lport(k));
		mapped(&ca, calib_host(CALIB_MAPPED_CLIENT, k), cport(k));
		if (linger0_pair(AF_INET6, &la, &ca, sizeof(la)))
			return 4;
		inet4(&l4, calib_host(CALIB_V4_LISTEN, k), l4port(k));
		inet4(&c4, calib_host(CALIB_V4_CLIENT, k), c4port(k));
		if (linger0_pair(AF_INET, &l4, &c4, sizeof(l4)))
			return 4;
		memset(&la, 0, sizeof(la));
		la.sin6_family = AF_INET6;
		la.sin6_addr = in6addr_loopback;
		ca = la;
		la.sin6_port = htons(l6port(k));
		ca.sin6_port = htons(c6port(k));
		if (linger0_pair(AF_INET6, &la, &ca, sizeof(la)))
			return 6;

		/* passive: a SYN to a closed port */
		inet4(&pa, calib_host(CALIB_SYN_FROM, k), pport(k));
		inet4(&qa, calib_host(CALIB_CLOSED, k), qport(k));
		p = socket(AF_INET, SOCK_STREAM, 0);
		if (bind(p, (void *)&pa, sizeof(pa)))
			return 5;
		connect(p, (void *)&qa, sizeof(qa));	/* refused: that is the point */
		close(p);
	}
	return 0;
}

struct cal_probe {
	char event[16];
	const char *symbol;
	struct kprobe kp;
	char args[8192];
	int nargs;
};

struct cal_ctx {
	struct tep_handle *tep;
	struct calib_readings *r[NTARGETS];
};

/* Field names are t<target>c<candidate>[ab]. */
static void cal_record(void *ctx, struct tep_record *rec)
{
	struct cal_ctx *c = ctx;
	struct tep_event *e = tep_find_event_by_record(c->tep, rec);
	static bool touched[NTARGETS][CALIB_MAX_CAND];

	if (!e)
		return;
	memset(touched, 0, sizeof(touched));
	for (struct tep_format_field *f = e->format.fields; f; f = f->next) {
		unsigned t, cand;
		char part = 0;
		unsigned long long v;

		if (sscanf(f->name, "t%uc%u%c", &t, &cand, &part) < 2 || t >= NTARGETS ||
		    !c->r[t] || cand >= CALIB_MAX_CAND || tep_read_number_field(f, rec->data, &v))
			continue;
		struct calib_readings *r = c->r[t];
		if (r->nev[cand] >= CALIB_MAX_EVENTS)
			continue;
		unsigned char *dst = r->v[cand][r->nev[cand]];
		uint64_t x = v;

		memcpy(dst + (part == 'b' ? 8 : 0), &x, f->size < 8 ? (size_t)f->size : 8);
		touched[t][cand] = true;
	}
	for (unsigned t = 0; t < NTARGETS; t++)
		for (int i = 0; c->r[t] && i < c->r[t]->ncand; i++)
			if (touched[t][i])
				c->r[t]->nev[i]++;
}

static int add_arg(struct cal_probe *cp, int *ncp, const char *symbol,
		   const char *arg)
{
	struct cal_probe *p = *ncp ? &cp[*ncp - 1] : NULL;

	if (!p || p->symbol != symbol || p->nargs >= ARGS_PER_PROBE) {
		if (*ncp >= MAX_CAL_PROBES)
			return -1;
		p = &cp[(*ncp)++];
		snprintf(p->event, sizeof(p->event), "cal%d", *ncp - 1);
		p->symbol = symbol;
	}
	size_t n = strlen(p->args);
	if (n + strlen(arg) + 2 >= sizeof(p->args))
		return -1;
	snprintf(p->args + n, sizeof(p->args) - n, "%s%s", n ? " " : "", arg);
	p->nargs++;
	return 0;
}

/* Fetch arguments of every candidate of the targets still unknown. */
static int build_probes(const struct offsets *off, const struct arch_regs *regs,
			struct cal_probe *cp, int *ncp, struct cal_ctx *cx)
{
	char arg[96];

	for (unsigned t = 0; t < NTARGETS; t++) {
		const struct calib_target *tg = &targets[t];
		const char *reg = regs->arg[tg->reg];

		if (offsets_get(off, tg->name) >= 0 ||
		    (tg->alt && offsets_get(off, "skc_v6_daddr") >= 0))
			continue;
		cx->r[t] = calloc(1, sizeof(*cx->r[t]));
		if (!cx->r[t])
			return -1;
		cx->r[t]->ncand = calib_ncand(tg);
		for (int i = 0; i < cx->r[t]->ncand; i++) {
			int o = calib_offset(tg, i);

			if (tg->width == 16 && tg->deref) {
				snprintf(arg, sizeof(arg), "t%uc%da=+%d(+%d(%s)):u64", t, i, tg->at, o, reg);
				if (add_arg(cp, ncp, tg->symbol, arg))
					return -1;
				snprintf(arg, sizeof(arg), "t%uc%db=+%d(+%d(%s)):u64", t, i, tg->at + 8, o, reg);
			} else if (tg->width == 16) {
				snprintf(arg, sizeof(arg), "t%uc%da=+%d(%s):u64", t, i, o, reg);
				if (add_arg(cp, ncp, tg->symbol, arg))
					return -1;
				snprintf(arg, sizeof(arg), "t%uc%db=+%d(%s):u64", t, i, o + 8, reg);
			} else if (tg->deref) {
				snprintf(arg, sizeof(arg), "t%uc%d=+%d(+%d(%s)):u%d", t, i, tg->at, o, reg, 8 * tg->width);
			} else {
				snprintf(arg, sizeof(arg), "t%uc%d=+%d(%s):u%d", t, i, o, reg, 8 * tg->width);
			}
			if (add_arg(cp, ncp, tg->symbol, arg))
				return -1;
		}
	}
	return 0;
}

/*
 * TCPRST_CALIB_RECORD (test only): save the readings and the expected
 * samples, for the unit test of calib_decide() on real data. Format:
 *   target NAME LO STEP WIDTH NCAND
 *   exp HEX            (one per sample, in order)
 *   c INDEX HEX...     (a candidate's hits; candidates never read non-zero are left out)
 */
static void record_readings(FILE *f, const struct calib_target *tg, const struct calib_readings *r,
			    unsigned char (*exp)[16], int nexp)
{
	static const unsigned char zero[16];

	fprintf(f, "target %s %d %d %d %d\n", tg->name, tg->lo, tg->step, tg->width, r->ncand);
	for (int k = 0; k < nexp; k++) {
		fputs("exp ", f);
		for (int b = 0; b < tg->width; b++)
			fprintf(f, "%02x", exp[k][b]);
		fputc('\n', f);
	}
	for (int i = 0; i < r->ncand; i++) {
		bool any = false;

		for (int e = 0; e < r->nev[i]; e++)
			any |= memcmp(r->v[i][e], zero, tg->width) != 0;
		if (!any)
			continue;
		fprintf(f, "c %d", i);
		for (int e = 0; e < r->nev[i]; e++) {
			fputc(' ', f);
			for (int b = 0; b < tg->width; b++)
				fprintf(f, "%02x", r->v[i][e][b]);
		}
		fputc('\n', f);
	}
}

/* TCPRST_CALIB_DEBUG: which candidates read which sample, on stderr. */
static void debug_matches(const struct calib_target *tg, const struct calib_readings *r,
			  unsigned char (*exp)[16], int nexp, int decision)
{
	fprintf(stderr, "tcprst: calibration of %s: decision %d\n", tg->name, decision);
	for (int i = 0; i < r->ncand; i++) {
		int seen = 0;

		for (int k = 0; k < nexp; k++)
			for (int e = 0; e < r->nev[i]; e++)
				if (!memcmp(r->v[i][e], exp[k], tg->width)) {
					seen++;
					break;
				}
		if (seen)
			fprintf(stderr, "tcprst:   offset %d reads %d of %d samples\n",
				calib_offset(tg, i), seen, nexp);
	}
}

/**
 * calibrate() - find unknown offsets by self-calibration.
 * @g: our kprobe group (calibration probes are created and removed in it)
 * @inst: our instance, whose buffer receives their events
 * @off: offsets; unknown ones found are set with source OFF_CALIBRATED
 * @msg, @len: a note on what could not be calibrated
 *
 * Return: number of offsets still unknown, or -1 if calibration could not run.
 */
int calibrate(const struct kgroup *g, struct tracefs_instance *inst, struct offsets *off,
	      char *msg, size_t len)
{
	static struct cal_probe cp[MAX_CAL_PROBES];
	struct cal_ctx cx = { 0 };
	struct reader *rd = NULL;
	const struct arch_regs *regs;
	struct utsname u;
	int ncp = 0, ret = -1, status = 0, missing = 0;
	pid_t pid;

	msg[0] = '\0';
	memset(cp, 0, sizeof(cp));
	uname(&u);
	regs = arch_regs_get(u.machine);
	if (!regs || build_probes(off, regs, cp, &ncp, &cx))
		goto out;
	if (!ncp) {
		ret = 0;
		goto out;
	}
	cx.tep = tep_alloc();
	if (!cx.tep)
		goto out;
	for (int i = 0; i < ncp; i++) {
		int flen = 0;

		if (kprobe_add(g, cp[i].event, cp[i].symbol, cp[i].args, &cp[i].kp, NULL, 0)) {
			snprintf(msg, len, "the kernel refused a calibration probe on %s (%s)",
				 cp[i].kp.symbol, strerror(errno));
			goto out;
		}
		char *fmt = tracefs_event_file_read(NULL, g->name, cp[i].event, "format", &flen);
		if (!fmt || formats_parse(cx.tep, fmt, (size_t)flen, g->name)) {
			free(fmt);
			goto out;
		}
		free(fmt);
		kprobe_enable(inst, g, cp[i].event, true);
	}
	rd = reader_open(inst);
	if (!rd)
		goto out;
	pid = fork();
	if (pid == 0)
		_exit(child_samples());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(msg, len, "the calibration connections failed (status %d)", status);
		goto out;
	}
	for (int i = 0; i < ncp; i++)
		kprobe_enable(inst, g, cp[i].event, false);
	do	/* every page: a pass reads a bounded number */
		reader_drain(rd, cal_record, &cx);
	while (reader_backlog(rd));

	const char *recpath = getenv("TCPRST_CALIB_RECORD");
	FILE *rec = recpath ? fopen(recpath, "we") : NULL;

	int pinet6[2] = { -1, -1 };

	for (unsigned t = 0; t < NTARGETS; t++) {
		unsigned char exp[3 * SAMPLES][16];
		int c, nexp;

		if (!cx.r[t])
			continue;
		nexp = expected((int)t, exp);
		c = calib_decide(cx.r[t], targets[t].width, (const unsigned char (*)[16])exp, nexp);
		if (getenv("TCPRST_CALIB_DEBUG"))
			debug_matches(&targets[t], cx.r[t], exp, nexp, c);
		if (rec)
			record_readings(rec, &targets[t], cx.r[t], exp, nexp);
		if (targets[t].alt) {	/* decided together, below */
			pinet6[t == T_PINET6_DADDR] = c >= 0 ? calib_offset(&targets[t], c) : -1;
			continue;
		}
		if (c >= 0) {
			offsets_set(off, targets[t].name, calib_offset(&targets[t], c), OFF_CALIBRATED);
			continue;
		}
		/* IPv6 addresses may live behind pinet6 instead (before 3.13) */
		if (t == T_V6DADDR || t == T_V6RCV)
			continue;
		missing++;
		size_t n = strlen(msg);
		snprintf(msg + n, len - n, "%s%s: %s", n ? "; " : "", targets[t].name,
			 c == -2 ? "ambiguous, refused" : "not found");
	}
	if (calib_ipv6_layout(off, pinet6[0], pinet6[1])) {
		size_t n = strlen(msg);

		missing++;
		snprintf(msg + n, len - n, "%sIPv6 addresses: neither in sock_common nor behind pinet6",
			 n ? "; " : "");
	}
	if (rec)
		fclose(rec);
	ret = missing;
out:
	reader_close(rd);
	for (int i = 0; i < ncp; i++) {
		if (!cp[i].kp.created)
			continue;
		kprobe_enable(inst, g, cp[i].event, false);
		kprobe_remove(g, &cp[i].kp);
	}
	for (unsigned t = 0; t < NTARGETS; t++)
		free(cx.r[t]);
	if (cx.tep)
		tep_free(cx.tep);
	return ret;
}
