//! `use_view_requests`: what the panes above the stream tools show is asked of the worker again
//! whenever it could have changed: the list's window, the selected connection's layout and the
//! selected segment's detail. Each is asked again when a new file is opened and when reading
//! ends (what was read so far may have grown).

use yew::prelude::*;

use super::WorkerHandle;
use crate::service::protocol::Request;
use crate::ui::state::AppState;

/// Connection rows asked of the worker at once (the list draws at most this many).
pub const LIST_WINDOW: u32 = 200;

#[hook]
pub fn use_view_requests(state: &AppState, worker: &WorkerHandle) {
    let read_done = state.summary.is_some();
    // The list's window, also as reading moves on (new connections appear in it).
    {
        let worker = worker.clone();
        let key = (state.list_params.clone(), state.file_id, state.progress.as_ref().map(|p| p.bytes_read), read_done);
        use_effect_with(key, move |(params, file_id, _, _)| {
            if *file_id > 0 {
                worker.send(Request::List { query: params.query.clone(), sort: params.sort, reverse: params.reverse, from: params.from, count: LIST_WINDOW });
            }
        });
    }
    {
        let worker = worker.clone();
        use_effect_with((state.stream, state.options.clone(), state.file_id, read_done), move |(stream, options, _, _)| {
            if let Some(stream) = *stream {
                worker.send(Request::Layout { stream, options: options.clone() });
            }
        });
    }
    {
        let worker = worker.clone();
        use_effect_with((state.stream, state.segment, state.file_id, read_done), move |(stream, segment, _, _)| {
            if let (Some(stream), Some(index)) = (*stream, *segment) {
                worker.send(Request::Detail { stream, index });
            }
        });
    }
}
