#!/bin/sh
# mkinitramfs.sh -o OUT.gz -m MODULES_DIR -p PROG_DIR -g GUEST_SH [-t TCPRST] [-x SRC:DEST]... [-L]
# Builds the VM's gzip'ed newc cpio:
#   /bin/busybox (static), /init (= GUEST_SH; guest-*.sh next to it go to
#   /tests/), /tests/{rstgen,rstraw,rstcap,rstcheck}
#   (static, from PROG_DIR), /usr/sbin/ip (iproute2, with its libraries),
#   /lib/modules/{veth,inet_diag,tcp_diag}.ko (from MODULES_DIR, decompressed),
#   the netfilter modules under /lib/modules/RELEASE/, iptables, nft and
#   conntrack with their libraries, and optionally
#   /usr/bin/tcprst with every library ldd lists and the dynamic loader,
#   at their original paths.
#   -L: no shared library at any library path: ip's own go to /iproute2
#   and /usr/sbin/ip runs it through its loader (for a static tcprst).
# Needs: busybox-static (its cpio builds the archive), iproute2, gzip, xz-utils,
# iptables, nftables, conntrack.
set -eu
# shellcheck source=tests/vm/files.sh
. "$(cd "$(dirname "$0")" && pwd)/files.sh"

out='' mods='' progs='' guest='' tcprst='' extra='' nolibs=0
while getopts o:m:p:g:t:x:L opt; do
	case $opt in
	o) out=$OPTARG ;; m) mods=$OPTARG ;; p) progs=$OPTARG ;;
	g) guest=$OPTARG ;; t) tcprst=$OPTARG ;;
	x) extra="$extra $OPTARG" ;;	# SRC:DEST, a file to add (e.g. a debug vmlinux)
	L) nolibs=1 ;;
	*) exit 2 ;;
	esac
done
[ -n "$out" ] && [ -n "$mods" ] && [ -n "$progs" ] && [ -n "$guest" ] || {
	echo "usage: $0 -o OUT.gz -m MODULES_DIR -p PROG_DIR -g GUEST_SH [-t TCPRST]" >&2
	exit 2
}
die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }

BB=
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1 && BB=$b && break
done
[ -n "$BB" ] || die "no static busybox (install busybox-static)"
IPBIN=
for b in /usr/sbin/ip /sbin/ip /usr/bin/ip /bin/ip; do
	[ -x "$b" ] && "$b" -V 2>/dev/null | grep -q iproute2 && IPBIN=$b && break
done
[ -n "$IPBIN" ] || die "no iproute2 ip binary (install iproute2)"

S=$(mktemp -d "${TMPDIR:-/tmp}/tcprst-initrd.XXXXXX")
trap 'rm -rf "$S"' EXIT

# copy a dynamically linked binary to DEST plus its libraries and loader
copy_dyn() {
	if ldd "$1" 2>/dev/null | grep -q 'not found'; then
		die "$1: missing libraries: $(ldd "$1" | grep 'not found' | tr -s ' \t\n' ' ')"
	fi
	mkdir -p "$S/${2%/*}"
	cp -L "$1" "$S/$2"
	copy_libs "$1" "$S"
}

mkdir -p "$S/bin" "$S/sbin" "$S/usr/bin" "$S/usr/sbin" "$S/proc" "$S/sys" \
	"$S/dev" "$S/tmp" "$S/run" "$S/var" "$S/etc" "$S/tests" "$S/lib/modules"
cp "$BB" "$S/bin/busybox"
ln -s ../run "$S/var/run"
if [ $nolibs = 1 ]; then
	# ip and its libraries out of every library path; its loader runs it
	mkdir -p "$S/iproute2"
	cp -L "$IPBIN" "$S/iproute2/ip"
	libs_of "$IPBIN" | while read -r lib; do cp -L "$lib" "$S/iproute2/"; done
	ld=$(ldd "$IPBIN" | sed -n 's/^[[:space:]]*\(\/[^ ]*ld-linux[^ ]*\) .*/\1/p')
	printf '#!/bin/sh\nexec /iproute2/%s --library-path /iproute2 /iproute2/ip "$@"\n' "${ld##*/}" > "$S/usr/sbin/ip"
	chmod 755 "$S/usr/sbin/ip"
