// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live source: our instance's per-CPU raw ring buffers
 * (per_cpu/cpuN/trace_pipe_raw), read whole sub-buffers at a time through
 * libtracefs and split into records with libtraceevent's kbuffer.
 * Blocking is done with poll(), so an idle run costs nothing.
 *
 * The replay source: pages recorded from it (cpuN.raw), fed to the same
 * splitting, so that the real binary runs on recorded data.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <kbuffer.h>

#include "reader.h"

struct reader {
	int ncpu;
	int page_size;
	struct {
		int cpu, fd;
		struct tracefs_cpu *tcpu;
	} *cpus;
	struct pollfd *pfds;
	bool polled;	/* the last wait said which CPUs have data: drain only those */
	bool backlog;	/* the last drain stopped at its page budget */
	struct kbuffer *kbuf;
	void *page;
	long long lost;
	int *record_fds;	/* per CPU, -1: not recording */
	/* replay: the recorded pages of each CPU, handed out once */
	char **replay;
	size_t *replay_len;
};

static struct reader *reader_alloc(int ncpu)
{
	struct reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->page_size = getpagesize();
	r->cpus = calloc(ncpu, sizeof(*r->cpus));
	r->pfds = calloc(ncpu + 1, sizeof(*r->pfds));
	r->page = malloc(r->page_size);
	r->kbuf = kbuffer_alloc(sizeof(long) == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
				__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
				KBUFFER_ENDIAN_LITTLE : KBUFFER_ENDIAN_BIG);
	if (!r->cpus || !r->pfds || !r->page || !r->kbuf) {
		reader_close(r);
		return NULL;
	}
	return r;
}

/* The reader, if it has a CPU to read; else NULL with ENOENT. */
static struct reader *opened(struct reader *r)
{
	if (r->ncpu)
		return r;
	reader_close(r);
	errno = ENOENT;
	return NULL;
}

/**
 * reader_open() - open every CPU's raw buffer of @inst, non-blocking.
 * @inst: our instance
 *
 * Return: the reader, or NULL with errno set.
 */
struct reader *reader_open(struct tracefs_instance *inst)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	struct reader *r = reader_alloc(n);

	if (!r)
		return NULL;
	for (long c = 0; c < n; c++) {
		char file[64];
		int fd;

		snprintf(file, sizeof(file), "per_cpu/cpu%ld/trace_pipe_raw", c);
		fd = tracefs_instance_file_open(inst, file, O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			continue;	/* a possible but absent CPU */
		r->cpus[r->ncpu].cpu = (int)c;
		r->cpus[r->ncpu].fd = fd;
		r->cpus[r->ncpu].tcpu = tracefs_cpu_alloc_fd(fd, r->page_size, true);
		if (!r->cpus[r->ncpu].tcpu) {
			close(fd);
			goto fail;
		}
		r->ncpu++;
	}
	return opened(r);
fail:
	reader_close(r);
	return NULL;
}

/**
 * reader_open_replay() - a source over recorded pages (dir/cpuN.raw, as
 * reader_record() writes them; recorded on a host like this one).
 * @dir: the recording
 *
 * Return: the reader, or NULL with errno set (ENOENT: no pages).
 */
struct reader *reader_open_replay(const char *dir)
{
	const int max = 256;
	struct reader *r = reader_alloc(max);

	if (!r)
		return NULL;
	r->replay = calloc(max, sizeof(*r->replay));
	r->replay_len = calloc(max, sizeof(*r->replay_len));
	if (!r->replay || !r->replay_len)
		goto fail;
	for (int c = 0; c < max; c++) {
		char path[4096];
		FILE *f;
		long len;

		snprintf(path, sizeof(path), "%s/cpu%d.raw", dir, c);
		f = fopen(path, "re");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		r->replay[r->ncpu] = malloc(len > 0 ? len : 1);
		if (!r->replay[r->ncpu] || fread(r->replay[r->ncpu], 1, len, f) != (size_t)len) {
			fclose(f);
			goto fail;
		}
		fclose(f);
		r->replay_len[r->ncpu] = len;
		r->cpus[r->ncpu].cpu = c;
		r->cpus[r->ncpu].fd = -1;
		r->ncpu++;
	}
	return opened(r);
fail:
	reader_close(r);
	return NULL;
}

/**
 * reader_wait() - block until data may be there, a signal, or a timeout.
 * @r: the reader
 * @timeout_ms: -1 for none
 * @watch_fd: an fd whose error/hang-up is reported (our stdout), or -1
 * @watch_err: set when @watch_fd reports POLLERR/POLLHUP
 *
 * Signals in the blocked set are let through only while waiting.
 *
 * Return: >0 data, 0 timeout, -1 interrupted or error.
 */
