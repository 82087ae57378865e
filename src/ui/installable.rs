//! The page as an installed app: the service worker that keeps the built site for offline use
//! (written at build time as `sw.js` by scripts/finish_dist.py), and the File Handling API, by
//! which an installed app is handed the capture the user opened from the file manager. Both
//! are reached through `Reflect`: browsers without them simply go without.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Registers `sw.js` (beside the page, so any sub-path works). `on_update` hears when a newer
/// version has taken over the page.
pub fn register_service_worker(on_update: Callback<String>) {
    let Some(window) = web_sys::window() else { return };
    let Some(container) = get(&window.navigator(), "serviceWorker") else { return };
    let had_controller = get(&container, "controller").is_some();
    if let Some(register) = get(&container, "register").and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = register.call1(&container, &JsValue::from_str("./sw.js"));
    }
    // A first install takes control silently; a later one means the site was updated.
    if had_controller {
        let changed = Closure::<dyn Fn()>::new(move || {
            on_update.emit("tcp-ladder was updated; the new version is used from the next visit (or reload the page now).".to_string());
        });
        if let Some(target) = container.dyn_ref::<web_sys::EventTarget>() {
            let _ = target.add_event_listener_with_callback("controllerchange", changed.as_ref().unchecked_ref());
        }
        changed.forget();
    }
}

/// Hands files opened with the installed app (`file_handlers` in the manifest) to `on_file`.
pub fn accept_launched_files(on_file: Callback<web_sys::File>) {
    let Some(window) = web_sys::window() else { return };
    let Some(queue) = get(&window, "launchQueue") else { return };
    let Some(set_consumer) = get(&queue, "setConsumer").and_then(|f| f.dyn_into::<Function>().ok()) else { return };
    let consumer = Closure::<dyn Fn(JsValue)>::new(move |params: JsValue| {
        let Some(first) = get(&params, "files").and_then(|files| Reflect::get_u32(&files, 0).ok()).filter(|f| !f.is_undefined()) else { return };
        let Some(get_file) = get(&first, "getFile").and_then(|f| f.dyn_into::<Function>().ok()) else { return };
        let Ok(promise) = get_file.call0(&first).and_then(|p| p.dyn_into::<js_sys::Promise>()) else { return };
        let on_file = on_file.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(file) = wasm_bindgen_futures::JsFuture::from(promise).await.and_then(|f| f.dyn_into::<web_sys::File>()) {
                on_file.emit(file);
            }
        });
    });
    let _ = set_consumer.call1(&queue, consumer.as_ref());
    consumer.forget();
}

/// Where the analysis worker's loader is: its name carries a content hash (index.html's
/// `<link rel="tcp-ladder-worker">`, written at build time).
pub fn worker_script() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("link[rel=\"tcp-ladder-worker\"]").ok().flatten())
        .and_then(|link| link.get_attribute("href"))
        .unwrap_or_else(|| "./tcp-ladder-worker_loader.js".to_string())
}
