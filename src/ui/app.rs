use std::rc::Rc;

use yew::prelude::*;

use super::components::{ConnectionList, ErrorBanner, FilePicker, LadderView, LoadedFile, Summary};
use super::shared::SharedSession;
use crate::session::analyze_bytes;

/// What the page shows: nothing yet, or the analysis of the last file dropped.
#[derive(Clone, PartialEq, Default)]
struct Loaded {
    name: String,
    session: Option<SharedSession>,
    /// A file that could not be read at all, or damage part-way through one.
    error: Option<String>,
}

#[function_component(App)]
pub fn app() -> Html {
    let loaded = use_state(Loaded::default);
    let selected = use_state(|| None::<u32>);
    let absolute = use_state(|| false);

    let on_file = {
        let loaded = loaded.clone();
        let selected = selected.clone();
        Callback::from(move |file: LoadedFile| {
            let next = match analyze_bytes(&file.bytes) {
                Ok(session) => Loaded {
                    error: session.damage.as_ref().map(|d| d.to_string()),
                    name: file.name,
                    session: Some(SharedSession(Rc::new(session))),
                },
                Err(e) => Loaded { error: Some(e.message), name: file.name, session: None },
            };
            // Select the first connection so that a diagram shows at once.
            selected.set(next.session.as_ref().and_then(|s| s.streams.first().map(|s| s.index)));
            loaded.set(next);
        })
    };
    let on_read_error = {
        let loaded = loaded.clone();
        Callback::from(move |(name, message): (String, String)| {
            loaded.set(Loaded { name, session: None, error: Some(message) });
        })
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |stream: u32| selected.set(Some(stream)))
    };
    let on_toggle_absolute = {
        let absolute = absolute.clone();
        Callback::from(move |_| absolute.set(!*absolute))
    };

    html! {
        <div class="app">
            <header class="top">
                <h1>{"tcp-ladder"}</h1>
                <p class="tagline">{"Drop a pcap or pcapng file: every TCP connection drawn as a ladder diagram. Nothing leaves your browser."}</p>
            </header>
            <FilePicker on_file={on_file} on_error={on_read_error} />
            if let Some(error) = &loaded.error {
                <ErrorBanner file={loaded.name.clone()} message={error.clone()} />
            }
            if let Some(session) = &loaded.session {
                <Summary name={loaded.name.clone()} session={session.clone()} />
                <main class="workspace">
                    <ConnectionList session={session.clone()} selected={*selected} on_select={on_select} />
                    if let Some(stream) = *selected {
                        <section class="diagram-pane">
                            <label class="toggle">
                                <input type="checkbox" checked={*absolute} onchange={on_toggle_absolute} />
                                {" absolute sequence numbers"}
                            </label>
                            <LadderView session={session.clone()} stream={stream} absolute={*absolute} />
                        </section>
                    }
                </main>
            }
        </div>
    }
}
