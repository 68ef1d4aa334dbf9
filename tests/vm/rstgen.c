/* rstgen: make the kernel send TCP resets in known ways; print one
 * "EXPECT <kind> <family> <saddr> <sport> <daddr> <dport>" line per reset
 * (the tuple as the RST appears on the wire, sender first).
 *
 * usage: rstgen [-b BASE] [-s SCEN,...] [-v VARIANT,...] [-n NETNS_PATH]
 *        rstgen [-b BASE] -P SCEN:VARIANT     (print that scenario's port)
 * Scenarios: linger0 (SO_LINGER {1,0} close), unread (close with unread
 * data), unspec (connect(AF_UNSPEC)), listener (close a listener with an
 * un-accepted child), linger2 (close in FIN_WAIT2 with TCP_LINGER2 -1):
 * active; closedport (SYN to a closed port), finwait2 (data to a peer that
 * closed first, now FIN_WAIT2/TIME_WAIT): passive.
 * Scenario i, variant j uses server port BASE + 10*i + j.
 * Variants lo4, lo6, lom (v4-mapped) run over loopback; veth4, veth6, vethm
 * need -n: their server side lives in that network namespace (10.99.0.2,
 * fd00:99::2), the client in ours (10.99.0.1, fd00:99::1).
 * Build: gcc -static -O2 -Wall -Wextra -o rstgen rstgen.c  (uses rstutil.h)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rstutil.h"

struct variant {
	const char *name;
	int fam;
	const char *srv, *cli;
	int in_ns;		/* server side in the other namespace */
};

static const struct variant variants[] = {
	{ "lo4",   AF_INET,  "127.0.0.1",        "127.0.0.1",        0 },
	{ "lo6",   AF_INET6, "::1",              "::1",              0 },
	{ "lom",   AF_INET6, "::ffff:127.0.0.1", "::ffff:127.0.0.1", 0 },
	{ "veth4", AF_INET,  "10.99.0.2",        "10.99.0.1",        1 },
	{ "veth6", AF_INET6, "fd00:99::2",       "fd00:99::1",       1 },
	{ "vethm", AF_INET6, "::ffff:10.99.0.2", "::ffff:10.99.0.1", 1 },
};
#define NVARIANTS (int)(sizeof(variants) / sizeof(variants[0]))

static int rootns = -1, peerns = -1, failures;

static void fail(const char *what, const struct variant *v, int port)
{
	fprintf(stderr, "rstgen: %s/%d: %s: %s\n", v->name, port, what,
		errno ? strerror(errno) : "failed");
	failures++;
}

/* a socket of family fam, created in the peer namespace if in_ns */
static int mksock(int fam, int in_ns)
{
	int s;

	if (in_ns && setns(peerns, CLONE_NEWNET) < 0) {
		perror("rstgen: setns peer");
		exit(2);
	}
	s = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (in_ns && setns(rootns, CLONE_NEWNET) < 0) {
		perror("rstgen: setns root");
		exit(2);
	}
	if (s < 0) {
		perror("rstgen: socket");
		exit(2);
	}
	return s;
}

/* RST sent by fd's side (reverse=0) or by its peer (reverse=1) */
static void expect_fd(const char *kind, int fd, int reverse)
{
	struct sockaddr_storage l, p;
	socklen_t ll = sizeof(l), pl = sizeof(p);

	getsockname(fd, (struct sockaddr *)&l, &ll);
	getpeername(fd, (struct sockaddr *)&p, &pl);
	if (reverse)
		expect(kind, &p, &l);
	else
		expect(kind, &l, &p);
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	return ti.tcpi_state;
}

/* wait (bounded) until fd reaches TCP state st */
static int wait_state(int fd, int st)
{
	for (int i = 0; i < 300; i++) {
		if (tcp_state(fd) == st)
			return 0;
		msleep(10);
	}
	errno = ETIMEDOUT;
	return -1;
}

static int wait_readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int r = poll(&p, 1, 3000);

	errno = r ? errno : ETIMEDOUT;
	return r == 1 ? 0 : -1;
}

static int listener(const struct variant *v, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = mkaddr(v->fam, v->srv, port, &ss);
	int one = 1, l = mksock(v->fam, v->in_ns);

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&ss, len) < 0 || listen(l, 8) < 0) {
		perror("rstgen: bind/listen");
		exit(2);
	}
	return l;
}

/* client socket bound to an ephemeral port; *dst = the server address */
static int client(const struct variant *v, int port,
		  struct sockaddr_storage *dst, socklen_t *dlen)
{
	struct sockaddr_storage ss;
	socklen_t len = mkaddr(v->fam, v->cli, 0, &ss);
	struct timeval tv = { 3, 0 };
	int c = mksock(v->fam, 0);

	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (bind(c, (struct sockaddr *)&ss, len) < 0) {
		perror("rstgen: bind client");
		exit(2);
	}
	*dlen = mkaddr(v->fam, v->srv, port, dst);
	return c;
}

/* established pair: *c client, *a accepted; returns the listener */
static int pair(const struct variant *v, int port, int *c, int *a)
{
	struct sockaddr_storage dst;
	socklen_t dlen;
	int l = listener(v, port);

	*c = client(v, port, &dst, &dlen);
	*a = -1;
	if (connect(*c, (struct sockaddr *)&dst, dlen) < 0) {
		fail("connect", v, port);
		return l;
	}
	if (wait_readable(l) < 0 || (*a = accept(l, NULL, NULL)) < 0)
		fail("accept", v, port);
	return l;
}

