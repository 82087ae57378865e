//! `use_merge_requests`: what the page asks of two merged captures (another pair, an offset set
//! by hand, the next rows) goes to the worker whenever it changes — from the merged view's
//! controls, or from a link restored once the two files are merged.

use yew::prelude::*;

use super::WorkerHandle;
use crate::service::protocol::Request;
use crate::ui::state::AppState;

#[hook]
pub fn use_merge_requests(state: &AppState, worker: &WorkerHandle) {
    let worker = worker.clone();
    let merged = state.merge.is_some();
    use_effect_with((state.merge_ask, state.file_id), move |(ask, _)| {
        if merged {
            worker.send(Request::MergeView { pair: ask.pair, offset_ns: ask.offset_ns, first_row: ask.first_row, hide_addresses: ask.hide_addresses });
        }
    });
}
