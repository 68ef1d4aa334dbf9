#!/bin/sh
# Configure and build tcprst in the source tree (once; make is incremental).
set -e
cd "$(dirname "$0")/.."
[ -x configure ] || autoreconf -fi >/dev/null
[ -f Makefile ] || ./configure -q
make -s -j"$(nproc)"
