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
            // Again on each scroll of the diagram, and whenever the pane or the drawing changes
            // size (the list folds, the panel beside changes, the window is resized): a
            // ResizeObserver reports after the layout, so the note is never a layout behind.
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(update);
            let observer = el.as_ref().and_then(|el| observe_sizes(el, &listener));
            if let Some(el) = &el {
                let _ = el.add_event_listener_with_callback("scroll", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(el) = &el {
                    let _ = el.remove_event_listener_with_callback("scroll", listener.as_ref().unchecked_ref());
                }
                if let Some(o) = observer {
                    let _ = js_sys::Reflect::get(&o, &"disconnect".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()).map(|f| f.call0(&o));
                }
                drop(listener);
            }
        });
    }
    (*shown).clone()
}

/// A ResizeObserver calling `listener` when the pane `el` or its drawing changes size (through
/// js_sys: web-sys's binding is not among the features this crate builds with).
fn observe_sizes(el: &web_sys::Element, listener: &wasm_bindgen::closure::Closure<dyn Fn()>) -> Option<wasm_bindgen::JsValue> {
    let ctor = js_sys::Reflect::get(web_sys::window()?.as_ref(), &"ResizeObserver".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let observer = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(listener.as_ref())).ok()?;
    let observe = js_sys::Reflect::get(&observer, &"observe".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let _ = observe.call1(&observer, el);
    if let Ok(Some(svg)) = el.query_selector("svg.ladder") {
        let _ = observe.call1(&observer, &svg);
    }
    Some(observer)
}
