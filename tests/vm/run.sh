#!/bin/sh
# run.sh [--no-tcprst] KERNEL   (KERNEL: 5.10, 6.1 or 6.12)
# Host side of the VM suite: get the kernel (kernels.sh), build the static
# test programs and the initramfs, boot QEMU (software emulation, bounded by
# a timeout), keep the serial log in $B/log-KERNEL.txt, echo the TAP-like
# lines. Exit 0 only if the guest's final line says "0 failed" with at least
# one pass; 1 otherwise (crash, hang, panic, missing line, build failure).
# Environment:
#   TCPRST               tcprst binary (default: <this dir>/../../src/tcprst)
#   TCPRST_VM_BUILD      build dir (default: <this dir>/build)
#   TCPRST_KERNEL_CACHE  kernel cache (default: ~/.cache/tcprst/kernels)
#   TCPRST_VM_TIMEOUT    seconds before the VM is killed: a hang detector, not a
#                        speed check (default 600, 900 with --dwarf, whose every
#                        run reads DWARF; a suite takes 130-290 s with two VMs
#                        sharing two emulating cores)
#   TCPRST_VM_ACCEL      QEMU accelerator options (default
#                        "-accel tcg,thread=single"; never use KVM here)
#   CC                   compiler for the static test programs (default gcc)
set -u
D=$(cd "$(dirname "$0")" && pwd)
notool=0 mode='' margs='' mask='' debugfs=0 nobtf=0 dwarf=0 nolibs=0 tsc=0
while :; do
	case "${1:-}" in
	--no-tcprst) notool=1; shift ;;
	--mode) mode=$2; shift 2 ;;	# demo or record (see guest-demo.sh, guest-record.sh)
	--args) margs=$2; shift 2 ;;	# tcprst arguments for --mode demo, comma-separated
	--mask) mask=$2; shift 2 ;;	# TCPRST_MASK for every tcprst run in the VM
	--debugfs) debugfs=1; shift ;;	# tracing only through debugfs
	--nobtf) nobtf=1; shift ;;	# BTF hidden under a tmpfs
	--dwarf) dwarf=1; nobtf=1; shift ;;	# BTF hidden, the kernel's DWARF at the debug path
	--nolibs) nolibs=1; shift ;;	# a static tcprst: the initramfs must hold no shared library
	--tsc) tsc=1; shift ;;	# tsc=reliable: the TSC as clocksource, sched_clock stable (as on most hosts)
	*) break ;;
	esac
done
case "${1:-}" in
5.10|6.1|6.12) K=$1 ;;
*) echo "usage: $0 [--no-tcprst] [--mode demo|record|lockdown [--args A,B]] [--mask LIST] [--debugfs] [--nobtf] [--dwarf] [--nolibs] [--tsc] 5.10|6.1|6.12" >&2; exit 2 ;;
esac
B=${TCPRST_VM_BUILD:-$D/build}
TCPRST=${TCPRST:-$D/../../src/tcprst}
die() { echo "run.sh $K: $*" >&2; exit 1; }
mkdir -p "$B" || die "cannot create $B"
# Without the tools the suite cannot run: skipped (77), unless it must run
# (TCPRST_VM_REQUIRED=1, as .ci/run sets), where that is a failure.
for c in qemu-system-x86_64 timeout "${CC:-gcc}" apt-get dpkg-deb flock xz gzip; do
	command -v "$c" > /dev/null && continue
	[ "${TCPRST_VM_REQUIRED:-0}" = 1 ] && die "$c not found (see tests/vm/README.md for the packages)"
	echo "run.sh $K: SKIP: $c not found (contrib/deps.sh installs it; TCPRST_VM_REQUIRED=1 makes this a failure)"
	exit 77
done
start=$(date +%s)

