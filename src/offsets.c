// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Struct offsets the probes need beyond the stable head of sock_common.
 * Each remembers its source. Resolved from BTF here; other resolvers
 * (DWARF, calibration, a saved file) plug into the same table.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "dwarfoff.h"
#include "offsets.h"

#define TUPLE(n, t, m)	{ n, t, m, false, -1, OFF_NONE, false, false, NULL, NULL }
#define ALT(n, t, m)	{ n, t, m, false, -1, OFF_NONE, false, true, NULL, NULL }
#define PARAM(f)	{ f ":reason", f, "reason", true, -1, OFF_NONE, false, false, NULL, NULL }
#define EVID(n, t, m)	{ n, t, m, false, -1, OFF_NONE, true, false, NULL, NULL }

static const struct offset_entry wanted[] = {
	TUPLE("inet_sport",       "inet_sock",   "inet_sport"),
	TUPLE("skc_v6_daddr",     "sock_common", "skc_v6_daddr"),
	TUPLE("skc_v6_rcv_saddr", "sock_common", "skc_v6_rcv_saddr"),
	TUPLE("skb_data",         "sk_buff",     "data"),
	/* before 3.13 (upstream) the IPv6 addresses live in struct ipv6_pinfo */
	ALT("inet_pinet6",        "inet_sock",   "pinet6"),
	ALT("pinfo_rcv_saddr",    "ipv6_pinfo",  "rcv_saddr"),
	ALT("pinfo_daddr",        "ipv6_pinfo",  "daddr"),
	/* where enum sk_rst_reason is passed (6.10+): not the same slot everywhere */
	PARAM("tcp_send_active_reset"),
	PARAM("tcp_v4_send_reset"),
	PARAM("tcp_v6_send_reset"),
	/* the RST's seq and ack, and the evidence of causes */
	EVID("tcp_snd_nxt",       "tcp_sock",    "snd_nxt"),
	EVID("tcp_snd_una",       "tcp_sock",    "snd_una"),
	EVID("tcp_snd_wnd",       "tcp_sock",    "snd_wnd"),
	EVID("tcp_rcv_nxt",       "tcp_sock",    "rcv_nxt"),
	EVID("tcp_copied_seq",    "tcp_sock",    "copied_seq"),
	EVID("tcp_linger2",       "tcp_sock",    "linger2"),
	EVID("sk_lingertime",     "sock",        "sk_lingertime"),
	EVID("sk_receive_queue",  "sock",        "sk_receive_queue"),
	/* the network namespace: the socket's, or the receiving device's (3.19+: ns.inum) */
	EVID("skc_net",           "sock_common", "skc_net"),
	EVID("skb_dev",           "sk_buff",     "dev"),
	EVID("nd_net",            "net_device",  "nd_net"),
	EVID("net_ns",            "net",         "ns"),
	EVID("ns_inum",           "ns_common",   "inum"),
	/* the socket's inode, to name the process that owns it */
	EVID("sk_socket",         "sock",        "sk_socket"),
	EVID("salloc_inode",      "socket_alloc", "vfs_inode"),
	EVID("inode_ino",         "inode",       "i_ino"),
	EVID("socket_file",       "socket",      "file"),
	/* conntrack of the segment a passive reset answers (4.11+: _nfct) */
	EVID("skb_nfct",          "sk_buff",     "_nfct"),
	EVID("ct_status",         "nf_conn",     "status"),
	EVID("ct_tuplehash",      "nf_conn",     "tuplehash"),
	EVID("th_tuple",          "nf_conntrack_tuple_hash", "tuple"),
	EVID("tuple_dst",         "nf_conntrack_tuple", "dst"),
	/* sk_flags moved into sock_common in 4.14 */
	{ "sk_flags", "sock_common", "skc_flags", false, -1, OFF_NONE, true, false, "sock", "sk_flags" },
};

/**
 * offsets_init() - the table of wanted offsets, all unknown.
 * @off: the table
 */
static_assert(sizeof(wanted) / sizeof(wanted[0]) <= OFFSETS_MAX, "OFFSETS_MAX must hold the table");

void offsets_init(struct offsets *off)
{
	off->n = sizeof(wanted) / sizeof(wanted[0]);
	memcpy(off->e, wanted, sizeof(wanted));
}

