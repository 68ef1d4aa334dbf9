/* rstcap: ground truth. Capture every TCP segment with RST set that this
 * host sends (AF_PACKET, SOCK_RAW, ETH_P_ALL) and print one line each:
 *   RST <family> <saddr> <sport> <daddr> <dport> [<ifname> <out|in>]
 *       seq=<u32> ack=<u32> flags=0x<hh> time=<sec.nsec>
 * (time: the kernel's timestamp of the packet, CLOCK_REALTIME)
 * (ifname and direction only with -i; seq, ack (as on the wire, also when
 * the ACK flag is off) and the TCP flags byte always, at the end). Prints "rstcap: ready" on stderr
 * once capturing; SIGINT/SIGTERM drain the socket and exit 0.
 * On loopback only PACKET_OUTGOING copies are counted (each packet is seen
 * twice); on other interfaces (veth) both directions count: a RST sent from
 * this namespace leaves as OUTGOING, one sent by a namespace behind the veth
 * arrives as HOST, and kprobes see both.
 * Build: gcc -static -O2 -Wall -Wextra -o rstcap rstcap.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/sockios.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static int show_if;
static struct timespec pkt_ts;	/* the kernel's timestamp of the last packet */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void tcp(int fam, const void *sa, const void *da,
		const unsigned char *th, size_t len,
		const struct sockaddr_ll *ll)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE] = "?";

	if (len < 14 || !(th[13] & 0x04))
		return;
	inet_ntop(fam == 4 ? AF_INET : AF_INET6, sa, s, sizeof(s));
	inet_ntop(fam == 4 ? AF_INET : AF_INET6, da, d, sizeof(d));
	printf("RST %d %s %u %s %u", fam, s, (th[0] << 8) | th[1], d,
	       (th[2] << 8) | th[3]);
	if (show_if) {
		if_indextoname(ll->sll_ifindex, ifn);
		printf(" %s %s", ifn,
		       ll->sll_pkttype == PACKET_OUTGOING ? "out" : "in");
	}
	printf(" seq=%u ack=%u flags=0x%02x time=%lld.%09ld\n",
	       (unsigned)th[4] << 24 | th[5] << 16 | th[6] << 8 | th[7],
	       (unsigned)th[8] << 24 | th[9] << 16 | th[10] << 8 | th[11],
	       th[13], (long long)pkt_ts.tv_sec, pkt_ts.tv_nsec);
	fflush(stdout);
}

static void ipv4(const unsigned char *p, size_t len,
		 const struct sockaddr_ll *ll)
{
	size_t ihl, tot;

	if (len < 20 || (p[0] >> 4) != 4 || p[9] != 6)
		return;
	ihl = (p[0] & 15) * 4;
	tot = (p[2] << 8) | p[3];
	if ((((p[6] << 8) | p[7]) & 0x1fff) != 0)	/* not the first fragment */
		return;
	if (tot < len)
		len = tot;
	if (ihl < 20 || len < ihl)
		return;
	tcp(4, p + 12, p + 16, p + ihl, len - ihl, ll);
}

static void ipv6(const unsigned char *p, size_t len,
		 const struct sockaddr_ll *ll)
{
	size_t off = 40;
	int nh;

	if (len < 40 || (p[0] >> 4) != 6)
		return;
	nh = p[6];
	while (nh != 6) {	/* skip extension headers */
		if (len < off + 8)
			return;
		if (nh == 0 || nh == 43 || nh == 60) {
			nh = p[off];
			off += (p[off + 1] + 1) * 8;
		} else if (nh == 44) {	/* fragment: only the first one */
			if ((((p[off + 2] << 8) | p[off + 3]) & 0xfff8) != 0)
				return;
			nh = p[off];
			off += 8;
		} else {
			return;
		}
	}
	if (len < off)
		return;
	tcp(6, p + 8, p + 24, p + off, len - off, ll);
}

int main(int argc, char **argv)
{
	static unsigned char buf[65536];
	struct sigaction sa;
	int fd, drained = 0;

	if (argc > 1 && !strcmp(argv[1], "-i"))
		show_if = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("rstcap: socket");
		return 2;
	}
	fprintf(stderr, "rstcap: ready\n");
	for (;;) {
		struct sockaddr_ll ll;
		socklen_t sl = sizeof(ll);
		struct pollfd pfd = { fd, POLLIN, 0 };
		const unsigned char *p = buf;
		size_t off = 0;
		ssize_t n;
		int proto;

		if (stop && !drained) {	/* drain what is queued, then stop */
			fcntl(fd, F_SETFL, O_NONBLOCK);
			drained = 1;
		}
		if (!drained && poll(&pfd, 1, 200) <= 0)
			continue;
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ll, &sl);
		/* when the kernel saw the packet, not when we read it */
		if (n >= 0 && ioctl(fd, SIOCGSTAMPNS, &pkt_ts) < 0)
			clock_gettime(CLOCK_REALTIME, &pkt_ts);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && drained)
				return 0;
			perror("rstcap: recvfrom");
			return 2;
		}
		if (ll.sll_pkttype != PACKET_OUTGOING &&
		    (ll.sll_hatype == ARPHRD_LOOPBACK ||
		     ll.sll_pkttype != PACKET_HOST))
			continue;
		proto = ntohs(ll.sll_protocol);
		if (ll.sll_hatype == ARPHRD_ETHER ||
		    ll.sll_hatype == ARPHRD_LOOPBACK) {
			off = 14;	/* Ethernet(-style) link header */
			if (n >= 18 && ((buf[12] << 8) | buf[13]) == 0x8100) {
				off = 18;	/* one VLAN tag */
				proto = (buf[16] << 8) | buf[17];
			}
		}
		if ((size_t)n < off)
			continue;
		p += off;
		if (proto == ETH_P_IP)
			ipv4(p, n - off, &ll);
		else if (proto == ETH_P_IPV6)
			ipv6(p, n - off, &ll);
	}
}
