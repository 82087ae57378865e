//! How the worker gets a file's bytes: a second instance of this same worker reads the file
//! ahead and hands over filled 4 MiB buffers, so that reading goes on while this one analyses
//! (a worker that is analysing does not read: Chromium refills a stream's pipe only when asked,
//! and reading 1 GB took ~1.8 s *in series* with the analysis). If that second worker cannot
//! be started, the file is read here, between pieces.
//!
//! Both read through `Blob.stream()` with a BYOB reader into reused buffers. Measured in
//! headless Chromium on a 102 MB file, alone on a quiet machine: 115–245 ms this way,
//! 213–283 ms through the stream's own chunks, 472–615 ms as 4 MiB `slice().arrayBuffer()`
//! reads (each waits for its own round trip).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{File, MessageEvent, Worker};

/// Buffers the reader may have filled and not yet got back: how far it reads ahead.
const AHEAD: u32 = 3;

/// A queue that one side fills from message handlers and the other awaits.
pub(crate) struct Inbox<T> {
    queue: VecDeque<T>,
    waker: Option<Waker>,
}

type SharedInbox<T> = Rc<RefCell<Inbox<T>>>;

fn inbox<T>() -> SharedInbox<T> {
    Rc::new(RefCell::new(Inbox { queue: VecDeque::new(), waker: None }))
}

fn deliver<T>(inbox: &SharedInbox<T>, item: T) {
    let mut i = inbox.borrow_mut();
    i.queue.push_back(item);
    if let Some(w) = i.waker.take() {
        w.wake();
    }
}

/// The next item of an inbox, once there is one.
struct Next<T>(SharedInbox<T>);

