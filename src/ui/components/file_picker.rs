//! The file button and the drop zone; the chosen `File` goes to the worker, which reads it.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Event, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The file chosen: a handle, handed to the worker, which reads it in slices.
    pub on_file: Callback<web_sys::File>,
    /// Two files chosen together: two capture points of the same connections, merged.
    pub on_two: Callback<(web_sys::File, web_sys::File)>,
    /// (file name, why it could not be read)
    pub on_error: Callback<(String, String)>,
    /// In the app bar: one button, no drop zone (the whole page takes drops).
    #[prop_or_default]
    pub compact: bool,
}

/// The file button and the drop zone. Nothing is read here: the worker reads the file.
#[function_component(FilePicker)]
pub fn file_picker(props: &Props) -> Html {
    let dragging = use_state(|| false);

    let onchange = {
        let (on_file, on_two, on_error) = (props.on_file.clone(), props.on_two.clone(), props.on_error.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            if let Some(files) = input.files() {
                open_files(&files, &on_file, &on_two, &on_error);
            }
            // Picking the same file again must load it again.
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    // The drop itself is taken by the page (a file dropped anywhere opens); here it only
    // ends the highlight.
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };

    let input = html! { <input type="file" multiple=true data-testid="file-input" accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz" onchange={onchange.clone()} /> };
    if props.compact {
        return html! { <label class="file-button compact" title="one capture, or two of the same connections (near the client and near the server) to line up">{"Open another file (or two)"}{ input }</label> };
    }
    html! {
        <section class={classes!("drop-zone", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <label class="file-button">
                {"Choose a capture"}
                { input }
            </label>
            <span class="drop-hint">{"or drop a .pcap / .pcapng (optionally .gz) file anywhere here; two captures of the same connections (near the client and near the server) are lined up as one ladder"}</span>
        </section>
    }
}

/// One file opens; two are merged as two capture points of the same connections; more are
/// refused, saying why.
pub fn open_files(files: &web_sys::FileList, on_file: &Callback<web_sys::File>, on_two: &Callback<(web_sys::File, web_sys::File)>, on_error: &Callback<(String, String)>) {
    match (files.length(), files.get(0), files.get(1)) {
        (1, Some(a), _) => on_file.emit(a),
        (2, Some(a), Some(b)) => on_two.emit((a, b)),
        (n, Some(a), _) if n > 2 => on_error.emit((
            format!("{} files", n),
            format!("{} and {} more: open one capture, or two captures of the same connections (one near the client, one near the server) to line them up", a.name(), n - 1),
        )),
        _ => {}
    }
}
