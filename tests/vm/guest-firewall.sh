# guest-firewall.sh: resets a firewall sends (REJECT --reject-with
# tcp-reset, nft reject with tcp reset), sourced by guest.sh. TCP never
# sees them: tcprst probes nf_send_reset{,6} in nf_reject_ipv4/6, modules
# not loaded when the first run starts (the probes arm when they load).

if ! command -v iptables > /dev/null; then
	# the static-binary image has no shared library, so no iptables/nft
	ok "firewall: # SKIP no iptables or nft in this image (static-binary suite)"
	return 0
fi
# the kernel loads modules through busybox's modprobe, with the tree's depmod
echo /bin/modprobe > /proc/sys/kernel/modprobe
depmod 2> /dev/null
fw_loaded=$(grep -c '^nf_reject_ipv' /proc/modules)
$TCPRST --check > $W/fw-check0.txt 2>&1
grep -q '^probe firewall4 *nf_reject_ipv4:nf_send_reset (not loaded: armed when it loads)' $W/fw-check0.txt &&
	fw_said=1 || fw_said=0
check "firewall: before the modules load ($fw_loaded loaded), --check says the probe arms when nf_reject_ipv4 loads ($fw_said)" \
	[ "$fw_loaded" = 0 -a $fw_said = 1 ]

# closedport's ports (rstgen -P): lo4, lo6, lom in our namespace
# (iptables, ip6tables: the nft back end), veth4/6/m in the peer namespace
# (nft reject: the server side lives there)
FWB=39000
fwp() { rstgen -b $FWB -P closedport:$1; }
fw_rules() {
	for m in nf_tables nft_compat xt_tcpudp ipt_REJECT ip6t_REJECT nft_reject_inet; do
		modprobe $m || echo "# modprobe $m failed"
	done
	iptables -I INPUT -p tcp --dport "$(fwp lo4)" -j REJECT --reject-with tcp-reset &&
	iptables -I INPUT -p tcp --dport "$(fwp lom)" -j REJECT --reject-with tcp-reset &&
	ip6tables -I INPUT -p tcp --dport "$(fwp lo6)" -j REJECT --reject-with tcp-reset &&
	$IP netns exec peer nft add table inet tcprst_fw &&
	$IP netns exec peer nft add chain inet tcprst_fw in '{ type filter hook input priority 0; }' &&
	$IP netns exec peer nft add rule inet tcprst_fw in tcp dport "{ $(fwp veth4), $(fwp veth6), $(fwp vethm) }" \
		reject with tcp reset
}
# rstgen expects TCP's no-socket resets there: the firewall's come instead
fw_expect() {
	sed 's/^EXPECT passive \(.*\) no-socket$/EXPECT firewall \1 firewall-reject/' $1 > $1.fw
}

cap_start $W/fw.cap
if tr_start fw --json; then
	fw_rules > $W/fw-rules.err 2>&1
	check "firewall: rules loaded (iptables, ip6tables, nft in the peer namespace)" [ $? = 0 ]
	diag $W/fw-rules.err
	$TCPRST --check > $W/fw-check1.txt 2>&1
	grep -q '^probe firewall6 *nf_reject_ipv6:nf_send_reset6 (loaded)' $W/fw-check1.txt && fw_said=1 || fw_said=0
	check "firewall: once loaded, --check says so ($fw_said)" [ $fw_said = 1 ]
	gen $W/fw.exp -b $FWB -s closedport
	sleep 1
	tr_stop fw INT
	cap_stop
	fw_expect $W/fw.exp
	rst_check "firewall: every wire RST (6 variants) reported as kind firewall, cause firewall-reject, tuple as on the wire, with its seq and ack" \
		$W/fw.cap $W/fw.exp.fw $W/fw.json --need-cause --need-seq
	fw_n=$(grep -c '"kind":"firewall"' $W/fw.json)
	fw_in=$(grep '"kind":"firewall"' $W/fw.json | grep -c '"evidence":{"hook":"input"')
	fw_by=$(grep '"kind":"firewall"' $W/fw.json | grep -cE '"caller":"(reject_tg6?|nft_reject_inet_eval)\+')
	check "firewall: the $fw_n resets name hook input ($fw_in) and the front end (reject_tg, nft_reject_inet_eval: $fw_by)" \
		[ "$fw_n" = 6 -a "$fw_in" = 6 -a "$fw_by" = 6 ]
	echo "# $(grep -m 1 '"kind":"firewall"' $W/fw.json)"
else
	cap_stop
	notok "firewall: tcprst starts tracing"
fi
check_clean fw

# the modules loaded before the run: the probes arm at once; the peer's
# namespace is named (the socketless RST's netns is the hook's)
cap_start $W/fw2.cap
if tr_start fw2 --json; then
	gen $W/fw2.exp -b $FWB -s closedport
	sleep 1
	tr_stop fw2 INT
	cap_stop
	fw_expect $W/fw2.exp
	rst_check "firewall: modules loaded before the run, every wire RST reported" \
		$W/fw2.cap $W/fw2.exp.fw $W/fw2.json --need-cause
	if [ $STRICT = 1 ]; then
		fw_peer=$(stat -L -c %i /run/netns/peer) fw_root=$(stat -L -c %i /proc/self/ns/net)
		fw_nsok=$(grep '"kind":"firewall"' $W/fw2.json |
			awk -v p="$fw_peer" -v r="$fw_root" '/"saddr":"(10\.99|fd00:99)/ && $0 ~ "\"netns\":" p "," { n++ }
				!/"saddr":"(10\.99|fd00:99)/ && $0 ~ "\"netns\":" r "," { n++ } END { print n + 0 }')
		check "firewall: netns is the namespace whose rule rejected (peer $fw_peer for veth, ours $fw_root for lo: $fw_nsok of 6)" \
			[ "$fw_nsok" = 6 ]
	fi
else
	cap_stop
	notok "firewall: tcprst starts tracing (modules loaded)"
fi
check_clean fw2
iptables -F INPUT 2> /dev/null; ip6tables -F INPUT 2> /dev/null
$IP netns exec peer nft delete table inet tcprst_fw 2> /dev/null
