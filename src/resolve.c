// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The offsets chain in one place (see resolve.h). Each offset keeps the
 * source it came from; --check shows them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "resolve.h"
#include "srcline.h"

/*
 * No BTF in sysfs: a vmlinux given with --vmlinux, or the debug vmlinux of
 * the running release where distributions install it.
 */
static void from_vmlinux(struct offsets *off, const char *given, struct resolve_result *rr)
{
	char path[512];

	if (given) {
		if (offsets_resolve_vmlinux(off, given) < 0)
			snprintf(rr->problem, sizeof(rr->problem), "%s has neither a .BTF section nor DWARF", given);
		return;
	}
	for (size_t i = 0; offsets_missing(off) && srclines_vmlinux_path(i, path, sizeof(path)); i++)
		if (access(path, R_OK) == 0)
			offsets_resolve_vmlinux(off, path);
}

/**
 * resolve_boot_file() - the path of a file kept for this boot (root only;
 * /run is emptied at boot).
 * @what: "offsets", "ksyms"
 * @path, @len: /run/tcprst/<what>-<release>, or "" when there is none
 */
void resolve_boot_file(const char *what, char *path, size_t len)
{
	struct utsname u;

	path[0] = '\0';
	if (geteuid() || access("/run", W_OK) || uname(&u))
		return;
	snprintf(path, len, "/run/tcprst/%s-%s", what, u.release);
}

/* Whether any offset is still wanted: of the tuple, of evidence, a parameter. */
static bool still_asked(const struct offsets *off)
{
	if (offsets_missing(off) || offsets_evidence_missing(off))
		return true;
	for (int i = 0; i < off->n; i++)
		if (off->e[i].param && off->e[i].value == -1)
			return true;
	return false;
}

/**
 * resolve_offsets() - every source of the chain that needs no probe.
 * @off: the table, initialised
 * @ro: what the user gave and what the kernel passes
 * @rr: what happened (file entries read, the cache path, a problem)
 */
void resolve_offsets(struct offsets *off, const struct resolve_opts *ro,
		     struct resolve_result *rr)
{
	memset(rr, 0, sizeof(*rr));
	if (!ro->reason_arg)
		offsets_skip_params(off);
	rr->file_loaded = ro->file ? offsets_load(off, ro->file, false) : -ENOENT;
	/*
	 * What BTF, debug info or calibration answered is kept for this boot:
	 * calibration makes real resets (in a private network namespace) that
	 * other tcprst runs would see, and on 6.1 reading BTF takes some 1350
	 * read() calls of a page each (sysfs gives no more per call), the
	 * costliest part of a start. Answered already: reuse, read no BTF,
	 * make no new resets.
	 */
	resolve_boot_file("offsets", rr->cache, sizeof(rr->cache));
	if (rr->cache[0])
		offsets_load(off, rr->cache, true);
	if (geteuid() == 0 && still_asked(off))
		offsets_resolve_btf(off, "/sys/kernel/btf/vmlinux");
	if (offsets_missing(off) || offsets_evidence_missing(off))
		from_vmlinux(off, ro->vmlinux, rr);
}

/**
 * resolve_keep() - after calibration: save to --offsets FILE if it did not
 * exist yet, and keep what the kernel's BTF, its debug info or calibration
 * answered for the boot (not what a user's --offsets file said).
 * @off: the resolved table
 * @ro, @rr: as for resolve_offsets()
 * @err, @len: a sentence if the file could not be written, else ""
 */
void resolve_keep(const struct offsets *off, const struct resolve_opts *ro,
		  const struct resolve_result *rr, char *err, size_t len)
{
	bool found = false, users = false;

	err[0] = '\0';
	if (ro->file && rr->file_loaded == -ENOENT && offsets_save(off, ro->file))
		snprintf(err, len, "cannot save offsets to %s", ro->file);
	for (int i = 0; i < off->n; i++) {
		enum offset_source s = off->e[i].source;

		found |= s == OFF_CALIBRATED || s == OFF_BTF || s == OFF_VMLINUX_BTF || s == OFF_DWARF;
		users |= s == OFF_FILE;
	}
	if (!rr->cache[0] || !found || users || access(rr->cache, F_OK) == 0)
		return;
	mkdir("/run/tcprst", 0700);
	offsets_save(off, rr->cache);
}
