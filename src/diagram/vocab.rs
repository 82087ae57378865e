//! Layouts cross from the worker to the page as JSON. A few of their fields are words from a
//! fixed vocabulary (`"client"`, `"FIN-WAIT-1"`, `"retransmission"`, …) kept as `&'static str`;
//! reading them back maps each word to one shared static copy, so the set stays as small as
//! the vocabulary however many layouts are read.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::{Deserialize, Deserializer};

thread_local! {
    static WORDS: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
}

fn intern(word: String) -> &'static str {
    WORDS.with(|words| {
        let mut words = words.borrow_mut();
        if let Some(&known) = words.get(word.as_str()) {
            return known;
        }
        // Leaked once per distinct word: the vocabulary is a few dozen words.
        let leaked: &'static str = Box::leak(word.into_boxed_str());
        words.insert(leaked);
        leaked
    })
}

pub(crate) fn word<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    String::deserialize(d).map(intern)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_copy_per_word() {
        let a = super::intern("FIN-WAIT-1".to_string());
        let b = super::intern(String::from("FIN-WAIT-1"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "FIN-WAIT-1");
    }
}

/// A word of the fixed vocabulary. Named by an alias so that serde's derive does not take
/// `&'static str` as a string borrowed from the input (which would tie it to `'static` input).
pub type Word = &'static str;
