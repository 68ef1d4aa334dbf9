// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the static tcprst (configure's default) links in place of dlopen():
 * it is linked with --wrap=dlopen, as libtraceevent's plugin loader refers
 * to dlopen(), which a static glibc offers only with a link-time warning
 * (it would load the shared libraries of the glibc it was built with).
 * tcprst loads no libtraceevent plugin: nothing is ever loaded.
 */
#include <stddef.h>

void *__wrap_dlopen(const char *file, int mode);

/**
 * __wrap_dlopen() - no shared object is loaded into a static tcprst.
 * @file, @mode: ignored
 *
 * Return: NULL, as dlopen() returns for a library it cannot load.
 */
void *__wrap_dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	return NULL;
}
