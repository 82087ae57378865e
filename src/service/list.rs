//! The service's window of the connection list: filtered, sorted, and the order kept for the
//! next window (a million connections are not sorted again for every scroll).

use super::{FileState, Service};
use crate::listing::{matching, row, SortKey};
use super::protocol::ListPage;

/// Rows one list request may ask for.
const MAX_ROWS: u32 = 1000;

/// A list order computed for one query and sort over the connections known at the time.
pub(super) struct ListCache {
    query: String,
    sort: SortKey,
    reverse: bool,
    /// Frames read when it was computed: a growing capture invalidates it.
    frames: u64,
    order: Vec<u32>,
    /// The query could not be read: why.
    error: Option<String>,
}

impl Service {
    /// Rows `from..from + count` of the connections matching `query`, in `sort` order.
    pub fn list(&mut self, query: &str, sort: SortKey, from: u32, count: u32) -> ListPage {
        self.list_ordered(query, sort, false, from, count)
    }

    /// The same, smallest first (or in reverse capture order) with `reverse`.
    pub fn list_ordered(&mut self, query: &str, sort: SortKey, reverse: bool, from: u32, count: u32) -> ListPage {
        let frames = self.frames();
        let Some(session) = self.session() else { return ListPage::default() };
        let streams = session.streams();
        let count = count.min(MAX_ROWS);
        // Capture order with no filter needs no index at all (the list of a capture that is
        // still being read is asked for often).
        let (matching_count, indices): (u32, Vec<u32>) = if query.trim().is_empty() && sort == SortKey::Stream && !reverse {
            let end = from.saturating_add(count).min(streams.len() as u32);
            (streams.len() as u32, (from.min(end)..end).collect())
        } else {
            // While reading, a filtered or sorted order is recomputed only when the capture has
            // grown by a tenth since: on a million connections a recomputation takes a while,
            // and reading must go on (rows still show current counts; new connections join
            // the order at the next recomputation, and at the end).
            let reading = matches!(self.file, FileState::Reading(_));
            let fresh = self.list.as_ref().is_some_and(|c| {
                c.query == query && c.sort == sort && c.reverse == reverse && (c.frames == frames || (reading && frames - c.frames < c.frames / 10 + 1))
            });
            if !fresh {
                let (order, error) = match matching(session, query, sort, reverse) {
                    Ok(order) => (order, None),
                    Err(why) => (Vec::new(), Some(why)),
                };
                self.list = Some(ListCache { query: query.to_string(), sort, reverse, frames, order, error });
            }
            let order = &self.list.as_ref().expect("just computed").order;
            let start = (from as usize).min(order.len());
            let end = start.saturating_add(count as usize).min(order.len());
            (order.len() as u32, order[start..end].to_vec())
        };
        let session = self.session().expect("checked above");
        let streams = session.streams();
        let error = self.list.as_ref().filter(|c| c.query == query).and_then(|c| c.error.clone());
        ListPage {
            query: query.to_string(),
            sort,
            reverse,
            error,
            from,
            matching: matching_count,
            total: streams.len() as u32,
            rows: indices.iter().map(|&i| row(&streams[i as usize], session.opening(i).as_deref())).collect(),
        }
    }
}
