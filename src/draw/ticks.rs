//! Round steps for rulers and axes: 1, 2 or 5 × 10ⁿ.

/// The power of ten at or below `raw` (10^⌊log₁₀ raw⌋).
pub fn decade(raw: f64) -> f64 {
    10f64.powf(raw.log10().floor())
}

/// The smallest of 1, 2, 5 and 10 × [`decade`]`(raw)` that is at least `raw`; `None` where
/// none is (`raw` not a positive number). Each caller says what it takes then.
pub fn round_step(raw: f64) -> Option<f64> {
    let magnitude = decade(raw);
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= raw)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(round_step(0.3), Some(0.5));
        assert_eq!(round_step(1.0), Some(1.0));
        assert_eq!(round_step(1.5), Some(2.0));
        assert_eq!(round_step(7.0), Some(10.0));
        assert_eq!(round_step(f64::NAN), None);
        assert_eq!(decade(450.0), 100.0);
    }
}
