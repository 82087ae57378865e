//! `use_stream_tools`: the tabs under the ladder (a graph, the followed stream). The tab shown
//! is asked of the worker again when the connection, the view or the file changes; the handle
//! holds the callbacks `StreamTools` takes.

use yew::prelude::*;

use super::WorkerHandle;
use crate::graph::{GraphKind, GraphRequest};
use crate::service::protocol::Request;
use crate::ui::state::{Action, AppState, Tool, FOLLOW_PAGE};

/// The callbacks of the stream tools, named as `StreamTools`' props.
pub struct StreamToolsHandle {
    pub on_tool: Callback<Tool>,
    pub on_kind: Callback<GraphKind>,
    pub on_range: Callback<Option<crate::graph::zoom::Zoom>>,
    pub on_direction: Callback<Option<bool>>,
    pub on_follow_from: Callback<u32>,
    /// A frame picked in a graph or a followed chunk: selected in the ladder.
    pub on_pick: Callback<u64>,
    /// Text searched for in the followed stream, from a chunk on.
    pub on_search: Callback<(String, u32)>,
    /// Save one direction's bytes (true: the client's).
    pub on_download: Callback<bool>,
}

#[hook]
pub fn use_stream_tools(state: &AppState, dispatch: UseReducerDispatcher<AppState>, worker: &WorkerHandle) -> StreamToolsHandle {
    let read_done = state.summary.is_some();
    {
        let worker = worker.clone();
        let key = (state.tool, state.stream, state.graph_kind, state.graph_range, state.graph_from_client, state.file_id, read_done);
        use_effect_with(key, move |(tool, stream, kind, range, from_client, _, _)| {
            if let (Tool::Graph, Some(stream)) = (*tool, *stream) {
                worker.send(Request::Graph { request: GraphRequest { stream, kind: *kind, from_client: *from_client, range: range.map(|z| z.t), y_range: range.and_then(|z| z.y), columns: plot_columns() } });
            }
        });
    }
    {
        let worker = worker.clone();
        use_effect_with((state.tool, state.stream, state.follow_from, state.file_id, read_done), move |(tool, stream, from, _, _)| {
            if let (Tool::Follow, Some(stream)) = (*tool, *stream) {
                worker.send(Request::Follow { stream, from: *from, count: FOLLOW_PAGE });
            }
        });
    }
    let on_search = {
        let (worker, stream) = (worker.clone(), state.stream);
        Callback::from(move |(text, from): (String, u32)| {
            if let Some(stream) = stream {
                worker.send(Request::FollowSearch { stream, text, from });
            }
        })
    };
    let on_download = {
        let (worker, stream) = (worker.clone(), state.stream);
        Callback::from(move |from_client: bool| {
            if let Some(stream) = stream {
                worker.send(Request::FollowDownload { stream, from_client });
            }
        })
    };
    let actions = dispatch.to_callback();
    StreamToolsHandle {
        on_tool: actions.reform(Action::Tool),
        on_kind: actions.reform(Action::GraphKind),
        on_range: actions.reform(Action::GraphRange),
        on_direction: actions.reform(Action::GraphDirection),
        on_follow_from: actions.reform(Action::FollowFrom),
        on_pick: actions.reform(Action::JumpToFrame),
        on_search,
        on_download,
    }
}

/// One summary column per pixel the plot can have (about the window's width).
fn plot_columns() -> u32 {
    web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).map_or(900, |w| (w as u32).saturating_sub(160).clamp(200, 1800))
}
