#!/bin/sh
# run.sh [ROUNDS [RESETS]] -- the side-by-side bench (make bench): tcprst
# against bpftrace, bcc's trace, perf-tools' kprobe (the ftrace text pipe)
# and the floor (one instance, one probe), in one boot of Debian's 6.1 cloud
# kernel under QEMU (software emulation). The root file system is Debian
# bookworm's packages (mkrootfs.sh, cached); tcprst, tcprst-dynamic (the
# tree linked against the shared libraries), floor, floor-static, benchrun
# and rstraw go on top; bench/guest-bench.sh is /init. The serial log is kept in
# $B/bench-log.txt; report.sh turns it into bench/RESULTS.md (ROUNDS
# defaults to 5, RESETS per burst to 2000). The kernel boots with
# tsc=reliable: QEMU's TSC is the host's, but the guest's boot-time sync
# check fails under emulation and would leave it on hpet; most hosts run
# on the TSC (the tcprst-mono row switches to hpet for its runs). QEMU runs
# each vCPU in a host thread of its own (tcg,thread=multi): with one thread
# for both (the test suite's thread=single, two VMs sharing two cores) the
# vCPUs take turns while the guest clock runs on, and a task is charged the
# other vCPU's turns; the control row of the report measures which it is.
# Environment: TCPRST (default src/tcprst), TCPRST_BENCH_BUILD (default
# bench/build), TCPRST_BENCH_OUT (default bench/RESULTS.md), CC, and
# TCPRST_BENCH_ACCEL (default "-accel tcg,thread=multi"), TCPRST_BENCH_ARGS: more for the kernel command line (bench.only=T1,T2 runs
# only those tools; bench.strace adds a burst under strace -c per tool
# (bench.reads with it: one more, its reads counted by file);
# bench.record keeps a burst's raw pages in $B/storm-rec for a replay;
# bench.armtrace prints where tcprst's start goes: TCPRST_TIMING and strace).
set -eu
D=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${1:-5} RESETS=${2:-2000}
B=${TCPRST_BENCH_BUILD:-$D/build}
TCPRST=${TCPRST:-$D/../src/tcprst}
OUT=${TCPRST_BENCH_OUT:-$D/RESULTS.md}
die() { echo "bench: $*" >&2; exit 1; }
# shellcheck source=tests/vm/files.sh
. "$D/../tests/vm/files.sh"
for c in qemu-system-x86_64 timeout "${CC:-gcc}" apt-get dpkg-deb ldconfig flock busybox pkg-config; do
	command -v "$c" > /dev/null || die "$c not found (contrib/deps.sh installs what the VM suite needs)"
done
[ -f "$TCPRST" ] && ! head -c 2 "$TCPRST" | grep -q '#!' ||
	die "$TCPRST is not a built tcprst (autoreconf -fi && ./configure && make)"
mkdir -p "$B"

eval "$("$D/../tests/vm/kernels.sh" 6.1)" || die "cannot get the 6.1 kernel"
rootfs=$("$D/mkrootfs.sh" "$release") || die "cannot build the root file system"

S=$B/overlay
rm -rf "$S"
mkdir -p "$S/usr/local/bin" "$S/bin" "$S/lib/modules/bench"
"${CC:-gcc}" -static -O2 -Wall -Wextra -o "$S/usr/local/bin/benchrun" "$D/benchrun.c"
"${CC:-gcc}" -static -O2 -Wall -Wextra -o "$S/usr/local/bin/rstraw" "$D/../tests/vm/rstraw.c"
"${CC:-gcc}" -static -O2 -Wall -Wextra -o "$S/usr/local/bin/control" "$D/control.c"
# shellcheck disable=SC2046
"${CC:-gcc}" -O2 -Wall -Wextra $(pkg-config --cflags libtracefs) -o "$S/usr/local/bin/floor" \
	"$D/floor.c" $(pkg-config --libs libtracefs)
