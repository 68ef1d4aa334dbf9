# guest-record.sh: sourced by guest.sh with vmsuite.mode=record. Records the
# raw ring-buffer pages and event formats of one tcprst run over every
# scenario (TCPRST_RECORD_DIR), with the scenarios' expectations, and prints
# them as a base64 tar for contrib/record-fixtures.sh. The recording is kept
# only if tcprst's output agreed with the packet capture of the same run.
# shellcheck shell=sh
mkdir -p $W/rec
cap_start $W/r.cap
if TCPRST_RECORD_DIR=$W/rec tr_start rec --json --stack; then
	gen_all $W/r.exp 20000
	sleep 1
	tr_stop rec INT
	cap_stop
	rst_check "record: tcprst agrees with the capture" $W/r.cap $W/r.exp $W/rec.json
	grep -E '^EXPECT (active|passive) ' $W/r.exp > $W/rec/expected.txt
	uname -r > $W/rec/kernel
	echo "=== fixture"
	tar -C $W/rec -cf - . | gzip -9 | base64
	echo "=== end"
else
	notok "record: tcprst started tracing"
fi
