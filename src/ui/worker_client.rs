//! The page's side of the analysis worker: starts it, sends it requests, hands its replies to
//! the app. The worker script is the one Trunk builds from `src/bin/worker/main.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use crate::service::protocol::{Reply, Request};


pub struct WorkerClient {
    live: Slot,
}

/// Where the running worker is kept (empty only if it could not be started).
type Slot = Rc<RefCell<Option<RunningWorker>>>;

/// The worker now running, with its handlers (replaced when it dies and a new one starts).
struct RunningWorker {
    worker: Worker,
    /// Messages for a worker still loading its wasm (it would drop them); `None` once ready.
    waiting: Rc<RefCell<Option<Vec<JsValue>>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// A worker that dies (out of memory in wasm32, a crash) is replaced by a new one this many
/// times; what it had read is gone, and the page says so.
const MAX_RESTARTS: u32 = 3;

impl WorkerClient {
    /// Starts the worker; every reply goes to `on_reply`, a failure of the worker itself to
    /// `on_error` (after which a new worker is started, if the old one had loaded).
    pub fn start(on_reply: Callback<Reply>, on_error: Callback<String>) -> Result<Self, String> {
        let mut failure = None;
        let live: Slot = Rc::new_cyclic(|slot| {
            RefCell::new(match spawn(slot.clone(), on_reply.clone(), on_error.clone(), 0) {
                Ok(live) => Some(live),
                Err(e) => {
                    failure = Some(e);
                    None
                }
            })
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(WorkerClient { live }),
        }
    }

    /// Hands the worker a file to read. The `File` is a handle: its bytes are not copied here.
    /// A page opened with `?memory-limit-mb=N` asks the worker to stop reading at N MiB (a
    /// device with little memory, or a test of what happens at the limit). `?openings=off`
    /// reads no connection's opening, the list's "what" column (benches/browser/openings.mjs:
    /// what reading them costs the worker).
    pub fn open(&self, file: &web_sys::File) {
        let message = Object::new();
        let _ = Reflect::set(&message, &"open".into(), file);
        let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let params = || query.trim_start_matches('?').split('&');
        let limit = params().find_map(|kv| kv.strip_prefix("memory-limit-mb=").and_then(|v| v.parse::<f64>().ok()));
        if let Some(mb) = limit {
            let _ = Reflect::set(&message, &"memoryLimitMb".into(), &JsValue::from_f64(mb));
        }
        if params().any(|kv| kv == "openings=off") {
            let _ = Reflect::set(&message, &"withoutOpenings".into(), &JsValue::TRUE);
        }
        self.post(message.into());
    }

    /// Hands the worker two captures of the same connections to merge (A, B).
    pub fn open_two(&self, a: &web_sys::File, b: &web_sys::File) {
        let message = Object::new();
        let files = js_sys::Array::of2(a, b);
        let _ = Reflect::set(&message, &"merge".into(), &files);
        self.post(message.into());
    }

    pub fn send(&self, request: &Request) {
        if let Ok(json) = serde_json::to_string(request) {
            self.post(JsValue::from_str(&json));
        }
    }

    fn post(&self, message: JsValue) {
        let live = self.live.borrow();
        let Some(live) = live.as_ref() else { return };
        let mut waiting = live.waiting.borrow_mut();
        match waiting.as_mut() {
            Some(queue) => queue.push(message),
            None => {
                let _ = live.worker.post_message(&message);
            }
        }
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        if let Some(live) = self.live.borrow().as_ref() {
            live.worker.terminate();
        }
    }
}

/// Starts a worker whose error handler, if it had loaded, replaces it in `slot` with a new one.
fn spawn(slot: std::rc::Weak<RefCell<Option<RunningWorker>>>, on_reply: Callback<Reply>, on_error: Callback<String>, restarts: u32) -> Result<RunningWorker, String> {
    // Trunk's loader for the worker binary (`data-loader-shim` in index.html), beside the
    // page, under its content-hashed name.
    let worker = Worker::new(&super::installable::worker_script()).map_err(|e| format!("the analysis worker could not be started: {e:?}"))?;
    let waiting: Rc<RefCell<Option<Vec<JsValue>>>> = Rc::new(RefCell::new(Some(Vec::new())));
    // It loaded once (a worker that never loads is not restarted: it would fail again).
    let loaded = Rc::new(RefCell::new(false));
    let (flush, target, became_ready) = (waiting.clone(), worker.clone(), loaded.clone());
    let replies = on_reply.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        // A file to save (a followed stream's bytes): { download: Blob, name }.
        if let Ok(blob) = js_sys::Reflect::get(&e.data(), &"download".into()).and_then(|b| b.dyn_into::<web_sys::Blob>().map_err(JsValue::from)) {
            let name = js_sys::Reflect::get(&e.data(), &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_else(|| "stream.bin".into());
            save_blob(&name, &blob);
            return;
        }
        let Some(text) = e.data().as_string() else { return };
        match serde_json::from_str::<Reply>(&text) {
            Ok(Reply::Ready) => {
                *became_ready.borrow_mut() = true;
                for message in flush.borrow_mut().take().unwrap_or_default() {
                    let _ = target.post_message(&message);
                }
                replies.emit(Reply::Ready);
            }
            Ok(reply) => replies.emit(reply),
            Err(e) => web_sys::console::error_1(&format!("tcp-ladder: unreadable reply from the worker: {e}").into()),
        }
    });
    let (had_loaded, dead) = (loaded.clone(), worker.clone());
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let Some(live) = slot.upgrade() else { return };
        if !*had_loaded.borrow() {
            on_error.emit("the analysis worker failed to load; reload the page".to_string());
            return;
        }
        if restarts >= MAX_RESTARTS {
            on_error.emit("the analysis worker stopped again (it ran out of memory or crashed); reload the page".to_string());
            return;
        }
        dead.terminate();
        let message = "the analysis worker stopped (it ran out of memory or crashed) and what it had read is gone; a new one has started: open the file again, or a smaller part of it";
        // The new worker takes the old one's place once this handler has returned.
        let (slot, on_reply, on_error2) = (std::rc::Rc::downgrade(&live), on_reply.clone(), on_error.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let Some(live) = slot.upgrade() else { return };
            if let Ok(next) = spawn(std::rc::Rc::downgrade(&live), on_reply, on_error2.clone(), restarts + 1) {
                *live.borrow_mut() = Some(next);
            }
        });
        on_error.emit(message.to_string());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(RunningWorker { worker, waiting, _on_message: on_message, _on_error: on_error })
}

/// Saves a blob the worker made (no network: a blob URL of this page).
fn save_blob(name: &str, blob: &web_sys::Blob) {
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) {
        let _ = super::components::click_link(name, &url);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}
