/* benchrun: run one tracing tool under measurement, in the bench VM.
 *
 * usage: benchrun [-a CPU] [-m MARKER] [-c PATTERN] [-n RESETS -p PORT [-w SECONDS]] [-q SECONDS] -- CMD [ARG...]
 *
 * With -a, benchrun first binds itself to CPU, and so CMD and the storm.
 * Starts CMD in its own process group with its stdout and stderr on pipes
 * and waits for MARKER on either (empty: armed at once). That instant is
 * "armed": the time since the fork and the CPU the group has used so far
 * (utime + stime of its members and of the children they reaped, from
 * /proc/PID/stat). Then, with -n, lets it settle for -w SECONDS (default 1:
 * what a tool does once it has said it traces, such as reading its events'
 * formats, is its start, not the resets' cost; its time on CPU is reported
 * apart, after_cpu_s), and runs "rstraw -S RESETS:PORT" (a storm of
 * SYNs to a closed port over loopback, each answered with a RST) while it
 * keeps reading CMD's output, and counts CMD's stdout lines that contain
 * PATTERN until they reach the resets the kernel sent (Tcp OutRsts) or no
 * line came for SECONDS (default 3; without -n, it waits that long). Then SIGINT to the group, read to
 * EOF, and reap CMD: its rusage gives the CPU of the whole run and the
 * peak RSS (the largest process of the tree CMD waited for). The burst's
 * CPU is the group's live threads' time on CPU (schedstat, in ns) from just
 * before the storm to the last line counted: what the tool spent on the
 * resets, without its start and exit.
 * Prints one line:
 *   arm_s=.. arm_cpu_s=.. after_cpu_s=.. cpu_s=.. user_s=.. sys_s=.. burst_cpu_s=.. burst_user_s=..
 *   burst_sys_s=.. (ticks, from /proc) rss_kb=..
 *   storm_s=.. outrsts=.. reported=.. exit=..
 * Exit: 0 when CMD was armed and exited after SIGINT, 1 otherwise.
 * Build: gcc -static -O2 -Wall -Wextra -o benchrun benchrun.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct stream {
	int fd;
	char buf[65536];
	size_t len;
};

static const char *marker = "", *pattern;
static int armed;
static long reported;
static double last_line;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The fields of /proc/PID/stat after "(comm) " into @line, or NULL. */
static const char *stat_tail(const char *pid, char *line, size_t len)
{
	char path[300], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (!(f = fopen(path, "r")))
		return NULL;
	p = fgets(line, (int)len, f) ? strrchr(line, ')') : NULL;
	fclose(f);
	return p && p[1] ? p + 2 : NULL;
}

/* Call @fn for every process of group PGID (its /proc name and stat tail). */
static void each_member(pid_t pgid, void (*fn)(void *ctx, const char *pid, const char *tail), void *ctx)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char line[1024];
		const char *tail;
		int pgrp;

		if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
		    !(tail = stat_tail(e->d_name, line, sizeof(line))) ||
		    sscanf(tail, "%*c %*d %d", &pgrp) != 1 || pgrp != pgid)
			continue;
		fn(ctx, e->d_name, tail);
	}
	if (d)
		closedir(d);
}

/* user and system time, children reaped included, in clock ticks */
static void add_ticks(void *ctx, const char *pid, const char *tail)
{
	unsigned long long ut, st, cut, cst, *t = ctx;

	(void)pid;
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime */
	if (sscanf(tail, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
		   &ut, &st, &cut, &cst) == 4) {
		t[0] += ut + cut;
		t[1] += st + cst;
	}
}

/* CPU seconds of every process in group PGID, with what they reaped; user part in *user */
static double group_cpu(pid_t pgid, double *user)
{
	unsigned long long t[2] = { 0, 0 };
	double hz = (double)sysconf(_SC_CLK_TCK);

	each_member(pgid, add_ticks, t);
	if (user)
		*user = t[0] / hz;
	return (t[0] + t[1]) / hz;
}

/* ns on CPU of each thread of a process (schedstat); -1 once one is unreadable */
static void add_run_ns(void *ctx, const char *pid, const char *tail)
{
	long long *t = ctx;
	char path[600];
	struct dirent *te;
	DIR *td;

	(void)tail;
	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	if (!(td = opendir(path)))
		return;
	while ((te = readdir(td))) {
		long long ns;
		FILE *f;

		if (te->d_name[0] < '0' || te->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task/%s/schedstat", pid, te->d_name);
		if (!(f = fopen(path, "r"))) {
			*t = -1;
			continue;
		}
		if (fscanf(f, "%lld", &ns) == 1 && *t >= 0)
			*t += ns;
		fclose(f);
	}
	closedir(td);
}

/* nanoseconds on CPU of the live threads of group PGID (schedstat), or -1 */
static long long group_run_ns(pid_t pgid)
{
	long long t = 0;

	each_member(pgid, add_run_ns, &t);
	return t;
}

/* whether a tracer is attached to PID */
static int traced(pid_t pid)
{
	char path[64], line[256];
	int t = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &t) == 1)
			break;
	fclose(f);
	return t > 0;
}

