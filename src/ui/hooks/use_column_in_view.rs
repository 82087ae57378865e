//! `use_column_in_view`: whether the diagram's phase column is on screen, so that the segment
//! panel lists the phases only when the column is not (#24: the same captions were shown twice,
//! and dropping the panel's copy left a 1366 px screen, where the column is scrolled off to the
//! right, with none). Read from the page as drawn: after each render of the App, and a frame
//! after any scroll, click (zoom, fit, the list's button) or resize.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Some(whether the first phase drawn lies wholly within the diagram's pane, sideways), or
/// None when no phase is drawn near the screen.
fn measure() -> Option<bool> {
    let document = web_sys::window()?.document()?;
    let pane = document.query_selector(".diagram-scroll").ok()??;
    let phase = pane.query_selector("[data-testid=\"phase\"]").ok()??;
    let (p, r) = (pane.get_bounding_client_rect(), phase.get_bounding_client_rect());
    Some(r.left() >= p.left() - 1.0 && r.right() <= p.left() + f64::from(pane.client_width()) + 1.0)
}

#[hook]
pub fn use_column_in_view() -> bool {
    let in_view = use_state_eq(|| true);
    let update = {
        let in_view = in_view.clone();
        move || {
            if let Some(v) = measure() {
                in_view.set(v);
            }
        }
    };
    {
        let update = update.clone();
        use_effect(move || update());
    }
    use_effect_with((), move |_| {
        // A frame later (the layout has settled), once per event.
        let later = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            let update = update.clone();
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(wasm_bindgen::closure::Closure::once_into_js(move || update()).unchecked_ref());
            }
        });
        let document = web_sys::window().and_then(|w| w.document());
        let events = ["scroll", "click", "resize"];
        if let Some(d) = &document {
            for e in events {
                let _ = d.add_event_listener_with_callback_and_bool(e, later.as_ref().unchecked_ref(), true);
            }
        }
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("resize", later.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &document {
                for e in events {
                    let _ = d.remove_event_listener_with_callback_and_bool(e, later.as_ref().unchecked_ref(), true);
                }
            }
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback("resize", later.as_ref().unchecked_ref());
            }
        }
    });
    *in_view
}
