//! The tabs under the ladder: the stream graphs and Follow TCP Stream for the connection shown,
//! linked to the ladder both ways.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::follow_view::FollowView;
use super::graph_view::GraphView;
use crate::graph::{GraphData, GraphKind};
use crate::service::protocol::FollowPage;
use crate::ui::state::{Tool, FOLLOW_PAGE};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tool: Tool,
    pub kind: GraphKind,
    pub from_client: Option<bool>,
    pub graph: Option<Rc<GraphData>>,
    pub follow: Option<Rc<FollowPage>>,
    pub found: Option<(String, Option<u32>)>,
    /// The segment selected in the ladder: frame and time (seconds).
    pub selected: Option<(u64, f64)>,
    pub name: String,
    pub on_tool: Callback<Tool>,
    pub on_kind: Callback<GraphKind>,
    pub on_direction: Callback<Option<bool>>,
    pub on_range: Callback<Option<crate::graph::zoom::Zoom>>,
    pub on_pick: Callback<u64>,
    pub on_follow_from: Callback<u32>,
    pub on_search: Callback<(String, u32)>,
    pub on_download: Callback<bool>,
    /// The height the reader gave the tools by moving the separator (px), if any.
    #[prop_or_default]
    pub height: Option<i32>,
    /// Addresses or the application's data hidden: Follow shows no payload byte.
    #[prop_or_default]
    pub hide_bytes: bool,
}

/// Wireshark's TCP toolbox for the connection the ladder shows, linked to it both ways: the
/// stream graphs (Statistics → TCP Stream Graphs) and Follow TCP Stream, as tabs under the
/// ladder.
#[function_component(StreamTools)]
pub fn stream_tools(props: &Props) -> Html {
    let tab = |tool: Tool, label: &str, testid: &str| {
        let on_tool = props.on_tool.clone();
        let selected = props.tool == tool;
        // A second click on the open tab folds the tools away.
        let onclick = Callback::from(move |_: MouseEvent| on_tool.emit(if selected { Tool::None } else { tool }));
        html! { <button role="tab" aria-selected={selected.to_string()} data-testid={testid.to_string()} class={classes!("tool-tab", selected.then_some("on"))} {onclick}>{ label }</button> }
    };
    let on_kind = {
        let on_kind = props.on_kind.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                if let Some(kind) = GraphKind::parse(&select.value()) {
                    on_kind.emit(kind);
                }
            }
        })
    };
    let on_direction = {
        let on_direction = props.on_direction.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                on_direction.emit(match select.value().as_str() {
                    "c2s" => Some(true),
                    "s2c" => Some(false),
                    _ => None,
                });
            }
        })
    };
    html! {
        <section class={classes!("stream-tools", (props.tool != Tool::None).then_some("open"))} data-testid="stream-tools" aria-label="stream graphs and follow stream">
            <div class="tool-tabs">
                <div role="tablist" aria-label="stream tools" class="tool-tablist">
                    { tab(Tool::Graph, "Graphs", "tool-graph") }
                    { tab(Tool::Follow, "Follow stream", "tool-follow") }
                </div>
                if props.tool == Tool::Graph {
                    <label class="graph-kind">{"graph "}
                        <select data-testid="graph-kind" onchange={on_kind}>
                            { for GraphKind::ALL.into_iter().map(|k| html! { <option value={k.name()} selected={k == props.kind}>{ k.title() }</option> }) }
                        </select>
                    </label>
                    if props.kind == GraphKind::Tseq {
                        <label class="graph-kind">{"data from "}
                            <select data-testid="graph-direction" onchange={on_direction}>
                                <option value="auto" selected={props.from_client.is_none()}>{"the side that sent more"}</option>
                                <option value="c2s" selected={props.from_client == Some(true)}>{"the client"}</option>
                                <option value="s2c" selected={props.from_client == Some(false)}>{"the server"}</option>
                            </select>
                        </label>
                    }
                }
            </div>
            if props.tool == Tool::Graph {
                if let Some(data) = props.graph.clone() {
                    <GraphView {data} tools_height={props.height} selected={props.selected} on_pick={props.on_pick.clone()} on_range={props.on_range.clone()} name={format!("{}-{}", props.name, props.kind.name())} />
                } else {
                    <p class="muted" role="status">{"Drawing the graph…"}</p>
                }
            }
            if props.tool == Tool::Follow {
                if let Some(page) = props.follow.clone() {
                    <FollowView {page} page_size={FOLLOW_PAGE} selected_frame={props.selected.map(|(f, _)| f)} found={props.found.clone()}
                                on_pick={props.on_pick.clone()} on_from={props.on_follow_from.clone()} on_search={props.on_search.clone()} on_download={props.on_download.clone()} hide={props.hide_bytes} />
                } else {
                    <p class="muted" role="status">{"Reassembling the stream…"}</p>
                }
            }
        </section>
    }
}
