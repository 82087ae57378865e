//! One stream graph (Wireshark's TCP Stream Graphs) drawn from the worker's data at its pane's
//! width, with box zoom on both axes (or time only), panning, keyboard zoom, a crosshair, and
//! points that select their segment in the ladder. The arithmetic (box → windows, clipping,
//! fitting) is in `graph::zoom`; this only draws and forwards.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::export_bar::download;
use super::graph_marks::{legend_entry, Marks, PlotRef};
use crate::graph::plot::{plot, to_svg, Plot};
use crate::graph::zoom::{scaled, Zoom};
use crate::graph::{csv::shown_csv, GraphData};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub data: Rc<GraphData>,
    /// The segment selected in the ladder: its frame and time (seconds), marked on the graph.
    pub selected: Option<(u64, f64)>,
    /// A point was clicked: select its frame in the ladder.
    pub on_pick: Callback<u64>,
    /// Zoom or pan to a window (None: the whole connection).
    pub on_range: Callback<Option<Zoom>>,
    /// Base name for exported files.
    pub name: String,
    /// The tools' height the reader chose (px): the plot takes it, less the bars around it.
    #[prop_or_default]
    pub tools_height: Option<i32>,
}

/// The plot's height: under a third of the window, so the ladder above keeps most of it; on a
/// laptop's short screen a little less, so that the ladder keeps half the pane (#24: with a
/// graph open at 1366 × 768 it had 37 % of it); on a screen wide enough for the tools to stand
/// beside the ladder (style.css, 2200 px), half the window.
fn plot_height() -> f32 {
    let size = |f: fn(&web_sys::Window) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| web_sys::window().and_then(|w| f(&w).ok()).and_then(|v| v.as_f64());
    let (w, h) = (size(web_sys::Window::inner_width).unwrap_or(1280.0), size(web_sys::Window::inner_height).unwrap_or(800.0));
    if w >= 2200.0 {
        return ((h * 0.5) as f32).clamp(190.0, 640.0);
    }
    let share = if h <= 1200.0 { 0.21 } else { 0.3 };
    ((h * share) as f32).clamp(150.0, 340.0)
}

/// What the tools' box holds besides the plot (px): the tabs, the graph's bar, its legend.
const TOOLS_AROUND_PLOT: f32 = 120.0;

/// Pointer position in plot units (Yew delegates events, so the SVG comes from its ref, not
/// from the event's current target).
fn to_plot(e: &PointerEvent, svg: &NodeRef, plot: &Plot) -> Option<(f32, f32)> {
    let svg = svg.cast::<web_sys::Element>()?;
    let r = svg.get_bounding_client_rect();
    if r.width() <= 0.0 {
        return None;
    }
    let scale = plot.width / r.width() as f32;
    Some(((e.client_x() as f32 - r.left() as f32) * scale, (e.client_y() as f32 - r.top() as f32) * scale))
}

