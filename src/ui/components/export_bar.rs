//! The export buttons: the diagram as SVG (the bytes `tcp-ladder render` writes) and PNG, and
//! as Mermaid and PlantUML text; also the blob-URL download helpers other parts of the page use.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::diagram::{mermaid, plantuml, svg};
use crate::ui::shared::SharedLadder;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ladder: SharedLadder,
    /// Base name for downloaded files.
    pub name: String,
}

/// Starts a download of `data` (no network involved: a blob URL of this page).
pub(crate) fn download(name: &str, mime: &str, data: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(data));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    click_link(name, &url)?;
    web_sys::Url::revoke_object_url(&url)
}

pub(crate) fn click_link(name: &str, href: &str) -> Result<(), JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Browsers draw no canvas taller or wider than this, nor larger in area (Chromium's limits).
const CANVAS_SIDE: f32 = 32_000.0;
const CANVAS_AREA: f32 = 260_000_000.0;
/// Below this scale the text of a PNG is no longer legible: better to say so than to save it.
const MIN_PNG_SCALE: f32 = 0.5;

/// The scale a PNG of the diagram is drawn at: twice the size for sharp prints, less for a
/// tall diagram (a canvas past the browser's limits comes out empty), or `None` when even the
/// smallest legible scale does not fit.
pub fn png_scale(width: f32, height: f32) -> Option<f32> {
    let scale = 2.0f32.min(CANVAS_SIDE / height).min(CANVAS_SIDE / width).min((CANVAS_AREA / (width * height)).sqrt());
    (scale >= MIN_PNG_SCALE).then_some(scale)
}

/// Draws the SVG on a canvas and downloads it as PNG.
fn download_png(name: String, svg_text: &str, width: f32, height: f32) -> Result<(), JsValue> {
    let scale = png_scale(width, height).ok_or_else(|| {
        JsValue::from_str(&format!(
            "this diagram is {} units tall, more than one PNG image can hold legibly: export it as SVG, whose text stays sharp at any length, or take a PNG of a range of frames or of the rows on screen",
            height as u64
        ))
    })?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let image = web_sys::HtmlImageElement::new()?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width((width * scale) as u32);
    canvas.set_height((height * scale) as u32);
    let src = format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(svg_text));
    let img = image.clone();
    let onload = Closure::once(move || {
        let draw = || -> Result<(), JsValue> {
            let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.dyn_into()?;
            ctx.scale(f64::from(scale), f64::from(scale))?;
            ctx.draw_image_with_html_image_element(&img, 0.0, 0.0)?;
            click_link(&name, &canvas.to_data_url_with_type("image/png")?)
        };
        let _ = draw();
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&src);
    Ok(())
}

/// The diagram units on screen (top, bottom) in the page's ladder: from its scrolling box, as
/// the ladder view draws it (the drawing starts at its lifelines, unit 52).
fn rows_on_screen(width: f32) -> Option<(f32, f32)> {
    let document = web_sys::window()?.document()?;
    let scroller = document.query_selector(".diagram-scroll").ok()??;
    let svg = scroller.query_selector("svg.ladder").ok()??;
    let scale = svg.client_width() as f32 / width;
    (scale > 0.0).then(|| {
        let top = scroller.scroll_top() as f32 / scale + 52.0;
        (top, top + scroller.client_height() as f32 / scale)
    })
}

/// The SVG of the rows between `top` and `bottom` (diagram units): the drawing cut to them, its
/// lane names written again over the cut (#24: a diagram too tall for one PNG had no PNG at
/// all). Only what lies near the rows is written; the rest of the page's ladder is left out.
fn rows_svg(ladder: &crate::diagram::Ladder, top: f32, bottom: f32) -> (String, f32) {
    let (lo, hi) = (top - 52.0, bottom);
    let near = |a: f32, b: f32| a.min(b) <= hi + 60.0 && a.max(b) >= lo - 60.0;
    // (Built field by field: a connection of 100 000 segments is not copied whole.)
    let keep = |v: &[crate::diagram::Arrow]| v.iter().filter(|a| near(a.y1, a.y2)).cloned().collect();
    let cut = crate::diagram::Ladder {
        width: ladder.width,
        height: ladder.height,
        title: ladder.title.clone(),
        client: ladder.client.clone(),
        server: ladder.server.clone(),
        arrows: keep(&ladder.arrows),
        groups: ladder.groups.iter().filter(|g| near(g.y, g.y_end)).cloned().collect(),
        phases: ladder.phases.clone(),
        episodes: ladder.episodes.clone(),
        message_brackets: ladder.message_brackets.iter().filter(|b| near(b.y1, b.y2)).cloned().collect(),
        congestion_bands: ladder.congestion_bands.clone(),
        // (A state whose text the top edge would cut belongs to the row above: left out.)
        states: ladder.states.iter().filter(|t| near(t.y, t.y) && t.y - 12.0 >= top).cloned().collect(),
        gaps: ladder.gaps.iter().filter(|g| near(g.y, g.y)).cloned().collect(),
        ticks: ladder.ticks.iter().filter(|t| near(t.y, t.y)).cloned().collect(),
        capture: ladder.capture.clone(),
        max_slant: ladder.max_slant,
        window: ladder.window,
        time_line: ladder.time_line.clone(),
        time_bar: None,
        headings: ladder.headings.clone(),
    };
    let (w, h, height) = (ladder.width, ladder.height, hi - lo);
    let text = svg::render(&cut)
        .replacen(&format!(r#"height="{h}" viewBox="0 0 {w} {h}""#), &format!(r#"height="{height}" viewBox="0 {lo} {w} {height}""#), 1)
        .replacen(r##"<rect width="100%" height="100%" fill="#ffffff"/>"##, &format!(r##"<rect y="{lo}" width="100%" height="100%" fill="#ffffff"/>"##), 1);
    let names: String = [&ladder.client, &ladder.server]
        .iter()
        .map(|l| format!(r#"<text class="role" x="{}" y="{}">{}</text><text class="name" x="{}" y="{}">{}</text>"#, l.x, lo + 22.0, l.role, l.name_x, lo + 40.0, crate::draw::xml::escape(&l.name)))
        .collect();
    let band = format!(r##"<rect x="0" y="{lo}" width="{w}" height="52" fill="#ffffff"/>{names}</svg>"##);
    (text.trim_end().strip_suffix("</svg>").map_or(text.clone(), |t| format!("{t}{band}")), height)
}

/// Export the diagram: SVG and PNG files, Mermaid and PlantUML text (shown, copyable,
/// downloadable). The SVG is the same bytes `tcp-ladder render` writes.
#[function_component(ExportBar)]
pub fn export_bar(props: &Props) -> Html {
    let text = use_state(|| None::<(&'static str, String)>);
    // What the last export or copy did, in words ("Copied", or why a PNG was not made).
    let message = use_state(|| None::<String>);
    let ladder = props.ladder.clone();
    let name = props.name.clone();
    let on_svg = {
        let (ladder, name) = (ladder.clone(), name.clone());
        Callback::from(move |_| {
            let _ = download(&format!("{name}.svg"), "image/svg+xml", &svg::render(&ladder));
        })
    };
    // (A diagram too tall for one PNG says so, and points at the PNG of a part.)
    let on_png = {
        let (ladder, name, message) = (ladder.clone(), name.clone(), message.clone());
        Callback::from(move |_| match download_png(format!("{name}.png"), &svg::render(&ladder), ladder.width, ladder.height) {
            Ok(()) => message.set(None),
            Err(e) => message.set(Some(format!("No PNG: {}", e.as_string().unwrap_or_else(|| "the browser could not draw it".to_string())))),
        })
    };
    let on_png_rows = {
        let (ladder, name, message) = (ladder.clone(), name.clone(), message.clone());
        Callback::from(move |_| {
            let Some((top, bottom)) = rows_on_screen(ladder.width) else { return };
            // (A row the screen's edge cuts is taken whole, its label above it too.)
            let (top, bottom) = ladder.whole_rows(top, bottom);
            let (text, height) = rows_svg(&ladder, top, bottom);
            let file = format!("{name}-rows-{}-{}.png", top.round() as i64, bottom.round() as i64);
            match download_png(file, &text, ladder.width, height) {
                Ok(()) => message.set(Some("The PNG holds the rows on screen.".to_string())),
                Err(e) => message.set(Some(format!("No PNG: {}", e.as_string().unwrap_or_else(|| "the browser could not draw it".to_string())))),
            }
        })
    };
    // The PNG of frames A to B (empty boxes: the connection's first and last frame).
    let (from_ref, to_ref) = (use_node_ref(), use_node_ref());
    let on_png_frames = {
        let (ladder, name, message, from_ref, to_ref) = (ladder.clone(), name.clone(), message.clone(), from_ref.clone(), to_ref.clone());
        Callback::from(move |_| {
            let read = |r: &NodeRef| r.cast::<web_sys::HtmlInputElement>().and_then(|i| i.value().trim().parse::<u64>().ok());
            let (first, last) = (read(&from_ref).unwrap_or(0), read(&to_ref).unwrap_or(u64::MAX));
            let said = match ladder.frames_span(first.min(last), first.max(last)) {
                None => "No PNG: the diagram has no frame in that range.".to_string(),
                Some((top, bottom)) => {
                    let (text, height) = rows_svg(&ladder, top, bottom);
                    let file = format!("{name}-frames-{}-{}.png", first.min(last), if last == u64::MAX { "end".to_string() } else { first.max(last).to_string() });
                    match download_png(file, &text, ladder.width, height) {
                        Ok(()) => "The PNG holds the frames asked for.".to_string(),
                        Err(e) => format!("No PNG: {}", e.as_string().unwrap_or_else(|| "the browser could not draw it".to_string())),
                    }
                }
            };
            message.set(Some(said));
        })
    };
    // The frame boxes' keys are their own: they do not move the diagram's selection.
    let own_keys = Callback::from(|e: KeyboardEvent| e.stop_propagation());
    let show = |kind: &'static str| {
        let (ladder, text) = (ladder.clone(), text.clone());
        Callback::from(move |_| {
            let body = if kind == "mermaid" { mermaid::render(&ladder) } else { plantuml::render(&ladder) };
            text.set(Some((kind, body)));
        })
    };
    let panel = text.as_ref().map(|(kind, body)| {
        let copy = {
            let (body, message) = (body.clone(), message.clone());
            Callback::from(move |_| {
                let Some(w) = web_sys::window() else { return };
                let promise = w.navigator().clipboard().write_text(&body);
                let message = message.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let said = match wasm_bindgen_futures::JsFuture::from(promise).await {
                        Ok(_) => "Copied to the clipboard.".to_string(),
                        Err(_) => "The browser did not allow copying: select the text and copy it.".to_string(),
                    };
                    message.set(Some(said));
                });
            })
        };
        let save = {
            let (body, name, kind) = (body.clone(), name.clone(), *kind);
            Callback::from(move |_| {
                let ext = if kind == "mermaid" { "mmd" } else { "puml" };
                let _ = download(&format!("{name}.{ext}"), "text/plain", &body);
            })
        };
        let close = { let text = text.clone(); Callback::from(move |_| text.set(None)) };
        html! {
            <div class="export-text">
                <textarea data-testid="export-text" data-format={*kind} readonly=true rows="10" value={body.clone()} aria-label={if *kind == "mermaid" { "Mermaid text of the diagram" } else { "PlantUML text of the diagram" }} />
                <button onclick={copy}>{"Copy"}</button>
                <button onclick={save}>{"Download"}</button>
                <button onclick={close}>{"Close"}</button>
            </div>
        }
    });
    html! {
        <div class="export-bar">
            <span>{"Export:"}</span>
            <button data-testid="export-svg" onclick={on_svg}>{"SVG"}</button>
            <button data-testid="export-png" onclick={on_png}>{"PNG"}</button>
            <button data-testid="export-mermaid" onclick={show("mermaid")}>{"Mermaid"}</button>
            <button data-testid="export-plantuml" onclick={show("plantuml")}>{"PlantUML"}</button>
            { for panel }
            if let Some(said) = (*message).clone() {
                <span class="export-message" role="status" data-testid="export-message">{ said }</span>
            }
            // A part as PNG: a frame range, or the rows on screen (a diagram too tall for one
            // PNG still has these).
            <span class="png-part" role="group" aria-label="PNG of a part of the diagram">
                {"PNG of frames "}
                <input ref={from_ref} type="number" min="1" class="png-frame" data-testid="png-from" placeholder="first" aria-label="PNG from frame" onkeydown={own_keys.clone()} />
                {" to "}
                <input ref={to_ref} type="number" min="1" class="png-frame" data-testid="png-to" placeholder="last" aria-label="PNG to frame" onkeydown={own_keys} />
                <button data-testid="export-png-frames" onclick={on_png_frames}>{"PNG"}</button>
                <button data-testid="export-png-rows" onclick={on_png_rows}>{"PNG of the rows on screen"}</button>
            </span>
        </div>
    }
}
