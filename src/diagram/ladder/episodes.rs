//! Loss-recovery episodes on the ladder (issue #23): a bracket beside the rows each episode
//! spans, left of the phase brackets (a separate element: other bands have their own), captioned
//! from the episode's facts; and each resend's arrow tagged with its inferred kind in place of
//! Wireshark's generic retransmission tag.

use crate::draw::offsets::PHASE_TEXT_RIGHT;
use crate::tcp::recovery::ResendKind;
use crate::tcp::recovery_episodes::{EpisodeKind, EpisodeResend};

use super::super::episode_captions::episode_caption;
use super::super::label::Tag;
use super::super::wrap::wrap_text;
use super::model::{EpisodeBracket, Phase};
use super::{PHASE_COLUMN_CHARS, PHASE_X};

/// Wireshark's tags a resend's inferred kind replaces ("out of order" on bytes already captured
/// is a resend too, as its explanation says).
const GENERIC: [&str; 4] = ["retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order"];

/// The brackets, and per resend frame its tag. `rows(frame)` gives the top and bottom of the
/// frame's arrow, or `None` when it is not laid out.
pub(super) fn episode_brackets(episodes: &[crate::tcp::recovery_episodes::Episode], rows: impl Fn(u64) -> Option<(f32, f32)>, phases: &[Phase]) -> (Vec<EpisodeBracket>, Vec<(u64, Tag)>) {
    let (mut brackets, mut tags) = (Vec::new(), Vec::new());
    // Texts go in the phase column, below any phase's text and the previous episode's.
    let mut taken: Vec<(f32, f32)> = phases.iter().map(|p| (p.text_y - 12.0, p.text_bottom())).collect();
    for e in episodes {
        tags.extend(e.resends.iter().map(|r| (r.frame, resend_tag(r))));
        tags.extend(e.captured_twice.iter().map(|&frame| (frame, Tag { kind: "resend_captured_twice", text: "captured twice".to_string() })));
        tags.extend(late_original_tags(e));
        let (Some((a, _)), Some((_, b))) = (rows(e.first_frame), rows(e.last_frame)) else { continue };
        let caption = episode_caption(e);
        let caption_lines = wrap_text(&caption, PHASE_COLUMN_CHARS);
        let (y1, y2) = (a - 6.0, b + 2.0);
        let height = 13.0 * caption_lines.len() as f32;
        let mut text_y = y1 + 12.0;
        while let Some(&(_, bottom)) = taken.iter().find(|&&(top, bottom)| text_y - 12.0 < bottom && text_y + height > top) {
            text_y = bottom + 16.0;
        }
        taken.push((text_y - 12.0, text_y + height));
        let kind = match e.kind {
            EpisodeKind::Loss => "loss",
            EpisodeKind::Spurious => "spurious",
            EpisodeKind::Reordering => "reordering",
            EpisodeKind::CapturedTwice => "captured_twice",
        };
        brackets.push(EpisodeBracket { from_client: e.from_client, kind, caption, first_frame: e.first_frame, last_frame: e.last_frame, x: PHASE_X - 9.0, y1, y2, text_x: PHASE_X + PHASE_TEXT_RIGHT, text_y, caption_lines });
    }
    (brackets, tags)
}

/// Each resend's tag by frame, without the brackets (the timing view places its labels before
/// the brackets are made, and needs the tags' final widths).
pub(super) fn resend_tags(episodes: &[crate::tcp::recovery_episodes::Episode]) -> std::collections::BTreeMap<u64, Tag> {
    let captured_twice = |e: &crate::tcp::recovery_episodes::Episode| e.captured_twice.iter().map(|&frame| (frame, Tag { kind: "resend_captured_twice", text: "captured twice".to_string() })).collect::<Vec<_>>();
    episodes.iter().flat_map(|e| e.resends.iter().map(|r| (r.frame, resend_tag(r))).chain(captured_twice(e)).chain(late_original_tags(e))).collect()
}

/// The original that came after its resend (an older TSval): no resend at all, whatever
/// Wireshark's tag says.
fn late_original_tags(e: &crate::tcp::recovery_episodes::Episode) -> Vec<(u64, Tag)> {
    e.late_originals.iter().map(|&frame| (frame, Tag { kind: "late_original", text: "original, late".to_string() })).collect()
}

/// A resend's tag: its inferred kind in words.
fn resend_tag(r: &EpisodeResend) -> Tag {
    let likely = if r.likely { "likely " } else { "" };
    let (kind, text) = match (r.not_needed.is_some(), r.kind) {
        _ if r.captured_twice => ("resend_captured_twice", "captured twice".to_string()),
        (true, _) => ("resend_not_needed", "not needed".to_string()),
        (false, ResendKind::FastRetransmit) => ("resend_fast_retransmit", format!("{likely}fast retransmit")),
        (false, ResendKind::TailLossProbe) => ("resend_tlp", format!("{likely}TLP")),
        (false, ResendKind::Timeout) => ("resend_rto", format!("{likely}RTO")),
        (false, ResendKind::Unexplained) => ("resend_unexplained", "resent, cause not shown".to_string()),
    };
    Tag { kind, text }
}

/// Puts each resend's tag on its arrow in place of Wireshark's generic ones.
pub(super) fn retag(tags: &mut Vec<Tag>, tag: Tag) {
    tags.retain(|t| !GENERIC.contains(&t.kind));
    tags.push(tag);
}
