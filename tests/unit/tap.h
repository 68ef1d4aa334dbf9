/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny TAP producer for the unit tests. */
#ifndef TCPRST_TAP_H
#define TCPRST_TAP_H
#include <stdio.h>
#include <string.h>

extern int tap_n, tap_failed;	/* defined once, in test_units.c */

#define ok(cond, ...) do {						\
	int ok_ = !!(cond);	/* evaluated once */			\
	tap_n++;							\
	if (ok_) {							\
		printf("ok %d - ", tap_n);				\
	} else {							\
		tap_failed++;						\
		printf("not ok %d - ", tap_n);				\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!ok_)							\
		printf("#   at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	ok(g_ && !strcmp(g_, w_), __VA_ARGS__);				\
	if (!g_ || strcmp(g_, w_))					\
		printf("#   got  '%s'\n#   want '%s'\n", g_ ? g_ : "(null)", w_); \
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}
#endif
