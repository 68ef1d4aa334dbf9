// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Offsets from a vmlinux file: the DWARF of a debug vmlinux (libdw), and
 * where its .BTF section lies (libelf), for kernels without
 * /sys/kernel/btf/vmlinux. Same questions as the BTF reader.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <unistd.h>

#include "dwarfoff.h"

/* Byte offset of member @name in struct/union @die, into anonymous members too. */
static long member_offset(Dwarf_Die *die, const char *name, int depth)
{
	Dwarf_Die child, type;
	Dwarf_Attribute a;
	Dwarf_Word loc;

	if (depth > 8 || dwarf_child(die, &child) != 0)
		return -1;
	do {
		const char *n;

		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		loc = 0;
		if (dwarf_attr_integrate(&child, DW_AT_data_member_location, &a))
			dwarf_formudata(&a, &loc);
		n = dwarf_diename(&child);
		if (n && !strcmp(n, name))
			return (long)loc;
		if (!n && dwarf_attr_integrate(&child, DW_AT_type, &a) &&
		    dwarf_formref_die(&a, &type) && dwarf_peel_type(&type, &type) == 0) {
			long sub = member_offset(&type, name, depth + 1);

			if (sub >= 0)
				return (long)loc + sub;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return -1;
}

/* Index of the formal parameter @name of subprogram @die. */
static long param_index(Dwarf_Die *die, const char *name)
{
	Dwarf_Die child;
	long i = 0;

	if (dwarf_child(die, &child) != 0)
		return -1;
	do {
		const char *n;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		n = dwarf_diename(&child);
		if (n && !strcmp(n, name))
			return i;
		i++;
	} while (dwarf_siblingof(&child, &child) == 0);
	return -1;
}

static bool answer_die(Dwarf_Die *die, struct btf_query *q, int n, int *left)
{
	int tag = dwarf_tag(die);
	const char *name;

	if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type && tag != DW_TAG_subprogram)
		return false;
	if (dwarf_hasattr(die, DW_AT_declaration) || !(name = dwarf_diename(die)))
		return false;
	for (int i = 0; i < n; i++) {
		if (q[i].bit_offset >= 0 || strcmp(q[i].type, name) ||
		    q[i].param != (tag == DW_TAG_subprogram))
			continue;
		long v = q[i].param ? param_index(die, q[i].member)
				    : member_offset(die, q[i].member, 0);
		if (v >= 0) {
			/* same units as the BTF reader: bits for members, index for params */
			q[i].bit_offset = q[i].param ? v : v * 8;
			(*left)--;
		}
	}
	return *left == 0;
}

/**
 * dwarf_answer() - answer member and parameter queries from DWARF.
 * @path: a vmlinux with debug info (or any ELF object)
 * @q: the queries, as for btf_member_offsets()
 * @n: their number
 *
 * Scans only the top-level DIEs of each compile unit and stops once every
 * query is answered.
 *
 * Return: number answered, or -errno if the file has no DWARF.
 */
int dwarf_answer(const char *path, struct btf_query *q, int n)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	int fd, left = n;
	Dwarf *dw;

	for (int i = 0; i < n; i++)
		q[i].bit_offset = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		return -ENODATA;
	}
	while (left > 0 && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				if (answer_die(&child, q, n, &left))
					break;
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	return n - left;
}

/**
 * elf_btf_section() - where the .BTF section of an ELF file is.
 * @path: e.g. a vmlinux
 * @offset, @size: file offset and size of .BTF
 *
 * Return: 0, or -ENOENT if there is none, -errno on other errors.
 */
int elf_btf_section(const char *path, long *offset, long *size)
{
	int fd, ret = -ENOENT;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *e;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_getshdrstrndx(e, &shstrndx)) {
		ret = -EINVAL;
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(e, shstrndx, sh.sh_name)))
			continue;
		if (!strcmp(name, ".BTF") && sh.sh_type != SHT_NOBITS) {
			*offset = (long)sh.sh_offset;
			*size = (long)sh.sh_size;
			ret = 0;
			break;
		}
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return ret;
}
