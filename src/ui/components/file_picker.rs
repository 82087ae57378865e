//! The file button and the drop zone; the chosen `File` goes to the worker, which reads it.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Event, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The file chosen: a handle, handed to the worker, which reads it in slices.
    pub on_file: Callback<web_sys::File>,
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
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
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

    let input = html! { <input type="file" data-testid="file-input" accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz" onchange={onchange.clone()} /> };
    if props.compact {
        return html! { <label class="file-button compact">{"Open another file"}{ input }</label> };
    }
    html! {
        <section class={classes!("drop-zone", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <label class="file-button">
                {"Choose a capture"}
                { input }
            </label>
            <span class="drop-hint">{"or drop a .pcap / .pcapng (optionally .gz) file anywhere here"}</span>
        </section>
    }
}
