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
void jw_object(struct jw *w, const char *key);
void jw_array(struct jw *w, const char *key);
void jw_end(struct jw *w, char close);
void jw_str(struct jw *w, const char *key, const char *val);
void jw_int(struct jw *w, const char *key, long long val);
void jw_bool(struct jw *w, const char *key, bool val);
void jw_null(struct jw *w, const char *key);

#endif
