/* rstgen: make the kernel send TCP resets in known ways; print one
 * "EXPECT <kind> <family> <saddr> <sport> <daddr> <dport> <cause>" line per
 * reset (the tuple as the RST appears on the wire, sender first; cause is
 * the cause code tcprst should name).
 *
 * usage: rstgen [-b BASE] [-s SCEN,...] [-v VARIANT,...] [-n NETNS_PATH]
 *        rstgen [-b BASE] -P SCEN:VARIANT     (print that scenario's port)
 * Scenarios (cause in brackets):
 *   linger0 (SO_LINGER {1,0} close) [linger-zero], unread (close with
 *   unread data) [unread-data], unspec (connect(AF_UNSPEC)) [disconnect],
 *   listener (close a listener with an un-accepted child) [listener-close],
 *   linger2 (close in FIN_WAIT2 with TCP_LINGER2 -1) [linger2]: active;
 *   closedport (SYN to a closed port) [no-socket], finwait2 (data to a peer
 *   that closed first, now a time-wait socket) [timewait], datashut (data
 *   to an accepted socket that did shutdown(SHUT_RDWR), in FIN_WAIT2)
 *   [data-after-close]: passive.
 *   Only when named with -s (slow, global or optional kernel support):
 *   keepalive (keepalive probes unanswered: the peer namespace gets a
 *   blackhole route to the client; veth variants only, ~2-15 s)
 *   [keepalive-timeout], memory (close with a full write queue while
 *   net.ipv4.tcp_mem is "1 1 1"; the sysctl is restored) [memory], abort
 *   (sock_diag SOCK_DESTROY of the client, as "ss -K"; skipped with
 *   "rstgen: abort: not supported" if the kernel cannot) [abort],
 *   fw2timer (an orphan's FIN_WAIT2 timer, armed while tcp_fin_timeout was
 *   61 s, fires with it back at 60 s; ~1 s) [finwait2-timeout]: active;
 *   overflow (a handshake's last ACK finds the accept queue full while
 *   net.ipv4.tcp_abort_on_overflow is 1, set in the listener's namespace)
 *   [accept-overflow]: passive; memtimer (an orphan's retransmission
 *   timer finds net.ipv4.tcp_mem "1 1 1": data in flight to the peer,
 *   whose ACKs are blackholed; veth variants only, ~1-3 s) [memory]:
 *   active. The sysctls are restored.
 * Without -s: linger0 .. linger2 and datashut.
 * Scenario i (in the order of the table at the end), variant j uses server
 * port BASE + 10*i + j: BASE+0 .. BASE+135 (rstraw uses BASE+200..239).
 * Variants lo4, lo6, lom (v4-mapped) run over loopback; veth4, veth6, vethm
 * need -n: their server side lives in that network namespace (10.99.0.2,
 * fd00:99::2), the client in ours (10.99.0.1, fd00:99::1).
 * Build: gcc -static -O2 -Wall -Wextra -o rstgen rstgen.c  (uses rstutil.h)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
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
static const char *cause = "-";	/* the running scenario's cause code */

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
		expect(kind, cause, &p, &l);
	else
		expect(kind, cause, &l, &p);
}

static int tcp_state(int fd)
{
	struct tcp_info ti;

	return tcp_info_get(fd, &ti) < 0 ? -1 : ti.tcpi_state;
}

/* wait (bounded: secs) until fd reaches TCP state st */
static int wait_state_for(int fd, int st, int secs)
{
	for (int i = 0; i < 100 * secs; i++) {
		if (tcp_state(fd) == st)
			return 0;
		msleep(10);
	}
	errno = ETIMEDOUT;
	return -1;
}

static int wait_state(int fd, int st)
{
	return wait_state_for(fd, st, 3);
}

static int wait_readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int r = poll(&p, 1, 3000);

	errno = r ? errno : ETIMEDOUT;
	return r == 1 ? 0 : -1;
}

static int lrcvbuf;	/* if > 0: SO_RCVBUF of the next listener */

static int listener_bl(const struct variant *v, int port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len = mkaddr(v->fam, v->srv, port, &ss);
	int one = 1, l = mksock(v->fam, v->in_ns);

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lrcvbuf > 0)
		setsockopt(l, SOL_SOCKET, SO_RCVBUF, &lrcvbuf, sizeof(lrcvbuf));
	if (bind(l, (struct sockaddr *)&ss, len) < 0 || listen(l, backlog) < 0) {
		perror("rstgen: bind/listen");
		exit(2);
	}
	return l;
}

