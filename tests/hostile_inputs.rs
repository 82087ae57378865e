//! Files made to hurt a capture reader, generated here: lengths claiming gigabytes, empty and
//! looping blocks, a decompression bomb, a SYN flood from random sources, sequence numbers that
//! wrap on every connection, absurd TCP option lengths, deep VLAN stacks. Each must be read
//! without a panic or a hang, say what is wrong where it is wrong, keep what was readable, and
//! keep its memory in proportion to the file (measured with `Session::memory_bytes`, the
//! figure the worker reports).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::Write;

use common::synth::{pcap_header, record, tcp_frame};
use tcp_ladder::session::analyze_bytes;

#[test]
fn a_record_claiming_gigabytes_is_damage_with_its_offset_and_frame() {
    let mut file = pcap_header(1);
    record(&mut file, 0, &tcp_frame([10, 0, 0, 1], 1000, 80, 1, 0, 0x02, &[], &[]));
    let offset = file.len();
    file.extend([0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff, 0xf0, 0xff, 0xff, 0xff]);
    file.extend([0u8; 64]);
    let session = analyze_bytes(&file).unwrap();
    assert_eq!(session.counts.tcp, 1, "the frame before the damage is kept");
    let damage = session.damage.expect("damage reported");
    assert_eq!(damage.offset, offset as u64);
    assert!(damage.message.contains("4294967280") || damage.message.contains("claims"), "{}", damage.message);
}

#[test]
fn pcapng_blocks_of_zero_huge_or_looping_length_end_the_read_with_a_message() {
    let shb = |len_field: u32| {
        let mut b = Vec::new();
        for v in [0x0A0D_0D0Au32, 28, 0x1A2B_3C4D] {
            b.extend(v.to_le_bytes());
        }
        b.extend([1, 0, 0, 0]);
        b.extend((-1i64).to_le_bytes());
        b.extend(28u32.to_le_bytes());
        // Then a block whose length field is `len_field`.
        for v in [1u32, len_field] {
            b.extend(v.to_le_bytes());
        }
        b.extend([0u8; 32]);
        b
    };
    for (what, len) in [("zero", 0u32), ("shorter than a block header", 4), ("four gigabytes", 0xFFFF_FFFC), ("not a multiple of 4", 13)] {
        let file = shb(len);
        match analyze_bytes(&file) {
            Ok(session) => assert!(session.damage.is_some(), "{what}: no damage reported"),
            Err(e) => assert!(!e.to_string().is_empty(), "{what}: an empty message"),
        }
    }
}

#[test]
fn a_decompression_bomb_stops_with_a_message_and_bounded_memory() {
    // 300 MiB of zeros after a pcap header, gzip-compressed to about 300 KB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&pcap_header(1)).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        gz.write_all(&zeros).unwrap();
    }
    let file = gz.finish().unwrap();
    let session = analyze_bytes(&file).unwrap();
    let damage = session.damage.as_ref().expect("the bomb is reported");
    assert!(damage.message.contains("decompression bomb"), "{}", damage.message);
    let inflated = session.inflated.as_ref().map_or(0, Vec::len);
    assert!(inflated <= (64 << 20) + (1 << 17), "{inflated} bytes kept of the bomb");
    // Millions of empty records are one run in the list of undecodable frames.
    assert!(session.undecodable.len() <= 2, "{} entries", session.undecodable.len());
    println!("bomb of {} bytes: {} decompressed, {} frames, {} undecodable entries", file.len(), inflated, session.format.packets, session.undecodable.len());
}

#[test]
fn a_syn_flood_and_sequence_wraps_keep_memory_in_proportion() {
    let mut file = pcap_header(1);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let n = 50_000u32;
    for i in 0..n {
        let r = next();
        let src = [10, (r >> 8) as u8, (r >> 16) as u8, (r >> 24) as u8 | 1];
        // Half the connections: a SYN alone; the others: SYN then data wrapping past 2^32.
        let seq = if i % 2 == 0 { (r >> 32) as u32 } else { u32::MAX - 10 };
        record(&mut file, 2 * i, &tcp_frame(src, 1024 + (r as u16 % 60000), 80, seq, 0, 0x02, &[2, 4, 5, 0xb4], &[]));
        if i % 2 == 1 {
            record(&mut file, 2 * i + 1, &tcp_frame(src, 1024 + (r as u16 % 60000), 80, seq.wrapping_add(1), 1, 0x18, &[], &[0x41; 40]));
        }
    }
    let session = analyze_bytes(&file).unwrap();
    assert!(session.damage.is_none());
    let connections = session.streams().len();
    assert!(connections as f64 > 0.99 * f64::from(n), "{connections} connections");
    let per_connection = session.memory_bytes() / connections;
    println!("SYN flood: {} bytes of file, {connections} connections, {} bytes of memory ({per_connection} per connection)", file.len(), session.memory_bytes());
    assert!(per_connection < 4096, "{per_connection} bytes per connection");
    // Every wrapped connection still reads as relative sequence numbers 0, 1.
    let wrapped = session.streams().iter().filter(|s| s.packets == 2).count();
    assert_eq!(wrapped, (n / 2) as usize);
    // With a memory limit (the command line's --memory-limit-mb, the worker's cap), reading
    // stops there, keeps what it read and says so.
    let path = std::env::temp_dir().join(format!("tcp-ladder-synflood-{}.pcap", std::process::id()));
    std::fs::write(&path, &file).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).arg("analyze").arg(&path).args(["--memory-limit-mb", "16"]).output().unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = json["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("memory limit (16 MiB)"), "{message}");
    let kept = json["streams"].as_array().unwrap().len();
    assert!(kept > 0 && kept < connections, "{kept} of {connections} connections kept");
}

#[test]
fn absurd_tcp_option_lengths_and_deep_vlan_stacks_are_decoded_or_listed() {
    let mut file = pcap_header(1);
    // Options whose lengths are 0, 1, or run past the header.
    for (i, options) in [[2u8, 0, 0, 0], [3, 1, 0, 0], [8, 40, 0, 0], [5, 255, 1, 2]].iter().enumerate() {
        record(&mut file, i as u32, &tcp_frame([10, 0, 0, 2], 2000, 80, 1, 0, 0x02, options, &[]));
    }
    // 200 stacked VLAN tags before IPv4.
    let inner = tcp_frame([10, 0, 0, 3], 3000, 80, 1, 0, 0x02, &[], &[]);
    let mut deep = inner[..12].to_vec();
    for _ in 0..200 {
        deep.extend([0x81, 0x00, 0x00, 0x01]);
    }
    deep.extend_from_slice(&inner[12..]);
    record(&mut file, 10, &deep);
    let session = analyze_bytes(&file).unwrap();
    assert_eq!(session.format.packets, 5);
    assert_eq!(session.counts.tcp + session.counts.undecodable + session.counts.non_ip, 5, "every frame is counted as something");
}
