#!/bin/sh
# The suite on Debian's 5.10 kernel with tracing reachable only through debugfs.
exec "$(dirname "$0")/vm/run.sh" --debugfs --mask tracefs 5.10
