use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Event, HtmlInputElement};
use yew::prelude::*;

/// A file the user picked or dropped, read whole.
pub struct LoadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_file: Callback<LoadedFile>,
    /// (file name, why it could not be read)
    pub on_error: Callback<(String, String)>,
}

fn read(file: web_sys::File, on_file: Callback<LoadedFile>, on_error: Callback<(String, String)>) {
    let name = file.name();
    let blob = gloo_file::Blob::from(web_sys::Blob::from(file));
    wasm_bindgen_futures::spawn_local(async move {
        match gloo_file::futures::read_as_bytes(&blob).await {
            Ok(bytes) => on_file.emit(LoadedFile { name, bytes }),
            Err(e) => on_error.emit((name, format!("the browser could not read the file: {e}"))),
        }
    });
}

/// The file button and the drop zone. Reading happens here; analysis in the app.
#[function_component(FilePicker)]
pub fn file_picker(props: &Props) -> Html {
    let dragging = use_state(|| false);

    let onchange = {
        let (on_file, on_error) = (props.on_file.clone(), props.on_error.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read(file, on_file.clone(), on_error.clone());
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
    let ondrop = {
        let (on_file, on_error) = (props.on_file.clone(), props.on_error.clone());
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e.data_transfer().and_then(|dt| dt.files()).and_then(|files| files.get(0)) {
                read(file, on_file.clone(), on_error.clone());
            }
        })
    };

    html! {
        <section class={classes!("drop-zone", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <label class="file-button">
                {"Choose a capture"}
                <input type="file" data-testid="file-input" accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz" {onchange} />
            </label>
            <span class="drop-hint">{"or drop a .pcap / .pcapng (optionally .gz) file anywhere here"}</span>
        </section>
    }
}
