/* rstraw: segments crafted with raw sockets over loopback (IPv4, IPv6).
 *   rawrst:    a RST to a closed port. It is on the wire, but the kernel's
 *              TCP does not send it, and the kernel does not answer a RST
 *              (tcp_v{4,6}_send_reset is entered and returns early):
 *              "EXPECT raw ... -" -- tcprst must not report it (cause "-").
 *   acklisten: a bare ACK to a listening socket: the listener answers with
 *              a RST ("EXPECT passive ... listener-non-syn").
 *   embryonic: a second SYN for a handshake the listener holds open
 *              ("EXPECT passive ... embryonic").
 *   synsent:   an ACK of something else to a socket in SYN_SENT
 *              ("EXPECT passive ... syn-sent-bad-ack").
 * usage: rstraw [-b BASE]; ports BASE+200 .. BASE+239 (rstgen's scenarios
 * use BASE+0 .. BASE+10*NSCENARIOS-1, below 200).
 *   rstraw -A PORT  a bare ACK over IPv4 loopback from PORT+100 to a
 *              listener someone else holds at PORT (its owner is known).
 *   rstraw -S COUNT:PORT  a storm: COUNT SYNs over IPv4 loopback to the
 *              closed PORT (from PORT+100), as fast as they can be sent;
 *              the kernel answers each with a RST (count them with Tcp
 *              OutRsts).
 *   rstraw -N VIP:PORT  IPv4, from our namespace to a peer whose NAT
 *              redirects VIP:PORT to its listener: connect there, read our
 *              sequence numbers (TCP_REPAIR), and send on that connection
 *              a segment far beyond the peer's window. Conntrack calls it
 *              invalid and drops its entry, so NAT does not translate it
 *              and TCP answers from VIP:PORT, where no socket is
 *              ("EXPECT passive ... no-socket").
 * Build: gcc -static -O2 -Wall -Wextra -o rstraw rstraw.c  (uses rstutil.h)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rstutil.h"

static int failures;

static uint32_t sum16(const unsigned char *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	return s;
}

/* a raw TCP socket bound to addr; it also receives incoming TCP to addr */
static int raw_socket(int fam, const char *addr)
{
	struct sockaddr_storage a;
	socklen_t al = mkaddr(fam, addr, 0, &a);
	int off = 16, fd = socket(fam, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, al) < 0 ||
	    (fam == AF_INET6 &&	/* the kernel fills in the TCP checksum */
	     setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)) < 0)) {
		perror("rstraw: raw socket");
		exit(2);
	}
	return fd;
}

#define SEQ 0x12000078u	/* our segments' seq, and ack if they have ACK */
#define ACK 0x00001000u

static void send_seg(int fd, int fam, const char *addr, int sport, int dport,
		     int flags, uint32_t seq, uint32_t ack)
{
	unsigned char th[20] = { 0 }, ph[12] = { 0 };
	struct sockaddr_storage d;
	socklen_t dl = mkaddr(fam, addr, 0, &d);
	uint32_t s;

	th[0] = sport >> 8, th[1] = sport;
	th[2] = dport >> 8, th[3] = dport;
	th[4] = seq >> 24, th[5] = seq >> 16, th[6] = seq >> 8, th[7] = seq;
	if (flags & 0x10)
		th[8] = ack >> 24, th[9] = ack >> 16, th[10] = ack >> 8, th[11] = ack;
	th[12] = 5 << 4;
	th[13] = flags;
	if (!(flags & 0x04))
		th[14] = 0x10;			/* window */
	if (fam == AF_INET) {
		inet_pton(AF_INET, addr, ph);	/* src = dst = addr */
		inet_pton(AF_INET, addr, ph + 4);
		ph[9] = IPPROTO_TCP;
		ph[11] = sizeof(th);
		s = sum16(th, sizeof(th), sum16(ph, sizeof(ph), 0));
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		th[16] = ~s >> 8, th[17] = ~s;
	}
	if (sendto(fd, th, sizeof(th), 0, (struct sockaddr *)&d, dl) < 0) {
		perror("rstraw: sendto");
		failures++;
	}
}

/* wait (bounded) until fd receives a TCP segment sport->dport with one of
 * the flags; its seq in *seq if asked */
