// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one JSON writer of tcprst (events, --check). Keys are written in
 * order; a NULL key is an array element. A line is built in the writer and
 * written with one unlocked fwrite (streams are used by one thread).
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

/* The line is built in the writer's buffer and written at once: one
 * fwrite per line, not one per key and value. */
static void flush_(struct jw *w)
{
	if (w->len)
		fwrite_unlocked(w->buf, 1, w->len, w->f);
	w->len = 0;
}

/* Room for @n more bytes (@n at most the buffer's size). */
static inline void room(struct jw *w, size_t n)
{
	if (w->len + n > sizeof(w->buf))
		flush_(w);
}

static inline void put(struct jw *w, const void *p, size_t n)
{
	if (n > sizeof(w->buf)) {
		flush_(w);
		fwrite_unlocked(p, 1, n, w->f);
		return;
	}
	room(w, n);
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static inline void putc_(struct jw *w, char c)
{
	room(w, 1);
	w->buf[w->len++] = c;
}

static void put_u00(struct jw *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	put(w, u, sizeof(u));
}

/* Bytes copied as they are: printable ASCII but '"' and '\\'. */
static const bool plain[256] = {	/* (ranges: gnu11, as the build) */
	[' '] = 1, ['!'] = 1, ['#' ... '['] = 1, [']' ... '~'] = 1,
};

/**
 * json_plain() - whether @s can be written into JSON as it is (printable
 * ASCII without quote or backslash): for strings checked once and written
 * many times (symbols), through jw_val_plain().
 * @s: NUL-terminated
 */
bool json_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (plain[*p])
		p++;
	return !*p;
}

static void esc(struct jw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc_(w, '"');
	while (*p) {
		int n;

		const unsigned char *q = p;

		/* a run of printable ASCII, copied at once */
		while (plain[*q])
			q++;
		put(w, p, (size_t)(q - p));
		p = q;
		if (!*p)
			break;
		if (*p == '"' || *p == '\\') {
			putc_(w, '\\');
			putc_(w, (char)*p++);
		} else if (*p == '\n') {
			put(w, "\\n", 2), p++;
		} else if (*p == '\t') {
			put(w, "\\t", 2), p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			put_u00(w, *p++);
		} else if ((n = utf8_len(p)) > 0) {
			put(w, p, (size_t)n);
			p += n;
		} else {
			put_u00(w, *p++);
		}
	}
	putc_(w, '"');
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
	struct jw w;

	w.f = f;
	w.len = 0;
	esc(&w, s);
	flush_(&w);
}

/**
 * jw_key_slow() - jw_key() where the key may not fit the line's buffer, or
 * there is no key (an array element).
 * @w: the writer
 * @k: the key (ours: plain ASCII), NULL in an array
 * @n: its length
 */
void jw_key_slow(struct jw *w, const char *k, size_t n)
{
	char *o;

	if (!k)
		n = 0;
	if (n > sizeof(w->buf) - 4)
		n = sizeof(w->buf) - 4;
	room(w, n + 4);
	o = w->buf + w->len;
	if (!w->first[w->depth])
		*o++ = ',';
	w->first[w->depth] = false;
	if (k) {
		*o++ = '"';
		memcpy(o, k, n);
		o += n;
		*o++ = '"';
		*o++ = ':';
	}
	w->len = (size_t)(o - w->buf);
}

/**
 * jw_flush() - write what the line holds so far (room for a block).
 * @w: the writer
 */
void jw_flush(struct jw *w)
{
	flush_(w);
}

/**
 * jw_open() - open an object ('{') or array ('[') after jw_key().
 * @w: the writer
 * @c: '{' or '['
 */
void jw_open(struct jw *w, char c)
{
	putc_(w, c);
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
	w->f = f;
	w->depth = 0;
	w->len = 0;
	w->buf[w->len++] = '{';
	w->first[0] = true;
}

/**
 * jw_end() - close the innermost object ('}') or array (']'); closing the
 * top level ends the line and writes it.
 * @w: the writer
 * @close: '}' or ']'
 */
void jw_end(struct jw *w, char close)
{
	putc_(w, close);
	if (w->depth == 0) {
		putc_(w, '\n');
		flush_(w);
		return;
	}
	w->depth--;
}

/**
 * jw_val_str() - a string value, or null when @val is NULL (after jw_key()).
 * @w: the writer
 * @val: the value
 */
void jw_val_str(struct jw *w, const char *val)
{
	if (val)
		esc(w, val);
	else
		put(w, "null", 4);
}

/**
 * jw_val_plain() - a string tcprst made itself (printable ASCII without
 * quotes or backslashes: a cause, an address, a time), copied unescaped.
 * @w: the writer
 * @val: the value, not NULL
 */
void jw_val_plain(struct jw *w, const char *val)
{
	size_t n = strlen(val);

	putc_(w, '"');
	put(w, val, n);
	putc_(w, '"');
}

void jw_val_int(struct jw *w, long long val)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = val < 0 ? 0ULL - (unsigned long long)val : (unsigned long long)val;

	/* two digits at a time from the end: printf's machinery costs more than a reset's decoding */
	for (; u >= 100; u /= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (u % 100), 2);
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	if (val < 0)
		*--p = '-';
	put(w, p, (size_t)(buf + sizeof(buf) - p));
}

void jw_val_bool(struct jw *w, bool val)
{
	if (val)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_val_null(struct jw *w)
{
	put(w, "null", 4);
}
