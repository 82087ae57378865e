#!/usr/bin/env bash
# Makes the container and link-type variants in generated/ from the real captures in
# public/, with Wireshark's editcap (Debian package wireshark-common / tshark) and
# pcaptool.py, then writes tshark's answers beside each with ../../shared/tools/make_oracle.py
# (or $MAKE_ORACLE). Needs Debian's tshark (apt-get install tshark). Re-run it to regenerate; the outputs are committed, so tests never need it.
set -euo pipefail
cd "$(dirname "$0")/generated"
PUB=../public
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
tool() { python3 ../pcaptool.py "$@"; }

# Source material, all real: whois (Ethernet, IPv4), the ns SLL handshake, FTP over IPv6.
cp $PUB/tcpdump_whois.pcap "$T/whois.pcap"
editcap -F pcap $PUB/zeek_ftp_ipv6.pcap "$T/ftp6.pcap"
editcap -F pcap $PUB/tcpdump_tcp-handshake-nano.pcap "$T/sll.pcap"
editcap -F pcap -C 14 -T rawip "$T/whois.pcap" "$T/whois-raw.pcap"
editcap -F pcap -C 14 -T rawip "$T/ftp6.pcap" "$T/ftp6-raw.pcap"

# pcap containers
tool pcap-be "$T/whois.pcap" pcap-be-usec.pcap
editcap -F nsecpcap "$T/whois.pcap" pcap-le-nsec.pcap
tool pcap-be "$T/whois.pcap" pcap-be-nsec.pcap ns
editcap -F pcap -s 60 "$T/whois.pcap" pcap-snaplen-60.pcap      # TCP options cut
editcap -F pcap -s 44 "$T/whois.pcap" pcap-snaplen-44.pcap      # TCP header cut after the ack field
gzip -9 -n -c "$T/whois.pcap" > pcap-gzip.pcap.gz

# pcapng containers
tool pcapng-be "$T/whois.pcap" pcapng-be-custom-blocks.pcapng
tool pcapng-multi pcapng-3-interfaces-tsresol.pcapng "$T/whois.pcap" "$T/sll.pcap" "$T/ftp6-raw.pcap"
tool pcapng-sections pcapng-2-sections-mixed-order.pcapng "$T/whois.pcap" "$T/sll.pcap"
tool pcapng-spb-pb "$T/whois.pcap" pcapng-simple-and-obsolete-blocks.pcapng
editcap -F pcapng "$T/ftp6.pcap" "$T/ftp6.pcapng" && gzip -9 -n -c "$T/ftp6.pcapng" > pcapng-gzip.pcapng.gz

# link types
cp "$T/whois-raw.pcap" link-raw-101.pcap
tool linktype "$T/whois-raw.pcap" link-raw-12.pcap 12
tool linktype "$T/whois-raw.pcap" link-raw-14.pcap 14
editcap -F pcap -C 14 -T rawip4 "$T/whois.pcap" link-ipv4-228.pcap
editcap -F pcap -C 14 -T rawip6 "$T/ftp6.pcap" link-ipv6-229.pcap
tool loopback "$T/whois-raw.pcap" link-null-0-le.pcap 0 le
tool loopback "$T/ftp6-raw.pcap" link-null-0-be.pcap 0 be
tool loopback "$T/whois-raw.pcap" link-loop-108.pcap 108 be

# IPv4 options and an IPv6 extension header.
tool ip-options "$T/whois-raw.pcap" ipv4-options.pcap
tool ip-options "$T/ftp6-raw.pcap" ipv6-hop-by-hop.pcap

# IPv4 fragments: the server's 233-byte answer (frame 6) split in two fragments.
tool fragment "$T/whois-raw.pcap" ipv4-fragments.pcap 6

python3 "${MAKE_ORACLE:-../../../../shared/tools/make_oracle.py}" .
