/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_MODULES_H
#define TCPRST_MODULES_H

#include <stddef.h>

/* Where a probed function of a module is, when a run starts. */
enum module_state {
	MODULE_LOADED,		/* a loaded module: probe MOD:SYM */
	MODULE_BUILTIN,		/* built into the kernel: probe SYM */
	MODULE_ABSENT,		/* not loaded: MOD:SYM arms when it loads */
};

enum module_state module_state(const char *root, const char *release, const char *mod);
const char *module_state_name(enum module_state st);
enum module_state module_probe_name(const char *mod, const char *sym, char *buf, size_t len);
void module_symbol(const char *mod, const char *sym, enum module_state st, char *buf, size_t len);

#endif
