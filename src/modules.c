// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Probes on a module's function (nf_reject_ipv4's nf_send_reset): the
 * module may load after a run starts. A kprobe named MOD:SYM on a module
 * not yet loaded is accepted and armed by the kernel when the module
 * loads (and again after a reload); a function built into the kernel has
 * no module to wait for and is probed by its plain name.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "modules.h"

/* modules.builtin lists "kernel/net/ipv4/netfilter/nf_reject_ipv4.ko" per line. */
static int listed_builtin(const char *path, const char *mod)
{
	char line[512], want[128];
	FILE *f = fopen(path, "re");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof(want), "/%s.ko", mod);
	while (!found && fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\n"), w = strlen(want);

		line[n] = '\0';
		found = n >= w && !strcmp(line + n - w, want);
	}
	fclose(f);
	return found;
}

/**
 * module_state() - whether a module is loaded, built in, or neither.
 * @root: "" (or a test tree holding sys/module and lib/modules)
 * @release: the kernel release (uname -r)
 * @mod: the module's name, e.g. "nf_reject_ipv4"
 *
 * Only a loaded module has /sys/module/MOD/initstate; a built-in one is
 * listed in the release's modules.builtin (read only when not loaded).
 */
enum module_state module_state(const char *root, const char *release, const char *mod)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sys/module/%s/initstate", root, mod);
	if (access(path, F_OK) == 0)
		return MODULE_LOADED;
	snprintf(path, sizeof(path), "%s/lib/modules/%s/modules.builtin", root, release);
	return listed_builtin(path, mod) ? MODULE_BUILTIN : MODULE_ABSENT;
}

/**
 * module_state_name() - how --check says it.
 * @st: the state
 */
const char *module_state_name(enum module_state st)
{
	switch (st) {
	case MODULE_LOADED:
		return "loaded";
	case MODULE_BUILTIN:
		return "built in";
	case MODULE_ABSENT:
		break;
	}
	return "not loaded: armed when it loads";
}

/**
 * module_symbol() - the name a kprobe on @sym takes.
 * @mod: its module, NULL for the kernel's own
 * @sym: the function
 * @st: the module's state
 * @buf, @len: output
 */
void module_symbol(const char *mod, const char *sym, enum module_state st, char *buf, size_t len)
{
	if (!mod || st == MODULE_BUILTIN)
		snprintf(buf, len, "%s", sym);
	else
		snprintf(buf, len, "%s:%s", mod, sym);
}

/**
 * module_probe_name() - the name a kprobe on @sym takes on this kernel now.
 * @mod: its module, NULL for the kernel's own
 * @sym: the function
 * @buf, @len: output
 *
 * Return: the module's state (MODULE_BUILTIN for the kernel's own).
 */
enum module_state module_probe_name(const char *mod, const char *sym, char *buf, size_t len)
{
	enum module_state st = MODULE_BUILTIN;
	struct utsname u;

	if (mod && uname(&u) == 0)
		st = module_state("", u.release, mod);
	module_symbol(mod, sym, st, buf, len);
	return st;
}