static struct offset_entry *find(const struct offsets *off, const char *name)
{
	for (int i = 0; i < off->n; i++)
		if (!strcmp(off->e[i].name, name))
			return (struct offset_entry *)&off->e[i];
	return NULL;
}

/**
 * offsets_get() - an offset in bytes by placeholder name.
 * @off: the table
 * @name: e.g. "inet_sport"
 *
 * Return: the offset, or -1 if unknown.
 */
int offsets_get(const struct offsets *off, const char *name)
{
	const struct offset_entry *e = find(off, name);

	return e ? e->value : -1;
}

/**
 * offsets_set() - set an offset and its source.
 * @off: the table
 * @name: placeholder name
 * @value: bytes
 * @src: where it came from
 *
 * Return: 0, or -ENOENT for an unknown name.
 */
int offsets_set(struct offsets *off, const char *name, int value,
		enum offset_source src)
{
	struct offset_entry *e = find(off, name);

	if (!e)
		return -ENOENT;
	e->value = value;
	e->source = src;
	return 0;
}

typedef int (*answer_fn)(const char *path, long base, struct btf_query *q, int n);

/*
 * Ask @fn for every unknown offset (and where an entry has one, its older
 * home too); fill what it answers with @src.
 */
static int resolve_with(struct offsets *off, answer_fn fn, const char *path, long base,
			enum offset_source src)
{
	struct btf_query q[2 * OFFSETS_MAX];
	int idx[2 * OFFSETS_MAX];
	int n = 0, r;

	for (int i = 0; i < off->n; i++) {
		const struct offset_entry *e = &off->e[i];

		if (e->value != -1)	/* known, or not asked (-2) */
			continue;
		q[n] = (struct btf_query){ e->type, e->member, e->param, -1 };
		idx[n++] = i;
		if (e->alt_type) {
			q[n] = (struct btf_query){ e->alt_type, e->alt_member, e->param, -1 };
			idx[n++] = i;
		}
	}
	if (!n)
		return 0;
	r = fn(path, base, q, n);
	if (r < 0)
		return r;
	for (int k = 0; k < n; k++) {
		struct offset_entry *e = &off->e[idx[k]];

		if (e->value >= 0 || q[k].bit_offset < 0 || (!q[k].param && q[k].bit_offset % 8))
			continue;
		e->value = (int)(q[k].param ? q[k].bit_offset : q[k].bit_offset / 8);
		e->source = src;
	}
	return offsets_missing(off);
}

static int dwarf_fn(const char *path, long base, struct btf_query *q, int n)
{
	(void)base;
	return dwarf_answer(path, q, n);
}

/**
 * offsets_resolve_btf() - fill unknown offsets from a BTF file.
 * @off: the table
 * @btf_path: raw BTF, e.g. /sys/kernel/btf/vmlinux
 *
 * Return: number of struct offsets still unknown, or a negative errno if
 * the BTF cannot be read.
 */
int offsets_resolve_btf(struct offsets *off, const char *btf_path)
{
	return resolve_with(off, btf_member_offsets_at, btf_path, 0, OFF_BTF);
}

/**
 * offsets_resolve_vmlinux() - fill unknown offsets from a vmlinux file:
 * its .BTF section if it has one (libelf), then its DWARF (libdw).
 * @off: the table
 * @path: the vmlinux (a debug vmlinux for DWARF)
 *
 * Return: number of struct offsets still unknown, or a negative errno if
 * the file has neither.
 */
int offsets_resolve_vmlinux(struct offsets *off, const char *path)
{
	long base, size;
	int r = -ENOENT;

	if (elf_btf_section(path, &base, &size) == 0)
		r = resolve_with(off, btf_member_offsets_at, path, base, OFF_VMLINUX_BTF);
	if (r != 0) {
		int d = resolve_with(off, dwarf_fn, path, 0, OFF_DWARF);

		if (d >= 0 || r < 0)
			r = d;
	}
	return r;
}

/**
 * offset_source_name() - a word for an offset's source.
 * @s: the source
 *
 * Return: a static string.
 */
