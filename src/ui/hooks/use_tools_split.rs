//! `use_tools_split`: the height of Graphs / Follow stream under the ladder, set by dragging the
//! separator between them (or ↑ / ↓ on it). Until it is moved the style sheet's default holds
//! (the ladder keeps at least half the pane on a laptop, #24).

use web_sys::{KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// The tools' lowest height (px): the tabs and a short graph.
pub const TOOLS_MIN: i32 = 140;
/// What an arrow key moves the separator by (px).
const STEP: i32 = 40;

fn window_height() -> f64 {
    web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|v| v.as_f64()).unwrap_or(800.0)
}

/// The style sheet's default: 37 % of a laptop's window (≤ 1200 px tall), else 46 %.
fn default_height() -> i32 {
    let h = window_height();
    (h * if h <= 1200.0 { 0.37 } else { 0.46 }) as i32
}

/// The tools' highest height: the ladder above keeps 200 px.
pub fn tools_max() -> i32 {
    ((window_height() - 260.0) as i32).max(TOOLS_MIN)
}

pub struct ToolsSplit {
    /// The height the reader chose (px), if any.
    pub chosen: Option<i32>,
    /// The height in force (px): the chosen one, else the tools' height as drawn (the default
    /// is a maximum), else the default.
    pub height: i32,
    /// On the diagram pane: the tools' box is read from it.
    pub pane_ref: NodeRef,
    pub on_down: Callback<PointerEvent>,
    pub on_move: Callback<PointerEvent>,
    pub on_up: Callback<PointerEvent>,
    pub on_key: Callback<KeyboardEvent>,
}

#[hook]
pub fn use_tools_split() -> ToolsSplit {
    let chosen = use_state(|| None::<i32>);
    let pane_ref = use_node_ref();
    // While dragging: where the pointer went down and the tools' height then (the separator
    // moves with the pointer from where it was taken, without a jump).
    let dragging = use_mut_ref(|| None::<(f64, i32)>);
    // The tools' box as drawn (the default is a maximum: a short page of Follow is lower).
    let drawn = {
        let pane_ref = pane_ref.clone();
        move || -> Option<i32> {
            pane_ref.cast::<web_sys::Element>().and_then(|p| p.query_selector(".stream-tools").ok().flatten()).map(|t| t.get_bounding_client_rect().height() as i32)
        }
    };
    // The drawn height, read after each render and each resize of the window, so that the
    // separator's aria-valuenow is the height on screen from the first render (#24).
    let measured = use_state_eq(|| None::<i32>);
    {
        let (measured, drawn) = (measured.clone(), drawn.clone());
        use_effect(move || measured.set(drawn()));
    }
    {
        let (measured, drawn) = (measured.clone(), drawn.clone());
        super::use_window_resize((), move || measured.set(drawn()));
    }
    let on_down = {
        let (dragging, chosen, drawn) = (dragging.clone(), chosen.clone(), drawn.clone());
        Callback::from(move |e: PointerEvent| {
            *dragging.borrow_mut() = Some((f64::from(e.client_y()), (*chosen).or_else(&drawn).unwrap_or_else(default_height)));
            super::use_splitter::capture_pointer(&e);
        })
    };
    let on_move = {
        let (dragging, chosen) = (dragging.clone(), chosen.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some((y0, h0)) = *dragging.borrow() {
                chosen.set(Some((h0 - (f64::from(e.client_y()) - y0).round() as i32).clamp(TOOLS_MIN, tools_max())));
            }
        })
    };
    let on_up = Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = None);
    let on_key = {
        let chosen = chosen.clone();
        Callback::from(move |e: KeyboardEvent| {
            let now = (*chosen).or_else(&drawn).unwrap_or_else(default_height);
            let next = match e.key().as_str() {
                "ArrowUp" => now + STEP,
                "ArrowDown" => now - STEP,
                "Home" => TOOLS_MIN,
                "End" => tools_max(),
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            chosen.set(Some(next.clamp(TOOLS_MIN, tools_max())));
        })
    };
    ToolsSplit { chosen: *chosen, height: (*chosen).or(*measured).unwrap_or_else(default_height), pane_ref, on_down, on_move, on_up, on_key }
}
