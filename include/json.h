/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_JSON_H
#define TCPRST_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * The one JSON writer: objects and arrays written key by key to a stream,
 * commas handled here. Strings are escaped (control and non-UTF-8 bytes).
 */
struct jw {
	FILE *f;
	int depth;
	bool first[8];
	size_t len;	/* bytes in buf, written when the line ends or buf fills */
	char buf[2048];
};

void json_escape(FILE *f, const char *s);
bool json_plain(const char *s);
void jw_begin(struct jw *w, FILE *f);
void jw_key_slow(struct jw *w, const char *key, size_t len);
void jw_flush(struct jw *w);
void jw_open(struct jw *w, char c);
void jw_end(struct jw *w, char close);
void jw_val_str(struct jw *w, const char *val);
void jw_val_plain(struct jw *w, const char *val);
void jw_val_int(struct jw *w, long long val);
void jw_val_bool(struct jw *w, bool val);
void jw_val_null(struct jw *w);

/**
 * jw_key() - the separator and key of the next member.
 * @w: the writer
 * @key: the key (ours: plain ASCII), NULL in an array
 * @n: its length
 *
 * Inline: a literal key's length and copy are known when compiled.
 */
static inline void jw_key(struct jw *w, const char *key, size_t n)
{
	char *o;

	if (!key || w->len + n + 4 > sizeof(w->buf)) {
		jw_key_slow(w, key, n);
		return;
	}
	o = w->buf + w->len;
	*o = ',';
	o += !w->first[w->depth];
	w->first[w->depth] = false;
	*o++ = '"';
	memcpy(o, key, n);
	o[n] = '"';
	o[n + 1] = ':';
	w->len = (size_t)(o + n + 2 - w->buf);
}

/* A key with its quotes and colon, padded to a block copied whole (jw_keyq()). */
struct jw_keyq {
	char q[24];
	unsigned char n;	/* the bytes of q that are the key */
};
/* (a key longer than 21 characters does not compile) */
#define JW_KEYQ(k) { "\"" k "\":", sizeof(k) + 2 }

/**
 * jw_keyq() - jw_key() for a key made by JW_KEYQ(): one fixed-size copy, not
 * a copy of a length known only at run time (the output table's keys).
 * @w: the writer
 * @k: the key
 */
static inline void jw_keyq(struct jw *w, const struct jw_keyq *k)
{
	char *o;

	if (w->len + sizeof(k->q) + 1 > sizeof(w->buf))
		jw_flush(w);
	o = w->buf + w->len;
	*o = ',';
	o += !w->first[w->depth];
	w->first[w->depth] = false;
	memcpy(o, k->q, sizeof(k->q));
	w->len = (size_t)(o - w->buf) + k->n;
}

/* A string value: copied as it is if @plain (see jw_val_plain(); @val not NULL), else escaped. */
static inline void jw_val_text(struct jw *w, const char *val, bool plain)
{
	if (plain)
		jw_val_plain(w, val);
	else
		jw_val_str(w, val);
}

/* A member: its key (NULL in an array), then its value. */
static inline void jw_key_(struct jw *w, const char *key)
{
	jw_key(w, key, key ? __builtin_strlen(key) : 0);
}

static inline void jw_object(struct jw *w, const char *key) { jw_key_(w, key); jw_open(w, '{'); }
static inline void jw_array(struct jw *w, const char *key) { jw_key_(w, key); jw_open(w, '['); }
static inline void jw_str(struct jw *w, const char *key, const char *val) { jw_key_(w, key); jw_val_str(w, val); }
static inline void jw_int(struct jw *w, const char *key, long long val) { jw_key_(w, key); jw_val_int(w, val); }
static inline void jw_bool(struct jw *w, const char *key, bool val) { jw_key_(w, key); jw_val_bool(w, val); }
static inline void jw_null(struct jw *w, const char *key) { jw_key_(w, key); jw_val_null(w); }

#endif
