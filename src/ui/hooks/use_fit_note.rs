//! `use_fit_note`: under "fit", a connection too long to be drawn whole at the smallest readable
//! size (11 px text) scrolls; this says which of its rows are on screen, kept up to date as the
//! diagram scrolls and the window changes (#24: "fit" said nothing of what it could not show).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::shared::SharedLadder;

/// The note for the diagram in `el` (None when the whole diagram is on screen); the sticky lane
/// names cover the pane's top 22 px.
fn note(el: &web_sys::Element, ladder: &crate::diagram::Ladder) -> Option<String> {
    if el.scroll_height() <= el.client_height() + 1 {
        return None;
    }
    // Diagram units of the pane's top (under the lane names) and bottom, read from where the
    // drawing stands on screen.
    let svg = el.query_selector("svg.ladder").ok().flatten()?.get_bounding_client_rect();
    let pane = el.get_bounding_client_rect();
    let scale = (svg.width() as f32 / ladder.width).max(0.05);
    let from = (pane.top() as f32 + 22.0 - svg.top() as f32) / scale;
    let to = (pane.top() as f32 + el.client_height() as f32 - svg.top() as f32) / scale;
    let (first, last, rows) = ladder.rows_within(from, to)?;
    Some(format!("rows {first}–{last} of {rows} fit at the smallest readable size (11 px); scroll for the rest"))
}

/// The note while `fitting` (the scroller is `scroller`), else None.
#[hook]
pub fn use_fit_note(scroller: NodeRef, ladder: SharedLadder, fitting: bool) -> Option<String> {
    let shown = use_state_eq(|| None::<String>);
    {
        let shown = shown.clone();
        use_effect_with((fitting, ladder), move |(fitting, ladder)| {
            let el = scroller.cast::<web_sys::Element>().filter(|_| *fitting);
            let update = {
                let (shown, el, ladder) = (shown.clone(), el.clone(), ladder.clone());
                move || shown.set(el.as_ref().and_then(|el| note(el, &ladder)))
            };
            update();
            let window = web_sys::window();
            // Again once the page is laid out anew ("fit" may fold the list), and on each
            // scroll of the diagram or resize of the window.
            // (Two frames on: the list folds and the pane settles after the first.)
            if let (Some(w), true) = (&window, el.is_some()) {
                let (again, w2) = (update.clone(), w.clone());
                let later = move || {
                    again();
                    let again = again.clone();
                    let _ = w2.request_animation_frame(wasm_bindgen::closure::Closure::once_into_js(move || again()).unchecked_ref());
                };
                let _ = w.request_animation_frame(wasm_bindgen::closure::Closure::once_into_js(later).unchecked_ref());
            }
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(update);
            if let Some(el) = &el {
                let _ = el.add_event_listener_with_callback("scroll", listener.as_ref().unchecked_ref());
                if let Some(w) = &window {
                    let _ = w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
                }
            }
            move || {
                if let Some(el) = &el {
                    let _ = el.remove_event_listener_with_callback("scroll", listener.as_ref().unchecked_ref());
                    if let Some(w) = &window {
                        let _ = w.remove_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
                    }
                }
            }
        });
    }
    (*shown).clone()
}
