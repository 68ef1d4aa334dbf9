// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event formats of a recording (replay): what session_record_formats()
 * saved, parsed as the live run parses its own.
 */
#include <stdio.h>

#include "decode.h"

static int load_format(struct tep_handle *tep, const char *dir, const char *file,
		       const char *sys)
{
	char path[4096];
	static char text[65536];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return tep_parse_event(tep, text, n, sys) ? -1 : 0;
}

/**
 * formats_load_recorded() - parse the event formats of a recording
 * (<event>.format per probe of the table that was recorded, and
 * kernel_stack.format), as session_record_formats() saves them.
 * @tep: where to parse them
 * @dir: the recording
 * @group: its kprobe group
 *
 * Return: number of probe formats loaded.
 */
int formats_load_recorded(struct tep_handle *tep, const char *dir, const char *group)
{
	char file[96];
	int n = 0;

	for (size_t i = 0; i < probe_table_len; i++) {
		snprintf(file, sizeof(file), "%s.format", probe_table[i].event);
		n += load_format(tep, dir, file, group) == 0;
	}
	load_format(tep, dir, "kernel_stack.format", "ftrace");
	load_format(tep, dir, "print.format", "ftrace");
	return n;
}