static long outrsts(void)
{
	FILE *f = fopen("/proc/net/snmp", "r");
	char hdr[1024], val[1024];
	long r = -1;

	if (!f)
		return -1;
	while (fgets(hdr, sizeof(hdr), f) && fgets(val, sizeof(val), f)) {
		char *hs, *vs, *h = strtok_r(hdr, " \n", &hs), *v = strtok_r(val, " \n", &vs);

		if (!h || strcmp(h, "Tcp:"))
			continue;
		while ((h = strtok_r(NULL, " \n", &hs)) && (v = strtok_r(NULL, " \n", &vs)))
			if (!strcmp(h, "OutRsts"))
				r = atol(v);
	}
	fclose(f);
	return r;
}

/* read what is there; count the complete lines; 0 at EOF */
static int drain(struct stream *s, int counted)
{
	ssize_t n;

	if (s->len >= sizeof(s->buf) / 2) {	/* (only stderr kept whole gets here) */
		memmove(s->buf, s->buf + s->len / 2, s->len - s->len / 2);
		s->len -= s->len / 2;
	}
	n = read(s->fd, s->buf + s->len, sizeof(s->buf) - 1 - s->len);
	char *nl, *p;

	if (n <= 0)
		return n < 0 && errno == EINTR;
	s->len += n;
	s->buf[s->len] = 0;
	if (!armed && *marker && strstr(s->buf, marker))
		armed = 1;
	if (!counted && !armed)
		return 1;	/* stderr before arming: kept whole, for a diagnosis */
	p = s->buf;
	while ((nl = memchr(p, '\n', s->len - (p - s->buf)))) {
		*nl = 0;
		if (counted && pattern && strstr(p, pattern)) {
			reported++;
			last_line = now();
		}
		p = nl + 1;
	}
	s->len -= p - s->buf;
	memmove(s->buf, p, s->len);
	if (s->len == sizeof(s->buf) - 1)	/* a line too long: drop it */
		s->len = 0;
	return 1;
}

/* poll both streams for up to MS milliseconds; 0 once both are at EOF */
static int pump(struct stream *st, int ms)
{
	struct pollfd p[2];
	int n = 0;

	for (int i = 0; i < 2; i++)
		if (st[i].fd >= 0) {
			p[n].fd = st[i].fd;
			p[n++].events = POLLIN;
		}
	if (!n)
		return 0;
	if (poll(p, n, ms) <= 0)
		return 1;
	for (int i = 0, j = 0; i < 2; i++) {
		if (st[i].fd < 0)
			continue;
		if ((p[j++].revents & (POLLIN | POLLHUP)) && !drain(&st[i], i == 0)) {
			close(st[i].fd);
			st[i].fd = -1;
		}
	}
	return 1;
}

