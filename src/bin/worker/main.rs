//! The analysis worker: Trunk builds this binary to wasm and the page starts it as a Web
//! Worker, so reading and analysing a capture never runs on the page's thread.
//!
//! It reads the `File` it is given in slices (never the whole file at once), feeds them to
//! [`Service`], reports progress after each slice, and answers the page's requests between
//! slices (each slice read is an `await`, so messages are handled while a file is read).

#[cfg(target_arch = "wasm32")]
#[path = "follow_io.rs"]
mod follow_io;

#[cfg(target_arch = "wasm32")]
pub(crate) mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Reflect, Uint8Array};
    use tcp_ladder::service::protocol::{Reply, Request};
    use tcp_ladder::service::{FrameBytes, Service};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{Blob, DedicatedWorkerGlobalScope, File, MessageEvent};

    /// Bytes read per slice: large enough that per-slice overhead is small, small enough that
    /// progress and requests are answered several times a second.
    const SLICE: f64 = 4.0 * 1024.0 * 1024.0;

    pub(crate) struct State {
        pub(crate) service: Service,
        pub(crate) file: Option<File>,
        /// Incremented by every open and cancel: a read loop that sees a newer value stops.
        generation: u64,
        cancel: bool,
    }

    type Shared = Rc<RefCell<State>>;

    pub(crate) fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    pub(crate) fn post(reply: &Reply) {
        match serde_json::to_string(reply) {
            Ok(json) => {
                let _ = scope().post_message(&JsValue::from_str(&json));
            }
            Err(e) => web_sys::console::error_1(&format!("tcp-ladder worker: cannot encode a reply: {e}").into()),
        }
    }

    pub(crate) async fn read_slice(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, String> {
        let slice = blob.slice_with_f64_and_f64(start, end).map_err(|e| format!("{e:?}"))?;
        let buffer = JsFuture::from(slice.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    async fn read_file(state: Shared, file: File, generation: u64) {
        let total = file.size();
        {
            let mut s = state.borrow_mut();
            s.service.open(total as u64);
            s.file = Some(file.clone());
            s.cancel = false;
        }
        let mut offset = 0.0;
        let mut cancelled = false;
        while offset < total {
            let end = (offset + SLICE).min(total);
            let piece = match read_slice(&file, offset, end).await {
                Ok(piece) => piece,
                Err(e) => {
                    post(&Reply::Failed { message: format!("the browser could not read the file at byte {offset}: {e}") });
                    return;
                }
            };
            let mut s = state.borrow_mut();
            if s.generation != generation {
                return; // A newer file replaced this one.
            }
            if s.cancel {
                cancelled = true;
                break;
            }
            if let Err(message) = s.service.push(&piece) {
                post(&Reply::Failed { message });
                return;
            }
            offset = end;
            post(&Reply::Progress(s.service.progress()));
            if !s.service.wants_more() {
                break;
            }
        }
        let mut s = state.borrow_mut();
        if s.generation != generation {
            return;
        }
        let cancelled = cancelled || s.cancel;
        match s.service.finish(cancelled) {
            Ok(summary) => post(&Reply::Done(summary)),
            Err(message) => post(&Reply::Failed { message }),
        }
    }

    async fn detail(state: Shared, stream: u32, index: usize) {
        let (place, file) = {
            let s = state.borrow();
            (s.service.frame_bytes(stream, index), s.file.clone())
        };
        let bytes = match (place, file) {
            (Some(FrameBytes::InFile { offset, len }), Some(file)) => {
                read_slice(&file, offset as f64, (offset + u64::from(len)) as f64).await.ok()
            }
            _ => None,
        };
        let detail = state.borrow().service.detail(stream, index, bytes.as_deref());
        post(&Reply::Detail { stream, index, detail });
    }

    fn on_message(state: &Shared, event: MessageEvent) {
        let data = event.data();
        // Opening carries the File itself: { open: File }.
        if let Ok(file) = Reflect::get(&data, &"open".into()).and_then(|f| f.dyn_into::<File>().map_err(JsValue::from)) {
            let limit = Reflect::get(&data, &"memoryLimitMb".into()).ok().and_then(|v| v.as_f64()).filter(|mb| *mb >= 1.0);
            let generation = {
                let mut s = state.borrow_mut();
                s.generation += 1;
                s.service.set_memory_limit(limit.map_or(tcp_ladder::service::MEMORY_LIMIT, |mb| (mb * 1_048_576.0) as u64));
                s.generation
            };
            spawn_local(read_file(state.clone(), file, generation));
            return;
        }
        let Some(text) = data.as_string() else { return };
        let request: Request = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                web_sys::console::error_1(&format!("tcp-ladder worker: bad request {text}: {e}").into());
                return;
            }
        };
        match request {
            Request::Cancel => state.borrow_mut().cancel = true,
            Request::List { query, sort, reverse, from, count } => {
                let page = state.borrow_mut().service.list_ordered(&query, sort, reverse, from, count);
                post(&Reply::List(page));
            }
            Request::Layout { stream, options } => {
                let s = state.borrow();
                let ladder = s.service.layout(stream, &options);
                post(&Reply::Layout { stream, options, ladder, memory_bytes: s.service.progress().memory_bytes });
            }
            Request::Detail { stream, index } => spawn_local(detail(state.clone(), stream, index)),
            Request::Lesson { stream, index } => {
                let step = state.borrow().service.lesson(stream, index);
                post(&Reply::Lesson { stream, index, step });
            }
            Request::Graph { request } => {
                let data = state.borrow().service.graph(&request);
                post(&Reply::Graph { request, data });
            }
            Request::Follow { stream, from, count } => spawn_local(crate::follow_io::follow(state.clone(), stream, from, count)),
            Request::FollowSearch { stream, text, from } => spawn_local(crate::follow_io::search(state.clone(), stream, text, from)),
            Request::FollowDownload { stream, from_client } => spawn_local(crate::follow_io::download(state.clone(), stream, from_client)),
        }
    }

    pub fn start() {
        let state: Shared = Rc::new(RefCell::new(State { service: Service::new(), file: None, generation: 0, cancel: false }));
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on_message(&state, e));
        scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
        // The worker lives as long as the page: its handler must too.
        handler.forget();
        post(&Reply::Ready);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

// On the host there is no worker; the binary exists only for the wasm build.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