/// One stream graph: drawn from the worker's data at the width of its pane; drag across it to
/// zoom into that time range, buttons to pan, zoom out and reset; a crosshair reads the values
/// under the pointer; a click on a point selects its segment in the ladder. Points are text
/// nodes and attributes only (nothing from the capture is markup).
#[function_component(GraphView)]
pub fn graph_view(props: &Props) -> Html {
    let container = use_node_ref();
    let width = use_state(|| 900.0f32);
    {
        // Fit the pane: measure after every render (a cheap read), redraw when it changed.
        let (container, width) = (container.clone(), width.clone());
        use_effect(move || {
            if let Some(el) = container.cast::<web_sys::Element>() {
                let w = (el.client_width() as f32).max(260.0);
                if (w - *width).abs() > 8.0 {
                    width.set(w);
                }
            }
        });
    }
    // Laid out again only when the data or the size changes (not at every pointer move).
    let height = props.tools_height.map_or_else(plot_height, |h| (h as f32 - TOOLS_AROUND_PLOT).clamp(120.0, 900.0));
    let plot: Rc<Plot> = use_memo((props.data.clone(), (*width).to_bits(), height.to_bits()), |(data, w, h)| plot(data, f32::from_bits(*w), f32::from_bits(*h)));
    let svg_ref = use_node_ref();
    // The box being dragged: where the drag started and where the pointer is.
    let brush = use_state(|| None::<((f32, f32), (f32, f32))>);
    let cross = use_state(|| None::<(f32, f32)>);

    let onpointerdown = {
        let (brush, plot, svg_ref) = (brush.clone(), plot.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            if let Some(at) = to_plot(&e, &svg_ref, &plot) {
                brush.set(Some((at, at)));
            }
        })
    };
    let onpointermove = {
        let (brush, cross, plot, svg_ref) = (brush.clone(), cross.clone(), plot.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            let Some((x, y)) = to_plot(&e, &svg_ref, &plot) else { return };
            if let Some((start, _)) = *brush {
                brush.set(Some((start, (x, y))));
            }
            cross.set(Some((x, y)));
        })
    };
    let onpointerup = {
        let (brush, plot, on_range, on_pick, svg_ref) = (brush.clone(), plot.clone(), props.on_range.clone(), props.on_pick.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some((a, b)) = *brush {
                if let Some(zoom) = plot.box_zoom(a, b) {
                    on_range.emit(Some(zoom));
                } else if let Some((x, y)) = to_plot(&e, &svg_ref, &plot) {
                    // A click (no drag) near a line: the segment of its nearest sample.
                    if let Some(m) = plot.nearest(x, y, 10.0).filter(|m| m.on_line) {
                        on_pick.emit(m.frame);
                    }
                }
            }
            brush.set(None);
        })
    };
    let onpointerleave = {
        let (brush, cross) = (brush.clone(), cross.clone());
        Callback::from(move |_: PointerEvent| {
            brush.set(None);
            cross.set(None);
        })
    };
    let (r0, r1) = props.data.range;
    let (f0, f1) = props.data.full;
    let span = r1 - r0;
    let shift = |by: f64| {
        let on_range = props.on_range.clone();
        let (lo, hi) = (f0, f1);
        Callback::from(move |_: MouseEvent| {
            let (mut a, mut b) = (r0 + by * span, r1 + by * span);
            if a < lo {
                (a, b) = (lo, lo + span);
            }
            if b > hi {
                (a, b) = ((hi - span).max(lo), hi);
            }
            on_range.emit(Some(Zoom { t: (a, b), y: None }));
        })
    };
    let zoomed = (r0 - f0).abs() > 1e-9 || (r1 - f1).abs() > 1e-9 || props.data.y_zoomed;
    // Time zoomed by `factor` around the middle, the values fitted (the keyboard's + and −,
    // the "zoom out" button); the whole connection again: no zoom at all.
    let zoom_by = {
        let on_range = props.on_range.clone();
        move |factor: f64| {
            let t = scaled((r0, r1), (f0, f1), factor);
            on_range.emit(if t.0 <= f0 && t.1 >= f1 { None } else { Some(Zoom { t, y: None }) });
        }
    };
    let zoom_out = {
        let zoom_by = zoom_by.clone();
        Callback::from(move |_: MouseEvent| zoom_by(2.0))
    };
    let reset = props.on_range.reform(|_: MouseEvent| None);
    let ondblclick = props.on_range.reform(|_: MouseEvent| None);
    // Keys anywhere in the graph: Esc resets, + / − zoom, Shift + ← / → pan.
    let onkeydown_graph = {
        let on_range = props.on_range.clone();
        Callback::from(move |e: KeyboardEvent| {
            let pan = |by: f64| {
                let (mut a, mut b) = (r0 + by * span, r1 + by * span);
                if a < f0 {
                    (a, b) = (f0, f0 + span);
                }
                if b > f1 {
                    (a, b) = ((f1 - span).max(f0), f1);
                }
                on_range.emit(Some(Zoom { t: (a, b), y: None }));
            };
            match e.key().as_str() {
                "Escape" if zoomed => on_range.emit(None),
                "+" | "=" => zoom_by(0.5),
                "-" | "_" => zoom_by(2.0),
                "ArrowLeft" if e.shift_key() && zoomed => pan(-0.25),
                "ArrowRight" if e.shift_key() && zoomed => pan(0.25),
                _ => return,
            }
            e.prevent_default();
        })
    };
    let save_svg = {
        let (plot, name) = (plot.clone(), props.name.clone());
        Callback::from(move |_: MouseEvent| {
            let _ = download(&format!("{name}.svg"), "image/svg+xml", &to_svg(&plot));
        })
    };
    let save_csv = {
        let (data, name) = (props.data.clone(), props.name.clone());
        Callback::from(move |_: MouseEvent| {
            let _ = download(&format!("{name}.csv"), "text/csv", &shown_csv(&data));
        })
    };

    let picked = props.selected.map(|(frame, _)| frame);
    // ← / → move the focus from point to point (one tab stop for the whole graph).
    let onkeydown_svg = Callback::from(|e: KeyboardEvent| {
        if e.shift_key() {
            return;
        }
        let step = match e.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let Ok(Some(svg)) = target.closest("svg") else { return };
        let Ok(points) = svg.query_selector_all("[data-testid=graph-point]") else { return };
        let at = (0..points.length()).find(|&i| points.get(i).is_some_and(|p| p.is_same_node(Some(&target))));
        let Some(at) = at else { return };
        let next = (at as i64 + step).clamp(0, points.length() as i64 - 1) as u32;
        if let Some(el) = points.get(next).and_then(|p| p.dyn_into::<web_sys::SvgElement>().ok()) {
            e.prevent_default();
            let _ = el.focus();
        }
    });
    let selected_x = props.selected.map(|(_, t)| t).filter(|t| *t >= r0 && *t <= r1).map(|t| {
        let f = ((t - r0) / (r1 - r0)) as f32;
        plot.left() + f * (plot.right() - plot.left())
    });
    // Near a point: that segment's values; elsewhere the time and value under the pointer.
    let reading = (*cross).map(|(x, y)| plot.nearest(x, y, 8.0).map_or_else(|| plot.reading(x, y), |m| m.title.clone()));
    html! {
        <div class="graph" data-testid="graph" data-kind={props.data.kind.name()} data-exact={props.data.exact.to_string()} ref={container}
             data-range={format!("{} {}", r0, r1)} data-y-range={format!("{} {}", props.data.y_range.0, props.data.y_range.1)} data-y-zoomed={props.data.y_zoomed.to_string()}
             onkeydown={onkeydown_graph}>
            <div class="graph-head">
                <strong>{ &plot.title }</strong>
                <span class="muted">{ format!(" — {}", plot.subtitle) }</span>
            </div>
            <div class="graph-bar">
                <button onclick={shift(-0.5)} disabled={!zoomed} title="pan left (earlier)">{"◀ earlier"}</button>
                <button onclick={shift(0.5)} disabled={!zoomed} title="pan right (later)">{"later ▶"}</button>
                <button onclick={zoom_out} disabled={!zoomed}>{"zoom out"}</button>
                <button data-testid="graph-reset" onclick={reset} disabled={!zoomed}>{"reset"}</button>
                <button data-testid="graph-export-svg" onclick={save_svg}>{"SVG"}</button>
                <button data-testid="graph-export-csv" onclick={save_csv}>{"CSV"}</button>
                // One line whatever it says (the plot must not move under the pointer); cut
                // with an ellipsis on a narrow screen, the whole of it in the tooltip.
                { { let text = reading.unwrap_or_else(|| "drag a box to zoom both axes (a flat drag: time only); double-click or Esc resets; + / − zoom, Shift + ← / → pan; click a point to select its segment".into());
                    html! { <span class="muted graph-reading" aria-live="off" title={text.clone()}>{ text }</span> } } }
            </div>
            <svg ref={svg_ref} class="graph-svg" viewBox={format!("0 0 {} {}", plot.width, plot.height)} width="100%" role="group"
                 aria-label={format!("{}: {} points; ← / → move between them, Enter selects the segment; + / − zoom, Shift + ← / → pan, Esc resets", plot.title, plot.marks.len())}
                 {onpointerdown} {onpointermove} {onpointerup} {onpointerleave} {ondblclick} onkeydown={onkeydown_svg}>
                <rect class="g-bg" x={plot.left().to_string()} y={plot.top().to_string()} width={(plot.right() - plot.left()).to_string()} height={(plot.bottom() - plot.top()).to_string()} />
                { for plot.x_ticks.iter().map(|t| html! {
                    <g class="g-tick">
                        <line class="grid" x1={format!("{:.1}", t.at)} x2={format!("{:.1}", t.at)} y1={plot.top().to_string()} y2={plot.bottom().to_string()} />
                        <text x={format!("{:.1}", t.at)} y={(plot.bottom() + 16.0).to_string()} text-anchor="middle">{ &t.label }</text>
                    </g>
                }) }
                { for plot.y_ticks.iter().map(|t| html! {
                    <g class="g-tick">
                        <line class="grid" x1={plot.left().to_string()} x2={plot.right().to_string()} y1={format!("{:.1}", t.at)} y2={format!("{:.1}", t.at)} />
                        <text x={(plot.left() - 6.0).to_string()} y={format!("{:.1}", t.at + 4.0)} text-anchor="end">{ &t.label }</text>
                    </g>
                }) }
                <text class="g-axis" x={((plot.left() + plot.right()) / 2.0).to_string()} y={(plot.height - 4.0).to_string()} text-anchor="middle">{ &plot.x_label }</text>
                <text class="g-axis" transform={format!("translate(13 {}) rotate(-90)", (plot.top() + plot.bottom()) / 2.0)} text-anchor="middle">{ &plot.y_label }</text>
                { for plot.lines.iter().map(|l| html! { <path class={classes!("g-line", l.class.clone())} d={l.d.clone()} /> }) }
                if let Some((y, label)) = &plot.irtt {
                    <line class="g-irtt" x1={plot.left().to_string()} x2={plot.right().to_string()} y1={format!("{y:.1}")} y2={format!("{y:.1}")} />
                    <text class="g-irtt-label" x={(plot.right() - 4.0).to_string()} y={format!("{:.1}", y - 4.0)} text-anchor="end">{ label }</text>
                }
                if let Some(x) = selected_x {
                    <line class="g-selected" data-testid="graph-selected" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1={plot.top().to_string()} y2={plot.bottom().to_string()} />
                }
                <Marks plot={PlotRef(plot.clone())} {picked} on_pick={props.on_pick.clone()} />
                if let Some((a, b)) = *brush {
                    // A flat drag shows the full height it zooms (time only, values fitted).
                    if (a.1 - b.1).abs() >= 6.0 {
                        <rect class="g-brush" data-testid="graph-brush" x={format!("{:.1}", a.0.min(b.0))} y={format!("{:.1}", a.1.min(b.1))} width={format!("{:.1}", (a.0 - b.0).abs())} height={format!("{:.1}", (a.1 - b.1).abs())} />
                    } else {
                        <rect class="g-brush" data-testid="graph-brush" x={format!("{:.1}", a.0.min(b.0))} y={plot.top().to_string()} width={format!("{:.1}", (a.0 - b.0).abs())} height={(plot.bottom() - plot.top()).to_string()} />
                    }
                }
                if let Some((x, y)) = *cross {
                    <line class="g-cross" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1={plot.top().to_string()} y2={plot.bottom().to_string()} />
                    <line class="g-cross" x1={plot.left().to_string()} x2={plot.right().to_string()} y1={format!("{y:.1}")} y2={format!("{y:.1}")} />
                }
            </svg>
            <ul class="graph-legend">
                { for plot.legend.iter().map(legend_entry) }
                if !plot.exact {
                    <li class="muted">{ format!("{} points in range: each pixel column shows its smallest and largest value; zoom in for every segment", props.data.points_in_range) }</li>
                }
            </ul>
        </div>
    }
}

