/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_SESSION_H
#define TCPRST_SESSION_H

#include <pthread.h>
#include <tracefs.h>
#include "tcprst.h"
#include "offsets.h"
#include "probes.h"
#include "caps.h"
#include "kprobe.h"

/* Everything one run creates in tracefs, so one path can remove it. */
struct session {
	char name[64];			/* instance name == kprobe group */
	struct kgroup group;
	struct tracefs_instance *inst;
	bool inst_created;
	bool want_stack;		/* --stack: record stacks (else nothing is recorded) */
	int nprobes;
	struct {
		const struct probe_def *def;
		struct kprobe kp;
		bool filtered;		/* its kernel filter was accepted */
	} probes[PROBES_MAX];
	struct tep_handle *tep;
	bool clock_mono;
	struct caps caps;	/* what the kernel offers; stack method final after open */
	char note[512];		/* what calibration could not find, for the user */
	char degraded[512];	/* optional probes that could not be armed, and why */
	struct {		/* the instance made in the background (instance.c) */
		pthread_t thread;
		bool started;
		int ret;
		long buffer_kb;
		char err[256];
	} mk;
};

void session_name(char *buf, size_t len);
int caps_detect(struct caps *c, unsigned mask);
void caps_detect_fetch(struct caps *c, unsigned mask, const char *group);
void session_instance_start(struct session *s, long buffer_kb);
int session_instance_wait(struct session *s, long buffer_kb, char *err, size_t errlen);
void session_set_clock(struct session *s, struct tracefs_instance *inst);
int session_open(struct session *s, const struct options *o,
		 struct offsets *off, char *err, size_t errlen);
int session_formats(struct session *s, char *err, size_t errlen);
int session_preview(struct session *s, struct offsets *off, bool calibrate_missing);
int session_render(const struct session *s, const struct probe_def *p,
		   const struct offsets *off, const char *symbol, bool args_only,
		   char *buf, size_t len);
int session_enable(struct session *s, bool on);
void session_close(struct session *s);
struct losses;
void session_losses(const struct session *s, struct losses *l);
int session_record_formats(struct session *s, const char *dir);
bool session_probe_filtered(const struct session *s, const char *event);
int session_sync_mark(void *ctx, int seq);
int cleanup_dead_runs(int *removed, char *left, size_t len);
const char *lockdown_level(void);
const char *lockdown_forbids_tracing(void);

#endif
