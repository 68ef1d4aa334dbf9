#!/bin/sh
# The suite on Debian's 6.1 kernel with tracing reachable only through debugfs.
exec "$(dirname "$0")/vm/run.sh" --debugfs --mask tracefs 6.1
