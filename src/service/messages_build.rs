//! The application's messages of the connection on screen, for the ladder's arrows: built a
//! batch at a time as `messages::MessagesBuild` asks for chunks (a worker that keeps only
//! places reads their frames from the file in between: [`Service::message_frames`], then
//! [`Service::give_message_frames`]), kept for the next layout of the same connection.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::Service;
use crate::follow::{follow_packets, FollowPlan};
use crate::messages::{arrow_labels, arrow_types, placed_messages, segment_messages, summary, type_words, MessageMarks, Messages, MessagesBuild};
use crate::reanalysis::FrameToRead;

/// Chunks one batch may ask for.
const BATCH: usize = 256;

/// The messages of one connection, built or being built.
pub struct MessagesJob {
    stream: u32,
    /// The connection's segments when the build began (a connection still being read grows).
    packets: u64,
    plan: FollowPlan,
    build: Option<MessagesBuild>,
    /// The chunks the last batch asked for, in order.
    asked: Vec<usize>,
    done: Option<Rc<Messages>>,
}

impl Service {
    fn messages_job(&mut self, stream: u32) -> Option<&mut MessagesJob> {
        let conn = self.connection(stream)?;
        let packets = conn.len() as u64;
        let current = self.messages_job.as_ref().is_some_and(|j| j.stream == stream && j.packets == packets);
        if !current {
            // As the receivers took it (zeros padding a bare ACK left out), as the CLI reads it.
            let plan = follow_packets((0..conn.len()).filter_map(|i| conn.packet(i)));
            self.messages_job = Some(MessagesJob { stream, packets, plan, build: Some(MessagesBuild::new()), asked: Vec::new(), done: None });
        }
        self.messages_job.as_mut()
    }

    /// The frames to read for the next batch of `stream`'s messages (`None`: its bytes are in
    /// memory); empty once they are built. A service that holds the file's bytes builds them
    /// here at once.
    pub fn message_frames(&mut self, stream: u32) -> Vec<Option<FrameToRead>> {
        loop {
            let Some(job) = self.messages_job(stream) else { return Vec::new() };
            let Some(build) = job.build.as_mut() else { return Vec::new() };
            let asked = build.needs(&job.plan, BATCH);
            if asked.is_empty() {
                let build = job.build.take().expect("a build under way");
                job.done = Some(Rc::new(placed_messages(&job.plan, build)));
                return Vec::new();
            }
            let indices: Vec<u32> = asked.iter().map(|&i| job.plan.chunks[i].index).collect();
            job.asked = asked;
            if self.bytes_in_memory().is_some() {
                self.give_message_frames(stream, &[]);
                continue;
            }
            let conn = match self.connection(stream) {
                Some(conn) => conn,
                None => return Vec::new(),
            };
            return indices.iter().map(|&i| conn.packet(i as usize).map(|p| FrameToRead::of(&p))).collect();
        }
    }

    /// The frames [`Service::message_frames`] named, read from the file, in the same order
    /// (ignored where the bytes are in memory).
    pub fn give_message_frames(&mut self, stream: u32, frames: &[Option<Vec<u8>>]) {
        let given = {
            let in_memory = self.bytes_in_memory();
            let Some(conn) = self.connection(stream) else { return };
            let Some(job) = self.messages_job.as_ref().filter(|j| j.stream == stream) else { return };
            let mut given = BTreeMap::new();
            for (n, &i) in job.asked.iter().enumerate() {
                let chunk = &job.plan.chunks[i];
                let Some(p) = conn.packet(chunk.index as usize) else { continue };
                let frame: &[u8] = match (in_memory, frames.get(n)) {
                    (Some(file), _) => p.frame_in(file),
                    (None, Some(Some(bytes))) => bytes,
                    _ => continue,
                };
                given.insert(i, chunk.bytes(conn.payload_of(&p, frame)).into_owned());
            }
            given
        };
        if let Some(job) = self.messages_job.as_mut() {
            if let Some(build) = job.build.as_mut() {
                build.give(&job.plan, given);
            }
        }
    }

    /// What segment `index` of `stream` carries of its messages, once they are built.
    pub fn segment_message(&self, stream: u32, index: usize, from_client: bool, payload_len: u32) -> Option<String> {
        let found = self.messages_job.as_ref().filter(|j| j.stream == stream)?.done.as_ref()?;
        segment_messages(found, index, from_client, payload_len)
    }

    /// The messages of `stream` whose first byte segment `index` brings (sent by the client or
    /// not), once they are built: Follow's margin, in words and by type and size only.
    pub fn messages_beginning(&self, stream: u32, index: u32, from_client: bool) -> (Vec<String>, Vec<String>) {
        let Some(found) = self.messages_job.as_ref().filter(|j| j.stream == stream).and_then(|j| j.done.as_ref()) else { return Default::default() };
        // (Placed in the order they complete: a scan, a few thousand at most per page.)
        let here: Vec<&crate::messages::Placed> = found.messages.iter().filter(|p| p.first_index == index && p.message.from_client == from_client && !matches!(p.message.what, crate::app::What::Gap)).collect();
        let types = here.iter().map(|p| type_words(p).unwrap_or_else(|| format!("{} bytes of unknown data", p.message.end - p.message.start))).collect();
        (here.into_iter().map(summary).collect(), types)
    }

    /// What the ladder of `stream` writes of its messages, once they are built.
    pub fn message_labels(&self, stream: u32, hide: bool, types_only: bool) -> MessageMarks {
        match self.messages_job.as_ref().filter(|j| j.stream == stream).and_then(|j| j.done.as_ref()) {
            Some(found) if types_only => arrow_types(found),
            Some(found) => arrow_labels(found, hide),
            None => MessageMarks::default(),
        }
    }
}