static int listener(const struct variant *v, int port)
{
	return listener_bl(v, port, 8);
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
	expect("passive", cause, &dst, &src);
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
	/*
	 * The server closes first. Its FIN must be acked before close(): a
	 * FIN_WAIT2 socket becomes a time-wait socket in close() itself,
	 * while one still in FIN_WAIT1 (the ACK late on a loaded machine)
	 * would answer the data as an orphan (data-after-close) instead.
	 */
	shutdown(a, SHUT_WR);
	if (wait_state(a, TCP_FIN_WAIT2) < 0 || wait_state(c, TCP_CLOSE_WAIT) < 0) {
		fail("FIN not received", v, port);
		close(a);
		close(c);
		return;
	}
	close(a);		/* FIN_WAIT2 -> TIME_WAIT */
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

/* the accepted socket shuts down both ways (FIN_WAIT2), then data arrives */
static void sc_datashut(const struct variant *v, int port)
{
	int one = 1, c, a, l = pair(v, port, &c, &a);

	close(l);
	if (a < 0)
		return;
	setsockopt(c, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
	if (shutdown(a, SHUT_RDWR) < 0 || wait_state(a, TCP_FIN_WAIT2) < 0) {
		fail("FIN_WAIT2 not reached", v, port);
		close(a);
		close(c);
		return;
	}
	expect_fd("passive", a, 0);
	if (write(c, "x", 1) != 1)
		fail("write", v, port);
	if (wait_state(c, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(a);
	close(c);
}

/* run "/usr/sbin/ip ARGS" in the peer namespace; 0 if it exited 0 */
static int peer_ip(const char *fmt, const char *op, const char *addr, int plen)
{
	char cmd[256];
	int r;

	snprintf(cmd, sizeof(cmd), "/usr/sbin/ip ");
	snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), fmt, op, addr, plen);
	if (setns(peerns, CLONE_NEWNET) < 0) {
		perror("rstgen: setns peer");
		exit(2);
	}
	fflush(stdout);
	r = system(cmd);
	if (setns(rootns, CLONE_NEWNET) < 0) {
		perror("rstgen: setns root");
		exit(2);
	}
	if (r != -1 && WIFEXITED(r) && WEXITSTATUS(r) == 0)
		return 0;
	fprintf(stderr, "rstgen: in the peer namespace: %s: failed\n", cmd);
	errno = 0;
	return -1;
}

/*
 * A blackhole route in the peer namespace to the client's address (op "add"
 * or "del"): our segments still reach the peer, none of its reach us.
 */
static int peer_blackhole(const struct variant *v, const char *op)
{
	const char *cli = v->cli;

	if (!strncmp(cli, "::ffff:", 7))
		cli += 7;	/* v4-mapped: IPv4 on the wire */
	if (strchr(cli, ':'))
		return peer_ip("-6 route %s blackhole %s/%d", op, cli, 128);
	return peer_ip("-4 route %s blackhole %s/%d", op, cli, 32);
}

/*
 * An established pair (*c ours, *a the peer's, accepted) whose peer has a
 * blackhole route to the client; -1 (nothing left open) for a variant
 * without the peer namespace, or on failure.
 */
static int blackholed_pair(const struct variant *v, int port, int *c, int *a)
{
	int l;

	if (!v->in_ns)
		return -1;	/* the blackhole needs the peer namespace */
	l = pair(v, port, c, a);
	close(l);
	if (*a < 0)
		return -1;
	if (peer_blackhole(v, "add") < 0) {
		fail("blackhole route", v, port);
		close(*a);
		close(*c);
		return -1;
	}
	return 0;
}

/* keepalive probes the peer cannot answer: it has a blackhole route to us */
static void sc_keepalive(const struct variant *v, int port)
{
	int one = 1, c, a;

	if (blackholed_pair(v, port, &c, &a) < 0)
		return;
	setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof(one));
	setsockopt(c, IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof(one));
	setsockopt(c, IPPROTO_TCP, TCP_KEEPCNT, &one, sizeof(one));
	expect_fd("active", c, 0);
	if (setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) < 0)
		fail("SO_KEEPALIVE", v, port);
	else if (wait_state_for(c, TCP_CLOSE, 15) < 0)
		fail("keepalive did not time out", v, port);
	else if (wait_state(a, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	if (peer_blackhole(v, "del") < 0)
		fail("blackhole route removal", v, port);
	close(a);
	close(c);
}

#define TCP_MEM "/proc/sys/net/ipv4/tcp_mem"
#define ABORT_ON_OVERFLOW "/proc/sys/net/ipv4/tcp_abort_on_overflow"
#define FIN_TIMEOUT "/proc/sys/net/ipv4/tcp_fin_timeout"

/*
 * Write s to the sysctl file path of our namespace or, if in_ns, of the
 * peer's (a /proc/sys/net file is the opener's namespace's); its old value
 * into old (if not NULL). 0, or -1 with a message.
 */
static int sysctl_swap(int in_ns, const char *path, const char *s, char *old, size_t oldlen)
{
	int fd, r = -1;
	ssize_t n = 0;

	if (in_ns && setns(peerns, CLONE_NEWNET) < 0) {
		perror("rstgen: setns peer");
		exit(2);
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (in_ns && setns(rootns, CLONE_NEWNET) < 0) {
		perror("rstgen: setns root");
		exit(2);
	}
	if (fd >= 0 && (!old || (n = read(fd, old, oldlen - 1)) > 0)) {
		if (old)
			old[n] = 0;
		r = pwrite(fd, s, strlen(s), 0) == (ssize_t)strlen(s) ? 0 : -1;
	}
	if (fd >= 0)
		close(fd);
	if (r < 0)
		fprintf(stderr, "rstgen: cannot set %s to %s", path, s);
	return r;
}

/* wait (bounded) until fd has nothing in flight, its peer's window is zero
 * and the answer to a zero-window probe has just come in: the peer sends
 * nothing more until our next probe, at least 400 ms away (a segment of the
 * peer after our RST would be answered by a second, bare RST) */
static int quiet(int fd)
{
	struct tcp_info ti;

	for (int i = 0; i < 5000; i++) {
		if (tcp_info_get(fd, &ti) < 0)
			return -1;
		if (ti.tcpi_unacked == 0 && ti.tcpi_backoff > 0 &&
		    ti.tcpi_probes == 0)
			return 0;
		msleep(1);
	}
	errno = ETIMEDOUT;
	return -1;
}

/*
 * Queue 4 MB on fd (made non-blocking): past the per-CPU forward
 * allocations (1 MB each since 6.0), so that the global count of TCP
 * pages is over a limit of 1 once it is set.
 */
static int fill(int fd)
{
	static char buf[65536];
	int big = 8 << 20;
	long total = 0;
	ssize_t n;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	memset(buf, 'm', sizeof(buf));
	while (total < (4L << 20) && (n = write(fd, buf, sizeof(buf))) > 0)
		total += n;
	return total > 65536 ? 0 : -1;
}

/* close with a full write queue while TCP is over net.ipv4.tcp_mem */
static void sc_memory(const struct variant *v, int port)
{
	char saved[128] = "";
	int c, a, l, outq = 0;

	lrcvbuf = 1;	/* the server's window stays tiny: data stays queued */
	l = pair(v, port, &c, &a);
	lrcvbuf = 0;
	close(l);
	if (a < 0)
		return;
	if (fill(c) < 0 || ioctl(c, TIOCOUTQ, &outq) < 0 || outq < 65536 || quiet(c) < 0) {
		fail("no full write queue and zero window", v, port);
		close(a);
		close(c);
		return;
	}
	if (sysctl_swap(0, TCP_MEM, "1 1 1\n", saved, sizeof(saved)) < 0) {
		fail("write " TCP_MEM, v, port);
		close(a);
		close(c);
		return;
	}
	expect_fd("active", c, 0);
	close(c);		/* tcp_close -> tcp_check_oom -> RST */
	if (sysctl_swap(0, TCP_MEM, saved, NULL, 0) < 0)
		failures++;
	if (wait_state(a, TCP_CLOSE) < 0)
		fail("RST not received", v, port);
	close(a);
}

/* sock_diag SOCK_DESTROY of fd's socket (as "ss -K"); 0 or -errno */
static int sock_destroy(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 r;
	} req;
	struct sockaddr_storage l, p;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t ll = sizeof(l), pl = sizeof(p);
	char buf[8192];
	struct timeval tv = { 5, 0 };
	int nl, err;
	ssize_t n;

	getsockname(fd, (struct sockaddr *)&l, &ll);
	getpeername(fd, (struct sockaddr *)&p, &pl);
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DESTROY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	req.r.sdiag_family = l.ss_family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = ~0U;
	req.r.id.idiag_cookie[0] = req.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (l.ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)&l, *d = (const void *)&p;
		req.r.id.idiag_sport = s->sin_port;
		req.r.id.idiag_dport = d->sin_port;
		memcpy(req.r.id.idiag_src, &s->sin_addr, 4);
		memcpy(req.r.id.idiag_dst, &d->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *s = (const void *)&l, *d = (const void *)&p;
		req.r.id.idiag_sport = s->sin6_port;
		req.r.id.idiag_dport = d->sin6_port;
		memcpy(req.r.id.idiag_src, &s->sin6_addr, 16);
		memcpy(req.r.id.idiag_dst, &d->sin6_addr, 16);
	}
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0)
		return -errno;
	setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(nl, &req, sizeof(req), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		err = -errno;
		close(nl);
		return err;
	}
	for (;;) {
		n = recv(nl, buf, sizeof(buf), 0);
		if (n < 0) {
			err = -errno;
			break;
		}
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		err = -EPROTO;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
			if (h->nlmsg_type == NLMSG_ERROR &&
			    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				goto out;
			}
	}
out:
	close(nl);
	return err;
}

/* the client socket is destroyed through sock_diag: tcp_abort sends a RST */
static void sc_abort(const struct variant *v, int port)
{
	static int unsupported;
	struct sockaddr_storage cl, cp;
	socklen_t cll = sizeof(cl), cpl = sizeof(cp);
	int c, a, l, err;

	if (unsupported)
		return;
	l = pair(v, port, &c, &a);
	close(l);
	if (a < 0)
		return;
	getsockname(c, (struct sockaddr *)&cl, &cll);	/* gone once closed */
	getpeername(c, (struct sockaddr *)&cp, &cpl);
	err = sock_destroy(c);
	if (err == -EOPNOTSUPP || err == -ENOENT) {
		/* EOPNOTSUPP: no CONFIG_INET_DIAG_DESTROY; ENOENT: no
		 * inet_diag/tcp_diag (modules not loaded) */
		fprintf(stderr, "rstgen: abort: not supported (%s)\n",
			strerror(-err));
		unsupported = 1;
	} else if (err < 0) {
		errno = -err;
		fail("SOCK_DESTROY", v, port);
	} else {
		expect("active", cause, &cl, &cp);
		if (wait_state(a, TCP_CLOSE) < 0)
			fail("RST not received", v, port);
	}
	close(a);
	close(c);
}

/*
 * The handshake's last ACK finds the accept queue full while
 * net.ipv4.tcp_abort_on_overflow is 1 (in the listener's namespace).
 * Backlog 2: the queue is full with three connections. TCP_DEFER_ACCEPT
 * keeps each handshake open until its first data, so the fourth is still
 * open when the queue fills: its data is that last ACK.
 */
static void sc_overflow(const struct variant *v, int port)
{
	struct sockaddr_storage dst;
	socklen_t dlen;
	char saved[32], b[8];
	int defer = 30, l, c[4], i;

	if (sysctl_swap(v->in_ns, ABORT_ON_OVERFLOW, "1\n", saved, sizeof(saved)) < 0) {
		fail("tcp_abort_on_overflow", v, port);
		return;
	}
	l = listener_bl(v, port, 2);
	setsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer));
	for (i = 0; i < 4; i++) {
		c[i] = client(v, port, &dst, &dlen);
		if (connect(c[i], (struct sockaddr *)&dst, dlen) < 0)
			fail("connect", v, port);
		/* the first two complete at once, the third once the fourth waits */
		if (i < 2 && (write(c[i], "x", 1) != 1 || wait_queued(l, i + 1) < 0))
			fail("queued", v, port);
	}
	if (write(c[2], "x", 1) != 1 || wait_queued(l, 3) < 0) {
		fail("accept queue full", v, port);
	} else {
		expect_fd("passive", c[3], 1);
		if (write(c[3], "x", 1) != 1)
			fail("write", v, port);
		else if (wait_state(c[3], TCP_CLOSE) < 0)
			fail("RST not received", v, port);
	}
	if (sysctl_swap(v->in_ns, ABORT_ON_OVERFLOW, saved, NULL, 0) < 0)
		failures++;
	/* the rest: accepted, read out, closed with FINs */
	for (i = 0; i < 3; i++) {
		int a = accept(l, NULL, NULL);

		if (a < 0 || read(a, b, sizeof(b)) != 1)
			fail("accept", v, port);
		close(c[i]);
		if (a >= 0)
			close(a);
	}
	close(c[3]);
	close(l);
}

