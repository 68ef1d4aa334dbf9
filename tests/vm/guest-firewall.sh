# guest-firewall.sh: netfilter, sourced by guest.sh. Resets a firewall
# sends (REJECT --reject-with tcp-reset, nft reject with tcp reset): TCP
# never sees them; tcprst probes nf_send_reset{,6} in nf_reject_ipv4/6,
# modules not loaded when the first run starts (the probes arm when they
# load). Then a no-socket reset behind NAT: conntrack-invalid.

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

# ---- no socket behind NAT: the peer redirects NATP to its listener at
# NATL; a segment of that connection far beyond the window is called
# invalid by conntrack, loses its entry, is not translated, and TCP answers
# from NATP, where nothing listens (kubernetes#74839) ----
NATP=39300 NATL=39301
for m in nf_conntrack nf_nat nft_chain_nat nft_redir nf_conntrack_netlink; do
	modprobe $m || echo "# modprobe $m failed"
done
# (its stdin never ends: at EOF nc would shut down writing, and the FIN,
# reaching the client after rstraw's socket is gone, would draw a RST)
sleep 600 | $IP netns exec peer nc -l -p $NATL > /dev/null 2>&1 &
nat_hex=$(printf '%04X' $NATL) nat_i=0
while ! $IP netns exec peer cat /proc/net/tcp /proc/net/tcp6 | grep -q ":$nat_hex 0*:0000 0A" && [ $nat_i -lt 100 ]; do
	sleep 0.1; nat_i=$((nat_i + 1))
done
{ $IP netns exec peer nft add table ip tcprst_nat &&
  $IP netns exec peer nft add chain ip tcprst_nat pre '{ type nat hook prerouting priority -100; }' &&
  $IP netns exec peer nft add rule ip tcprst_nat pre tcp dport $NATP redirect to :$NATL; } > $W/nat-rules.err 2>&1
check "nat: a REDIRECT of $NATP to $NATL in the peer's namespace, its listener up ($nat_i)" [ $? = 0 -a $nat_i -lt 100 ]
diag $W/nat-rules.err
cap_start $W/nat.cap
if tr_start nat --json --explain; then
	rstraw -N 10.99.0.2:$NATP > $W/nat.exp 2> $W/nat.err || diag $W/nat.err
	$IP netns exec peer conntrack -L -p tcp --orig-port-dst $NATP > $W/nat-ct.txt 2>&1
	sleep 1
	tr_stop nat INT
	cap_stop
	rst_check "nat: the untranslated segment's RST (from $NATP) reported as no-socket, tuple as on the wire" \
		$W/nat.cap $W/nat.exp $W/nat.json --need-cause
	nat_line=$(grep '"sport":'$NATP $W/nat.json | head -n 1)
	echo "# $nat_line"
	echo "# conntrack -L: $(grep -m 1 "dport=$NATP" $W/nat-ct.txt)"
	if [ $STRICT = 1 ]; then
		nat_cport=$(awk '{ print $7; exit }' $W/nat.exp)
		# the entry conntrack -L shows: sent to 10.99.0.2:NATP, answered from NATL
		grep -q "src=10.99.0.1 dst=10.99.0.2 sport=$nat_cport dport=$NATP .*src=10.99.0.2 dst=10.99.0.1 sport=$NATL dport=$nat_cport" \
			$W/nat-ct.txt && nat_ct=1 || nat_ct=0
		echo "$nat_line" | grep -q '"cause":"no-socket","nat":"conntrack-invalid"' && nat_sub=1 || nat_sub=0
		echo "$nat_line" | grep -q "\"conntrack\":{\"state\":\"invalid\",\"orig_src\":\"10.99.0.1:$nat_cport\",\"orig_dst\":\"10.99.0.2:$NATP\",\"dst_nat\":true" &&
			nat_ev=1 || nat_ev=0
		echo "$nat_line" | grep -q 'nf_conntrack_tcp_be_liberal' && nat_why=1 || nat_why=0
		check "nat: cause no-socket, nat conntrack-invalid ($nat_sub); evidence: invalid, the connection as conntrack -L shows it ($nat_ct), sent to 10.99.0.2:$NATP, DNAT ($nat_ev); --explain names the remedies ($nat_why)" \
			[ $nat_sub = 1 -a $nat_ct = 1 -a $nat_ev = 1 -a $nat_why = 1 ]
		nat_other=$(grep -v '"sport":'$NATP $W/nat.json | grep -c '"nat":"')
		check "nat: no other reset has a nat sub-reason ($nat_other)" [ "$nat_other" = 0 ]
	fi
else
	cap_stop
	notok "nat: tcprst starts tracing"
fi
check_clean nat
pkill -f "nc -l -p $NATL" 2> /dev/null; pkill -f "sleep 600" 2> /dev/null
$IP netns exec peer nft delete table ip tcprst_nat 2> /dev/null
