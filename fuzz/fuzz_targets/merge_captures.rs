//! Fuzz target: see `tcp_ladder::fuzz_checks::merge_captures` for the property it checks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tcp_ladder::fuzz_checks::merge_captures(data));