tflag='' append=''
[ -n "$mode" ] && append="vmsuite.mode=$mode${margs:+ vmsuite.args=$margs}"
[ "$mode" = lockdown ] && append="$append lockdown=confidentiality"
[ -n "$mask" ] && append="$append vmsuite.mask=$mask"
[ $debugfs = 1 ] && append="$append vmsuite.debugfs"
[ $nobtf = 1 ] && append="$append vmsuite.nobtf"
# QEMU's TSC is the host's, one counter for every vCPU, but the guest's
# boot-time sync check fails under emulation and it falls back to hpet
[ $tsc = 1 ] && append="$append tsc=reliable"
tag=${mode:+-$mode}${mask:+-mask}; [ $debugfs = 1 ] && tag=$tag-debugfs; [ $nobtf = 1 ] && tag=$tag-nobtf
[ $nolibs = 1 ] && tag=$tag-static
[ $tsc = 1 ] && tag=$tag-tsc
[ $dwarf = 1 ] && tag=$tag-dwarf
if [ $notool = 1 ]; then
	append=vmsuite.notool
else
	[ -f "$TCPRST" ] || die "$TCPRST does not exist: build tcprst first (autoreconf -fi && ./configure && make), or set TCPRST=path"
	tflag="-t $TCPRST"
fi

for p in rstgen rstraw rstcap rstcheck; do
	if [ ! -x "$B/$p" ] ||
	   [ -n "$(find "$D/$p.c" "$D/rstutil.h" -newer "$B/$p")" ]; then
		"${CC:-gcc}" -static -O2 -Wall -Wextra -o "$B/$p.tmp.$$" "$D/$p.c" ||
			die "cannot build $p (needs gcc and libc6-dev for -static)"
		mv -f "$B/$p.tmp.$$" "$B/$p"
	fi
done

kinfo=$("$D/kernels.sh" "$K") || die "cannot get kernel $K"
eval "$kinfo"
initrd=$B/initrd-$K$tag.gz
xflag='' mem=1024 vm_timeout=${TCPRST_VM_TIMEOUT:-600}
if [ $dwarf = 1 ]; then
	# the kernel's own debug vmlinux without its .BTF (so DWARF is used),
	# relocations, symbols and sections DWARF reading does not need: 205 MB
	# of DWARF instead of 590 MB
	dbg=$("$D/dbg-vmlinux.sh" "$K") || die "cannot get the debug vmlinux of $K"
	# (symbols, line tables and aranges stay: source lines need them)
	if [ ! -s "$dbg.dwarf" ] || [ "$dbg" -nt "$dbg.dwarf" ] || [ "$D/run.sh" -nt "$dbg.dwarf" ]; then
		objcopy --only-keep-debug --wildcard -R '.rela.*' -R .BTF \
			-R .BTF_ids -R .debug_loclists -R .debug_frame \
			"$dbg" "$dbg.dwarf.tmp" 2>/dev/null ||
			die "objcopy failed (binutils)"
		mv -f "$dbg.dwarf.tmp" "$dbg.dwarf"
	fi
	xflag="-x $dbg.dwarf:usr/lib/debug/boot/vmlinux-$release"
	mem=2048
	vm_timeout=${TCPRST_VM_TIMEOUT:-900}
fi
# shellcheck disable=SC2086
lflag=''; [ $nolibs = 1 ] && lflag=-L
"$D/mkinitramfs.sh" -o "$initrd" -m "$modules" -p "$B" -g "$D/guest.sh" $tflag $xflag $lflag ||
	die "cannot build the initramfs"
if [ $nolibs = 1 ]; then
	# only iproute2's ip has libraries, in a directory no loader searches
	libs=$(gzip -dc "$initrd" | cpio -t --quiet 2>/dev/null | grep -E '\.so(\.|$)|ld-linux' | grep -v '^\(\./\)\{0,1\}iproute2/')
	[ -z "$libs" ] || die "the initramfs holds shared libraries: $(echo $libs)"
	echo "# run.sh $K: no shared library at any library path; tcprst is $(wc -c < "$TCPRST") bytes, static"
fi

