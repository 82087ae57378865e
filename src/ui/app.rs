//! The page's root component: it holds the state (`state.rs`), takes its behaviour from the
//! custom hooks (`hooks/`: the worker, opening files, the requests, the selection, the link in
//! the URL…) and lays out the panes (connection list, ladder, segment detail, lesson, stream
//! tools) from the components.

use yew::prelude::*;

use super::components::{AppHeader, ConnectionList, DiagramToolbar, ErrorBanner, LadderView, Legend, LessonPanel, MergedView, ProgressBar, SegmentPanel, StreamTools, TimeBarView};
use super::hooks::{
    use_bool_toggle, use_file_opening, use_installable, use_merge_requests, use_ladder_options, use_segment_selection, use_splitter, use_stream_tools, use_tools_split, use_view_link, use_view_requests, use_worker, PANEL_MAX,
    PANEL_MIN, TOOLS_MIN,
};
use super::state::{Action, AppState};

/// A window too narrow for the list beside the diagram (the CSS puts it above from 760 px down).
fn narrow_window() -> bool {
    web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).is_some_and(|w| w <= 760.0)
}

/// Moves the keyboard focus to the diagram pane (its arrow keys then move between segments).
fn focus_diagram() {
    use wasm_bindgen::JsCast;
    let pane = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(".diagram-pane").ok().flatten());
    if let Some(pane) = pane.and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = pane.focus();
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let dispatch = state.dispatcher();
    let worker = use_worker(dispatch.clone());
    let files = use_file_opening(&worker, dispatch.clone());
    // The hooks' effects run in this order (the worker answers in the order it is asked).
    use_view_requests(&state, &worker);
    use_merge_requests(&state, &worker);
    let tools = use_stream_tools(&state, dispatch.clone(), &worker);
    let ladder_options = use_ladder_options(&state.options, state.step_mode, dispatch.clone());
    let selection = use_segment_selection(&state, dispatch.clone(), &worker, ladder_options.on_expand.clone());
    use_installable(dispatch.clone(), files.on_file.clone());
    let on_copy_link = use_view_link(&state, dispatch.clone(), files.on_file.clone(), files.on_read_error.clone());
    let splitter = use_splitter();
    let split = use_tools_split();
    let column_in_view = crate::ui::hooks::use_column_in_view();
    // On a phone the list and the diagram cannot stand side by side: the diagram comes first,
    // the list folds behind its button, and choosing a connection there folds it again (#24).
    let list_hidden = use_bool_toggle(narrow_window());
    let on_select_stream = {
        let (dispatch, hide) = (dispatch.clone(), list_hidden.set.clone());
        Callback::from(move |stream: u32| {
            if narrow_window() {
                hide.emit(true);
            }
            dispatch.dispatch(Action::SelectStream(stream));
        })
    };
    let on_list = dispatch.to_callback().reform(Action::List);
    let selected_segment = state.detail.as_ref().filter(|_| state.segment.is_some()).map(|d| (d.frame, d.time));
    html! {
        <div class={classes!("app", state.has_file().then_some("has-file"))} data-worker-ready={state.worker_ready.to_string()} ondragover={files.ondragover} ondrop={files.ondrop}>
            // The first Tab stop once a diagram is on screen: straight to it (#24: it took 21 Tabs).
            if state.ladder.is_some() {
                <button class="skip-link" data-testid="skip-link" onclick={Callback::from(|_: MouseEvent| focus_diagram())}>{"Skip to the diagram"}</button>
            }
            <AppHeader has_file={state.has_file()} name={state.name.clone()} summary={state.summary.clone()} on_file={files.on_file.clone()} on_two={files.on_two.clone()} on_error={files.on_read_error.clone()} />
            if state.loading {
                <ProgressBar name={state.name.clone()} progress={state.progress.clone().unwrap_or_default()} on_cancel={files.on_cancel} />
            }
            if let Some(error) = &state.error {
                <ErrorBanner file={state.name.clone()} message={error.clone()} />
            }
            if let Some(notice) = &state.notice {
                <p class="notice" role="status" data-testid="notice">{ notice }</p>
            }
            if let Some(view) = state.merge.clone() {
                <MergedView {view} ask={state.merge_ask} on_ask={dispatch.to_callback().reform(Action::MergeAsk)} />
            }
            if state.has_file() && state.list.total > 0 {
                // (Folded only while a diagram is there to take its place.)
                <main class={classes!("workspace", (list_hidden.on && state.ladder.is_some()).then_some("list-hidden"))}>
                    <button class="list-toggle" data-testid="list-toggle" onclick={list_hidden.toggle} aria-expanded={(!(list_hidden.on && state.ladder.is_some())).to_string()}
                            title="show or hide the connection list">{ if list_hidden.on && state.ladder.is_some() { format!("» connections ({})", state.list.total) } else { "« hide list".to_string() } }</button>
                    <ConnectionList page={state.list.clone()} params={state.list_params.clone()} on_params={on_list} selected={state.stream} on_select={on_select_stream} loading={state.loading} busy={state.list_pending} hide={state.options.hide_addresses} hide_data={state.options.hide_app_data} />
                    if let (Some(ladder), Some(s)) = (state.ladder.clone(), state.stream) {
                        <section ref={split.pane_ref.clone()} class={classes!("diagram-pane", split.chosen.is_some().then_some("tools-sized"))} style={split.chosen.map(|h| format!("--tools-height:{h}px"))} data-stream={s.to_string()} data-worker-memory={state.worker_memory.to_string()} data-layout-final={state.layout_final.to_string()} tabindex="0" onkeydown={selection.onkeydown} aria-label="ladder diagram; arrow keys move between segments (left and right in step mode), Enter opens a collapsed run, Escape clears">
                            <DiagramToolbar options={state.options.clone()} step_mode={state.step_mode} ladder={ladder.clone()} name={format!("{}-stream{}", state.name, s)}
                                            on_options={ladder_options.on_options} on_jump={selection.on_jump.clone()} {on_copy_link} on_step_mode={selection.on_step_mode.clone()} />
                            <Legend />
                            // Not in the lesson: its figures need the height, and it is about states, not time.
                            if let (Some(bar), false) = (ladder.time_bar.clone(), state.step_mode) {
                                <TimeBarView {bar} on_jump={selection.on_jump.clone()} />
                            }
                            <div class="diagram-and-panel" ref={splitter.node_ref.clone()} style={format!("--panel-width:{}px", splitter.width)}>
                                <LadderView ladder={ladder.clone()} selected={state.segment} on_select={selection.on_select} on_expand={ladder_options.on_expand} on_visible={ladder_options.on_visible}
                                            upto={state.step_mode.then_some(state.segment.unwrap_or(0))} on_fit_room={list_hidden.set.reform(|_: ()| true)} />
                                <div class="splitter" role="separator" aria-orientation="vertical" tabindex="0" data-testid="splitter"
                                     aria-label="resize the segment panel (← / →)" aria-valuenow={splitter.width.to_string()} aria-valuemin={PANEL_MIN.to_string()} aria-valuemax={PANEL_MAX.to_string()}
                                     onpointerdown={splitter.on_down} onpointermove={splitter.on_move} onpointerup={splitter.on_up} onkeydown={splitter.on_key}></div>
                                if state.step_mode {
                                    <LessonPanel step={state.lesson.clone()} on_step={selection.move_by} on_leave={selection.on_step_mode.reform(|_: ()| false)} />
                                } else {
                                    <SegmentPanel {ladder} detail={state.detail.clone()} selected={state.segment} hide={state.options.hide_addresses} hide_data={state.options.hide_app_data} {column_in_view} />
                                }
                            </div>
                            if state.tool != crate::ui::state::Tool::None {
                                // Between the ladder and the tools: drag it, or ↑ / ↓ on it (#24).
                                <div class="tools-splitter" role="separator" aria-orientation="horizontal" tabindex="0" data-testid="tools-splitter"
                                     aria-label="resize the graphs and follow stream pane (↑ / ↓)" aria-valuenow={split.height.to_string()} aria-valuemin={TOOLS_MIN.to_string()}
                                     aria-valuemax={crate::ui::hooks::tools_max().to_string()} aria-valuetext={format!("graphs and follow stream {} px high", split.height)}
                                     onpointerdown={split.on_down} onpointermove={split.on_move} onpointerup={split.on_up} onkeydown={split.on_key}></div>
                            }
                            <StreamTools height={split.chosen} tool={state.tool} kind={state.graph_kind} from_client={state.graph_from_client} graph={state.graph.clone()} follow={state.follow.clone()}
                                         found={state.follow_found.clone()} selected={selected_segment} name={format!("{}-stream{}", state.name, s)}
                                         on_tool={tools.on_tool} on_kind={tools.on_kind} on_direction={tools.on_direction} on_range={tools.on_range} on_pick={tools.on_pick}
                                         on_follow_from={tools.on_follow_from} on_search={tools.on_search} on_download={tools.on_download}
                                         hide_bytes={state.options.hide_addresses || state.options.hide_app_data} />
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