static void sc_linger0(const struct variant *v, int port)
{
	struct linger lg = { 1, 0 };
	int c, a, l = pair(v, port, &c, &a);

	close(l);
	if (a < 0)
		return;
	expect_fd("active", c, 0);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c);
	if (wait_state(a, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(a);
}

static void sc_unread(const struct variant *v, int port)
{
	int c, a, l = pair(v, port, &c, &a);

	close(l);
	if (a < 0)
		return;
	if (write(c, "x", 1) != 1 || wait_readable(a) < 0) {
		fail("data", v, port);
		return;
	}
	expect_fd("active", a, 0);
	close(a);
	if (wait_state(c, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(c);
}

static void sc_unspec(const struct variant *v, int port)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	int c, a, l = pair(v, port, &c, &a);

	close(l);
	if (a < 0)
		return;
	expect_fd("active", c, 0);
	if (connect(c, &sa, sizeof(sa)) < 0)
		fail("connect(AF_UNSPEC)", v, port);
	if (wait_state(a, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(a);
	close(c);
}

static void sc_listener(const struct variant *v, int port)
{
	struct sockaddr_storage dst;
	socklen_t dlen;
	int l = listener(v, port), c = client(v, port, &dst, &dlen);

	if (connect(c, (struct sockaddr *)&dst, dlen) < 0 ||
	    wait_readable(l) < 0) {
		fail("connect", v, port);
		close(l);
		close(c);
		return;
	}
	expect_fd("active", c, 1);	/* the un-accepted child resets */
	close(l);
	if (wait_state(c, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(c);
}

static void sc_closedport(const struct variant *v, int port)
{
	struct sockaddr_storage dst, src;
	socklen_t dlen, slen = sizeof(src);
	int c = client(v, port, &dst, &dlen);

	getsockname(c, (struct sockaddr *)&src, &slen);
	expect("passive", &dst, &src);
	if (connect(c, (struct sockaddr *)&dst, dlen) == 0 ||
	    errno != ECONNREFUSED)
		fail("connect to a closed port was not refused", v, port);
	close(c);
}

static void sc_finwait2(const struct variant *v, int port)
{
	int one = 1, c, a, l = pair(v, port, &c, &a);

	close(l);
	if (a < 0)
		return;
	setsockopt(c, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
	close(a);		/* server closes first: FIN_WAIT2 / TIME_WAIT */
	if (wait_state(c, TCP_CLOSE_WAIT) < 0) {
		fail("FIN not received", v, port);
		close(c);
		return;
	}
	msleep(50);		/* let our ACK of the FIN arrive */
	expect_fd("passive", c, 1);
	if (write(c, "x", 1) != 1)
		fail("write", v, port);
	if (wait_state(c, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(c);
}

/* FIN_WAIT2 with TCP_LINGER2 -1, then close */
static void sc_linger2(const struct variant *v, int port)
{
	int off = -1, c, a, l = pair(v, port, &c, &a);

	close(l);
	if (a < 0)
		return;
	setsockopt(c, IPPROTO_TCP, TCP_LINGER2, &off, sizeof(off));
	shutdown(c, SHUT_WR);
	if (wait_state(c, TCP_FIN_WAIT2) < 0) {
		fail("FIN_WAIT2 not reached", v, port);
		return;
	}
	expect_fd("active", c, 0);
	close(c);
	if (wait_state(a, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(a);
}

static const struct {
	const char *name;
	void (*fn)(const struct variant *, int);
} scenarios[] = {
	{ "linger0", sc_linger0 },
	{ "unread", sc_unread },
	{ "unspec", sc_unspec },
	{ "listener", sc_listener },
	{ "closedport", sc_closedport },
	{ "finwait2", sc_finwait2 },
	{ "linger2", sc_linger2 },
};
#define NSCENARIOS (int)(sizeof(scenarios) / sizeof(scenarios[0]))

static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list)
		return 1;
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *slist = NULL, *vlist = NULL, *nspath = NULL, *query = NULL;
	int opt, base = 20000;

	while ((opt = getopt(argc, argv, "b:s:v:n:P:")) != -1) {
		switch (opt) {
		case 'b': base = atoi(optarg); break;
		case 's': slist = optarg; break;
		case 'v': vlist = optarg; break;
		case 'n': nspath = optarg; break;
		case 'P': query = optarg; break;
		default:
			fprintf(stderr, "usage: rstgen [-b BASE] [-s SCEN,..] "
				"[-v VARIANT,..] [-n NETNS] | -P SCEN:VARIANT\n");
			return 2;
		}
	}
	for (int i = 0; query && i < NSCENARIOS; i++)
		for (int j = 0; j < NVARIANTS; j++) {
			char name[64];
			snprintf(name, sizeof(name), "%s:%s", scenarios[i].name,
				 variants[j].name);
			if (!strcmp(query, name)) {
				printf("%d\n", base + 10 * i + j);
				return 0;
			}
		}
	if (query) {
		fprintf(stderr, "rstgen: unknown %s\n", query);
		return 2;
	}
	if (nspath) {
		rootns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		peerns = open(nspath, O_RDONLY | O_CLOEXEC);
		if (rootns < 0 || peerns < 0) {
			perror("rstgen: open netns");
			return 2;
		}
	}
	for (int i = 0; i < NSCENARIOS; i++)
		for (int j = 0; j < NVARIANTS; j++) {
			if (!in_list(slist, scenarios[i].name) ||
			    !in_list(vlist, variants[j].name) ||
			    (variants[j].in_ns && !nspath))
				continue;
			errno = 0;
			scenarios[i].fn(&variants[j], base + 10 * i + j);
		}
	return failures ? 1 : 0;
}
