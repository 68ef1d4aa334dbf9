#!/bin/sh
# The end-to-end suite on Debian's 6.1 cloud kernel under QEMU (tests/vm/README.md).
exec "$(dirname "$0")/vm/run.sh" 6.1
