//! The followed stream's pages, search and downloads: the service says which frames hold a
//! page's bytes, this reads them from the `File` (a few coalesced slices per page) and hands
//! them back.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use tcp_ladder::service::protocol::Reply;
use tcp_ladder::service::contains_ignoring_case;
use wasm_bindgen::JsValue;
use web_sys::Blob;

use crate::reread::read_frames;
use crate::worker::{post, scope, State};

/// Chunks per step of a search or a download.
const STEP: u32 = 400;

/// One page of chunks with their bytes.
async fn page(state: &Rc<RefCell<State>>, stream: u32, from: u32, count: u32) -> Option<tcp_ladder::service::protocol::FollowPage> {
    if !crate::reread::build_connection(state, stream).await {
        return None;
    }
    let (places, file) = {
        let mut s = state.borrow_mut();
        (s.service.follow_places(stream, from, count), s.file.clone())
    };
    let frames = match &file {
        Some(file) => read_frames(file, &places).await,
        None => Vec::new(),
    };
    state.borrow_mut().service.follow_page(stream, from, count, &frames)
}

pub async fn follow(state: Rc<RefCell<State>>, stream: u32, from: u32, count: u32) {
    if let Some(p) = page(&state, stream, from, count).await {
        post(&Reply::Follow(p));
    }
}

/// The first chunk at or after `from` holding `text` (a match may begin in the chunk before).
pub async fn search(state: Rc<RefCell<State>>, stream: u32, text: String, from: u32) {
    let needle = text.as_bytes().to_vec();
    let mut at = from;
    let mut tail: Vec<u8> = Vec::new();
    let found = loop {
        let Some(p) = page(&state, stream, at, STEP).await else { break None };
        if p.chunks.is_empty() {
            break None;
        }
        let mut hit = None;
        for (i, c) in p.chunks.iter().enumerate() {
            let mut window = std::mem::take(&mut tail);
            window.extend_from_slice(&c.bytes);
            if contains_ignoring_case(&window, &needle) {
                hit = Some(p.from + i as u32);
                break;
            }
            tail = window[window.len().saturating_sub(needle.len().saturating_sub(1))..].to_vec();
        }
        if hit.is_some() {
            break hit;
        }
        at = p.from + p.chunks.len() as u32;
        if at >= p.total {
            break None;
        }
    };
    post(&Reply::FollowFound { stream, text, chunk: found });
}

/// Every byte one side sent, as a `Blob` built from the chunks a page at a time (never one
/// buffer of the whole stream), posted to the page to save.
pub async fn download(state: Rc<RefCell<State>>, stream: u32, from_client: bool) {
    let parts = Array::new();
    let mut at = 0;
    loop {
        let Some(p) = page(&state, stream, at, STEP).await else { break };
        for c in p.chunks.iter().filter(|c| c.from_client == from_client && c.gap.is_none()) {
            parts.push(&Uint8Array::from(&c.bytes[..]));
        }
        at = p.from + p.chunks.len() as u32;
        if p.chunks.is_empty() || at >= p.total {
            break;
        }
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let Ok(blob) = Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let message = Object::new();
    let _ = Reflect::set(&message, &"download".into(), &blob);
    let name = format!("stream{stream}-{}.bin", if from_client { "client" } else { "server" });
    let _ = Reflect::set(&message, &"name".into(), &JsValue::from_str(&name));
    let _ = scope().post_message(&message);
}
