# guest-lockdown.sh: sourced by guest.sh with vmsuite.mode=lockdown (the
# kernel booted with lockdown=confidentiality): tcprst must say that
# lockdown is what stops it, exit 1, and leave the mounts as it found them.
# shellcheck shell=sh
mounts() { grep -cE ' (tracefs|debugfs|securityfs) ' /proc/mounts; }
before=$(mounts)
$TCPRST --json > $W/ld.out 2> $W/ld.err
RC=$?
diag $W/ld.err
check "lockdown: exit 1 (got $RC)" [ $RC = 1 ]
check "lockdown: one line saying the kernel is locked down" \
	sh -c "[ \$(grep -c . $W/ld.err) = 1 ] && grep -q 'locked down (confidentiality)' $W/ld.err"
check "lockdown: nothing on stdout" [ ! -s $W/ld.out ]
check "lockdown: tracefs/debugfs/securityfs mounts as before" [ "$(mounts)" = "$before" ]
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
check "lockdown: the kernel really is in confidentiality mode" \
	grep -q '\[confidentiality\]' /sys/kernel/security/lockdown