/*
 * An orphan in FIN_WAIT2 whose keepalive timer finds it past
 * tcp_fin_timeout: close() in FIN_WAIT2 with tcp_fin_timeout 61 s arms
 * the timer for 61 - 60 s; back at 60 s when it fires, the timer resets
 * the connection instead of making it a time-wait socket.
 */
static void sc_fw2timer(const struct variant *v, int port)
{
	char saved[32];
	int c, a, l = pair(v, port, &c, &a);

	close(l);
	if (a < 0)
		return;
	shutdown(c, SHUT_WR);
	if (wait_state(c, TCP_FIN_WAIT2) < 0) {
		fail("FIN_WAIT2 not reached", v, port);
		close(a);
		close(c);
		return;
	}
	if (sysctl_swap(0, FIN_TIMEOUT, "61\n", saved, sizeof(saved)) < 0) {
		fail("tcp_fin_timeout", v, port);
		close(a);
		close(c);
		return;
	}
	expect_fd("active", c, 0);
	close(c);
	if (sysctl_swap(0, FIN_TIMEOUT, atoi(saved) <= 60 ? saved : "60\n", NULL, 0) < 0)
		failures++;
	if (wait_state_for(a, TCP_CLOSE, 5) < 0)
		fail("RST not received", v, port);
	close(a);
}