# Single-threaded TCG: with one host thread per vCPU (MTTCG) the guest's
# live kernel-text patching (static keys, ftrace, kprobes) races: we saw
# "Oops: int3" panics on 6.12, at boot and when tcprst disabled its probes.
ACCEL=${TCPRST_VM_ACCEL:--accel tcg,thread=single}
log=$B/log-$K$tag.txt
boot() {
	echo "# run.sh $K: booting $release (log: $log)"
	timeout "$vm_timeout" qemu-system-x86_64 $ACCEL -m $mem -smp 2 -nic none \
		-nographic -no-reboot -display none -kernel "$vmlinuz" \
		-initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1 oops=panic $append" \
		< /dev/null > "$log" 2>&1
	[ $? = 124 ] && echo "# run.sh $K: VM timed out after $vm_timeout s"
}
boot
# A kernel that dies before /init starts did not run any test: seen rarely
# on 6.12 under TCG (an int3 Oops while patching kernel text at boot).
# Retry that case once; a crash after "VMSUITE start" is always a failure.
if ! grep -q '# VMSUITE start' "$log"; then
	mv -f "$log" "$B/log-$K.boot1.txt"
	echo "# run.sh $K: VM died before /init ran (see $B/log-$K.boot1.txt); retrying once"
	boot
fi

tr -d '\r' < "$log" | grep -E '^(ok|not ok) [0-9]+|^# ' || true
crash=$(tr -d '\r' < "$log" | grep -nE 'Kernel panic|Oops|BUG:|WARNING: CPU|general protection fault|Call Trace' | head -n 20)
final=$(tr -d '\r' < "$log" | grep -E '^VMSUITE ' | tail -n 1)
echo "${final:-# run.sh $K: no VMSUITE line (VM crashed or hung); see $log}"
echo "# run.sh $K: $(( $(date +%s) - start )) s"

rc=1
if [ -n "$final" ]; then
	set -- $final
	# VMSUITE <release> <P> passed, <F> failed
	[ "${5:-x}" = 0 ] && [ "${3:-0}" -gt 0 ] 2>/dev/null && rc=0
fi
# source lines the guest printed ("# srcline FUNC+0xOFF FILE:LINE"), against
# binutils on the same debug vmlinux: the line of the call (return address - 1)
if [ $dwarf = 1 ] && [ $rc = 0 ]; then
	[ -s "$dbg.nm" ] && [ "$dbg.nm" -nt "$dbg" ] || nm "$dbg" > "$dbg.nm" 2>/dev/null
	tr -d '\r' < "$log" | sed -n 's/^# srcline //p' > "$B/srclines-$K.txt"
	nsl=0 badsl=0
	while read -r sym line; do
		fn=${sym%%+*} off=${sym#*+}
		base=$(awk -v f="$fn" '$3 == f && ($2 == "T" || $2 == "t") { print $1; exit }' "$dbg.nm")
		[ -n "$base" ] || { echo "# run.sh $K: srcline: $fn not in the symbol table"; badsl=$((badsl + 1)); continue; }
		# dash's arithmetic is signed 64-bit: add to the low 32 bits only
		lo=$((0x${base#????????} + $off - ($off != 0)))
		addr=$(printf '0x%s%08x' "${base%????????}" $lo)
		[ $lo -lt 4294967296 ] || { badsl=$((badsl + 1)); continue; }
		theirs=$(addr2line -e "$dbg" "$addr" | sed 's/ .*//')
		case "$theirs" in
		*/"$line") nsl=$((nsl + 1)) ;;
		*) badsl=$((badsl + 1)); echo "# run.sh $K: srcline $sym: tcprst says $line, addr2line $theirs" ;;
		esac
	done < "$B/srclines-$K.txt"
	echo "# run.sh $K: $nsl callers' source lines agree with addr2line, $badsl do not"
	[ $nsl -gt 0 ] && [ $badsl = 0 ] || rc=1
fi
if [ -n "$crash" ]; then
	echo "# run.sh $K: kernel trouble in the log:"
	echo "$crash" | sed 's/^/#   /'
	rc=1
fi
# Last, as CI shows only a long log's head and tail: under each failed
# check the guest's last diagnostics, then the failed checks' names
tr -d '\r' < "$log" | awk '
	function out() { if (name != "") { print "# recap: " name; for (i = (n > 8 ? n - 7 : 1); i <= n; i++) print "#   " d[i]; names = names "\n# recap: " name } name = ""; n = 0 }
	/^not ok [0-9]+/ { out(); name = $0; next }
	/^(ok [0-9]+|VMSUITE )/ { out(); next }
	name != "" && /^# / { d[++n] = substr($0, 1, 200) }
	END { out(); if (names != "") print substr(names, 2) }'
exit $rc
