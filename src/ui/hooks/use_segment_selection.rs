//! `use_segment_selection`: which segment of the shown connection is selected, and every way of
//! moving it: a click, a frame number, the keys on the diagram, the step-through lesson's
//! previous and next (whose lesson is asked of the worker for each segment it stops at).

use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::WorkerHandle;
use crate::diagram::{Group, Ladder};
use crate::service::protocol::Request;
use crate::ui::state::{Action, AppState};

pub struct SegmentSelection {
    /// A segment clicked in the ladder.
    pub on_select: Callback<usize>,
    /// The segment of this frame (the toolbar's frame box).
    pub on_jump: Callback<u64>,
    /// Moves the selection by this many segments (the lesson's previous/next, ← / →).
    pub move_by: Callback<i64>,
    /// The diagram's keys: ↑ / ↓ (← / → in step mode), Enter, Escape.
    pub onkeydown: Callback<KeyboardEvent>,
    /// Step mode on or off.
    pub on_step_mode: Callback<bool>,
}

/// Segments in the connection the ladder shows (arrows and collapsed runs together).
fn segment_count(ladder: &Ladder) -> usize {
    let arrows = ladder.arrows.iter().map(|a| a.index + 1).max().unwrap_or(0);
    let groups = ladder.groups.iter().map(|g| g.id + g.segments).max().unwrap_or(0);
    arrows.max(groups)
}

/// The collapsed run (its id) that holds segment `index`, if it is in one.
fn run_holding(groups: &[Group], index: usize) -> Option<usize> {
    groups.iter().find(|g| index >= g.id && index < g.id + g.segments).map(|g| g.id)
}

#[hook]
pub fn use_segment_selection(state: &AppState, dispatch: UseReducerDispatcher<AppState>, worker: &WorkerHandle, on_expand: Callback<usize>) -> SegmentSelection {
    {
        let worker = worker.clone();
        use_effect_with((state.stream, state.segment, state.file_id, state.step_mode), move |(stream, segment, _, step_mode)| {
            if let (Some(stream), Some(index), true) = (*stream, *segment, *step_mode) {
                worker.send(Request::Lesson { stream, index });
            }
        });
    }
    let groups = state.ladder.as_ref().map(|l| l.groups.clone()).unwrap_or_default();
    let count = state.ladder.as_ref().map_or(0, |l| segment_count(l));
    let segment = state.segment;
    // Moving into a collapsed run opens it.
    let move_by = {
        let (dispatch, on_expand, groups) = (dispatch.clone(), on_expand.clone(), groups.clone());
        Callback::from(move |delta: i64| {
            if count == 0 {
                return;
            }
            let next = match segment {
                None => 0,
                Some(i) => (i as i64 + delta).clamp(0, count as i64 - 1) as usize,
            };
            if let Some(run) = run_holding(&groups, next) {
                on_expand.emit(run);
            }
            dispatch.dispatch(Action::SelectSegment(Some(next)));
        })
    };
    let onkeydown = {
        let (dispatch, move_by, step_mode) = (dispatch.clone(), move_by.clone(), state.step_mode);
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
                if let Some(run) = next.and_then(|i| run_holding(&groups, i)) {
                    on_expand.emit(run);
                }
                dispatch.dispatch(Action::SelectSegment(next));
            }
        })
    };
    let actions = dispatch.to_callback();
    SegmentSelection {
        on_select: actions.reform(|i: usize| Action::SelectSegment(Some(i))),
        on_jump: actions.reform(Action::JumpToFrame),
        move_by,
        onkeydown,
        on_step_mode: actions.reform(Action::StepMode),
    }
}
