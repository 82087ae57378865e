//! The page's root component: it starts the worker, turns its replies and the reader's actions
//! into state (`state.rs`), lays out the panes (connection list, ladder, segment detail,
//! lesson, stream tools), and keeps the view in the URL fragment.

use std::rc::Rc;

use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::components::{ConnectionList, ErrorBanner, ExportBar, FilePicker, LadderView, Legend, LessonPanel, ProgressBar, Samples, SegmentPanel, StreamTools, Summary};
use super::state::{Action, AppState, Tool, FOLLOW_PAGE};
use crate::graph::GraphRequest;
use super::worker_client::WorkerClient;
use crate::diagram::{Ladder, LadderOptions};
use crate::service::protocol::Request;
use crate::view_link::ViewLink;

/// Connection rows asked of the worker at once (the list draws at most this many).
pub const LIST_WINDOW: u32 = 200;

/// Diagram units laid out above and below the screen in the timing view.
const WINDOW_MARGIN: u32 = 6000;

/// The timing view's first window: the top of the diagram.
fn first_window() -> (u32, u32) {
    (0, 2 * WINDOW_MARGIN)
}

/// Segments in the connection the ladder shows (arrows and collapsed runs together).
fn segment_count(ladder: &Ladder) -> usize {
    let arrows = ladder.arrows.iter().map(|a| a.index + 1).max().unwrap_or(0);
    let groups = ladder.groups.iter().map(|g| g.id + g.segments).max().unwrap_or(0);
    arrows.max(groups)
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let dispatch = state.dispatcher();
    // One worker for the page's life; replies become actions.
    let client: Rc<Option<WorkerClient>> = (*use_state(|| {
        let (on_reply, on_fail) = (dispatch.clone(), dispatch.clone());
        let client = WorkerClient::start(
            Callback::from(move |reply| on_reply.dispatch(Action::Reply(reply))),
            Callback::from(move |message| on_fail.dispatch(Action::WorkerFailed(message))),
        );
        Rc::new(client.ok())
    }))
    .clone();
    let send = {
        let client = client.clone();
        move |request: Request| {
            if let Some(client) = client.as_ref() {
                client.send(&request);
            }
        }
    };

    let on_file = {
        let (client, dispatch) = (client.clone(), dispatch.clone());
        Callback::from(move |file: web_sys::File| {
            dispatch.dispatch(Action::Open(file.name()));
            match client.as_ref() {
                Some(client) => client.open(&file),
                None => dispatch.dispatch(Action::WorkerFailed("this browser could not start the analysis worker (Web Workers are needed)".into())),
            }
        })
    };
    let on_read_error = {
        let dispatch = dispatch.clone();
        Callback::from(move |(name, message): (String, String)| {
            dispatch.dispatch(Action::Open(name));
            dispatch.dispatch(Action::Reply(crate::service::protocol::Reply::Failed { message }));
        })
    };
    let on_cancel = {
        let send = send.clone();
        Callback::from(move |_| send(Request::Cancel))
    };

    // Ask for the visible window of the list whenever it, the file or the reading moves on.
    {
        let send = send.clone();
        let p = &state.progress;
        let key = (state.list_params.clone(), state.file_id, p.as_ref().map(|p| p.bytes_read), state.summary.is_some());
        use_effect_with(key, move |(params, file_id, _, _)| {
            if *file_id > 0 {
                send(Request::List { query: params.query.clone(), sort: params.sort, reverse: params.reverse, from: params.from, count: LIST_WINDOW });
            }
        });
    }
    // The layout of the selected connection; again when reading ends (it may have grown).
    {
        let send = send.clone();
        use_effect_with((state.stream, state.options.clone(), state.file_id, state.summary.is_some()), move |(stream, options, _, _)| {
            if let Some(stream) = *stream {
                send(Request::Layout { stream, options: options.clone() });
            }
        });
    }
    {
        let send = send.clone();
        use_effect_with((state.stream, state.segment, state.file_id, state.summary.is_some()), move |(stream, segment, _, _)| {
            if let (Some(stream), Some(index)) = (*stream, *segment) {
                send(Request::Detail { stream, index });
            }
        });
    }

    // The stream tools: the graph or the followed page the tab shows, asked again when the
    // connection, the view or the file changes.
    {
        let send = send.clone();
        let key = (state.tool, state.stream, state.graph_kind, state.graph_range, state.graph_from_client, state.file_id, state.summary.is_some());
        use_effect_with(key, move |(tool, stream, kind, range, from_client, _, _)| {
            if let (Tool::Graph, Some(stream)) = (*tool, *stream) {
                // One summary column per pixel the plot can have (about the window's width).
                let columns = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).map_or(900, |w| (w as u32).saturating_sub(160).clamp(200, 1800));
                send(Request::Graph { request: GraphRequest { stream, kind: *kind, from_client: *from_client, range: *range, columns } });
            }
        });
    }
    {
        let send = send.clone();
        use_effect_with((state.tool, state.stream, state.follow_from, state.file_id, state.summary.is_some()), move |(tool, stream, from, _, _)| {
            if let (Tool::Follow, Some(stream)) = (*tool, *stream) {
                send(Request::Follow { stream, from: *from, count: FOLLOW_PAGE });
            }
        });
    }
    let on_tool = dispatch.to_callback().reform(Action::Tool);
    let on_graph_kind = dispatch.to_callback().reform(Action::GraphKind);
    let on_graph_range = dispatch.to_callback().reform(Action::GraphRange);
    let on_graph_direction = dispatch.to_callback().reform(Action::GraphDirection);
    let on_follow_from = dispatch.to_callback().reform(Action::FollowFrom);
    let on_pick_frame = dispatch.to_callback().reform(Action::JumpToFrame);
    let on_follow_search = {
        let (send, stream) = (send.clone(), state.stream);
        Callback::from(move |(text, from): (String, u32)| {
            if let Some(stream) = stream {
                send(Request::FollowSearch { stream, text, from });
            }
        })
    };
    let on_follow_download = {
        let (send, stream) = (send.clone(), state.stream);
        Callback::from(move |from_client: bool| {
            if let Some(stream) = stream {
                send(Request::FollowDownload { stream, from_client });
            }
        })
    };
    let selected_segment = state.detail.as_ref().filter(|_| state.segment.is_some()).map(|d| (d.frame, d.time));

    let on_select_stream = dispatch.to_callback().reform(Action::SelectStream);
    let on_select_segment = dispatch.to_callback().reform(|i: usize| Action::SelectSegment(Some(i)));
    let on_list = dispatch.to_callback().reform(Action::List);
    let set_options = {
        let (dispatch, options) = (dispatch.clone(), state.options.clone());
        move |change: fn(&mut LadderOptions)| {
            let mut next = options.clone();
            change(&mut next);
            dispatch.dispatch(Action::Options(next));
        }
    };
    let toggle = |change: fn(&mut LadderOptions)| {
        let set_options = set_options.clone();
        Callback::from(move |_| set_options(change))
    };
    let on_expand = {
        let (dispatch, options) = (dispatch.clone(), state.options.clone());
        Callback::from(move |id: usize| {
            let mut next = options.clone();
            next.expanded.insert(id);
            dispatch.dispatch(Action::Options(next));
        })
    };

    // The timing view shows every segment, so it is laid out a window at a time around what
    // is on screen; a new window is asked for when the screen nears the loaded one's edge.
    let on_visible = {
        let (dispatch, options) = (dispatch.clone(), state.options.clone());
        Callback::from(move |(top, bottom): (f32, f32)| {
            let Some((lo, hi)) = options.window.filter(|_| options.timing) else { return };
            let margin = WINDOW_MARGIN as f32 / 3.0;
            if (top < lo as f32 + margin && lo > 0) || bottom > hi as f32 - margin {
                let mut next = options.clone();
                next.window = Some(((top as u32).saturating_sub(WINDOW_MARGIN), bottom as u32 + WINDOW_MARGIN));
                dispatch.dispatch(Action::Options(next));
            }
        })
    };

    // Moves the selection by `delta` segments (the step lesson's previous/next, ↑/↓, ←/→);
    // moving into a collapsed run opens it.
    let move_by = {
        let (dispatch, segment, on_expand) = (dispatch.clone(), state.segment, on_expand.clone());
        let groups = state.ladder.as_ref().map(|l| l.groups.clone()).unwrap_or_default();
        let count = state.ladder.as_ref().map_or(0, |l| segment_count(l));
        Callback::from(move |delta: i64| {
            if count == 0 {
                return;
            }
            let next = match segment {
                None => 0,
                Some(i) => (i as i64 + delta).clamp(0, count as i64 - 1) as usize,
            };
            if let Some(g) = groups.iter().find(|g| next >= g.id && next < g.id + g.segments) {
                on_expand.emit(g.id);
            }
            dispatch.dispatch(Action::SelectSegment(Some(next)));
        })
    };
    {
        let send = send.clone();
        use_effect_with((state.stream, state.segment, state.file_id, state.step_mode), move |(stream, segment, _, step_mode)| {
            if let (Some(stream), Some(index), true) = (*stream, *segment, *step_mode) {
                send(Request::Lesson { stream, index });
            }
        });
    }
    let on_jump = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if e.key() != "Enter" {
                return;
            }
            let Some(input) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) else { return };
            if let Ok(frame) = input.value().trim().parse::<u64>() {
                dispatch.dispatch(Action::JumpToFrame(frame));
            }
        })
    };
    // Installed and offline: the service worker, and captures opened from the file manager.
    {
        let (dispatch, on_file) = (dispatch.clone(), on_file.clone());
        use_effect_with((), move |_| {
            super::installable::register_service_worker(Callback::from(move |text| dispatch.dispatch(Action::Notice(text))));
            super::installable::accept_launched_files(on_file);
        });
    }
    // A link to a view: read once when the page opens, restored when its file is open.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
            if !hash.is_empty() {
                dispatch.dispatch(Action::RestoreLink(ViewLink::parse(&hash)));
            }
        });
    }
    // The URL follows the view (connection, segment, toggles; never capture data), without
    // adding to the history at every click.
    let link = ViewLink {
        stream: state.stream,
        frame: state.segment.and_then(|i| state.ladder.as_ref().and_then(|l| l.arrows.iter().find(|a| a.index == i).map(|a| a.frame))),
        absolute: state.options.absolute,
        by_time: state.options.by_time,
        timing: state.options.timing,
        expand_all: state.options.expand_all,
        step: state.step_mode,
        hide_addresses: state.options.hide_addresses,
        names: state.options.names.clone(),
    };
    {
        let restoring = state.pending_link.is_some() || state.pending_jump.is_some();
        use_effect_with((link.clone(), restoring, state.has_file()), move |(link, restoring, has_file)| {
            if *has_file && !*restoring {
                if let Some(w) = web_sys::window() {
                    let path = w.location().pathname().unwrap_or_default();
                    let search = w.location().search().unwrap_or_default();
                    let url = format!("{path}{search}{}", link.to_fragment());
                    let _ = w.history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
                }
            }
        });
    }
    let on_copy_link = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(w) = web_sys::window() else { return };
            let href = w.location().href().unwrap_or_default();
            let promise = w.navigator().clipboard().write_text(&href);
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let said = match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => format!("Link copied: {href} (it opens this view once the same file is opened)."),
                    Err(_) => format!("The browser did not allow copying; the link is {href}"),
                };
                dispatch.dispatch(Action::Notice(said));
            });
        })
    };
    let on_step_mode = {
        let (dispatch, on) = (dispatch.clone(), !state.step_mode);
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::StepMode(on)))
    };

    let onkeydown = {
        let (dispatch, segment) = (dispatch.clone(), state.segment);
        let groups = state.ladder.as_ref().map(|l| l.groups.clone()).unwrap_or_default();
        let count = state.ladder.as_ref().map_or(0, |l| segment_count(l));
        let on_expand = on_expand.clone();
        let (move_by, step_mode) = (move_by.clone(), state.step_mode);
        Callback::from(move |e: KeyboardEvent| {
            // Keys typed into a control (an export button, a name, the frame box) are the
            // control's: Enter on a button presses it, it does not open a collapsed run.
            let in_control = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "INPUT" | "SELECT" | "TEXTAREA" | "SUMMARY"));
            if in_control {
                return;
            }
            if step_mode && (e.key() == "ArrowLeft" || e.key() == "ArrowRight") {
                e.prevent_default();
                move_by.emit(if e.key() == "ArrowLeft" { -1 } else { 1 });
                return;
            }
            if e.key() == "Enter" {
                // Enter opens the next collapsed run after the selected segment (or the first).
                let from = segment.unwrap_or(0);
                if let Some(g) = groups.iter().find(|g| g.id + g.segments > from) {
                    e.prevent_default();
                    on_expand.emit(g.id);
                    dispatch.dispatch(Action::SelectSegment(Some(g.id)));
                }
                return;
            }
            let next = match (e.key().as_str(), segment) {
                ("ArrowDown", None) if count > 0 => Some(Some(0)),
                ("ArrowDown", Some(i)) => Some(Some((i + 1).min(count.saturating_sub(1)))),
                ("ArrowUp", Some(i)) => Some(Some(i.saturating_sub(1))),
                ("Escape", _) => Some(None),
                _ => None,
            };
            if let Some(next) = next {
                e.prevent_default();
                // Moving into a collapsed run opens it.
                if let Some(g) = next.and_then(|i| groups.iter().find(|g| i >= g.id && i < g.id + g.segments)) {
                    on_expand.emit(g.id);
                }
                dispatch.dispatch(Action::SelectSegment(next));
            }
        })
    };

    // A file dropped anywhere on the page opens.
    let ondragover = Callback::from(|e: web_sys::DragEvent| e.prevent_default());
    let ondrop = {
        let on_file = on_file.clone();
        Callback::from(move |e: web_sys::DragEvent| {
            e.prevent_default();
            if let Some(file) = e.data_transfer().and_then(|dt| dt.files()).and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
        })
    };
    // The segment panel's width, set by dragging the splitter (or ← / → on it).
    // A quarter of the window, 300–380 px: on a laptop the diagram keeps room for both
    // lifelines and their states at full size.
    let panel_width = use_state(|| web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).map_or(380, |w| (w * 0.25) as i32).clamp(300, 380));
    let split_ref = use_node_ref();
    let dragging = use_mut_ref(|| false);
    let on_split_down = {
        let dragging = dragging.clone();
        Callback::from(move |e: web_sys::PointerEvent| {
            *dragging.borrow_mut() = true;
            if let Some(el) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
        })
    };
    let on_split_move = {
        let (dragging, panel_width, split_ref) = (dragging.clone(), panel_width.clone(), split_ref.clone());
        Callback::from(move |e: web_sys::PointerEvent| {
            if !*dragging.borrow() {
                return;
            }
            if let Some(box_) = split_ref.cast::<web_sys::Element>() {
                let right = box_.get_bounding_client_rect().right();
                panel_width.set(((right - f64::from(e.client_x())) as i32).clamp(240, 900));
            }
        })
    };
    let on_split_up = {
        let dragging = dragging.clone();
        Callback::from(move |_: web_sys::PointerEvent| *dragging.borrow_mut() = false)
    };
    let on_split_key = {
        let panel_width = panel_width.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = match e.key().as_str() {
                "ArrowLeft" => 40,
                "ArrowRight" => -40,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            panel_width.set((*panel_width + step).clamp(240, 900));
        })
    };
    // The connection list can be folded away to give the diagram the width.
    let list_hidden = use_state(|| false);
    let toggle_list = {
        let list_hidden = list_hidden.clone();
        Callback::from(move |_: MouseEvent| list_hidden.set(!*list_hidden))
    };
    let options = &state.options;
    html! {
        <div class={classes!("app", state.has_file().then_some("has-file"))} data-worker-ready={state.worker_ready.to_string()} {ondragover} {ondrop}>
            if state.has_file() {
                // Once a capture is open the header folds into one bar, so the diagram gets the
                // height of the window.
                <header class="app-bar" data-testid="app-bar">
                    <h1>{"tcp-ladder"}</h1>
                    <FilePicker on_file={on_file.clone()} on_error={on_read_error.clone()} compact={true} />
                    <details class="samples-menu">
                        <summary>{"Samples"}</summary>
                        <Samples on_file={on_file.clone()} on_error={on_read_error.clone()} />
                    </details>
                    if let Some(summary) = &state.summary {
                        <Summary name={state.name.clone()} summary={summary.clone()} />
                    }
                </header>
            } else {
                <header class="top">
                    <h1>{"tcp-ladder"}</h1>
                    <p class="tagline">{"Drop a pcap or pcapng file: every TCP connection drawn as a ladder diagram, explained. Nothing leaves your browser."}</p>
                </header>
                <FilePicker on_file={on_file.clone()} on_error={on_read_error.clone()} />
                <Samples on_file={on_file.clone()} on_error={on_read_error.clone()} />
            }
            if state.loading {
                <ProgressBar name={state.name.clone()} progress={state.progress.clone().unwrap_or_default()} {on_cancel} />
            }
            if let Some(error) = &state.error {
                <ErrorBanner file={state.name.clone()} message={error.clone()} />
            }
            if let Some(notice) = &state.notice {
                <p class="notice" role="status" data-testid="notice">{ notice }</p>
            }
            if state.has_file() && state.list.total > 0 {
                <main class={classes!("workspace", (*list_hidden).then_some("list-hidden"))}>
                    <button class="list-toggle" data-testid="list-toggle" onclick={toggle_list} aria-expanded={(!*list_hidden).to_string()}
                            title="show or hide the connection list">{ if *list_hidden { "» connections" } else { "« hide list" } }</button>
                    <ConnectionList page={state.list.clone()} params={state.list_params.clone()} on_params={on_list} selected={state.stream} on_select={on_select_stream} loading={state.loading} busy={state.list_pending} hide={state.options.hide_addresses} />
                    if let (Some(ladder), Some(s)) = (state.ladder.clone(), state.stream) {
                        <section class="diagram-pane" data-stream={s.to_string()} data-worker-memory={state.worker_memory.to_string()} data-layout-final={state.layout_final.to_string()} tabindex="0" {onkeydown} aria-label="ladder diagram; arrow keys move between segments (left and right in step mode), Enter opens a collapsed run, Escape clears">
                            <div class="toolbar">
                                <label class="toggle"><input type="checkbox" data-testid="toggle-absolute" checked={options.absolute} onchange={toggle(|o| o.absolute = !o.absolute)} />{" absolute sequence numbers"}</label>
                                <label class="toggle"><input type="checkbox" data-testid="toggle-time" checked={options.by_time} disabled={options.timing} onchange={toggle(|o| o.by_time = !o.by_time)} />{" rows by capture time"}</label>
                                <label class="toggle" title="Each arrow from its estimated send time to its estimated arrival, through the capture point: the delays as a textbook draws them"><input type="checkbox" data-testid="view-timing" checked={options.timing} onchange={toggle(|o| { o.timing = !o.timing; o.window = o.timing.then_some(first_window()); })} />{" as the endpoints saw it (timing)"}</label>
                                <label class="toggle"><input type="checkbox" data-testid="toggle-expand" checked={options.expand_all} onchange={toggle(|o| o.expand_all = !o.expand_all)} />{" show every segment"}</label>
                                <label class="toggle"><input type="checkbox" data-testid="hide-addresses" checked={options.hide_addresses} onchange={toggle(|o| o.hide_addresses = !o.hide_addresses)} />{" hide addresses"}</label>
                                { for [true, false].into_iter().map(|client| {
                                    let side = if client { "client" } else { "server" };
                                    let set_name = {
                                        let (dispatch, options) = (dispatch.clone(), state.options.clone());
                                        Callback::from(move |e: Event| {
                                            let Some(input) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) else { return };
                                            let mut next = options.clone();
                                            let value = input.value().trim().to_string();
                                            next.names[usize::from(!client)] = (!value.is_empty()).then_some(value);
                                            dispatch.dispatch(Action::Options(next));
                                        })
                                    };
                                    html! {
                                        <input type="text" class="endpoint-name" data-testid="endpoint-name" data-side={side} maxlength="40"
                                               placeholder={format!("name the {side}")} aria-label={format!("a name for the {side}")}
                                               value={state.options.names[usize::from(!client)].clone().unwrap_or_default()} onchange={set_name} />
                                    }
                                }) }
                                <input type="number" min="1" class="jump-frame" data-testid="jump-frame" placeholder="frame #" aria-label="jump to frame (Enter)" onkeydown={on_jump} />
                                <button data-testid="copy-link" onclick={on_copy_link} title="A link to this connection, segment and view (no capture data is in it)">{"copy link"}</button>
                                <button data-testid="step-mode" class={classes!("step-toggle", state.step_mode.then_some("on"))} aria-pressed={state.step_mode.to_string()} onclick={on_step_mode}
                                        title="A lesson: one segment at a time (← / →), with each endpoint's state machine and variables">{ if state.step_mode { "leave step mode" } else { "step through" } }</button>
                                <ExportBar ladder={ladder.clone()} name={format!("{}-stream{}", state.name, s)} />
                            </div>
                            <Legend />
                            <div class="diagram-and-panel" ref={split_ref.clone()} style={format!("--panel-width:{}px", *panel_width)}>
                                <LadderView ladder={ladder.clone()} selected={state.segment} on_select={on_select_segment} {on_expand} {on_visible}
                                            upto={state.step_mode.then_some(state.segment.unwrap_or(0))} />
                                <div class="splitter" role="separator" aria-orientation="vertical" tabindex="0" data-testid="splitter"
                                     aria-label="resize the segment panel (← / →)" aria-valuenow={panel_width.to_string()} aria-valuemin="240" aria-valuemax="900"
                                     onpointerdown={on_split_down} onpointermove={on_split_move} onpointerup={on_split_up} onkeydown={on_split_key}></div>
                                if state.step_mode {
                                    <LessonPanel step={state.lesson.clone()} on_step={move_by} />
                                } else {
                                    <SegmentPanel {ladder} detail={state.detail.clone()} selected={state.segment} hide={state.options.hide_addresses} />
                                }
                            </div>
                            <StreamTools tool={state.tool} kind={state.graph_kind} from_client={state.graph_from_client} graph={state.graph.clone()} follow={state.follow.clone()}
                                         found={state.follow_found.clone()} selected={selected_segment} name={format!("{}-stream{}", state.name, s)}
                                         {on_tool} on_kind={on_graph_kind} on_direction={on_graph_direction} on_range={on_graph_range} on_pick={on_pick_frame}
                                         {on_follow_from} on_search={on_follow_search} on_download={on_follow_download} />
                        </section>
                    } else if let Some(s) = state.stream {
                        // Before laying a connection out the worker may read its frames again
                        // and analyse them (a long one takes a moment): the pane says what is
                        // under way rather than stay blank.
                        <section class="diagram-pending" data-testid="diagram-pending" role="status">
                            { format!("Connection #{s}: analysing its segments and laying out its diagram…") }
                        </section>
                    }
                </main>
            }
        </div>
    }
}
