//! Progress while the worker reads a file (bytes, frames, segments and connections so far,
//! worker memory) with a button to stop, and `megabytes`, how the page writes byte counts.

use yew::prelude::*;

use crate::timefmt::count;

use crate::service::protocol::Progress;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub name: String,
    pub progress: Progress,
    pub on_cancel: Callback<()>,
}

/// "12.3 MB".
pub use crate::draw::numbers::megabytes;

/// While the worker reads a file: how far it has got, what it has found, and a way to stop.
#[function_component(ProgressBar)]
pub fn progress_bar(props: &Props) -> Html {
    let p = &props.progress;
    let fraction = if p.total_bytes > 0 { p.bytes_read as f64 / p.total_bytes as f64 } else { 0.0 };
    let onclick = props.on_cancel.reform(|_| ());
    html! {
        <section class="progress" data-testid="progress" aria-live="polite"
            data-bytes={p.bytes_read.to_string()} data-connections={p.connections.to_string()}>
            <div class="progress-line">
                <strong>{ format!("Reading {}", props.name) }</strong>
                <progress max="1" value={fraction.to_string()} aria-label="bytes read"></progress>
                <button type="button" data-testid="cancel" {onclick}>{"Cancel"}</button>
            </div>
            <div class="progress-counts">
                // Separators are text too, so the line reads right when copied or spoken.
                <span>{ format!("{} of {} ({:.0} %)", megabytes(p.bytes_read), megabytes(p.total_bytes), fraction * 100.0) }</span>
                <span>{ format!(" · {}", count(p.frames, "frame", "frames")) }</span>
                <span>{ format!(" · {}", count(p.tcp_packets, "TCP segment", "TCP segments")) }</span>
                <span>{ format!(" · {}", count(p.connections, "connection", "connections")) }</span>
                if p.memory_bytes > 0 {
                    <span title="memory of the worker that analyses the file">{ format!(" · worker memory {}", megabytes(p.memory_bytes)) }</span>
                }
            </div>
        </section>
    }
}