int main(int argc, char **argv)
{
	int opt, resets = 0, port = 0, status = 0, pin = -1;
	double quiet = 3, settle = 1, t0, arm_s = -1, arm_cpu = -1, after_cpu = -1, storm_s = 0;
	long o1 = 0, o2 = 0;
	long long b0 = -1, b1;
	double burst_cpu = -1, burst_user = -1, burst_sys = -1, t0_all = 0, t0_user = 0;
	struct stream st[2] = { { .fd = -1 }, { .fd = -1 } };
	struct rusage ru;
	pid_t pid;

	while ((opt = getopt(argc, argv, "a:m:c:n:p:q:w:")) != -1) {
		switch (opt) {
		case 'a': pin = atoi(optarg); break;
		case 'm': marker = optarg; break;
		case 'c': pattern = optarg; break;
		case 'n': resets = atoi(optarg); break;
		case 'p': port = atoi(optarg); break;
		case 'q': quiet = atof(optarg); break;
		case 'w': settle = atof(optarg); break;
		default:
			fprintf(stderr, "usage: benchrun [-a CPU] [-m MARKER] [-c PATTERN] [-n RESETS -p PORT [-w SECONDS]] [-q SECONDS] -- CMD [ARG...]\n");
			return 2;
		}
	}
	if (optind >= argc || (resets && !port)) {
		fprintf(stderr, "benchrun: a command to run is needed (and -p with -n)\n");
		return 2;
	}
	if (pin >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(pin, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("benchrun: sched_setaffinity");
			return 1;
		}
	}
	int out[2], err[2];

	if (pipe(out) || pipe(err)) {
		perror("benchrun: pipe");
		return 1;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("benchrun: fork");
		return 1;
	}
	if (!pid) {
		setpgid(0, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "benchrun: cannot run %s\n", argv[optind]);
		_exit(127);
	}
	setpgid(pid, pid);
	close(out[1]), close(err[1]);
	st[0].fd = out[0], st[1].fd = err[0];
	armed = !*marker;
	while (!armed && now() - t0 < 120 && pump(st, 10))
		;
	if (!armed) {
		/* what it said instead: the lines still in the buffers */
		for (int i = 0; i < 2; i++)
			if (st[i].len)
				fprintf(stderr, "benchrun: %s: %.*s\n", i ? "stderr" : "stdout",
					(int)(st[i].len < 1500 ? st[i].len : 1500), st[i].buf);
		fprintf(stderr, "benchrun: %s never printed \"%s\"\n", argv[optind], marker);
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	arm_s = now() - t0;
	arm_cpu = group_cpu(pid, NULL);
	/* BENCHRUN_STRACE=FILE: strace -c of the burst alone, attached once armed
	 * (BENCHRUN_STRACE_READS=1: each read and open instead, to tell files apart) */
	const char *sfile = getenv("BENCHRUN_STRACE");
	const char *reads = getenv("BENCHRUN_STRACE_READS");
	pid_t tracer = -1;

	if (sfile && *sfile) {
		char spid[16];

		snprintf(spid, sizeof(spid), "%d", (int)pid);
		tracer = fork();
		if (!tracer) {
			if (reads && *reads == '1')
				execlp("strace", "strace", "-f", "-e", "trace=read,openat,ppoll,clock_nanosleep",
				       "-o", sfile, "-p", spid, (char *)NULL);
			else
				execlp("strace", "strace", "-c", "-f", "-o", sfile, "-p", spid, (char *)NULL);
			_exit(127);
		}
		for (double t1 = now(); now() - t1 < 5 && !traced(pid);)
			pump(st, 10);
	}
	reported = 0;
	last_line = now();
	if (resets) {
		char arg[64];
		pid_t g;
		double s0;

		snprintf(arg, sizeof(arg), "%d:%d", resets, port);
		long long a0 = group_run_ns(pid);

		for (double t1 = now(); now() - t1 < settle;)
			pump(st, 10);
		o1 = outrsts();
		b0 = group_run_ns(pid);
		if (a0 >= 0 && b0 >= 0)
			after_cpu = (b0 - a0) / 1e9;
		t0_all = group_cpu(pid, &t0_user);
		s0 = now();
		g = fork();
		if (!g) {
			execlp("rstraw", "rstraw", "-S", arg, (char *)NULL);
			_exit(127);
		}
		while (waitpid(g, &status, WNOHANG) == 0)
			pump(st, 1);
		storm_s = now() - s0;
		/* the last SYNs may still be in softirq: until the count settles */
		for (long prev = -1; (o2 = outrsts()) != prev; prev = o2)
			for (double t1 = now(); now() - t1 < 0.1;)
				pump(st, 10);
		last_line = now();
	}
	/* until every reset the kernel sent is reported, or the tool is quiet */
	while ((!resets || !pattern || reported < o2 - o1) && now() - last_line < quiet && pump(st, 50))
		;
	if (resets && b0 >= 0 && (b1 = group_run_ns(pid)) >= 0) {
		burst_cpu = (b1 - b0) / 1e9;
		double u1, all1 = group_cpu(pid, &u1);

		burst_user = u1 - t0_user;
		burst_sys = all1 - u1 - (t0_all - t0_user);
	}
	if (tracer > 0) {
		kill(tracer, SIGINT);
		while (waitpid(tracer, NULL, WNOHANG) == 0)
			pump(st, 10);
	}
	kill(-pid, SIGINT);
	for (double t1 = now(); pump(st, 100);)
		if (now() - t1 > 60) {
			kill(-pid, SIGKILL);
			break;
		}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("benchrun: wait4");
		return 1;
	}
	double user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	double sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;

	printf("arm_s=%.3f arm_cpu_s=%.2f after_cpu_s=%.4f cpu_s=%.3f user_s=%.3f sys_s=%.3f burst_cpu_s=%.4f burst_user_s=%.2f burst_sys_s=%.2f rss_kb=%ld storm_s=%.3f outrsts=%ld reported=%ld exit=%d\n",
	       arm_s, arm_cpu, after_cpu, user + sys, user, sys, burst_cpu, burst_user, burst_sys, ru.ru_maxrss, storm_s, o2 - o1, reported,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