int reader_wait(struct reader *r, int timeout_ms, int watch_fd, bool *watch_err)
{
	struct timespec ts, *tsp = NULL;
	sigset_t empty;
	int n = 0, ret;

	for (int i = 0; i < r->ncpu; i++) {
		r->pfds[n].fd = r->cpus[i].fd;
		r->pfds[n].events = POLLIN;
		n++;
	}
	if (watch_fd >= 0) {
		r->pfds[n].fd = watch_fd;
		r->pfds[n].events = 0;	/* only errors: a closed pipe reader */
		n++;
	}
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
		tsp = &ts;
	}
	sigemptyset(&empty);
	ret = ppoll(r->pfds, n, tsp, &empty);
	if (ret > 0 && watch_fd >= 0 && (r->pfds[n - 1].revents & (POLLERR | POLLHUP)))
		*watch_err = true;
	/* a timeout or an error reads every CPU: the next drain asks them all */
	r->polled = ret > 0;
	return ret;
}

/*
 * The bytes of records a page holds: the header is a u64 timestamp, then
 * the commit size (its top bits are flags).
 */
static unsigned long long page_data(const void *page)
{
	unsigned long long commit;

	memcpy(&commit, (const char *)page + 8, sizeof(commit));
	return commit & 0x3fffffffULL;
}

/*
 * Whether kbuffer's walk over the page's records moves forward at every
 * step. It takes a padding's length as a signed int and skips paddings and
 * time stamps in a loop of its own: a length of -4 (fuzzing found it) is
 * a step of nothing, and kbuffer_next_event() never returns. The page is
 * walked first with kbuffer_raw_get(), the library's own steps (they
 * differ between its versions), each checked to move on and to read
 * inside the page.
 */
static bool page_walk_ok(struct kbuffer *kbuf, void *page, size_t size)
{
	struct kbuffer_raw_info info = { .next = (char *)page + 16 };
	const char *end = (const char *)page + size;
	const char *data_end = (const char *)page + 16 + page_data(page);

	for (;;) {
		const char *at = info.next;

		/* past the records: done (a full page may end less than 8 bytes from its end) */
		if (at >= data_end)
			return true;
		if (at + 8 > end)
			return false;	/* a header and length word would be read past the page */
		if (!kbuffer_raw_get(kbuf, page, &info))
			return true;
		if ((const char *)info.next <= at)
			return false;
	}
}

/**
 * decode_subbuffer() - split one ring-buffer page into records.
 * @kbuf: a kbuffer for this host
 * @page: the raw sub-buffer as read from trace_pipe_raw
 * @size: its size in bytes
 * @cpu: its CPU
 * @fn, @ctx: called per record
 * @lost: incremented by events the kernel dropped before this page
 *
 * Return: number of records, or -1 if the page is malformed.
 */
int decode_subbuffer(struct kbuffer *kbuf, void *page, size_t size, int cpu,
		     record_fn fn, void *ctx, long long *lost)
{
	unsigned long long ts, commit;
	void *data;
	int n = 0, missed, off = -1;

	/*
	 * kbuffer trusts the header's commit size: a page claiming more data
	 * than it holds is refused (fuzzing found kbuffer reading past such a
	 * page).
	 */
	if (size < 16)
		return -1;
	commit = page_data(page);
	if (commit > size - 16 || !page_walk_ok(kbuf, page, size))
		return -1;
	if (kbuffer_load_subbuffer(kbuf, page) < 0)
		return -1;
	missed = kbuffer_missed_events(kbuf);
	if (missed > 0)
		*lost += missed;
	else if (missed < 0)
		*lost += 1;	/* "some" were lost; the count is unknown */
	for (data = kbuffer_read_event(kbuf, &ts); data; data = kbuffer_next_event(kbuf, &ts)) {
		struct tep_record rec;

		/* a malformed page must not hold the reader: every record moves on (fuzzing found one that did not) */
		if (kbuffer_curr_offset(kbuf) <= off)
			return -1;
		off = kbuffer_curr_offset(kbuf);

		memset(&rec, 0, sizeof(rec));
		rec.ts = ts;
		rec.cpu = cpu;
		rec.data = data;
		rec.size = kbuffer_event_size(kbuf);
		/* and each record lies inside the committed data */
		if (rec.size < 0 || (char *)data + rec.size > (char *)page + 16 + commit)
			return -1;
		fn(ctx, &rec);
		n++;
	}
	return n;
}

