//! The bundled sample captures, fetched from the page's own origin and opened as a `File`, so
//! they take the same path as a file the reader chose.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;


/// Bundled captures (static/samples, served from this page's own origin), with what they show.
const SAMPLES: [(&str, &str); 6] = [
    ("seed_close_immediately.pcap", "Server closes at once: three-segment close (10 frames)"),
    ("seed_delayed_path.pcap", "The same over a 25 ms path, captured in the middle (try the timing view)"),
    ("crossing_fins_delayed_path.pcap", "Both close at once: the FINs cross (25 ms path)"),
    ("seed_close_delayed.pcap", "Server closes later: four-way close (11 frames)"),
    ("zeek_http_get-gzip.pcap", "Simultaneous close, FIN retransmitted"),
    ("chrissanders_tcp_dupack.pcapng", "Duplicate ACKs and a fast retransmission"),
];

/// Whether `name` is one of the bundled samples (a link to it can reopen it).
pub fn is_sample(name: &str) -> bool {
    SAMPLES.iter().any(|&(file, _)| file == name)
}

/// Fetches the bundled sample `file` and hands it to `on_file` (or says why not).
pub fn open_sample(file: String, on_file: Callback<web_sys::File>, on_error: Callback<(String, String)>) {
    wasm_bindgen_futures::spawn_local(async move {
        match fetch_sample(&file).await {
            Ok(sample) => on_file.emit(sample),
            Err(e) => on_error.emit((file.clone(), format!("the sample could not be loaded: {e}"))),
        }
    });
}

/// The sample as a `File`, so that it takes the same path as a file the user chose.
async fn fetch_sample(file: &str) -> Result<web_sys::File, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(&format!("samples/{file}"))).await.map_err(|e| format!("{e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response")?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| format!("{e:?}"))?).await.map_err(|e| format!("{e:?}"))?;
    let parts = js_sys::Array::of1(&buffer);
    web_sys::File::new_with_buffer_source_sequence(&parts, file).map_err(|e| format!("{e:?}"))
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_file: Callback<web_sys::File>,
    pub on_error: Callback<(String, String)>,
}

#[function_component(Samples)]
pub fn samples(props: &Props) -> Html {
    html! {
        <div class="samples">
            <span>{"Or try a sample:"}</span>
            { for SAMPLES.iter().map(|&(file, what)| {
                let (on_file, on_error) = (props.on_file.clone(), props.on_error.clone());
                let onclick = Callback::from(move |_| open_sample(file.to_string(), on_file.clone(), on_error.clone()));
                html! { <button class="sample" data-testid="sample" data-file={file} title={what} {onclick}>{ what }</button> }
            }) }
        </div>
    }
}
