/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_DWARFOFF_H
#define TCPRST_DWARFOFF_H

#include "btf.h"

int dwarf_answer(const char *path, struct btf_query *q, int n);
int elf_btf_section(const char *path, long *offset, long *size);

#endif
