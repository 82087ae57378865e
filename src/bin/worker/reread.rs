//! The service keeps only where each segment is; before it answers about a connection's
//! segments (its diagram, lesson, a segment's detail, a graph, the followed stream) the worker
//! builds that connection: `build_connection` reads its frames from the `File` again, a batch
//! at a time, and hands them over to be analysed (see `tcp_ladder::reanalysis`). `read_frames`
//! reads any frames the service names (`FrameToRead`) from the `File` in a few coalesced
//! slices: for this, for the followed stream's pages (`follow_io.rs`) and for a segment's
//! detail.

use std::cell::RefCell;
use std::rc::Rc;

use tcp_ladder::reanalysis::FrameToRead;
use tcp_ladder::service::coalesce_reads;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use crate::worker::{count_request, now, read_slice, scope, State};

/// Frames closer than this are read in one slice.
const MAX_GAP: u64 = 256 * 1024;

/// Waits `ms` milliseconds (letting other messages be handled meanwhile).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Builds connection `stream` in the service: every segment of it read so far at hand. One
/// loop of the service's two steps, whatever must be read again: `Service::frames_to_read`
/// names a batch of frames, this reads them, `Service::give_frames` analyses them; until no
/// frame is named. `false`: the page asked about another connection (or opened another file)
/// meanwhile, which took over; the request that waited for this one is not answered, being
/// for a connection no longer shown.
pub async fn build_connection(state: &Rc<RefCell<State>>, stream: u32) -> bool {
    // A read of the same connection is under way (two requests about it): wait for it rather
    // than read its frames twice.
    while state.borrow().rereading.is_some_and(|(s, _)| s == stream) {
        sleep(4).await;
    }
    let token = {
        let mut s = state.borrow_mut();
        s.reread_token += 1;
        s.rereading = Some((stream, s.reread_token));
        s.reread_token
    };
    let mine = |s: &State| s.rereading.is_some_and(|(_, t)| t == token);
    let started = now();
    let mut batches = 0;
    loop {
        let (frames, file) = {
            let mut s = state.borrow_mut();
            if !mine(&s) {
                return false;
            }
            (s.service.frames_to_read(stream), s.file.clone())
        };
        let Some(file) = file.filter(|_| !frames.is_empty()) else { break };
        let places: Vec<Option<FrameToRead>> = frames.iter().copied().map(Some).collect();
        let bytes = read_frames(&file, &places).await;
        let mut s = state.borrow_mut();
        if !mine(&s) {
            return false;
        }
        s.service.give_frames(stream, &frames, &bytes);
        batches += 1;
    }
    if batches > 0 {
        // For the profile: reading a connection again and analysing it alone.
        count_request("reread", now() - started);
    }
    let mut s = state.borrow_mut();
    if mine(&s) {
        s.rereading = None;
    }
    if let Some(why) = s.service.reanalysis_failure(stream) {
        web_sys::console::warn_1(&format!("tcp-ladder worker: connection {stream} is shown as far as it could be analysed again: {why}").into());
    }
    true
}

/// Reads the frames the service named (`None`: nothing to read), coalesced, in the same order.
pub(crate) async fn read_frames(file: &Blob, places: &[Option<FrameToRead>]) -> Vec<Option<Vec<u8>>> {
    let (ranges, where_) = coalesce_reads(places, MAX_GAP);
    let mut pieces = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        pieces.push(read_slice(file, start as f64, end as f64).await.ok());
    }
    places
        .iter()
        .zip(where_)
        .map(|(place, at)| {
            let (frame, (range, offset)) = ((*place)?, at?);
            let piece = pieces.get(range)?.as_ref()?;
            piece.get(offset..offset + frame.len as usize).map(<[u8]>::to_vec)
        })
        .collect()
}
