//! One unit per axis, said in the axis title and used by every tick: an RTT axis whose ticks
//! are milliseconds says "(ms)", a sequence axis in kilobytes says "(kB)" (tcptrace and
//! Wireshark label their axes this way; ticks that each carry a unit while the title says
//! "seconds" read wrong).

use super::Unit;
use crate::draw::numbers::trim;

/// An axis' unit: values are divided by `divisor` and written with `decimals` decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisUnit {
    pub divisor: f64,
    pub symbol: &'static str,
    pub decimals: usize,
}

impl AxisUnit {
    /// A tick's label: the number alone, in the axis' unit.
    pub fn label(&self, v: f64) -> String {
        let v = v / self.divisor;
        trim(if v.abs() < 1e-12 { 0.0 } else { v }, self.decimals)
    }
}

/// The unit for an axis of `unit` whose ticks are `step` apart and reach `largest` (absolute):
/// the largest SI unit in which the largest tick is at least 1, and enough decimals to tell
/// ticks `step` apart.
pub fn axis_unit(unit: Unit, largest: f64, step: f64) -> AxisUnit {
    let choices: &[(f64, &'static str)] = match unit {
        Unit::Seconds => &[(1.0, "s"), (1e-3, "ms"), (1e-6, "µs")],
        Unit::Bytes => &[(1e9, "GB"), (1e6, "MB"), (1e3, "kB"), (1.0, "bytes")],
        Unit::BytesPerSecond => &[(1e9, "GB/s"), (1e6, "MB/s"), (1e3, "kB/s"), (1.0, "bytes/s")],
    };
    let &(divisor, symbol) = choices.iter().find(|(d, _)| largest >= *d).unwrap_or(&choices[choices.len() - 1]);
    // Decimals: as many as the step needs in this unit (0.25 ms steps → 2).
    let scaled = step / divisor;
    let decimals = if scaled > 0.0 && scaled.is_finite() { (-(scaled.log10() - 1e-9).floor()).clamp(0.0, 6.0) as usize } else { 0 };
    let decimals = if scaled > 0.0 && (scaled * 10f64.powi(decimals as i32)).fract().abs() > 1e-6 { (decimals + 1).min(6) } else { decimals };
    AxisUnit { divisor, symbol, decimals }
}

/// The axis title with its unit: "round-trip time (ms)".
pub fn titled(quantity: &str, u: &AxisUnit) -> String {
    format!("{quantity} ({})", u.symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_rtt_axis_in_milliseconds_says_ms_and_its_ticks_are_bare_numbers() {
        let u = axis_unit(Unit::Seconds, 0.012, 0.002);
        assert_eq!(u.symbol, "ms");
        assert_eq!([u.label(0.0), u.label(0.002), u.label(0.012)], ["0", "2", "12"]);
        assert_eq!(titled("round-trip time", &u), "round-trip time (ms)");
        let fine = axis_unit(Unit::Seconds, 0.00175, 0.00025);
        assert_eq!((fine.symbol, fine.label(0.0015)), ("ms", "1.5".to_string()));
        assert_eq!(fine.label(0.00125), "1.25");
        assert_eq!(axis_unit(Unit::Seconds, 40.0, 10.0).symbol, "s");
    }

    #[test]
    fn byte_axes_pick_one_si_unit() {
        let u = axis_unit(Unit::Bytes, 2_500_000.0, 500_000.0);
        assert_eq!((u.symbol, u.label(1_500_000.0)), ("MB", "1.5".to_string()));
        assert_eq!(axis_unit(Unit::Bytes, 900.0, 200.0).symbol, "bytes");
        assert_eq!(axis_unit(Unit::BytesPerSecond, 12_000.0, 2_000.0).symbol, "kB/s");
    }
}