const char *offset_source_name(enum offset_source s)
{
	switch (s) {
	case OFF_BTF: return "btf";
	case OFF_FIXED: return "fixed";
	case OFF_CALIBRATED: return "calibration";
	case OFF_VMLINUX_BTF: return "vmlinux-btf";
	case OFF_DWARF: return "dwarf";
	case OFF_FILE: return "file";
	default: return "unknown";
	}
}

/**
 * offsets_missing() - how many offsets of the tuple are unknown (parameters
 * of functions that may not have them, and the evidence of causes, which
 * no calibration finds, are not counted).
 * @off: the table
 */
int offsets_missing(const struct offsets *off)
{
	int n = 0;

	for (int i = 0; i < off->n; i++) {
		const struct offset_entry *e = &off->e[i];

		if (e->param || e->evidence || e->alt || e->value >= 0 || offsets_unneeded(off, e))
			continue;
		n++;
	}
	return n;
}

/**
 * offsets_unneeded() - why an unknown offset is not needed, or NULL.
 * @off: the table
 * @e: one of its entries
 *
 * A socket's IPv6 addresses have one home per kernel: sock_common (3.13+,
 * RHEL 7) or struct ipv6_pinfo behind inet_sk(sk)->pinet6 (older).
 */
const char *offsets_unneeded(const struct offsets *off, const struct offset_entry *e)
{
	if (e->value >= 0)
		return NULL;
	if (e->value == -2)
		return "not needed";
	if (e->alt && offsets_get(off, "skc_v6_daddr") >= 0 && offsets_get(off, "skc_v6_rcv_saddr") >= 0)
		return "not needed (the IPv6 addresses are in sock_common)";
	if (!strncmp(e->name, "skc_v6_", 7) && offsets_get(off, "inet_pinet6") >= 0 &&
	    offsets_get(off, "pinfo_rcv_saddr") >= 0 && offsets_get(off, "pinfo_daddr") >= 0)
		return "not needed (the IPv6 addresses are behind inet_pinet6)";
	return NULL;
}

/**
 * offsets_evidence_missing() - how many offsets of the evidence of causes
 * and of the RST's seq/ack are unknown.
 * @off: the table
 */
int offsets_evidence_missing(const struct offsets *off)
{
	int n = 0;

	for (int i = 0; i < off->n; i++)
		n += off->e[i].evidence && off->e[i].value < 0;
	return n;
}

/**
 * offsets_load() - read "name value # source" lines saved by offsets_save().
 * @off: the table; only unknown entries are filled
 * @path: the file
 * @keep_source: take the source written in the file (our own cache), else
 *               mark them OFF_FILE (a file the user gave)
 *
 * Return: entries read, or -errno (-ENOENT: no file yet).
 */
int offsets_load(struct offsets *off, const char *path, bool keep_source)
{
	char line[256], name[96], src[32];
	int v, n = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		enum offset_source os = OFF_FILE;

		src[0] = '\0';
		if (line[0] == '#' || sscanf(line, "%95s %d # %31s", name, &v, src) < 2 || v < 0 ||
		    offsets_get(off, name) >= 0)
			continue;
		for (enum offset_source k = OFF_BTF; keep_source && k <= OFF_DWARF; k++)
			if (!strcmp(src, offset_source_name(k)))
				os = k;
		if (offsets_set(off, name, v, os) == 0)
			n++;
	}
	fclose(f);
	return n;
}

/**
 * offsets_save() - write the known offsets, with their sources as comments.
 * @off: the table
 * @path: the file
 *
 * Return: 0 or -errno.
 */
int offsets_save(const struct offsets *off, const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "# tcprst offsets: name value (source); reuse with --offsets\n");
	for (int i = 0; i < off->n; i++)
		if (off->e[i].value >= 0)
			fprintf(f, "%s %d # %s\n", off->e[i].name, off->e[i].value,
				offset_source_name(off->e[i].source));
	return fclose(f) ? -errno : 0;
}

/**
 * offsets_skip_params() - do not ask for function parameters: the kernel
 * passes no reset reason, so no resolver could answer (and DWARF would be
 * scanned to its end looking).
 * @off: the table
 */
void offsets_skip_params(struct offsets *off)
{
	for (int i = 0; i < off->n; i++)
		if (off->e[i].param && off->e[i].value < 0)
			off->e[i].value = -2;
}
