#!/bin/sh
# The side-by-side bench from a fresh clone, in one command: installs the
# build and VM packages (deps.sh), builds (build.sh), then make bench --
# tcprst against bpftrace, bcc, perf-tools and the floor in one boot of
# Debian's 6.1 kernel under QEMU; writes bench/RESULTS.md. Arguments go to
# bench/run.sh (ROUNDS, RESETS). The Debian root file system it boots is
# built once from Debian's packages and cached (bench/mkrootfs.sh).
set -e
here=$(dirname "$0")
"$here/deps.sh"
"$here/build.sh"
cd "$here/.."
if [ $# -gt 0 ]; then
	TCPRST=$PWD/src/tcprst exec bench/run.sh "$@"
fi
exec make -s bench
