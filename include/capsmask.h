/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TCPRST_CAPSMASK_H
#define TCPRST_CAPSMASK_H

/* Features TCPRST_MASK can hide (test only). */
enum {
	MASK_TRACEFS = 1u << 0, MASK_DYNAMIC_EVENTS = 1u << 1,
	MASK_ERROR_LOG = 1u << 2, MASK_README = 1u << 3, MASK_COMM = 1u << 4,
	MASK_XTYPE = 1u << 5, MASK_ARGN = 1u << 6, MASK_ARRAY = 1u << 7,
	MASK_BTFARGS = 1u << 8, MASK_INSTANCE_OPTIONS = 1u << 9,
	MASK_TRIGGERS = 1u << 10, MASK_REASON = 1u << 11, MASK_CLOCK = 1u << 12,
};

#endif
