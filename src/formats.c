// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event formats of a recording (replay): what session_record_formats()
 * saved, parsed as the live run parses its own.
 */
#include <stdio.h>
#include <string.h>

#include "decode.h"

/**
 * formats_parse() - parse one event's format text for its fields.
 * @tep: where
 * @text: the format file's text, NUL-terminated; its print fmt is cut
 * @len: its length
 * @sys: the event's system
 *
 * Records are decoded field by field, never printed by libtraceevent: its
 * parse of a kprobe's print fmt (twenty arguments) was most of the cost of
 * loading the formats, some 25 ms of a start on the emulated VM. The
 * print fmt is replaced by an empty one.
 *
 * Return: 0, or -1 if libtraceevent refused it.
 */
int formats_parse(struct tep_handle *tep, char *text, size_t len, const char *sys)
{
	static const char head[] = "\nprint fmt:", empty[] = " \"\"\n";
	char *p = strstr(text, head);

	if (p && (size_t)(p - text) + (sizeof(head) - 1) + sizeof(empty) <= len + 1) {
		p += sizeof(head) - 1;
		memcpy(p, empty, sizeof(empty));
		len = (size_t)(p - text) + sizeof(empty) - 1;
	}
	return tep_parse_event(tep, text, len, sys) ? -1 : 0;
}

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
	return formats_parse(tep, text, n, sys);
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
