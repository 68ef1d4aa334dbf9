// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one JSON writer of tcprst (events, --check). Keys are written in
 * order; a NULL key is an array element. Streams are used by one thread:
 * the unlocked stdio calls skip a lock per character.
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

	fputc_unlocked('"', f);
	while (*p) {
		const unsigned char *run = p;
		int n;

		/* a run of printable ASCII that needs no escape, written at once */
		while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			fwrite_unlocked(run, 1, (size_t)(p - run), f);
		if (!*p)
			break;
		if (*p == '"' || *p == '\\') {
			fputc_unlocked('\\', f);
			fputc_unlocked(*p++, f);
		} else if (*p == '\n') {
			fputs_unlocked("\\n", f), p++;
		} else if (*p == '\t') {
			fputs_unlocked("\\t", f), p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc_unlocked(*p++, f);
		} else if ((n = utf8_len(p)) > 0) {
			fwrite_unlocked(p, 1, n, f);
			p += n;
		} else {
			fprintf(f, "\\u%04x", *p++);
		}
	}
	fputc_unlocked('"', f);
}

/* The separator and key of the next member (keys are ours: plain ASCII). */
static void key(struct jw *w, const char *k)
{
	char buf[80];
	size_t n = 0, len;

	if (!w->first[w->depth])
		buf[n++] = ',';
	w->first[w->depth] = false;
	if (k && (len = strlen(k)) < sizeof(buf) - 4) {
		buf[n++] = '"';
		memcpy(buf + n, k, len);
		n += len;
		buf[n++] = '"';
		buf[n++] = ':';
	} else if (k) {
		fwrite_unlocked(buf, 1, n, w->f);
		json_escape(w->f, k);
		buf[0] = ':', n = 1;
	}
	fwrite_unlocked(buf, 1, n, w->f);
}

static void open_(struct jw *w, const char *k, char c)
{
	key(w, k);
	fputc_unlocked(c, w->f);
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
	fputc_unlocked('{', f);
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
	fputc_unlocked(close, w->f);
	if (w->depth == 0) {
		fputc_unlocked('\n', w->f);
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
		fputs_unlocked("null", w->f);
}

void jw_int(struct jw *w, const char *k, long long val)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = val < 0 ? 0ULL - (unsigned long long)val : (unsigned long long)val;

	key(w, k);
	do	/* digits from the end: printf's machinery costs more than a reset's decoding */
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (val < 0)
		*--p = '-';
	fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), w->f);
}

void jw_bool(struct jw *w, const char *k, bool val)
{
	key(w, k);
	fputs_unlocked(val ? "true" : "false", w->f);
}

void jw_null(struct jw *w, const char *k)
{
	key(w, k);
	fputs_unlocked("null", w->f);
}
