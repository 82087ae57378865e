//! Where a request's time went: each time one side's data is answered by the other's, how long
//! the answer took as each capture point saw it. The point nearer the answering end sees its
//! own time (its think time, plus the path beyond that point); the point nearer the asking end
//! sees that plus the round trip between the points. The difference is the path's share; the
//! clocks' offset cancels out of both (each gap is read on one clock).

use serde::Serialize;

use super::Row;

/// One request (the asking side's data) and the first data of the other side after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Turn {
    /// Who asked: `client` or `server` (an FTP data connection, a server that speaks first).
    pub asked_by: &'static str,
    /// The last segment of the request, and the answer's first, in each capture.
    pub request_frame_a: u64,
    pub request_frame_b: u64,
    pub answer_frame_a: u64,
    pub answer_frame_b: u64,
    /// From the request's last segment to the answer's first at the point nearer the one who
    /// answered (its own time, and the path beyond that point), ms.
    pub near_answerer_ms: f64,
    /// The same at the point nearer the one who asked, ms.
    pub near_asker_ms: f64,
    /// The difference: the way there and back between the two points, ms.
    pub between_points_ms: f64,
}

/// The turns among `rows` (in the order they passed their first point), from the segments both
/// points saw; none without a clock estimate (the rows then have no delays).
pub fn turns(rows: &[Row]) -> Vec<Turn> {
    let mut out = Vec::new();
    let mut request: Option<&Row> = None;
    for r in rows.iter().filter(|r| r.fate == "matched" && r.len > 0) {
        match request {
            Some(q) if q.from_client != r.from_client => {
                if let (Some(dq), Some(dr), Some(fa), Some(fb), Some(qa), Some(qb)) = (q.delay_ns, r.delay_ns, r.frame_a, r.frame_b, q.frame_a, q.frame_b) {
                    // The request reached the far point at passed + its delay; the answer left
                    // it at its own `passed`, and reached the near point its delay later.
                    let near_answerer = (r.passed_ns as f64 - (q.passed_ns as f64 + dq)) / 1e6;
                    let near_asker = (r.passed_ns as f64 + dr - q.passed_ns as f64) / 1e6;
                    out.push(Turn {
                        asked_by: if q.from_client { "client" } else { "server" },
                        request_frame_a: qa,
                        request_frame_b: qb,
                        answer_frame_a: fa,
                        answer_frame_b: fb,
                        near_answerer_ms: near_answerer,
                        near_asker_ms: near_asker,
                        between_points_ms: near_asker - near_answerer,
                    });
                }
                request = Some(r);
            }
            _ => request = Some(r),
        }
    }
    out
}
