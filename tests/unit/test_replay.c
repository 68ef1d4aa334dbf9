// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until recorded fixtures exist. */
void test_replay(void);
void test_replay(void) {}
