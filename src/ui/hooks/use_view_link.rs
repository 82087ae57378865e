//! `use_view_link`: the view in the page's URL fragment. A link is read once when the page
//! opens (the reducer restores it when its file is open); afterwards the URL follows the view
//! (connection, segment, toggles; never capture data) without adding to the history at every
//! click; and the toolbar can copy it.

use yew::prelude::*;

use crate::ui::state::{Action, AppState};
use crate::view_link::ViewLink;

/// What a link opened without its file says: which file, so the reader can open it.
fn opening_words(link: &ViewLink, file: &str) -> String {
    if let Some(second) = &link.second_file {
        let offset = link.offset_ns.map(|o| format!(", with B's clock set {:+.3} ms from A's", o as f64 / 1e6)).unwrap_or_default();
        return format!("This link shows two captures lined up, “{file}” (A) and “{second}” (B){offset}: choose or drop both files together and the view comes back. The link holds only the view and the files' names; the files never leave your computer.");
    }
    let size = link.size.map(|b| format!(" ({})", crate::timefmt::count(b, "byte", "bytes"))).unwrap_or_default();
    let what = link.stream.map(|s| format!("connection {s} of ")).unwrap_or_default();
    format!("This link shows {what}the capture “{file}”{size}: open that file (choose it, or drop it on the page) and the view comes back. The link holds only the view and the file's name; the file itself never leaves your computer.")
}

/// The link to what the page shows now.
fn current_link(state: &AppState) -> ViewLink {
    if let Some(m) = &state.merge {
        return ViewLink {
            stream: m.shown.as_ref().and_then(|s| m.pairs.get(s.index)).map(|p| p.stream_a),
            file: Some(m.names[0].clone()),
            second_file: Some(m.names[1].clone()),
            offset_ns: state.merge_ask.offset_ns,
            hide_addresses: state.merge_ask.hide_addresses,
            ..ViewLink::default()
        };
    }
    ViewLink {
        stream: state.stream,
        frame: state.segment.and_then(|i| state.ladder.as_ref().and_then(|l| l.arrows.iter().find(|a| a.index == i).map(|a| a.frame))),
        absolute: state.options.absolute,
        by_time: state.options.by_time,
        timing: state.options.timing,
        expand_all: state.options.expand_all,
        step: state.step_mode,
        hide_addresses: state.options.hide_addresses,
        names: state.options.names.clone(),
        file: state.has_file().then(|| state.name.clone()),
        size: state.progress.as_ref().map(|p| p.total_bytes).filter(|&b| b > 0),
        ..ViewLink::default()
    }
}

/// Returns the toolbar's "copy link": the URL goes to the clipboard and a notice says so.
/// `on_file` / `on_error` open a file: a link to a bundled sample reopens it; a link to another
/// file says which one to open (the page cannot open a reader's file by itself).
#[hook]
pub fn use_view_link(state: &AppState, dispatch: UseReducerDispatcher<AppState>, on_file: Callback<web_sys::File>, on_error: Callback<(String, String)>) -> Callback<MouseEvent> {
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
            if !hash.is_empty() {
                let link = ViewLink::parse(&hash);
                dispatch.dispatch(Action::RestoreLink(link.clone()));
                match link.file.clone() {
                    Some(file) if crate::ui::components::is_sample(&file) => crate::ui::components::open_sample(file, on_file, on_error),
                    Some(file) => dispatch.dispatch(Action::Notice(opening_words(&link, &file))),
                    None => {}
                }
            }
        });
    }
    // While a link is being restored the URL keeps it (the view is not there yet).
    let restoring = state.pending_link.is_some() || state.pending_jump.is_some();
    use_effect_with((current_link(state), restoring, state.has_file()), move |(link, restoring, has_file)| {
        if *has_file && !*restoring {
            if let Some(w) = web_sys::window() {
                let path = w.location().pathname().unwrap_or_default();
                let search = w.location().search().unwrap_or_default();
                let url = format!("{path}{search}{}", link.to_fragment());
                let _ = w.history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)));
            }
        }
    });
    Callback::from(move |_: MouseEvent| {
        let Some(w) = web_sys::window() else { return };
        let href = w.location().href().unwrap_or_default();
        let promise = w.navigator().clipboard().write_text(&href);
        let dispatch = dispatch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let said = match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => format!("Link copied: {href} (it opens this view once the same file is opened)."),
                Err(_) => format!("The browser did not allow copying; the link is {href}"),
            };
            dispatch.dispatch(Action::Notice(said));
        });
    })
}
