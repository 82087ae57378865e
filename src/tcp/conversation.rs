//! The table from an unordered address/port pair to the stream index currently using it.

use std::collections::HashMap;
use std::net::IpAddr;

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
    current: HashMap<ConversationKey, u32>,
}

impl ConversationTable {
    pub(super) fn get(&self, key: &ConversationKey) -> Option<u32> {
        self.current.get(key).copied()
    }
    pub(super) fn set(&mut self, key: ConversationKey, stream: u32) {
        self.current.insert(key, stream);
    }
}