static int wait_seg(int fd, int fam, int sport, int dport, int flags, uint32_t *seq)
{
	unsigned char buf[2048];

	for (int i = 0; i < 30; i++) {
		struct pollfd p = { fd, POLLIN, 0 };
		const unsigned char *th = buf;
		ssize_t n;

		if (poll(&p, 1, 100) != 1)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (fam == AF_INET && n >= 20) {	/* IPv4 raw: with IP header */
			th += (buf[0] & 15) * 4;
			n -= (buf[0] & 15) * 4;
		}
		if (n >= 20 && ((th[0] << 8) | th[1]) == sport &&
		    ((th[2] << 8) | th[3]) == dport && (th[13] & flags)) {
			if (seq)
				*seq = (uint32_t)th[4] << 24 | th[5] << 16 | th[6] << 8 | th[7];
			return 0;
		}
	}
	return -1;
}

static int wait_rst(int fd, int fam, int sport, int dport)
{
	return wait_seg(fd, fam, sport, dport, 0x04, NULL);
}

/* -N: see the top; returns the exit code */
static int nat_invalid(const char *arg)
{
	struct sockaddr_storage v, l;
	struct sockaddr_in *la = (struct sockaddr_in *)&l, *va = (struct sockaddr_in *)&v;
	unsigned char seg[21] = { 0 }, ph[12] = { 0 };
	char vip[64];
	int port, c, raw, on = 1, q;
	uint32_t snd = 0, rcv = 0, sum;
	socklen_t sl = sizeof(l), ql = sizeof(snd);

	if (sscanf(arg, "%63[^:]:%d", vip, &port) != 2)
		return 2;
	mkaddr(AF_INET, vip, port, &v);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&v, sizeof(struct sockaddr_in)) < 0 ||
	    getsockname(c, (struct sockaddr *)&l, &sl) < 0) {
		perror("rstraw: connect through the NAT");
		return 2;
	}
	/* in repair mode the socket sends nothing, and its sequence numbers can be read */
	q = TCP_SEND_QUEUE;
	if (setsockopt(c, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)) < 0 ||
	    setsockopt(c, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) < 0 ||
	    getsockopt(c, IPPROTO_TCP, TCP_QUEUE_SEQ, &snd, &ql) < 0 ||
	    (q = TCP_RECV_QUEUE, setsockopt(c, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q))) < 0 ||
	    getsockopt(c, IPPROTO_TCP, TCP_QUEUE_SEQ, &rcv, &ql) < 0) {
		perror("rstraw: TCP_REPAIR");
		return 2;
	}
	inet_ntop(AF_INET, &la->sin_addr, vip, sizeof(vip));
	raw = raw_socket(AF_INET, vip);
	int cport = ntohs(la->sin_port);
	uint32_t seq = snd + 0x10000000u;	/* 256 MiB beyond: over any window */

	seg[0] = cport >> 8, seg[1] = cport, seg[2] = port >> 8, seg[3] = port;
	seg[4] = seq >> 24, seg[5] = seq >> 16, seg[6] = seq >> 8, seg[7] = seq;
	seg[8] = rcv >> 24, seg[9] = rcv >> 16, seg[10] = rcv >> 8, seg[11] = rcv;
	seg[12] = 5 << 4, seg[13] = 0x18, seg[14] = 0x10;	/* PSH|ACK, window */
	seg[20] = 'x';
	memcpy(ph, &la->sin_addr, 4);
	memcpy(ph + 4, &va->sin_addr, 4);
	ph[9] = IPPROTO_TCP, ph[11] = sizeof(seg);
	sum = sum16(seg, sizeof(seg), sum16(ph, sizeof(ph), 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	seg[16] = ~sum >> 8, seg[17] = ~sum;
	expect("passive", "no-socket", &v, &l);
	if (sendto(raw, seg, sizeof(seg), 0, (struct sockaddr *)&v, sizeof(struct sockaddr_in)) < 0) {
		perror("rstraw: sendto");
		return 1;
	}
	if (wait_rst(raw, AF_INET, port, cport) < 0) {
		fprintf(stderr, "rstraw: no RST from %s:%d\n", arg, port);
		return 1;
	}
	close(raw);
	close(c);
	return 0;
}

/* a TCP socket of family fam bound to addr:port (SO_REUSEADDR); exits on failure */
static int bound_socket(int fam, const char *addr, int port, struct sockaddr_storage *a)
{
	socklen_t al = mkaddr(fam, addr, port, a);
	int one = 1, s = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)a, al) < 0) {
		perror("rstraw: bind");
		exit(2);
	}
	return s;
}

