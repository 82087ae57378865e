//! `use_window_resize`: run a closure whenever the browser window is resized (a phone turned,
//! a window narrowed), from when `deps` are set until they change or the component goes — one
//! place for the listener and its removal, which the legend and the lesson figure both need.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Calls `on_resize` on each `resize` event of the window while `deps` stay the same (with new
/// `deps` the listener is set again with the new closure).
#[hook]
pub fn use_window_resize<D, F>(deps: D, on_resize: F)
where
    D: PartialEq + 'static,
    F: Fn() + 'static,
{
    use_effect_with(deps, move |_| {
        let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(on_resize);
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
        }
    });
}
