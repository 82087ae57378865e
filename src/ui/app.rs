use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::components::{
    ConnectionList, ErrorBanner, ExportBar, FilePicker, LadderView, Legend, LoadedFile, Samples, SegmentPanel, Summary,
};
use super::shared::{SharedBytes, SharedLadder, SharedSession};
use crate::diagram::{layout, LadderOptions};
use crate::session::analyze_bytes;

/// What the page shows: nothing yet, or the analysis of the last file dropped.
#[derive(Clone, PartialEq)]
struct Loaded {
    name: String,
    session: Option<SharedSession>,
    bytes: SharedBytes,
    /// A file that could not be read at all, or damage part-way through one.
    error: Option<String>,
}

impl Default for Loaded {
    fn default() -> Self {
        Loaded { name: String::new(), session: None, bytes: SharedBytes::new(Vec::new()), error: None }
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let loaded = use_state(Loaded::default);
    let stream = use_state(|| None::<u32>);
    let segment = use_state(|| None::<usize>);
    let options = use_state(LadderOptions::default);

    let on_file = {
        let (loaded, stream, segment) = (loaded.clone(), stream.clone(), segment.clone());
        Callback::from(move |file: LoadedFile| {
            let bytes = SharedBytes::new(file.bytes);
            let next = match analyze_bytes(&bytes) {
                Ok(session) => Loaded {
                    error: session.damage.as_ref().map(|d| d.to_string()),
                    name: file.name,
                    session: Some(SharedSession::new(session)),
                    bytes,
                },
                Err(e) => Loaded { error: Some(e.message), name: file.name, session: None, bytes },
            };
            // Select the first connection so that a diagram shows at once.
            stream.set(next.session.as_ref().and_then(|s| s.streams().first().map(|s| s.index)));
            segment.set(None);
            loaded.set(next);
        })
    };
    let on_read_error = {
        let loaded = loaded.clone();
        Callback::from(move |(name, message): (String, String)| {
            loaded.set(Loaded { name, error: Some(message), ..Loaded::default() });
        })
    };
    let on_select_stream = {
        let (stream, segment, options) = (stream.clone(), segment.clone(), options.clone());
        Callback::from(move |s: u32| {
            stream.set(Some(s));
            segment.set(None);
            // Opened runs belong to the previous connection.
            let mut next = (*options).clone();
            next.expanded.clear();
            options.set(next);
        })
    };
    let on_select_segment = {
        let segment = segment.clone();
        Callback::from(move |i: usize| segment.set(Some(i)))
    };
    let toggle = |field: fn(&mut LadderOptions) -> &mut bool| {
        let options = options.clone();
        Callback::from(move |_| {
            let mut next = (*options).clone();
            let flag = field(&mut next);
            *flag = !*flag;
            options.set(next);
        })
    };
    let on_expand = {
        let options = options.clone();
        Callback::from(move |id: usize| {
            let mut next = (*options).clone();
            next.expanded.insert(id);
            options.set(next);
        })
    };

    let ladder = use_memo(((*loaded).clone(), *stream, (*options).clone()), |(loaded, stream, options)| {
        let session = loaded.session.as_ref()?;
        layout(session, (*stream)?, options).map(SharedLadder::new)
    });
    let ladder: Option<SharedLadder> = (*ladder).clone();

    let onkeydown = {
        let segment = segment.clone();
        let (groups, on_expand) = (ladder.as_ref().map(|l| l.groups.clone()).unwrap_or_default(), on_expand.clone());
        let count = loaded.session.as_ref().zip(*stream).and_then(|(s, i)| s.streams().get(i as usize)).map_or(0, |s| s.packets as usize);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                // Enter opens the next collapsed run after the selected segment (or the first).
                let from = (*segment).unwrap_or(0);
                if let Some(g) = groups.iter().find(|g| g.id + g.segments > from) {
                    e.prevent_default();
                    on_expand.emit(g.id);
                    segment.set(Some(g.id));
                }
                return;
            }
            let next = match (e.key().as_str(), *segment) {
                ("ArrowDown", None) if count > 0 => Some(Some(0)),
                ("ArrowDown", Some(i)) => Some(Some((i + 1).min(count.saturating_sub(1)))),
                ("ArrowUp", Some(i)) => Some(Some(i.saturating_sub(1))),
                ("Escape", _) => Some(None),
                _ => None,
            };
            if let Some(next) = next {
                e.prevent_default();
                // Moving into a collapsed run opens it.
                if let Some(g) = next.and_then(|i| groups.iter().find(|g| i >= g.id && i < g.id + g.segments)) {
                    on_expand.emit(g.id);
                }
                segment.set(next);
            }
        })
    };

    html! {
        <div class="app">
            <header class="top">
                <h1>{"tcp-ladder"}</h1>
                <p class="tagline">{"Drop a pcap or pcapng file: every TCP connection drawn as a ladder diagram, explained. Nothing leaves your browser."}</p>
            </header>
            <FilePicker on_file={on_file.clone()} on_error={on_read_error.clone()} />
            <Samples on_file={on_file} on_error={on_read_error} />
            if let Some(error) = &loaded.error {
                <ErrorBanner file={loaded.name.clone()} message={error.clone()} />
            }
            if let Some(session) = &loaded.session {
                <Summary name={loaded.name.clone()} session={session.clone()} />
                <main class="workspace">
                    <ConnectionList session={session.clone()} selected={*stream} on_select={on_select_stream} />
                    if let (Some(ladder), Some(s)) = (ladder, *stream) {
                        <section class="diagram-pane" tabindex="0" {onkeydown} aria-label="ladder diagram; arrow keys move between segments, Enter opens a collapsed run, Escape clears">
                            <div class="toolbar">
                                <label class="toggle"><input type="checkbox" data-testid="toggle-absolute" checked={options.absolute} onchange={toggle(|o| &mut o.absolute)} />{" absolute sequence numbers"}</label>
                                <label class="toggle"><input type="checkbox" data-testid="toggle-time" checked={options.by_time} onchange={toggle(|o| &mut o.by_time)} />{" rows by capture time"}</label>
                                <label class="toggle"><input type="checkbox" data-testid="toggle-expand" checked={options.expand_all} onchange={toggle(|o| &mut o.expand_all)} />{" show every segment"}</label>
                                <ExportBar ladder={ladder.clone()} name={format!("{}-stream{}", loaded.name, s)} />
                            </div>
                            <Legend />
                            <div class="diagram-and-panel">
                                <LadderView ladder={ladder.clone()} selected={*segment} on_select={on_select_segment} {on_expand} />
                                <SegmentPanel session={session.clone()} bytes={loaded.bytes.clone()} ladder={ladder} stream={s} selected={*segment} />
                            </div>
                        </section>
                    }
                </main>
            }
        </div>
    }
}
