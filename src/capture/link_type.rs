//! The names of LINKTYPE_ values as tcpdump.org's registry spells them, for the summary and the
//! report (the decoders handle only some of them).

/// The LINKTYPE_ name of a link-layer type value, as tcpdump.org's registry spells it.
pub fn link_type_name(link_type: u32) -> String {
    let name = match link_type {
        0 => "NULL",
        1 => "ETHERNET",
        6 => "IEEE802_5",
        8 => "SLIP",
        9 => "PPP",
        10 => "FDDI",
        // 12 and 14 are the values some systems wrote for raw IP before 101 was assigned.
        12 | 14 | 101 => "RAW",
        50 => "PPP_HDLC",
        51 => "PPP_ETHER",
        104 => "C_HDLC",
        105 => "IEEE802_11",
        108 => "LOOP",
        113 => "LINUX_SLL",
        119 => "PRISM_HEADER",
        127 => "IEEE802_11_RADIOTAP",
        192 => "PPI",
        228 => "IPV4",
        229 => "IPV6",
        239 => "NFLOG",
        274 => "ETHERNET_MPACKET",
        276 => "LINUX_SLL2",
        other => return format!("LINKTYPE_{other}"),
    };
    name.to_string()
}
