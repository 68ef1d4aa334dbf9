#!/bin/sh
# The suite on Debian's 6.1 kernel with BTF hidden under a tmpfs and no
# debug info: struct offsets come from self-calibration.
exec "$(dirname "$0")/vm/run.sh" --nobtf 6.1
