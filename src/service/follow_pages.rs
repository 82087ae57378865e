//! The followed stream a page at a time: the plan of a connection (kept for the next page),
//! the frames a page's bytes are in (for the worker to read from the file), and the page with
//! its bytes.

use std::rc::Rc;

use super::protocol::{FollowChunkView, FollowPage};
use super::Service;
use crate::follow::{follow, ChunkKind, FollowPlan};
use crate::reanalysis::FrameToRead;

/// Chunks one follow request may ask for.
pub const MAX_FOLLOW_CHUNKS: u32 = 500;

impl Service {
    /// The follow plan of `stream`, kept for the next page (made again when more of the file
    /// has been read).
    pub fn follow_plan(&mut self, stream: u32) -> Option<Rc<FollowPlan>> {
        let conn = self.connection(stream)?;
        let packets = conn.len() as u64;
        if let Some((s, n, plan)) = &self.follow_cache {
            if *s == stream && *n == packets {
                return Some(plan.clone());
            }
        }
        let plan = Rc::new(follow(&conn));
        self.follow_cache = Some((stream, packets, plan.clone()));
        Some(plan)
    }

    /// The frames to read from the file for chunks `from..from + count`: per chunk, its frame
    /// (`None`: nothing to read, a gap or bytes in memory).
    pub fn follow_places(&mut self, stream: u32, from: u32, count: u32) -> Vec<Option<FrameToRead>> {
        let Some(plan) = self.follow_plan(stream) else { return Vec::new() };
        let Some(conn) = self.connection(stream) else { return Vec::new() };
        let in_memory = self.bytes_in_memory().is_some();
        let (start, end) = page_bounds(plan.chunks.len(), from, count);
        plan.chunks[start..end]
            .iter()
            .map(|c| match c.kind {
                ChunkKind::Bytes { .. } if !in_memory => conn.packet(c.index as usize).map(|p| FrameToRead::of(&p)),
                _ => None,
            })
            .collect()
    }

    /// Chunks `from..from + count` of `stream` with their bytes; `frames` are the frames
    /// [`Service::follow_places`] named, read from the file, in the same order.
    pub fn follow_page(&mut self, stream: u32, from: u32, count: u32, frames: &[Option<Vec<u8>>]) -> Option<FollowPage> {
        let plan = self.follow_plan(stream)?;
        let conn = self.connection(stream)?;
        let s = conn.stream();
        let in_memory = self.bytes_in_memory();
        let (start, end) = page_bounds(plan.chunks.len(), from, count);
        let mut missing = [0u64; 2];
        // Bytes per direction before each chunk of the page.
        let mut before = [0u64; 2];
        let mut offsets = Vec::with_capacity(end - start);
        for (i, c) in plan.chunks.iter().enumerate() {
            let side = usize::from(!c.from_client);
            if (start..end).contains(&i) {
                offsets.push(before[side]);
            }
            match c.kind {
                ChunkKind::Gap { len, .. } => missing[side] += u64::from(len),
                ChunkKind::Bytes { len, .. } => before[side] += u64::from(len),
            }
        }
        let chunks = plan.chunks[start..end]
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (gap, bytes) = match c.kind {
                    ChunkKind::Gap { len, .. } => (Some(len), Vec::new()),
                    ChunkKind::Bytes { .. } => {
                        let packet = conn.packet_as_captured(c.index as usize);
                        let frame: &[u8] = match (in_memory, frames.get(i)) {
                            (Some(file), _) => packet.as_ref().map_or(&[][..], |p| p.frame_in(file)),
                            (None, Some(Some(bytes))) => bytes,
                            _ => &[],
                        };
                        let payload = packet.map_or(&[][..], |p| conn.payload_of(&p, frame));
                        (None, c.bytes(payload).into_owned())
                    }
                };
                let (begins, begins_types) = if gap.is_none() { self.messages_beginning(stream, c.index, c.from_client) } else { Default::default() };
                FollowChunkView { frame: c.frame, index: c.index, from_client: c.from_client, seq: c.seq, offset: offsets[i], gap, bytes, begins, begins_types }
            })
            .collect();
        Some(FollowPage {
            stream,
            from: start as u32,
            total: plan.chunks.len() as u32,
            bytes: plan.bytes,
            missing,
            unplaced: plan.unplaced,
            client: s.client.to_string(),
            server: s.server.to_string(),
            chunks,
        })
    }
}

/// The chunk range a follow request covers, within the plan and at most
/// [`MAX_FOLLOW_CHUNKS`] long.
fn page_bounds(len: usize, from: u32, count: u32) -> (usize, usize) {
    let end = (from.saturating_add(count.min(MAX_FOLLOW_CHUNKS)) as usize).min(len);
    ((from as usize).min(end), end)
}

/// Whether `haystack` holds `needle`, ASCII letters in any case.
pub fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}
