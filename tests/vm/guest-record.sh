# guest-record.sh: sourced by guest.sh with vmsuite.mode=record. Records the
# raw ring-buffer pages and event formats of one tcprst run over every
# scenario (TCPRST_RECORD_DIR), with the scenarios' expectations and the
# packet capture (capture.txt), and prints them as a base64 tar for
# contrib/record-fixtures.sh. The recording is kept only if tcprst's output
# agreed with the capture of the same run.
# shellcheck shell=sh
mkdir -p $W/rec
cap_start $W/r.cap
if TCPRST_RECORD_DIR=$W/rec tr_start rec --json --stack; then
	gen_all $W/r.exp 20000
	gen $W/r-slow.exp -b 33000 -s keepalive,memory,abort,overflow,fw2timer,memtimer
	cat $W/r-slow.exp >> $W/r.exp
	sleep 1
	tr_stop rec INT
	cap_stop
	rst_check "record: tcprst agrees with the capture (tuple, kind, cause, seq, ack, flags)" \
		$W/r.cap $W/r.exp $W/rec.json --need-cause --need-seq
	# the wire truth and the scenarios' expectations go with the pages
	grep '^EXPECT ' $W/r.exp > $W/rec/expected.txt
	cp $W/r.cap $W/rec/capture.txt
	uname -r > $W/rec/kernel
	# calibration readings with BTF hidden, and BTF's answer from this boot
	$TCPRST --check | sed -n 's/^offset \([a-z_0-9]*\) *\([0-9]*\) (btf)$/\1 \2/p' > $W/rec/btf.txt
	mount -t tmpfs tmpfs /sys/kernel/btf
	rm -f /run/tcprst/offsets-*
	TCPRST_CALIB_RECORD=$W/rec/calib.txt $TCPRST --check > /dev/null 2>&1
	umount /sys/kernel/btf
	check "record: calibration readings recorded" test -s $W/rec/calib.txt
	echo "=== fixture"
	tar -C $W/rec -cf - . | gzip -9 | base64
	echo "=== end"
else
	notok "record: tcprst started tracing"
fi
