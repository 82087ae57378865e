use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::file_picker::LoadedFile;

/// Bundled captures (static/samples, served from this page's own origin), with what they show.
const SAMPLES: [(&str, &str); 4] = [
    ("seed_close_immediately.pcap", "Server closes at once: three-segment close (10 frames)"),
    ("seed_close_delayed.pcap", "Server closes later: four-way close (11 frames)"),
    ("zeek_http_get-gzip.pcap", "Simultaneous close, FIN retransmitted"),
    ("chrissanders_tcp_dupack.pcapng", "Duplicate ACKs and a fast retransmission"),
];

async fn fetch_sample(file: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(&format!("samples/{file}"))).await.map_err(|e| format!("{e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response")?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| format!("{e:?}"))?).await.map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_file: Callback<LoadedFile>,
    pub on_error: Callback<(String, String)>,
}

#[function_component(Samples)]
pub fn samples(props: &Props) -> Html {
    html! {
        <div class="samples">
            <span>{"Or try a sample:"}</span>
            { for SAMPLES.iter().map(|&(file, what)| {
                let (on_file, on_error) = (props.on_file.clone(), props.on_error.clone());
                let onclick = Callback::from(move |_| {
                    let (on_file, on_error) = (on_file.clone(), on_error.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match fetch_sample(file).await {
                            Ok(bytes) => on_file.emit(LoadedFile { name: file.to_string(), bytes }),
                            Err(e) => on_error.emit((file.to_string(), format!("the sample could not be loaded: {e}"))),
                        }
                    });
                });
                html! { <button class="sample" data-testid="sample" data-file={file} title={what} {onclick}>{ what }</button> }
            }) }
        </div>
    }
}
