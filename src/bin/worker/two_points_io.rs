//! Two captures opened together (issue #26): each read in slices, one after the other, into
//! `service::two_points::TwoPoints` (sessions that keep their segments: the merge needs every
//! segment of both), then merged and the first pair posted; `MergeView` requests answered from
//! the two sessions kept.

use js_sys::Reflect;
use tcp_ladder::service::protocol::{Progress, Reply};
use tcp_ladder::service::two_points::TwoPoints;
use wasm_bindgen::JsCast;
use web_sys::File;

use crate::worker::{post, Shared};

/// Two files read whole take about their size in memory again (segments kept, 88 bytes each);
/// past this the page says to merge on the command line instead of running out of memory.
const MOST_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// The two `File`s of an `{ merge: [File, File] }` message, if it is one.
pub(crate) fn two_files(data: &wasm_bindgen::JsValue) -> Option<[File; 2]> {
    let list: js_sys::Array = Reflect::get(data, &"merge".into()).ok()?.dyn_into().ok()?;
    let file = |k: u32| list.get(k).dyn_into::<File>().ok();
    Some([file(0)?, file(1)?])
}

pub(crate) async fn read_two(state: Shared, files: [File; 2], generation: u64) {
    let sizes = [files[0].size(), files[1].size()];
    let total = sizes[0] + sizes[1];
    if total > MOST_BYTES {
        post(&Reply::Failed {
            message: format!(
                "two captures merged are held whole in memory: together at most 1 GiB here, and these are {:.1} MiB; merge them with `tcp-ladder merge`, or cut them to the connection (editcap, tcpdump -r … -w … port N)",
                total / 1_048_576.0
            ),
        });
        return;
    }
    {
        let mut s = state.borrow_mut();
        s.two = Some(TwoPoints::new([files[0].name(), files[1].name()], [sizes[0] as u64, sizes[1] as u64]));
        // (The last single file's session goes: the page shows the two now.)
        s.service = tcp_ladder::service::Service::placed();
        s.file = None;
        s.cancel = false;
    }
    let mut done = 0.0;
    let mut piece = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let mut bytes = match crate::file_read::FileBytes::open(file, super_slice()) {
            Ok(b) => b,
            Err(e) => {
                post(&Reply::Failed { message: format!("the browser could not read {}: {e}", file.name()) });
                return;
            }
        };
        let mut offset = 0.0;
        while offset < sizes[k] {
            if let Err(e) = bytes.next(&mut piece).await {
                post(&Reply::Failed { message: format!("the browser could not read {} at byte {offset}: {e}", file.name()) });
                return;
            }
            if piece.is_empty() {
                break;
            }
            let mut s = state.borrow_mut();
            if s.generation != generation {
                return;
            }
            if s.cancel {
                post(&Reply::Failed { message: "merging was cancelled: both files must be read to be lined up".to_string() });
                s.two = None;
                return;
            }
            let Some(two) = s.two.as_mut() else { return };
            if let Err(message) = two.push(k, &piece) {
                post(&Reply::Failed { message });
                s.two = None;
                return;
            }
            offset += piece.len() as f64;
            post(&Reply::Progress(Progress { bytes_read: (done + offset) as u64, total_bytes: total as u64, ..Progress::default() }));
            if !two.wants_more(k) {
                break; // Damaged part-way: what came before is merged, and the view says where.
            }
        }
        done += sizes[k];
    }
    let mut s = state.borrow_mut();
    if s.generation != generation {
        return;
    }
    let reply = match s.two.as_mut().map(|two| two.finish()) {
        Some(Ok(view)) => Reply::Merged(view),
        Some(Err(message)) => Reply::Failed { message },
        None => return,
    };
    post(&reply);
}

fn super_slice() -> u32 {
    crate::worker::SLICE as u32
}

/// A `MergeView` request: another pair, offset or window of rows.
pub(crate) fn answer(state: &Shared, pair: usize, offset_ns: Option<i64>, first_row: usize, hide: bool) {
    let mut s = state.borrow_mut();
    if let Some(two) = s.two.as_mut() {
        post(&Reply::Merged(two.view(pair, offset_ns, first_row, hide)));
    }
}
