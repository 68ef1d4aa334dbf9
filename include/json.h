/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_JSON_H
#define TCPRST_JSON_H

#include <stdbool.h>
#include <stdio.h>

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
void jw_begin(struct jw *w, FILE *f);
void jw_key(struct jw *w, const char *key, size_t len);
void jw_open(struct jw *w, char c);
void jw_end(struct jw *w, char close);
void jw_val_str(struct jw *w, const char *val);
void jw_val_plain(struct jw *w, const char *val);
void jw_val_int(struct jw *w, long long val);
void jw_val_bool(struct jw *w, bool val);
void jw_val_null(struct jw *w);

/*
 * A member: its key (NULL in an array), then its value. Inline so that a
 * literal key's length is known when compiled, not counted per line.
 */
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
