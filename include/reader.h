/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_READER_H
#define TCPRST_READER_H

#include <stdbool.h>

#include <event-parse.h>
#include <tracefs.h>

/* Called for each raw record, in order per CPU. */
typedef void (*record_fn)(void *ctx, struct tep_record *rec);

struct reader;

struct reader *reader_open(struct tracefs_instance *inst);
struct reader *reader_open_replay(const char *dir);
int reader_wait(struct reader *r, int timeout_ms, int watch_fd, bool *watch_err);
#define READ_PAGES_PER_PASS 4	/* per CPU: a storm's batch stays small */
int reader_drain(struct reader *r, record_fn fn, void *ctx);
bool reader_backlog(const struct reader *r);
long long reader_lost(const struct reader *r);
int reader_record(struct reader *r, const char *dir);
void reader_close(struct reader *r);
int decode_subbuffer(struct kbuffer *kbuf, void *page, size_t size, int cpu,
		     record_fn fn, void *ctx, long long *lost);

#endif
