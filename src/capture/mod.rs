//! Capture reading: the bytes of a pcap, pcapng or gzip-compressed file become raw frames.
//!
//! Only this module knows about `pcap_file`. A reader never panics on bad input: it hands out
//! every frame it could read and then reports where and why it stopped ([`Damage`]), or, when
//! nothing at all could be read, a [`NotACapture`] that says what the file looks like instead.

mod damage;
mod format;
mod frame;
mod gzip;
mod link_type;
mod pcap;
mod pcapng;
mod sniff;

pub use damage::{Damage, NotACapture};
pub use format::{Container, FormatInfo};
pub use frame::RawFrame;
pub use link_type::link_type_name;

/// What reading a whole capture produced, apart from the frames handed to the visitor.
#[derive(Debug, Clone)]
pub struct ReadOutcome {
    pub format: FormatInfo,
    /// Set when the file is damaged part-way; every frame before the damage was delivered.
    pub damage: Option<Damage>,
    /// For a gzip file, the decompressed bytes: frame offsets refer to these.
    pub inflated: Option<Vec<u8>>,
}

/// Reads every frame of `bytes` in file order and hands each to `visit`.
///
/// Returns `Err` only when not a single frame could be read because the file is not a capture
/// we understand; damage after the header is reported in [`ReadOutcome::damage`].
pub fn read_capture(
    bytes: &[u8],
    visit: &mut dyn FnMut(&RawFrame<'_>),
) -> Result<ReadOutcome, NotACapture> {
    if gzip::is_gzip(bytes) {
        let inflated = gzip::inflate(bytes);
        if inflated.data.is_empty() {
            return Err(NotACapture::new(match inflated.error {
                Some(e) => format!("this is a gzip file, but it could not be decompressed: {e}"),
                None => "this is an empty gzip file".to_string(),
            }));
        }
        let mut outcome = read_uncompressed(&inflated.data, visit)?;
        outcome.format.gzip = true;
        outcome.inflated = Some(inflated.data);
        let inflated_len = outcome.inflated.as_ref().map_or(0, Vec::len) as u64;
        if let (None, Some(e)) = (&outcome.damage, inflated.error) {
            outcome.damage = Some(Damage {
                message: format!("the gzip stream is damaged: {e}; everything before it was read"),
                offset: inflated_len,
                after_frame: outcome.format.frames(),
            });
        } else if let Some(d) = outcome.damage.as_mut() {
            d.message.push_str(" (offset counted in the decompressed data)");
        }
        return Ok(outcome);
    }
    read_uncompressed(bytes, visit)
}

fn read_uncompressed(
    bytes: &[u8],
    visit: &mut dyn FnMut(&RawFrame<'_>),
) -> Result<ReadOutcome, NotACapture> {
    match sniff::sniff(bytes) {
        sniff::Kind::Pcap => pcap::read(bytes, visit),
        sniff::Kind::PcapNg => pcapng::read(bytes, visit),
        sniff::Kind::Other(what) => Err(NotACapture::new(what)),
    }
}
