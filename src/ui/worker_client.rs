//! The page's side of the analysis worker: starts it, sends it requests, hands its replies to
//! the app. The worker script is the one Trunk builds from `src/bin/worker.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use crate::service::protocol::{Reply, Request};


pub struct WorkerClient {
    worker: Worker,
    /// Messages for a worker still loading its wasm (it would drop them); `None` once ready.
    waiting: Rc<RefCell<Option<Vec<JsValue>>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl WorkerClient {
    /// Starts the worker; every reply goes to `on_reply`, a failure of the worker itself to
    /// `on_error`.
    pub fn start(on_reply: Callback<Reply>, on_error: Callback<String>) -> Result<Self, String> {
        // Trunk's loader for the worker binary (`data-loader-shim` in index.html), beside the
        // page, under its content-hashed name.
        let worker = Worker::new(&super::installable::worker_script()).map_err(|e| format!("the analysis worker could not be started: {e:?}"))?;
        let waiting: Rc<RefCell<Option<Vec<JsValue>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let (flush, target) = (waiting.clone(), worker.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else { return };
            match serde_json::from_str::<Reply>(&text) {
                Ok(Reply::Ready) => {
                    for message in flush.borrow_mut().take().unwrap_or_default() {
                        let _ = target.post_message(&message);
                    }
                    on_reply.emit(Reply::Ready);
                }
                Ok(reply) => on_reply.emit(reply),
                Err(e) => web_sys::console::error_1(&format!("tcp-ladder: unreadable reply from the worker: {e}").into()),
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            on_error.emit("the analysis worker failed to load or crashed; reload the page".to_string());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerClient { worker, waiting, _on_message: on_message, _on_error: on_error })
    }

    /// Hands the worker a file to read. The `File` is a handle: its bytes are not copied here.
    /// A page opened with `?memory-limit-mb=N` asks the worker to stop reading at N MiB (a
    /// device with little memory, or a test of what happens at the limit).
    pub fn open(&self, file: &web_sys::File) {
        let message = Object::new();
        let _ = Reflect::set(&message, &"open".into(), file);
        let limit = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|q| q.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("memory-limit-mb=").and_then(|v| v.parse::<f64>().ok())));
        if let Some(mb) = limit {
            let _ = Reflect::set(&message, &"memoryLimitMb".into(), &JsValue::from_f64(mb));
        }
        self.post(message.into());
    }

    pub fn send(&self, request: &Request) {
        if let Ok(json) = serde_json::to_string(request) {
            self.post(JsValue::from_str(&json));
        }
    }

    fn post(&self, message: JsValue) {
        match self.waiting.borrow_mut().as_mut() {
            Some(queue) => queue.push(message),
            None => {
                let _ = self.worker.post_message(&message);
            }
        }
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