static int listen_at(int fam, const char *addr, int port, int backlog,
		     struct sockaddr_storage *a)
{
	int l = bound_socket(fam, addr, port, a);

	if (listen(l, backlog) < 0) {
		perror("rstraw: listen");
		exit(2);
	}
	return l;
}

static socklen_t salen(int fam)
{
	return fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

static void problem(const char *addr, const char *what)
{
	fprintf(stderr, "rstraw: %s: %s\n", addr, what);
	failures++;
}

/*
 * embryonic: a second SYN, with another sequence number, for a handshake a
 * listener still holds open (TCP_DEFER_ACCEPT keeps the request after the
 * client's bare ACK). tcp_check_req() answers with a RST from the
 * listener. The client, in repair mode, sends nothing more and closes
 * silently; the RST (seq 0) is outside its window.
 */
static void embryonic(int fd, int fam, const char *addr, int sport, int dport)
{
	struct sockaddr_storage la, ca;
	int defer = 30, on = 1, q = TCP_SEND_QUEUE;
	int l = listen_at(fam, addr, dport, 8, &la), c = bound_socket(fam, addr, sport, &ca);
	uint32_t snd = 0;
	socklen_t ql = sizeof(snd);

	if (setsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer)) < 0 ||
	    connect(c, (struct sockaddr *)&la, salen(fam)) < 0 ||
	    setsockopt(c, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)) < 0 ||
	    setsockopt(c, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) < 0 ||
	    getsockopt(c, IPPROTO_TCP, TCP_QUEUE_SEQ, &snd, &ql) < 0) {
		problem(addr, "embryonic: no handshake held open");
	} else {
		expect("passive", "embryonic", &la, &ca);
		send_seg(fd, fam, addr, sport, dport, 0x02, snd, 0);	/* ISN + 1 */
		if (wait_rst(fd, fam, dport, sport) < 0)
			problem(addr, "embryonic: no RST from the listener");
	}
	close(c);
	close(l);
}

/*
 * synsent: a connecting socket gets an ACK that does not acknowledge its
 * SYN and answers with a RST (tcp_v{4,6}_do_rcv). Its SYN goes unanswered:
 * the listener's accept queue is full (backlog 1, two connections waiting),
 * so TCP drops it. Afterwards the waiting connections are accepted, read
 * out and closed with FINs.
 */
static void synsent(int fd, int fam, const char *addr, int sport, int dport)
{
	struct sockaddr_storage la, xa;
	socklen_t sl = salen(fam);
	int l = listen_at(fam, addr, dport, 1, &la), f[2], x;
	uint32_t isn;

	for (int i = 0; i < 2; i++) {
		f[i] = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (f[i] < 0 || connect(f[i], (struct sockaddr *)&la, sl) < 0)
			problem(addr, "synsent: connect");
	}
	x = bound_socket(fam, addr, sport, &xa);
	if (wait_queued(l, 2) < 0) {
		problem(addr, "synsent: the accept queue did not fill");
	} else if (fcntl(x, F_SETFL, O_NONBLOCK) < 0 ||
		   (connect(x, (struct sockaddr *)&la, sl) < 0 && errno != EINPROGRESS) ||
		   wait_seg(fd, fam, sport, dport, 0x02, &isn) < 0) {
		problem(addr, "synsent: no SYN");
	} else {
		expect("passive", "syn-sent-bad-ack", &xa, &la);
		send_seg(fd, fam, addr, dport, sport, 0x10, SEQ, isn);	/* not ISN + 1 */
		if (wait_rst(fd, fam, sport, dport) < 0)
			problem(addr, "synsent: no RST from the connecting socket");
	}
	close(x);		/* still SYN_SENT: closes silently */
	for (int i = 0; i < 2; i++) {
		char b[8];
		int a = accept(l, NULL, NULL);

		close(f[i]);	/* a FIN; the accepted side reads its EOF, then closes */
		if (a >= 0 && read(a, b, sizeof(b)) < 0)
			problem(addr, "synsent: read");
		if (a >= 0)
			close(a);
	}
	close(l);
}

