//! Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Raw `u32`s are never compared with
//! `<` directly: a connection may wrap.

/// `a` is after `b` in sequence space (Wireshark's `GT_SEQ`).
pub fn gt(a: u32, b: u32) -> bool {
    (b.wrapping_sub(a) as i32) < 0
}

/// `a` is before `b` in sequence space (Wireshark's `LT_SEQ`).
pub fn lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// `a` is at or after `b` (Wireshark's `GE_SEQ`).
pub fn ge(a: u32, b: u32) -> bool {
    !lt(a, b)
}

/// `a` is at or before `b` (Wireshark's `LE_SEQ`).
pub fn le(a: u32, b: u32) -> bool {
    !gt(a, b)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn comparisons_survive_the_wrap() {
        assert!(gt(5, 0xffff_fff0));
        assert!(lt(0xffff_fff0, 5));
        assert!(ge(7, 7) && le(7, 7));
        assert!(!gt(7, 7) && !lt(7, 7));
        assert!(gt(0x8000_0000, 1));
    }
}
