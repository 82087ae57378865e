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
            "this diagram is {} units tall, more than one PNG image can hold legibly: export it as SVG, whose text stays sharp at any length (a PNG of a shorter view — long runs collapsed, a connection's first segments — fits)",
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
    let on_png = {
        let (ladder, name, message) = (ladder.clone(), name.clone(), message.clone());
        Callback::from(move |_| match download_png(format!("{name}.png"), &svg::render(&ladder), ladder.width, ladder.height) {
            Ok(()) => message.set(None),
            Err(e) => message.set(Some(format!("No PNG: {}", e.as_string().unwrap_or_else(|| "the browser could not draw it".to_string())))),
        })
    };
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
        </div>
    }
}
