//! A session that keeps only where each segment is (see [`crate::reanalysis`]): which frames
//! of a connection to read again from the file, and their analysis once read.

use super::{bisect_frame, Segments, Session};
use crate::decode::Reassembly;
use crate::reanalysis::{FrameToRead, Reanalysed};

/// The reassembly completed by frame `frame`, if one was (`all`: rising by that frame).
pub fn reassembly_at(all: &[Reassembly], frame: u64) -> Option<&Reassembly> {
    all.binary_search_by_key(&frame, Reassembly::frame).ok().map(|i| &all[i])
}

impl Session {

    /// The frames of connection `stream` to read from the file (at most `max_bytes` of it from
    /// the first to the last) and hand to [`Session::reanalyse`] before its segments are all
    /// at hand; empty when they are (or the session keeps every segment). Starting another
    /// connection forgets the one re-analysed before.
    ///
    /// While the file is still read, only the frames read before the connection was first
    /// asked about are read again: those after are handed over by the reader as it analyses
    /// them (never chased to the end of the file).
    pub fn frames_to_reanalyse(&mut self, stream: u32, max_bytes: u64) -> Vec<FrameToRead> {
        let Some(s) = self.tracker.streams().get(stream as usize) else { return Vec::new() };
        let (first_frame, last_frame, total) = (s.first_frame, s.last_frame, s.packets);
        let Segments::Placed { places, open, .. } = &mut self.segments else { return Vec::new() };
        if open.as_ref().is_none_or(|r| r.stream != stream) {
            *open = Some(Box::new(Reanalysed::new(stream)));
        }
        let r = open.as_ref().expect("just made");
        let last_frame = r.until(last_frame);
        if r.len(total) as u64 >= total || r.failed.is_some() || r.last_frame() >= last_frame {
            return Vec::new();
        }
        // The first place after what was analysed: a bisection by frame, then a walk to the
        // connection's last frame (a short connection's frames are close together).
        let after = r.last_frame().max(first_frame.saturating_sub(1));
        let lo = places.partition_point(|p| p.frame() <= after);
        let mut out = Vec::new();
        let mut start = None;
        for place in (lo..places.len()).map(|i| &places[i]) {
            if place.frame() > last_frame {
                break;
            }
            if place.stream != stream {
                continue;
            }
            let begin = *start.get_or_insert(place.data_offset);
            if !out.is_empty() && place.data_offset + u64::from(place.cap_len) > begin.saturating_add(max_bytes) {
                break;
            }
            // A segment put back together from IP fragments: its earlier fragments first.
            if let Some(r) = reassembly_at(&self.reassembled, place.frame()) {
                let earlier = &r.fragments[..r.fragments.len().saturating_sub(1)];
                out.extend(earlier.iter().map(|f| FrameToRead { frame: f.number, offset: f.data_offset, len: f.cap_len }));
            }
            out.push(FrameToRead { frame: place.frame(), offset: place.data_offset, len: place.cap_len });
        }
        out
    }

    /// Analyses again frames of connection `stream` that [`Session::frames_to_reanalyse`]
    /// named, given their bytes as read from the file (`None`: could not be read, which
    /// stops the re-analysis with that reason).
    pub fn reanalyse(&mut self, stream: u32, frames: &[FrameToRead], bytes: &[Option<&[u8]>]) {
        let Some(s) = self.tracker.streams().get(stream as usize) else { return };
        let Segments::Placed { places, link_types, open: Some(r) } = &mut self.segments else { return };
        if r.stream != stream {
            return; // Another connection was asked for since.
        }
        for (want, data) in frames.iter().zip(bytes) {
            // Find the place again (the frames were named from it; a bisection).
            let Some(position) = bisect_frame(places, want.frame) else {
                let fragment = self.reassembled.iter().flat_map(|r| &r.fragments).find(|f| f.number == want.frame);
                if let (Some(fragment), Some(data)) = (fragment, data) {
                    r.feed_fragment(fragment, data);
                }
                continue;
            };
            let place = places[position];
            let link_type = link_types.iter().rev().find(|(from, _)| *from as usize <= position).map_or(1, |l| l.1);
            match data {
                Some(data) => r.feed(s, &place, link_type, data),
                None => {
                    r.failed.get_or_insert_with(|| format!("frame {} could not be read again from the file", want.frame));
                }
            }
        }
    }

    /// Why re-analysing connection `stream` stopped, if it did.
    pub fn reanalysis_failure(&self, stream: u32) -> Option<&str> {
        match &self.segments {
            Segments::Placed { open: Some(r), .. } if r.stream == stream => r.failed.as_deref(),
            _ => None,
        }
    }

    /// Re-analyses connection `stream` from the file's bytes held in memory (`file`, or the
    /// inflated copy of a gzip file), all at once; nothing to do in a session that keeps
    /// every segment.
    pub fn reanalyse_from(&mut self, stream: u32, file: &[u8]) {
        loop {
            let frames = self.frames_to_reanalyse(stream, 64 << 20);
            if frames.is_empty() {
                return;
            }
            let inflated = self.inflated.take();
            {
                let source = inflated.as_deref().unwrap_or(file);
                let bytes: Vec<Option<&[u8]>> = frames.iter().map(|f| f.bytes_in(source)).collect();
                self.reanalyse(stream, &frames, &bytes);
            }
            self.inflated = inflated;
            if self.reanalysis_failure(stream).is_some() {
                return;
            }
        }
    }
}

