// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer targets for every parser of outside input, one per -DFUZZ_*:
 * DECODE (a raw ring-buffer page, decoded and collected as live data),
 * BTF, DWARF (an
 * ELF file), OFFSETS (an --offsets file), OPTIONS (argv, NUL-separated),
 * TEXT (tracefs README, tcp_send_reset's format, per-CPU stats, trace
 * clocks, /proc/net counters), KALLSYMS. Built and run by tests/fuzz.sh.
 * Event formats are parsed by libtraceevent (tep_parse_event), not by us,
 * and only the kernel's own reach it: it crashes on some crafted formats,
 * so it is not a target here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <kbuffer.h>

#include "btf.h"
#include "caps.h"
#include "collect.h"
#include "decode.h"
#include "dwarfoff.h"
#include "ksyms.h"
#include "losses.h"
#include "offsets.h"
#include "options.h"
#include "reader.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a file, for the readers that take a path. */
static const char *as_file(const uint8_t *data, size_t size)
{
	static char path[64];
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/tcprst-fuzz-%d", (int)getpid());
	f = fopen(path, "we");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	return path;
}

/* The input as a NUL-terminated string. */
static char *as_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static struct btf_query queries[] = {
	{ "sock_common", "skc_v6_daddr", false, -1 },
	{ "tcp_sock", "snd_nxt", false, -1 },
	{ "net", "ns", false, -1 },
	{ "tcp_v4_send_reset", "reason", true, -1 },
};
#define NQ (int)(sizeof(queries) / sizeof(queries[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(FUZZ_DECODE)
	static struct tep_handle *tep;
	static struct decoder dec;
	static struct kbuffer *kb;
	static unsigned char page[4096];
	struct collector col;
	long long lost = 0;

	if (!tep) {
		static char group[64];
		FILE *f = fopen(FIXTURES "/6.1/group", "re");

		if (!f || !fgets(group, sizeof(group), f))
			abort();
		fclose(f);
		group[strcspn(group, "\n")] = '\0';
		tep = tep_alloc();
		if (formats_load_recorded(tep, FIXTURES "/6.1", group) < 3 ||
		    decoder_init(&dec, tep, group) < 3)
			abort();
		kb = kbuffer_alloc(KBUFFER_LSIZE_8, KBUFFER_ENDIAN_LITTLE);
	}
	memset(page, 0, sizeof(page));
	memcpy(page, data, size < sizeof(page) ? size : sizeof(page));
	collector_init(&col, &dec, true);
	decode_subbuffer(kb, page, sizeof(page), (int)(size % 2), collector_record, &col, &lost);
	collector_end_cycle(&col, true);
	collector_free(&col);
#elif defined(FUZZ_BTF)
	btf_member_offsets(as_file(data, size), queries, NQ);
#elif defined(FUZZ_DWARF)
	long off, len;

	dwarf_answer(as_file(data, size), queries, NQ);
	elf_btf_section(as_file(data, size), &off, &len);
#elif defined(FUZZ_OFFSETS)
	struct offsets o;

	offsets_init(&o);
	offsets_load(&o, as_file(data, size), true);
#elif defined(FUZZ_OPTIONS)
	char *text = as_text(data, size), *argv[33] = { "tcprst" };
	int argc = 1;
	struct options o;
	char err[256];

	for (char *p = text; argc < 32 && p < text + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	options_parse(argc, argv, &o, err, sizeof(err));
	free(text);
#elif defined(FUZZ_TEXT)
	char *text = as_text(data, size);
	struct caps c;
	struct kcounters k;
	long long ov, dr;

	memset(&c, 0, sizeof(c));
	caps_from_readme(&c, text);
	caps_parse_reasons(&c, text);
	trace_clock_pick(text, size % 2);
	losses_parse_stats(text, &ov, &dr);
	kcounters_parse(text, text, &k);
	free(text);
#elif defined(FUZZ_KALLSYMS)
	const char *path = as_file(data, size);
	struct ksyms *k = ksyms_new(path);
	uint64_t a[3] = { 0xffffffff81000000ull, 0xffffffff81000010ull, 0 };
	char name[128];

	if (k) {
		ksyms_prefetch(k, a, 3);
		for (int i = 0; i < 3; i++)
			ksyms_lookup(k, a[i]);
		ksyms_free(k);
	}
	ksym_find_variant(path, "tcp_v4_send_reset", name, sizeof(name));
#else
#error "build with one -DFUZZ_* (see tests/fuzz.sh)"
#endif
	return 0;
}
