# guest-demo.sh: sourced by guest.sh with vmsuite.mode=demo. Runs tcprst
# with the arguments of vmsuite.args (commas for spaces), makes the kernel
# send resets with every scenario, and prints tcprst's own output between
# markers for contrib/try.sh.
# shellcheck shell=sh disable=SC2086
if tr_start demo $ARGS; then
	gen_all $W/demo.exp 20000 > /dev/null 2>&1
	sleep 1
	eval "kill -INT \$PID_demo"
	wait_exit "$PID_demo" 20
	ok "demo: tcprst ran (exit $RC)"
else
	notok "demo: tcprst started tracing"
fi
echo "=== tcprst stderr"
cat $W/demo.err
echo "=== tcprst stdout"
cat $W/demo.json
echo "=== end"
