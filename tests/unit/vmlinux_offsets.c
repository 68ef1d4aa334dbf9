// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmlinux_offsets VMLINUX: the offsets tcprst needs, from the .BTF section
 * (libelf + the BTF reader) and from the DWARF (libdw) of the same debug
 * vmlinux. Two independent encodings of one build must agree. TAP output.
 */
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "dwarfoff.h"
#include "offsets.h"
#include "tap.h"

int tap_n, tap_failed;

int main(int argc, char **argv)
{
	struct btf_query qb[OFFSETS_MAX], qd[OFFSETS_MAX];
	struct offsets off;
	long base, size;
	int n;

	if (argc != 2) {
		fprintf(stderr, "usage: vmlinux_offsets VMLINUX\n");
		return 2;
	}
	offsets_init(&off);
	n = off.n;
	for (int i = 0; i < n; i++) {
		qb[i] = (struct btf_query){ off.e[i].type, off.e[i].member, off.e[i].param, -1 };
		qd[i] = qb[i];
	}
	ok(elf_btf_section(argv[1], &base, &size) == 0 && size > 1000000,
	   ".BTF section found (%ld bytes at %ld)", size, base);
	ok(btf_member_offsets_at(argv[1], base, qb, n) >= 4, "the .BTF section answers");
	ok(dwarf_answer(argv[1], qd, n) >= 4, "the DWARF answers");
	for (int i = 0; i < n; i++) {
		long b = qb[i].bit_offset, d = qd[i].bit_offset;

		if (off.e[i].param)
			ok(b == d, "%s: parameter %ld in BTF, %ld in DWARF", off.e[i].name, b, d);
		else if (off.e[i].alt)	/* another layout's home: may be absent in both */
			ok(b == d, "%s: %ld bytes in BTF and %ld in DWARF (-1: absent)",
			   off.e[i].name, b < 0 ? -1 : b / 8, d < 0 ? -1 : d / 8);
		else
			ok(b >= 0 && b == d, "%s: %ld bytes in BTF and %ld in DWARF", off.e[i].name,
			   b / 8, d / 8);
	}
	/* the chain tcprst uses on a host without sysfs BTF: .BTF first */
	ok(offsets_resolve_vmlinux(&off, argv[1]) == 0 && off.e[0].source == OFF_VMLINUX_BTF,
	   "offsets_resolve_vmlinux() takes the .BTF section first");
	return tap_done();
}
