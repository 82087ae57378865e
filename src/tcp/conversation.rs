//! The table from an unordered address/port pair to the stream index currently using it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;

/// A multiply-rotate hash (the one rustc uses for its own tables) in place of SipHash, which
/// took about 5 % of the time of reading a capture. SipHash's resistance to chosen collisions
/// buys nothing here: the only keys are the user's own capture's addresses.
#[derive(Default)]
pub(super) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// An unordered pair of endpoints: the smaller endpoint always comes first, so both directions
/// of a connection find the same entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct ConversationKey {
    low: (IpAddr, u16),
    high: (IpAddr, u16),
}

impl ConversationKey {
    pub(super) fn new(a: (IpAddr, u16), b: (IpAddr, u16)) -> Self {
        if a <= b {
            ConversationKey { low: a, high: b }
        } else {
            ConversationKey { low: b, high: a }
        }
    }
}

/// Maps each conversation to the index of its newest stream.
#[derive(Debug, Clone, Default)]
pub(super) struct ConversationTable {
    current: HashMap<ConversationKey, u32, BuildHasherDefault<FastHasher>>,
}

impl ConversationTable {
    pub(super) fn get(&self, key: &ConversationKey) -> Option<u32> {
        self.current.get(key).copied()
    }
    pub(super) fn set(&mut self, key: ConversationKey, stream: u32) {
        self.current.insert(key, stream);
    }
}