/*
 * Room a full page may still have: the writer moves on when the next
 * record does not fit, and a record is rarely larger (a kernel stack of
 * a hundred frames). A page with more room was copied while the writer
 * was still filling it: what a read right after it finds is a record or
 * two written since (in a storm the reader then chased the writer, five
 * records a read, eight reads a pass); they wait for the next pass. The
 * first page of a pass may be the rest of a page read in part the pass
 * before, and the writer long gone: it does not end the pass.
 */
#define PAGE_TAIL_ROOM 1024

static bool page_full(const void *page, int page_size)
{
	return (long long)page_data(page) > page_size - 16 - PAGE_TAIL_ROOM;
}

/* Every recorded page, once. */
static int drain_replay(struct reader *r, record_fn fn, void *ctx)
{
	int total = 0;

	for (int i = 0; i < r->ncpu; i++) {
		for (size_t off = 0; off + r->page_size <= r->replay_len[i]; off += r->page_size) {
			int k = decode_subbuffer(r->kbuf, r->replay[i] + off, r->page_size, r->cpus[i].cpu,
						 fn, ctx, &r->lost);
			if (k > 0)
				total += k;
		}
		r->replay_len[i] = 0;
	}
	return total;
}

/**
 * reader_drain() - read what is in the buffers now, at most
 * READ_PAGES_PER_PASS pages per CPU (reader_backlog() tells if more is left).
 * The first drain after reader_wait() reads only the CPUs it found readable.
 * @r: the reader
 * @fn, @ctx: called per record, CPU by CPU, in order within a CPU
 *
 * Return: number of records, or -1 on a read error.
 */
int reader_drain(struct reader *r, record_fn fn, void *ctx)
{
	int total = 0;
	bool polled = r->polled;

	r->backlog = false;
	r->polled = false;
	if (r->replay)
		return drain_replay(r, fn, ctx);
	for (int i = 0; i < r->ncpu; i++) {
		/* a CPU poll() did not call readable: a read would only say EAGAIN */
		if (polled && !r->pfds[i].revents)
			continue;
		for (int pages = 0;; pages++) {
			/* in a storm, a bounded batch: memory stays flat, printing goes on */
			if (pages == READ_PAGES_PER_PASS) {
				r->backlog = true;
				break;
			}
			int n = tracefs_cpu_read(r->cpus[i].tcpu, r->page, true);

			if (n <= 0) {
				if (n < 0 && errno != EAGAIN && errno != EINTR)
					return -1;
				break;
			}
			if (r->record_fds && r->record_fds[i] >= 0 &&
			    write(r->record_fds[i], r->page, r->page_size) != r->page_size)
				r->record_fds[i] = -1;
			int k = decode_subbuffer(r->kbuf, r->page, r->page_size, r->cpus[i].cpu, fn, ctx,
						 &r->lost);
			if (k > 0)
				total += k;
			/* (a first page may be the rest of one read in part last pass) */
			if (k < 0 || (pages && !page_full(r->page, r->page_size)))
				break;
		}
	}
	return total;
}

/**
 * reader_backlog() - whether the last reader_drain() left pages unread (it
 * reads at most READ_PAGES_PER_PASS per CPU).
 * @r: the reader
 *
 * Return: true if a CPU's buffer still held data.
 */
bool reader_backlog(const struct reader *r)
{
	return r->backlog;
}

long long reader_lost(const struct reader *r)
{
	return r->lost;
}

/**
 * reader_record() - also save every sub-buffer read, for replay tests.
 * @r: the reader
 * @dir: an existing directory; pages go to cpuN.raw
 *
 * Return: 0 or -1.
 */
int reader_record(struct reader *r, const char *dir)
{
	r->record_fds = malloc(r->ncpu * sizeof(int));
	if (!r->record_fds)
		return -1;
	for (int i = 0; i < r->ncpu; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/cpu%d.raw", dir, r->cpus[i].cpu);
		r->record_fds[i] = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	return 0;
}

void reader_close(struct reader *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->ncpu; i++) {
		if (r->replay) {
			free(r->replay[i]);
			continue;
		}
		tracefs_cpu_free_fd(r->cpus[i].tcpu);
		close(r->cpus[i].fd);
		if (r->record_fds && r->record_fds[i] >= 0)
			close(r->record_fds[i]);
	}
	free(r->record_fds);
	free(r->replay);
	free(r->replay_len);
	if (r->kbuf)
		kbuffer_free(r->kbuf);
	free(r->page);
	free(r->pfds);
	free(r->cpus);
	free(r);
}
