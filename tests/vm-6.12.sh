#!/bin/sh
# The end-to-end suite on Debian's 6.12 cloud kernel under QEMU (tests/vm/README.md),
# booted with tsc=reliable: the TSC as clocksource, so tcprst keeps its
# instance's default local trace clock (5.10 and 6.1 run on hpet: mono).
exec "$(dirname "$0")/vm/run.sh" --tsc 6.12