/* wait (bounded: 5 s) until fd's retransmission timer has fired once */
static int wait_backoff(int fd)
{
	struct tcp_info ti;

	for (int i = 0; i < 500; i++) {
		if (tcp_info_get(fd, &ti) == 0 && ti.tcpi_backoff > 0)
			return 0;
		msleep(10);
	}
	errno = ETIMEDOUT;
	return -1;
}

/*
 * An orphan's retransmission timer finds TCP over net.ipv4.tcp_mem
 * (tcp_out_of_resources()): the client has data in flight to a peer whose
 * ACKs are blackholed; once its first retransmission timeout has passed
 * (after it, only the first segment is sent again: nothing new can reach
 * the peer, whose next sequence number stays the client's, so the peer
 * takes the RST) it closes, and tcp_mem is "1 1 1" until the timer has
 * reset the connection; the sysctl is restored. veth variants only.
 */
static void sc_memtimer(const struct variant *v, int port)
{
	struct sockaddr_storage cl, cp;
	socklen_t cll = sizeof(cl), cpl = sizeof(cp);
	char saved[128] = "";
	int c, a, in_flight;

	if (blackholed_pair(v, port, &c, &a) < 0)
		return;
	getsockname(c, (struct sockaddr *)&cl, &cll);	/* gone once closed */
	getpeername(c, (struct sockaddr *)&cp, &cpl);
	in_flight = fill(c) == 0 && wait_backoff(c) == 0;
	close(c);		/* an orphan: its timer goes on */
	if (!in_flight) {
		fail("no data in flight, or no retransmission timeout", v, port);
	} else if (sysctl_swap(0, TCP_MEM, "1 1 1\n", saved, sizeof(saved)) < 0) {
		fail("write " TCP_MEM, v, port);
	} else {
		expect("active", cause, &cl, &cp);
		if (wait_state_for(a, TCP_CLOSE, 10) < 0)
			fail("RST not received", v, port);
		if (sysctl_swap(0, TCP_MEM, saved, NULL, 0) < 0)
			failures++;
	}
	close(a);
	if (peer_blackhole(v, "del") < 0)
		fail("blackhole route removal", v, port);
}

