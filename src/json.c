// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one JSON writer of tcprst (events, --check). Keys are written in
 * order; a NULL key is an array element.
 */
#include <string.h>

#include "json.h"

/* Length of a valid UTF-8 sequence at s (no overlongs, no surrogates), or 0. */
static int utf8_len(const unsigned char *s)
{
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/**
 * json_escape() - write @s as a JSON string, quotes included.
 * @f: the stream
 * @s: NUL-terminated bytes of any kind
 *
 * Control characters, quotes and backslashes are escaped; bytes that are
 * not valid UTF-8 become \u00XX (the byte's Latin-1 code point), so the
 * output is always valid JSON and valid UTF-8.
 */
void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		int n;

		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p++, f);
		} else if (*p == '\n') {
			fputs("\\n", f), p++;
		} else if (*p == '\t') {
			fputs("\\t", f), p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			fprintf(f, "\\u%04x", *p++);
		}
	}
	fputc('"', f);
}

/* The separator and key of the next member. */
static void key(struct jw *w, const char *k)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	if (k) {
		json_escape(w->f, k);
		fputc(':', w->f);
	}
}

static void open_(struct jw *w, const char *k, char c)
{
	key(w, k);
	fputc(c, w->f);
	if (w->depth < 7)
		w->depth++;
	w->first[w->depth] = true;
}

/**
 * jw_begin() - start a top-level object on @f.
 * @w: the writer
 * @f: the stream
 */
void jw_begin(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	fputc('{', f);
	w->first[0] = true;
}

void jw_object(struct jw *w, const char *k) { open_(w, k, '{'); }
void jw_array(struct jw *w, const char *k) { open_(w, k, '['); }

/**
 * jw_end() - close the innermost object ('}') or array (']'); closing the
 * top level ends the line.
 * @w: the writer
 * @close: '}' or ']'
 */
void jw_end(struct jw *w, char close)
{
	fputc(close, w->f);
	if (w->depth == 0) {
		fputc('\n', w->f);
		return;
	}
	w->depth--;
}

/**
 * jw_str() - a string member, or null when @val is NULL.
 * @w: the writer
 * @k: the key (NULL in an array)
 * @val: the value
 */
void jw_str(struct jw *w, const char *k, const char *val)
{
	key(w, k);
	if (val)
		json_escape(w->f, val);
	else
		fputs("null", w->f);
}

void jw_int(struct jw *w, const char *k, long long val)
{
	key(w, k);
	fprintf(w->f, "%lld", val);
}

void jw_bool(struct jw *w, const char *k, bool val)
{
	key(w, k);
	fputs(val ? "true" : "false", w->f);
}

void jw_null(struct jw *w, const char *k)
{
	key(w, k);
	fputs("null", w->f);
}
