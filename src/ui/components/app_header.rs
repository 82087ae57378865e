//! The page's header: before a capture is open, the title, the tagline, the file picker and the
//! samples; once one is open, a single bar (so the diagram gets the window's height) with a
//! compact picker, the samples in a menu and the capture's summary.

use yew::prelude::*;

use super::{FilePicker, Samples, Summary};
use crate::service::protocol::CaptureSummary;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub has_file: bool,
    /// The open file's name.
    pub name: String,
    /// Set once reading has ended.
    pub summary: Option<CaptureSummary>,
    pub on_file: Callback<web_sys::File>,
    /// Two files chosen together (merged as two capture points).
    pub on_two: Callback<(web_sys::File, web_sys::File)>,
    pub on_error: Callback<(String, String)>,
}

#[function_component(AppHeader)]
pub fn app_header(props: &Props) -> Html {
    let (on_file, on_two, on_error) = (&props.on_file, &props.on_two, &props.on_error);
    if props.has_file {
        html! {
            <header class="app-bar" data-testid="app-bar">
                <h1>{"tcp-ladder"}</h1>
                <FilePicker on_file={on_file.clone()} on_two={on_two.clone()} on_error={on_error.clone()} compact={true} />
                <details class="samples-menu">
                    <summary>{"Samples"}</summary>
                    <Samples on_file={on_file.clone()} on_error={on_error.clone()} />
                </details>
                if let Some(summary) = &props.summary {
                    <Summary name={props.name.clone()} summary={summary.clone()} />
                }
            </header>
        }
    } else {
        html! {
            <>
                <header class="top">
                    <h1>{"tcp-ladder"}</h1>
                    <p class="tagline">{"Drop a pcap or pcapng file: every TCP connection drawn as a ladder diagram, explained. Nothing leaves your browser."}</p>
                </header>
                <FilePicker on_file={on_file.clone()} on_two={on_two.clone()} on_error={on_error.clone()} />
                <Samples on_file={on_file.clone()} on_error={on_error.clone()} />
            </>
        }
    }
}