/* append new scenarios at the end: the index fixes the ports */
static const struct {
	const char *name;
	void (*fn)(const struct variant *, int);
	const char *cause;	/* tcprst's cause code */
	int dflt;		/* run without -s */
} scenarios[] = {
	{ "linger0", sc_linger0, "linger-zero", 1 },
	{ "unread", sc_unread, "unread-data", 1 },
	{ "unspec", sc_unspec, "disconnect", 1 },
	{ "listener", sc_listener, "listener-close", 1 },
	{ "closedport", sc_closedport, "no-socket", 1 },
	{ "finwait2", sc_finwait2, "timewait", 1 },
	{ "linger2", sc_linger2, "linger2", 1 },
	{ "datashut", sc_datashut, "data-after-close", 1 },
	{ "keepalive", sc_keepalive, "keepalive-timeout", 0 },
	{ "memory", sc_memory, "memory", 0 },
	{ "abort", sc_abort, "abort", 0 },
	{ "overflow", sc_overflow, "accept-overflow", 0 },
	{ "fw2timer", sc_fw2timer, "finwait2-timeout", 0 },
	{ "memtimer", sc_memtimer, "memory", 0 },
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
			if (!(slist ? in_list(slist, scenarios[i].name) :
				      scenarios[i].dflt) ||
			    !in_list(vlist, variants[j].name) ||
			    (variants[j].in_ns && !nspath))
				continue;
			errno = 0;
			cause = scenarios[i].cause;
			scenarios[i].fn(&variants[j], base + 10 * i + j);
		}
	return failures ? 1 : 0;
}
