/* floor: the least a tracefs tool does to trace a reset, the bench's floor:
 * one ftrace instance, one kprobe (tcp_v4_send_reset, no arguments),
 * enabled in that instance, with libtracefs as tcprst uses it. Prints
 * "armed" on stderr, then waits for SIGINT or SIGTERM and removes both.
 * It reads nothing: what it costs is the price of arming, nothing more.
 * Build: gcc -O2 -Wall -Wextra $(pkg-config --cflags --libs libtracefs) -o floor floor.c
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <tracefs.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	struct tracefs_instance *inst;
	struct tracefs_dynevent *kp;
	char name[64];
	int rc = 1;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	snprintf(name, sizeof(name), "floor_%d", (int)getpid());
	inst = tracefs_instance_create(name);
	if (!inst) {
		fprintf(stderr, "floor: cannot create instance %s\n", name);
		return 1;
	}
	kp = tracefs_kprobe_alloc(name, "rst", "tcp_v4_send_reset", NULL);
	if (!kp || tracefs_dynevent_create(kp)) {
		fprintf(stderr, "floor: cannot create the kprobe\n");
		goto out;
	}
	if (tracefs_event_enable(inst, name, "rst")) {
		fprintf(stderr, "floor: cannot enable the kprobe\n");
		goto out;
	}
	fprintf(stderr, "armed\n");
	while (!stop)
		pause();
	tracefs_event_disable(inst, name, "rst");
	rc = 0;
out:
	if (kp) {
		tracefs_dynevent_destroy(kp, true);
		tracefs_dynevent_free(kp);
	}
	tracefs_instance_destroy(inst);
	tracefs_instance_free(inst);
	return rc;
}
