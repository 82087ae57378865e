//! The service's answers about one connection — its diagram, the lesson, a segment's detail,
//! a graph — each from the connection [`Service::connection`] gives (read again from the file
//! first in a service that keeps only places: see [`Service::frames_to_read`]).

use super::protocol::{DetailField, DetailLayer, SegmentDetail};
use super::Service;
use crate::decode::header_fields;
use crate::diagram::lesson::{lesson_step, LessonStep};
use crate::diagram::{explain, layout_with_messages, segment_label, Ladder, LadderOptions};
use crate::graph::{graph_data, GraphData, GraphRequest};
use crate::reanalysis::FrameToRead;

impl Service {
    /// The diagram of `stream`.
    pub fn layout(&self, stream: u32, options: &LadderOptions) -> Option<Ladder> {
        // The application's messages on their arrows, where they have been built
        // ([`Service::message_frames`]); their identifying words hidden with the addresses, all
        // but their types and sizes with the application's data.
        let labels = self.message_labels(stream, options.hide_addresses, options.hide_app_data);
        Some(layout_with_messages(&self.connection(stream)?, options, &labels))
    }

    /// The step-through lesson at segment `index` of `stream`.
    pub fn lesson(&self, stream: u32, index: usize) -> Option<LessonStep> {
        lesson_step(&self.connection(stream)?, index)
    }

    /// The frame of segment `index` of `stream` to read from the file for its detail; `None`
    /// when there is nothing to read (its bytes are in memory, or there is no such segment).
    pub fn frame_to_read(&self, stream: u32, index: usize) -> Option<FrameToRead> {
        let packet = self.connection(stream)?.packet(index)?;
        self.bytes_in_memory().is_none().then(|| FrameToRead::of(&packet))
    }

    /// Segment `index` of `stream` in words, with its header fields and bytes. `file_bytes`
    /// are the frame's bytes read from the file (see [`Service::frame_to_read`]).
    pub fn detail(&self, stream: u32, index: usize, file_bytes: Option<&[u8]>) -> Option<SegmentDetail> {
        let conn = self.connection(stream)?;
        let packet = conn.packet(index)?;
        let data = match (self.bytes_in_memory(), file_bytes) {
            (Some(file), _) => packet.frame_in(file),
            (None, Some(bytes)) => bytes,
            (None, None) => &[],
        };
        let layers = header_fields(u32::from(packet.link_type), data)
            .into_iter()
            .map(|layer| DetailLayer {
                name: layer.name,
                fields: layer
                    .fields
                    .into_iter()
                    .map(|f| DetailField { name: f.name.to_string(), value: f.value, meaning: f.meaning.to_string(), start: f.start, len: f.len })
                    .collect(),
            })
            .collect();
        Some(SegmentDetail {
            frame: packet.frame,
            time: packet.time_ns as f64 / 1e9,
            label: segment_label(&packet, false),
            explanation: explain(&conn, index).unwrap_or_default(),
            message: self.segment_message(stream, index, packet.from_client, packet.segment.payload_len),
            layers,
            bytes: data.to_vec(),
            payload_at: u32::from(packet.segment.payload_at),
        })
    }

    /// A stream graph (see [`crate::graph`]).
    pub fn graph(&self, request: &GraphRequest) -> Option<GraphData> {
        Some(graph_data(&self.connection(request.stream)?, request))
    }
}