impl<T> Future for Next<T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut i = self.0.borrow_mut();
        match i.queue.pop_front() {
            Some(item) => Poll::Ready(item),
            None => {
                i.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

fn js_error(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// `Blob.stream()` read with a BYOB reader.
pub(crate) struct ByobStream {
    reader: web_sys::ReadableStreamByobReader,
    done: bool,
}

impl ByobStream {
    fn new(file: &File) -> Result<Self, String> {
        let reader = web_sys::ReadableStreamByobReader::new(&file.stream()).map_err(js_error)?;
        Ok(ByobStream { reader, done: false })
    }

    /// Fills `buffer` from its start with the file's next bytes (fewer at its end); gives the
    /// buffer back (reads move it) and how many bytes it holds.
    async fn fill(&mut self, mut buffer: ArrayBuffer) -> Result<(ArrayBuffer, usize), String> {
        let want = buffer.byte_length() as usize;
        let mut filled = 0usize;
        while filled < want && !self.done {
            let view = Uint8Array::new_with_byte_offset_and_length(&buffer, filled as u32, (want - filled) as u32);
            let result = JsFuture::from(self.reader.read_with_array_buffer_view(&view)).await.map_err(js_error)?;
            self.done = Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
            match Reflect::get(&result, &"value".into()).ok().filter(|v| !v.is_undefined()) {
                Some(value) => {
                    let value: Uint8Array = value.unchecked_into();
                    filled += value.length() as usize;
                    buffer = value.buffer();
                }
                // Cancelled: the buffer is gone, and so is the rest.
                None => {
                    self.done = true;
                    return Ok((ArrayBuffer::new(want as u32), 0));
                }
            }
        }
        Ok((buffer, filled))
    }

    fn cancel(&self) {
        let _ = self.reader.cancel();
    }
}

/// What the reading worker sends.
pub(crate) enum Arrival {
    Bytes(ArrayBuffer, usize),
    End,
    Failed(String),
}

/// The file's bytes, a piece at a time.
pub(crate) enum FileBytes {
    /// Read ahead by a second worker.
    Ahead { worker: Worker, arrivals: SharedInbox<Arrival>, _handler: Closure<dyn FnMut(MessageEvent)> },
    /// Read here, between pieces, into one reused buffer.
    Here { stream: ByobStream, buffer: Option<ArrayBuffer>, piece: u32 },
}

impl FileBytes {
    /// Starts reading `file` in pieces of `piece` bytes.
    pub(crate) fn open(file: &File, piece: u32) -> Result<Self, String> {
        // A file of a few pieces is read before a second worker would have started (its wasm
        // takes ~60 ms to compile and instantiate): it is read here.
        if file.size() <= f64::from(piece) * READ_HERE_PIECES {
            return Ok(FileBytes::Here { stream: ByobStream::new(file)?, buffer: None, piece });
        }
        match Self::ahead(file, piece) {
            Ok(ahead) => Ok(ahead),
            Err(_) => Ok(FileBytes::Here { stream: ByobStream::new(file)?, buffer: None, piece }),
        }
    }

    fn ahead(file: &File, piece: u32) -> Result<Self, JsValue> {
        let own_script = super::worker::scope().location().href();
        let worker = Worker::new(&own_script)?;
        let request = Object::new();
        Reflect::set(&request, &"readAhead".into(), file)?;
        Reflect::set(&request, &"piece".into(), &piece.into())?;
        let arrivals = inbox();
        let sink = arrivals.clone();
        let reader = worker.clone();
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            if data.is_string() {
                // Its "ready" (a worker's wasm starts asynchronously, and a message sent before
                // it listens is lost): now it can be asked.
                if let Err(e) = reader.post_message(&request) {
                    deliver(&sink, Arrival::Failed(js_error(e)));
                }
            } else if let Ok(bytes) = Reflect::get(&data, &"bytes".into()).and_then(|b| b.dyn_into::<ArrayBuffer>().map_err(JsValue::from)) {
                let len = Reflect::get(&data, &"len".into()).ok().and_then(|l| l.as_f64()).unwrap_or(0.0) as usize;
                deliver(&sink, Arrival::Bytes(bytes, len));
            } else if Reflect::get(&data, &"end".into()).ok().is_some_and(|v| v.is_truthy()) {
                deliver(&sink, Arrival::End);
            } else if let Some(message) = Reflect::get(&data, &"failed".into()).ok().and_then(|m| m.as_string()) {
                deliver(&sink, Arrival::Failed(message));
            }
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        Ok(FileBytes::Ahead { worker, arrivals, _handler: handler })
    }

    /// Replaces `piece` with the file's next bytes (empty at its end).
    pub(crate) async fn next(&mut self, piece: &mut Vec<u8>) -> Result<(), String> {
        piece.clear();
        match self {
            FileBytes::Ahead { worker, arrivals, .. } => match Next(arrivals.clone()).await {
                Arrival::Bytes(buffer, len) => {
                    piece.resize(len, 0);
                    Uint8Array::new_with_byte_offset_and_length(&buffer, 0, len as u32).copy_to(piece);
                    // Back to the reader, to be filled again.
                    let message = Object::new();
                    let _ = Reflect::set(&message, &"give".into(), &buffer);
                    let _ = worker.post_message_with_transfer(&message, &Array::of1(&buffer));
                    Ok(())
                }
                Arrival::End => Ok(()),
                Arrival::Failed(message) => Err(message),
            },
            FileBytes::Here { stream, buffer, piece: want } => {
                let spare = buffer.take().unwrap_or_else(|| ArrayBuffer::new(*want));
                let (filled, len) = stream.fill(spare).await?;
                piece.resize(len, 0);
                Uint8Array::new_with_byte_offset_and_length(&filled, 0, len as u32).copy_to(piece);
                *buffer = Some(filled);
                Ok(())
            }
        }
    }

    /// Whether a second worker reads ahead (for the profile).
    pub(crate) fn reads_ahead(&self) -> bool {
        matches!(self, FileBytes::Ahead { .. })
    }
}

/// Files of at most this many pieces are read without a second worker.
const READ_HERE_PIECES: f64 = 4.0;

impl Drop for FileBytes {
    fn drop(&mut self) {
        match self {
            FileBytes::Ahead { worker, .. } => worker.terminate(),
            FileBytes::Here { stream, .. } => stream.cancel(),
        }
    }
}

thread_local! {
    /// In the reading worker: buffers given back by the analysing worker.
    static GIVEN_BACK: SharedInbox<ArrayBuffer> = inbox();
}

/// A message for the reading role: `{readAhead: File, piece}` starts it, `{give: ArrayBuffer}`
/// returns a buffer. Says whether it was one.
pub(crate) fn reader_message(data: &JsValue) -> bool {
    if let Ok(file) = Reflect::get(data, &"readAhead".into()).and_then(|f| f.dyn_into::<File>().map_err(JsValue::from)) {
        let piece = Reflect::get(data, &"piece".into()).ok().and_then(|p| p.as_f64()).unwrap_or(4.0 * 1024.0 * 1024.0) as u32;
        spawn_local(read_ahead(file, piece));
        return true;
    }
    if let Ok(buffer) = Reflect::get(data, &"give".into()).and_then(|b| b.dyn_into::<ArrayBuffer>().map_err(JsValue::from)) {
        GIVEN_BACK.with(|g| deliver(g, buffer));
        return true;
    }
    false
}

/// The reading role: fills buffers and posts them (moved, not copied), at most [`AHEAD`]
/// at a time; ends with `{end: true}` or `{failed}`.
async fn read_ahead(file: File, piece: u32) {
    let scope = super::worker::scope();
    let post = |message: &Object, transfer: Option<&ArrayBuffer>| {
        let _ = match transfer {
            Some(buffer) => scope.post_message_with_transfer(message, &Array::of1(buffer)),
            None => scope.post_message(message),
        };
    };
    let tell = |key: &str, value: &JsValue| {
        let message = Object::new();
        let _ = Reflect::set(&message, &key.into(), value);
        post(&message, None);
    };
    let mut stream = match ByobStream::new(&file) {
        Ok(s) => s,
        Err(e) => return tell("failed", &e.into()),
    };
    let given_back = GIVEN_BACK.with(Rc::clone);
    let mut spare: Vec<ArrayBuffer> = (0..AHEAD).map(|_| ArrayBuffer::new(piece)).collect();
    loop {
        let buffer = match spare.pop() {
            Some(b) => b,
            None => Next(given_back.clone()).await,
        };
        match stream.fill(buffer).await {
            Ok((_, 0)) => return tell("end", &JsValue::TRUE),
            Ok((buffer, len)) => {
                let message = Object::new();
                let _ = Reflect::set(&message, &"bytes".into(), &buffer);
                let _ = Reflect::set(&message, &"len".into(), &(len as f64).into());
                post(&message, Some(&buffer));
            }
            Err(e) => return tell("failed", &e.into()),
        }
    }
}