else
	copy_dyn "$IPBIN" /usr/sbin/ip
fi
for p in rstgen rstraw rstcap rstcheck; do
	[ -x "$progs/$p" ] || die "$progs/$p missing"
	cp "$progs/$p" "$S/tests/$p"
done

# veth for the namespace pair; inet_diag and tcp_diag for SOCK_DESTROY (ss -K)
for m in veth inet_diag tcp_diag; do
	k=$(find "$mods" -name "$m.ko*" | head -n 1)
	[ -n "$k" ] || die "no $m module under $mods"
	ko_copy "$k" "$S/lib/modules/$m.ko" || die "cannot copy $k"
done

# netfilter, for firewall resets: the kernel's own modules at their tree
# paths (busybox depmod/modprobe load them in the guest, with their
# dependencies), iptables (nft and legacy back ends, with the extensions
# they dlopen), nft and conntrack
rel=${mods%/}; rel=${rel##*/}
for d in kernel/net/netfilter kernel/net/ipv4/netfilter kernel/net/ipv6/netfilter \
	kernel/lib/libcrc32c.ko kernel/crypto/crc32c_generic.ko; do
	for k in $(cd "$mods" && find $d* -name '*.ko*' 2>/dev/null); do
		t="$S/lib/modules/$rel/${k%.ko*}.ko"
		mkdir -p "${t%/*}"
		ko_copy "$mods/$k" "$t" || true
	done
done
[ -d "$S/lib/modules/$rel/kernel/net/netfilter" ] || die "no netfilter modules under $mods"
[ -f "$mods/modules.builtin" ] && cp "$mods/modules.builtin" "$S/lib/modules/$rel/"
# (-L keeps every library path empty: no netfilter user space then)
[ $nolibs = 1 ] || for b in xtables-nft-multi xtables-legacy-multi nft conntrack; do
	p=$(command -v "$b" 2>/dev/null || ls /usr/sbin/$b /sbin/$b 2>/dev/null | head -n 1)
	[ -n "$p" ] || die "no $b (install iptables, nftables and conntrack)"
	copy_dyn "$p" "/usr/sbin/$b"
done
if [ $nolibs = 0 ]; then
	for l in iptables ip6tables; do
		ln -s xtables-nft-multi "$S/usr/sbin/$l"
		ln -s xtables-legacy-multi "$S/usr/sbin/$l-legacy"
	done
	xt=$(ls -d /usr/lib/*/xtables 2>/dev/null | head -n 1)
	[ -n "$xt" ] || die "no xtables extensions directory (iptables)"
	mkdir -p "$S$xt" && cp -L "$xt"/*.so "$S$xt/"
	for so in "$xt"/*.so; do	# what the extensions link to, beyond what is there
		copy_libs "$so" "$S" noloader
	done
fi

if [ -n "$tcprst" ]; then
	[ -f "$tcprst" ] || die "$tcprst does not exist"
	if head -c 2 "$tcprst" | grep -q '#!'; then
		die "$tcprst is a script (libtool wrapper?), need the real binary"
	fi
	if [ $nolibs = 1 ]; then
		ldd "$tcprst" > /dev/null 2>&1 && die "$tcprst is not static (-L)"
		cp "$tcprst" "$S/usr/bin/tcprst"
	else
		copy_dyn "$tcprst" /usr/bin/tcprst
	fi
fi

for x in $extra; do
	mkdir -p "$S/$(dirname "${x#*:}")"
	cp "${x%%:*}" "$S/${x#*:}"
done

cp "$guest" "$S/init"
for f in "${guest%/*}"/guest-*.sh; do	# parts sourced by the guest script
	[ -f "$f" ] && cp "$f" "$S/tests/"
done
chmod 755 "$S/init"
(cd "$S" && find . | sort | "$BB" cpio -o -H newc 2>/dev/null) | gzip -1 > "$out.tmp"
mv -f "$out.tmp" "$out"
