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
#[path = "file_read.rs"]
mod file_read;

#[cfg(target_arch = "wasm32")]
#[path = "reread.rs"]
mod reread;

#[cfg(target_arch = "wasm32")]
#[path = "messages_io.rs"]
mod messages_io;

#[cfg(target_arch = "wasm32")]
#[path = "two_points_io.rs"]
mod two_points_io;

#[cfg(target_arch = "wasm32")]
pub(crate) mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Reflect, Uint8Array};
    use tcp_ladder::service::protocol::{Reply, Request};
    use tcp_ladder::service::Service;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{Blob, DedicatedWorkerGlobalScope, File, MessageEvent};

    /// Bytes read per slice: large enough that per-slice overhead is small, small enough that
    /// progress and requests are answered several times a second.
    pub(crate) const SLICE: f64 = 4.0 * 1024.0 * 1024.0;

    pub(crate) struct State {
        pub(crate) service: Service,
        pub(crate) file: Option<File>,
        /// Incremented by every open and cancel: a read loop that sees a newer value stops.
        pub(crate) generation: u64,
        pub(crate) cancel: bool,
        /// The connection whose frames are being read again, and the token of the read that
        /// owns it (see reread.rs).
        pub(crate) rereading: Option<(u32, u64)>,
        pub(crate) reread_token: u64,
        /// Two captures opened together (merged), while they are the page's files.
        pub(crate) two: Option<tcp_ladder::service::two_points::TwoPoints>,
    }

    pub(crate) type Shared = Rc<RefCell<State>>;

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

    /// Bytes `start..end` of the file (a frame's bytes, a page of a followed stream).
    pub(crate) async fn read_slice(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, String> {
        let slice = blob.slice_with_f64_and_f64(start, end).map_err(|e| format!("{e:?}"))?;
        let buffer = JsFuture::from(slice.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    /// Milliseconds since the worker started (the worker's own clock).
    pub(crate) fn now() -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }

    /// Where the read of the last file spent its time, kept on the worker's global object as
    /// `tcpLadderProfile` ({read, analyse, progress, slices, total} in ms, read including the
    /// copy into wasm memory; readAhead; requests by kind) for the browser benchmark and for
    /// anyone profiling in DevTools.
    #[derive(Default)]
    struct ReadProfile {
        read: f64,
        analyse: f64,
        progress: f64,
        slices: u32,
        start: f64,
        /// A second worker read the file ahead.
        read_ahead: bool,
    }

    impl ReadProfile {
        fn publish(&self) {
            let o = js_sys::Object::new();
            for (k, v) in [("read", self.read), ("analyse", self.analyse), ("progress", self.progress), ("slices", f64::from(self.slices)), ("total", now() - self.start)] {
                let _ = Reflect::set(&o, &k.into(), &v.into());
            }
            let _ = Reflect::set(&o, &"readAhead".into(), &self.read_ahead.into());
            let requests = js_sys::Object::new();
            REQUESTS.with(|r| {
                for (kind, ms, count) in r.borrow().iter() {
                    let entry = js_sys::Object::new();
                    let _ = Reflect::set(&entry, &"ms".into(), &(*ms).into());
                    let _ = Reflect::set(&entry, &"count".into(), &(*count).into());
                    let _ = Reflect::set(&requests, &(*kind).into(), &entry);
                }
            });
            let _ = Reflect::set(&o, &"requests".into(), &requests);
            let _ = Reflect::set(&scope(), &"tcpLadderProfile".into(), &o);
        }
    }

    async fn read_file(state: Shared, file: File, generation: u64) {
        let total = file.size();
        let mut profile = ReadProfile { start: now(), ..ReadProfile::default() };
        {
            let mut s = state.borrow_mut();
            s.service.open(total as u64);
            s.file = Some(file.clone());
            s.two = None;
            s.cancel = false;
        }
        let mut bytes = match crate::file_read::FileBytes::open(&file, SLICE as u32) {
            Ok(bytes) => bytes,
            Err(e) => {
                post(&Reply::Failed { message: format!("the browser could not read the file: {e}") });
                return;
            }
        };
        profile.read_ahead = bytes.reads_ahead();
        let mut offset = 0.0;
        let mut cancelled = false;
        let mut piece = Vec::with_capacity(SLICE as usize);
        while offset < total {
            let t0 = now();
            if let Err(e) = bytes.next(&mut piece).await {
                post(&Reply::Failed { message: format!("the browser could not read the file at byte {offset}: {e}") });
                return;
            }
            profile.read += now() - t0;
            profile.slices += 1;
            if piece.is_empty() {
                break; // The file is shorter than it said (it changed on disk).
            }
            let mut s = state.borrow_mut();
            if s.generation != generation {
                return; // A newer file replaced this one (dropping `bytes` stops its reading).
            }
            if s.cancel {
                cancelled = true;
                break;
            }
            let t3 = now();
            if let Err(message) = s.service.push(&piece) {
                post(&Reply::Failed { message });
                return;
            }
            let t4 = now();
            offset += piece.len() as f64;
            post(&Reply::Progress(s.service.progress()));
            profile.analyse += t4 - t3;
            profile.progress += now() - t4;
            if !s.service.wants_more() {
                break;
            }
        }
        drop(bytes);
        let mut s = state.borrow_mut();
        if s.generation != generation {
            return;
        }
        let cancelled = cancelled || s.cancel;
        let t = now();
        let finished = s.service.finish(cancelled);
        profile.analyse += now() - t;
        profile.publish();
        match finished {
            Ok(summary) => post(&Reply::Done(summary)),
            Err(message) => post(&Reply::Failed { message }),
        }
    }

    async fn detail(state: Shared, stream: u32, index: usize) {
        // The connection, and its application messages for what the segment carries of them.
        if !crate::reread::build_connection(&state, stream).await || !crate::messages_io::build_messages(&state, stream).await {
            return;
        }
        let (place, file) = {
            let s = state.borrow();
            (s.service.frame_to_read(stream, index), s.file.clone())
        };
        let bytes = match (place, file) {
            (Some(_), Some(file)) => crate::reread::read_frames(&file, &[place]).await.pop().flatten(),
            _ => None,
        };
        let detail = state.borrow().service.detail(stream, index, bytes.as_deref());
        post(&Reply::Detail { stream, index, detail });
    }

    thread_local! {
        /// Milliseconds spent answering the page's requests (lists, layouts …), by kind, since
        /// the last file was opened: they run while a read waits for the file's next bytes.
        static REQUESTS: RefCell<Vec<(&'static str, f64, u32)>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn count_request(kind: &'static str, ms: f64) {
        REQUESTS.with(|r| {
            let mut r = r.borrow_mut();
            match r.iter_mut().find(|(k, _, _)| *k == kind) {
                Some(entry) => {
                    entry.1 += ms;
                    entry.2 += 1;
                }
                None => r.push((kind, ms, 1)),
            }
        });
    }

    fn on_message(state: &Shared, event: MessageEvent) {
        let t0 = now();
        let kind = handle_message(state, event);
        count_request(kind, now() - t0);
    }

    /// Handles one message from the page; its kind, for the profile.
    fn handle_message(state: &Shared, event: MessageEvent) -> &'static str {
        let data = event.data();
        // This worker as another's reader (see file_read.rs).
        if crate::file_read::reader_message(&data) {
            return "read_ahead";
        }
        // Two captures of the same connections: { merge: [File, File] }.
        if let Some(files) = crate::two_points_io::two_files(&data) {
            let generation = {
                let mut s = state.borrow_mut();
                s.generation += 1;
                s.rereading = None;
                s.generation
            };
            REQUESTS.with(|r| r.borrow_mut().clear());
            spawn_local(crate::two_points_io::read_two(state.clone(), files, generation));
            return "merge";
        }
        // Opening carries the File itself: { open: File }.
        if let Ok(file) = Reflect::get(&data, &"open".into()).and_then(|f| f.dyn_into::<File>().map_err(JsValue::from)) {
            let limit = Reflect::get(&data, &"memoryLimitMb".into()).ok().and_then(|v| v.as_f64()).filter(|mb| *mb >= 1.0);
            let without_openings = Reflect::get(&data, &"withoutOpenings".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
            let generation = {
                let mut s = state.borrow_mut();
                s.generation += 1;
                s.service.set_memory_limit(limit.map_or(tcp_ladder::service::MEMORY_LIMIT, |mb| (mb * 1_048_576.0) as u64));
                s.service.set_without_openings(without_openings);
                // A read of the last file's frames stops.
                s.rereading = None;
                s.generation
            };
            REQUESTS.with(|r| r.borrow_mut().clear());
            spawn_local(read_file(state.clone(), file, generation));
            return "open";
        }
        let Some(text) = data.as_string() else { return "other" };
        let request: Request = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                web_sys::console::error_1(&format!("tcp-ladder worker: bad request {text}: {e}").into());
                return "other";
            }
        };
        let kind = request.kind();
        match request {
            Request::Cancel => state.borrow_mut().cancel = true,
            Request::List { query, sort, reverse, from, count } => {
                let page = state.borrow_mut().service.list_ordered(&query, sort, reverse, from, count);
                post(&Reply::List(page));
            }
            Request::Layout { stream, options } => {
                let state = state.clone();
                spawn_local(async move {
                    // The connection, then its application messages for the arrows.
                    if crate::reread::build_connection(&state, stream).await && crate::messages_io::build_messages(&state, stream).await {
                        let s = state.borrow();
                        let ladder = s.service.layout(stream, &options);
                        post(&Reply::Layout { stream, options, ladder, memory_bytes: s.service.progress().memory_bytes });
                    }
                });
            }
            Request::Detail { stream, index } => spawn_local(detail(state.clone(), stream, index)),
            Request::Lesson { stream, index } => after_building(state, stream, move |s| {
                post(&Reply::Lesson { stream, index, step: s.service.lesson(stream, index) });
            }),
            Request::Graph { request } => after_building(state, request.stream, move |s| {
                let data = s.service.graph(&request);
                post(&Reply::Graph { request, data });
            }),
            Request::Follow { stream, from, count } => spawn_local(crate::follow_io::follow(state.clone(), stream, from, count)),
            Request::FollowSearch { stream, text, from } => spawn_local(crate::follow_io::search(state.clone(), stream, text, from)),
            Request::FollowDownload { stream, from_client } => spawn_local(crate::follow_io::download(state.clone(), stream, from_client)),
            Request::MergeView { pair, offset_ns, first_row, hide_addresses } => crate::two_points_io::answer(state, pair, offset_ns, first_row, hide_addresses),
        }
        kind
    }

    /// Answers a request about connection `stream` once it is built (its segments read again
    /// from the file if need be, see reread.rs); not at all if another connection took over.
    fn after_building(state: &Shared, stream: u32, answer: impl FnOnce(&State) + 'static) {
        let state = state.clone();
        spawn_local(async move {
            if crate::reread::build_connection(&state, stream).await {
                answer(&state.borrow());
            }
        });
    }

    pub fn start() {
        let state: Shared = Rc::new(RefCell::new(State { service: Service::placed(), file: None, generation: 0, cancel: false, rereading: None, reread_token: 0, two: None }));
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
