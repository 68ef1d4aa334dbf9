/* rstutil.h: helpers shared by rstgen.c and rstraw.c */
#ifndef RSTUTIL_H
#define RSTUTIL_H
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static inline void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* fd's TCP_INFO into *ti (zeroed first: older kernels fill less); 0 or -1 */
static inline int tcp_info_get(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

/* wait (bounded) until listener l has n connections to accept */
static inline int wait_queued(int l, unsigned n)
{
	struct tcp_info ti;

	for (int i = 0; i < 300; i++) {
		/* a listener's tcpi_unacked is its accept queue's length */
		if (tcp_info_get(l, &ti) == 0 && ti.tcpi_unacked == n)
			return 0;
		msleep(10);
	}
	errno = ETIMEDOUT;
	return -1;
}

static inline socklen_t mkaddr(int fam, const char *str, int port,
			struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (fam == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, str, &a->sin_addr);
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, str, &a->sin6_addr);
		return sizeof(*a);
	}
}

/* address as on the wire: v4-mapped IPv6 is IPv4 */
static inline int fmtaddr(const struct sockaddr_storage *ss, char *buf, int *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ss;
		inet_ntop(AF_INET, &a->sin_addr, buf, INET6_ADDRSTRLEN);
		*port = ntohs(a->sin_port);
		return 4;
	} else {
		const struct sockaddr_in6 *a = (const void *)ss;
		*port = ntohs(a->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
			inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], buf,
				  INET6_ADDRSTRLEN);
			return 4;
		}
		inet_ntop(AF_INET6, &a->sin6_addr, buf, INET6_ADDRSTRLEN);
		return 6;
	}
}

/* "EXPECT <kind> <family> <saddr> <sport> <daddr> <dport> <cause>": the
 * RST from -> to as on the wire; cause is tcprst's cause code, or "-" */
static inline void expect(const char *kind, const char *cause,
			  const struct sockaddr_storage *from,
			  const struct sockaddr_storage *to)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	int sp, dp, fam = fmtaddr(from, s, &sp);

	fmtaddr(to, d, &dp);
	printf("EXPECT %s %d %s %d %s %d %s\n", kind, fam, s, sp, d, dp, cause);
	fflush(stdout);
}

#endif