int main(int argc, char **argv)
{
	static const struct { int fam; const char *addr; } v[] = {
		{ AF_INET, "127.0.0.1" }, { AF_INET6, "::1" },
	};
	int base = 20000, opt;

	while ((opt = getopt(argc, argv, "b:S:A:N:")) != -1) {
		int count, port;

		if (opt == 'N')
			return nat_invalid(optarg);

		if (opt == 'b') {
			base = atoi(optarg);
			continue;
		}
		if (opt == 'A') {
			struct sockaddr_storage a, b;
			int fd = raw_socket(AF_INET, "127.0.0.1");

			port = atoi(optarg);
			mkaddr(AF_INET, "127.0.0.1", port + 100, &a);
			mkaddr(AF_INET, "127.0.0.1", port, &b);
			expect("passive", "listener-non-syn", &b, &a);
			send_seg(fd, AF_INET, "127.0.0.1", port + 100, port, 0x10, SEQ, ACK);
			if (wait_rst(fd, AF_INET, port, port + 100) < 0) {
				fprintf(stderr, "rstraw: no RST from the listener at %d\n", port);
				failures++;
			}
			close(fd);
			return failures ? 1 : 0;
		}
		if (opt != 'S' || sscanf(optarg, "%d:%d", &count, &port) != 2) {
			fprintf(stderr, "usage: rstraw [-b BASE] | -S COUNT:PORT | -A PORT | -N VIP:PORT\n");
			return 2;
		}
		int fd = raw_socket(AF_INET, "127.0.0.1");

		/*
		 * Each RST comes back to PORT+100, where nothing listens: the
		 * kernel enters tcp_v4_send_reset() for it too, and sends nothing.
		 */
		for (int i = 0; i < count; i++)
			send_seg(fd, AF_INET, "127.0.0.1", port + 100, port, 0x02, SEQ, 0);
		close(fd);
		return failures ? 1 : 0;
	}
	/*
	 * One CPU for the scenarios: loopback queues each segment on the
	 * sending CPU's backlog, and where softirqs are left to ksoftirqd a
	 * task that moves between CPUs has its segments delivered out of
	 * order. Seen in CI (legacy 5.10, under load): in synsent's clean-up an ACK
	 * of the client's FIN arrived after the server's FIN had closed the
	 * client, whose TIME_WAIT answered the stale ACK with an ACK, to
	 * which the port, by then without a socket, sent a RST no scenario
	 * expects. From one CPU's backlog segments arrive in order.
	 */
	cpu_set_t one;
	int cpu = sched_getcpu();

	CPU_ZERO(&one);
	CPU_SET(cpu < 0 ? 0 : cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		perror("rstraw: sched_setaffinity");
	for (int j = 0; j < 2; j++) {
		struct sockaddr_storage a, b;
		int fd = raw_socket(v[j].fam, v[j].addr), l;
		int sport = base + 200 + j, dport = base + 205 + j;

		/* rawrst: our RST to a closed port; no answer */
		mkaddr(v[j].fam, v[j].addr, sport, &a);
		mkaddr(v[j].fam, v[j].addr, dport, &b);
		expect("raw", "-", &a, &b);
		send_seg(fd, v[j].fam, v[j].addr, sport, dport, 0x04, SEQ, 0);
		if (wait_rst(fd, v[j].fam, sport, dport) < 0)
			problem(v[j].addr, "crafted RST not looped back");

		/* acklisten: a bare ACK to a listener is answered by a RST */
		sport = base + 210 + j, dport = base + 215 + j;
		l = listen_at(v[j].fam, v[j].addr, dport, 8, &b);
		mkaddr(v[j].fam, v[j].addr, sport, &a);
		expect("passive", "listener-non-syn", &b, &a);
		send_seg(fd, v[j].fam, v[j].addr, sport, dport, 0x10, SEQ, ACK);
		if (wait_rst(fd, v[j].fam, dport, sport) < 0)
			problem(v[j].addr, "no RST from the listener");
		close(l);
		embryonic(fd, v[j].fam, v[j].addr, base + 220 + j, base + 225 + j);
		synsent(fd, v[j].fam, v[j].addr, base + 230 + j, base + 235 + j);
		close(fd);
	}
	return failures ? 1 : 0;
}
