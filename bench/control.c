/* control: the bench's check of its own clock. A fixed computation (ITERS
 * steps of an LCG) bound to CPU, then what the guest charged it (schedstat,
 * ns on CPU) and the wall time it took. Run alone and while the storm runs
 * on the other vCPU: if the second charge is larger, the emulator charges
 * a task for time it did not run (QEMU's single-threaded TCG does: its
 * vCPUs take turns while the guest clock runs on), and CPU per reset on
 * two vCPUs would measure the storm, not the tool.
 *   control CPU ITERS  ->  work_ms=.. wall_ms=..
 * Build: gcc -O2 -Wall -Wextra -o control control.c
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long run_ns(void)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	long long ns = -1;

	if (f) {
		if (fscanf(f, "%lld", &ns) != 1)
			ns = -1;
		fclose(f);
	}
	return ns;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	volatile unsigned long x = 1;
	long long r0, r1;
	cpu_set_t set;
	double w0, w1;
	long iters;

	if (argc != 3 || (iters = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: control CPU ITERS\n");
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[1]), &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("control: sched_setaffinity");
		return 1;
	}
	r0 = run_ns();
	w0 = now();
	for (long i = 0; i < iters; i++)
		x = x * 6364136223846793005UL + 1;
	r1 = run_ns();
	w1 = now();
	if (r0 < 0 || r1 < 0) {
		fprintf(stderr, "control: cannot read /proc/thread-self/schedstat\n");
		return 1;
	}
	printf("work_ms=%.1f wall_ms=%.1f\n", (r1 - r0) / 1e6, (w1 - w0) * 1e3);
	return 0;
}