# linked as the static tcprst is (src/static.c: a dlopen() that loads nothing)
# shellcheck disable=SC2046
"${CC:-gcc}" -static -Wl,--wrap=dlopen -O2 -Wall -Wextra $(pkg-config --cflags libtracefs) \
	-o "$S/usr/local/bin/floor-static" "$D/floor.c" "$D/../src/static.c" $(pkg-config --static --libs libtracefs)
cp "$TCPRST" "$S/usr/local/bin/tcprst"
# tcprst-dynamic: the same tree linked against the shared libraries (tcprst
# is static by default): $TCPRST itself if it is dynamic
if readelf -d "$TCPRST" 2>&1 | grep -q NEEDED; then
	cp "$TCPRST" "$S/usr/local/bin/tcprst-dynamic"
else
	rm -rf "$B/dynamic" && mkdir -p "$B/dynamic"
	{ ${MAKE:-make} -s -C "$D/.." distdir distdir="$B/dynamic/src" &&
		(cd "$B/dynamic/src" && ./configure -q --disable-static-binary && ${MAKE:-make} -s src/tcprst); } \
		> "$B/dynamic/log" 2>&1 || { tail -n 20 "$B/dynamic/log" >&2; die "cannot build a dynamic tcprst"; }
	cp "$B/dynamic/src/src/tcprst" "$S/usr/local/bin/tcprst-dynamic"
fi
# their libraries, at the paths the loader looks at (the rootfs is the same
# Debian suite; these win over its copies if any)
for b in "$S/usr/local/bin/tcprst-dynamic" "$S/usr/local/bin/floor"; do
	copy_libs "$b" "$S" noloader
done
cp "$(command -v busybox)" "$S/bin/busybox"
cp "$D/guest-bench.sh" "$S/init"
chmod 755 "$S/init"
for m in kernel/crypto/crc32c_generic kernel/lib/libcrc32c kernel/net/netfilter/nfnetlink \
	kernel/net/netfilter/nf_tables; do
	k=$(ls "$modules/$m".ko* 2>/dev/null | head -n 1)
	[ -z "$k" ] || ko_copy "$k" "$S/lib/modules/bench/${m##*/}.ko"
done
# the kernel unpacks concatenated cpio archives in order: the overlay last
(cd "$S" && find . | sort | busybox cpio -o -H newc 2>/dev/null) > "$B/overlay.cpio"
cat "$rootfs" "$B/overlay.cpio" > "$B/initrd"

log=$B/bench-log.txt
ACCEL=${TCPRST_BENCH_ACCEL:--accel tcg,thread=multi}
[ "$(nproc)" -ge 2 ] ||
	echo "bench: WARNING: one host CPU: the two vCPUs take turns, CPU on two vCPUs is overcharged" >&2
echo "bench: booting $release with $(($(wc -c < "$B/initrd") >> 20)) MiB of initramfs, $ROUNDS rounds of $RESETS resets (log: $log)"
timeout 3600 qemu-system-x86_64 $ACCEL -m 4096 -smp 2 \
	-nic none -nographic -no-reboot -display none -kernel "$vmlinuz" -initrd "$B/initrd" \
	-append "console=ttyS0 quiet panic=-1 oops=panic tsc=reliable bench.rounds=$ROUNDS bench.resets=$RESETS ${TCPRST_BENCH_ARGS:-}" \
	< /dev/null > "$log" 2>&1 || true
rm -f "$B/initrd"
if grep -q '^=== record' "$log"; then
	rm -rf "$B/storm-rec" && mkdir -p "$B/storm-rec"
	tr -d '\r' < "$log" | sed -n '/^=== record/,/^=== end/p' | sed '1d;$d' | base64 -d |
		tar -xzf - -C "$B/storm-rec" && echo "bench: the burst's pages are in $B/storm-rec (TCPRST_REPLAY=$B/storm-rec/)"
fi
grep -q '^BENCHDONE' "$log" || { tail -n 30 "$log" >&2; die "the VM did not finish (see $log)"; }
"$D/report.sh" "$log" "$(date -u +%Y-%m-%d)" "$ACCEL" > "$OUT.tmp" && mv -f "$OUT.tmp" "$OUT"
cat "$OUT"
