/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_SESSION_H
#define TCPRST_SESSION_H

#include <tracefs.h>
#include "tcprst.h"
#include "offsets.h"
#include "probes.h"
#include "caps.h"

/* Everything one run creates in tracefs, so one path can remove it. */
struct session {
	char name[64];			/* instance name == kprobe group */
	struct tracefs_instance *inst;
	bool inst_created;
	int nprobes;
	struct {
		const struct probe_def *def;
		struct tracefs_dynevent *ev;
		char symbol[128];
	} probes[8];
	struct tep_handle *tep;
	bool clock_mono;
	struct caps caps;	/* what the kernel offers; stack method final after open */
	char note[512];		/* what calibration could not find, for the user */
};

void session_name(char *buf, size_t len);
int caps_detect(struct caps *c, unsigned mask, const char *group);
int session_open(struct session *s, const struct options *o,
		 struct offsets *off, char *err, size_t errlen);
int session_preview(struct session *s, struct offsets *off, bool calibrate_missing);
int session_render(const struct session *s, const struct probe_def *p,
		   const struct offsets *off, const char *symbol, bool args_only,
		   char *buf, size_t len);
int session_enable(struct session *s, bool on);
void session_close(struct session *s);
int session_record_formats(struct session *s, const char *dir);
int session_add_probe(struct session *s, const char *event, const char *sym,
		      const char *args, struct tracefs_dynevent **ev);
void session_remove_probe(struct session *s, const char *event, struct tracefs_dynevent *ev);
int cleanup_dead_runs(int *removed);
const char *lockdown_level(void);
const char *lockdown_forbids_tracing(void);

#endif
