// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loss accounting (pure): parse what the kernel counts, say what was lost.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "losses.h"

/* the value after "key: " at the start of a line, or -1 */
static long long line_value(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

/**
 * losses_parse_stats() - one CPU's per_cpu/cpuN/stats.
 * @text: the file's contents
 * @overrun: set to its "overrun" (events overwritten before they were read)
 * @dropped: set to its "dropped events" (0 where the kernel has no such line)
 *
 * Return: 0, or -1 if the text has no overrun line.
 */
int losses_parse_stats(const char *text, long long *overrun, long long *dropped)
{
	*overrun = line_value(text, "overrun");
	*dropped = line_value(text, "dropped events");
	if (*dropped < 0)
		*dropped = 0;
	return *overrun < 0 ? -1 : 0;
}

/**
 * losses_total() - resets (or evidence) the kernel saw and we could not report.
 * @l: the counts
 *
 * The pages' marks and the stats count the same overwritten events: the
 * larger is taken (a page may say only "some").
 */
long long losses_total(const struct losses *l)
{
	long long ring = l->overrun + l->dropped;

	return ring > l->pages ? ring : l->pages;
}

/**
 * losses_print() - say what was lost, if anything.
 * @f: the stream (stdout for JSON, as a record among the events; stderr for text)
 * @json: one JSON object {"lost": N, ...}
 * @l: the counts
 */
void losses_print(FILE *f, bool json, const struct losses *l)
{
	long long total = losses_total(l);

	if (!total)
		return;
	if (json) {
		struct jw w;

		jw_begin(&w, f);
		jw_int(&w, "lost", total);
		jw_int(&w, "overrun", l->overrun > l->pages ? l->overrun : l->pages);
		jw_int(&w, "dropped", l->dropped);
		jw_end(&w, '}');
		return;
	}
	fprintf(f, "tcprst: %lld event(s) lost: %lld overwritten in the ring buffer before they "
		"were read, %lld dropped; a larger --buffer-kb or a filter helps\n", total,
		l->overrun > l->pages ? l->overrun : l->pages, l->dropped);
}
