//! `use_splitter`: the segment panel's width, set by dragging the splitter between it and the
//! diagram (or with ← / → on the splitter).

use web_sys::{KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// The panel's narrowest and widest (px) when resized by hand.
pub const PANEL_MIN: i32 = 240;
pub const PANEL_MAX: i32 = 900;

pub struct Splitter {
    /// The panel's width (px).
    pub width: i32,
    /// On the box holding the diagram and the panel: the panel is measured from its right edge.
    pub node_ref: NodeRef,
    pub on_down: Callback<PointerEvent>,
    pub on_move: Callback<PointerEvent>,
    pub on_up: Callback<PointerEvent>,
    pub on_key: Callback<KeyboardEvent>,
}

/// The pointer stays the dragged bar's while the button is down, even off it (the panel's
/// splitter and the tools' separator).
pub fn capture_pointer(e: &PointerEvent) {
    if let Some(el) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
        let _ = el.set_pointer_capture(e.pointer_id());
    }
}

#[hook]
pub fn use_splitter() -> Splitter {
    // A quarter of the window, 300–380 px: on a laptop the diagram keeps room for both
    // lifelines and their states at full size.
    let width = use_state(|| web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).map_or(380, |w| (w * 0.25) as i32).clamp(300, 380));
    let node_ref = use_node_ref();
    let dragging = use_mut_ref(|| false);
    let on_down = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            *dragging.borrow_mut() = true;
            capture_pointer(&e);
        })
    };
    let on_move = {
        let (dragging, width, node_ref) = (dragging.clone(), width.clone(), node_ref.clone());
        Callback::from(move |e: PointerEvent| {
            if !*dragging.borrow() {
                return;
            }
            if let Some(box_) = node_ref.cast::<web_sys::Element>() {
                let right = box_.get_bounding_client_rect().right();
                width.set(((right - f64::from(e.client_x())) as i32).clamp(PANEL_MIN, PANEL_MAX));
            }
        })
    };
    let on_up = Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false);
    let on_key = {
        let width = width.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = match e.key().as_str() {
                "ArrowLeft" => 40,
                "ArrowRight" => -40,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            width.set((*width + step).clamp(PANEL_MIN, PANEL_MAX));
        })
    };
    Splitter { width: *width, node_ref, on_down, on_move, on_up, on_key }
}
