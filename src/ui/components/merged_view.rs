//! Two captures of the same connections, merged (issue #26): which pair, what the two points
//! saw in words, B's clock against A's (the packets' estimate, or an offset the reader sets,
//! kept in the link), the ladder with both capture points and the delay between them over
//! time. It draws what the worker laid out (`diagram::merged_layout`, `merged_delays`): no TCP
//! decision here.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::diagram::merged_delays::{DelayPlot, BOTTOM, LEFT, PLOT_HEIGHT, TOP};
use crate::diagram::merged_layout::MergedLadder;
use crate::service::two_points::{MergeView, ROWS_SHOWN};
use crate::ui::state::MergeAsk;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: std::rc::Rc<MergeView>,
    pub ask: MergeAsk,
    pub on_ask: Callback<MergeAsk>,
}

fn ms(ns: i64) -> String {
    format!("{:+.3}", ns as f64 / 1e6)
}

#[function_component(MergedView)]
pub fn merged_view(props: &Props) -> Html {
    let view = &props.view;
    let input = use_node_ref();
    let ask = props.ask;
    let on_pair = {
        let on_ask = props.on_ask.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else { return };
            if let Ok(pair) = select.value().parse() {
                on_ask.emit(MergeAsk { pair, first_row: 0, ..ask });
            }
        })
    };
    let on_set = {
        let (on_ask, input) = (props.on_ask.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            let value = field.value_as_number();
            if value.is_finite() && value.abs() < 1e9 {
                on_ask.emit(MergeAsk { offset_ns: Some((value * 1e6).round() as i64), ..ask });
            }
        })
    };
    let on_estimate = {
        let on_ask = props.on_ask.clone();
        Callback::from(move |_: MouseEvent| on_ask.emit(MergeAsk { offset_ns: None, ..ask }))
    };
    let on_hide = {
        let on_ask = props.on_ask.clone();
        Callback::from(move |e: Event| {
            let on = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked());
            on_ask.emit(MergeAsk { hide_addresses: on, ..ask });
        })
    };
    let page = |first_row: usize| {
        let on_ask = props.on_ask.clone();
        Callback::from(move |_: MouseEvent| on_ask.emit(MergeAsk { first_row, ..ask }))
    };
    let names = html! {
        <p class="merge-files"><span>{ format!("A: {}", view.names[0]) }</span>{" · "}<span>{ format!("B: {}", view.names[1]) }</span></p>
    };
    let notes = html! {
        if !view.notes.is_empty() {
            <ul class="merge-notes" role="status" data-testid="merge-notes">{ for view.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
        }
    };
    let Some(shown) = &view.shown else {
        return html! { <main class="merged" data-testid="merged"><h2>{"Two capture points"}</h2>{ names }{ notes }</main> };
    };
    let l = &shown.ladder;
    let (from, to, total) = (l.first_row, l.first_row + l.rows.len(), l.rows_total);
    let estimate = match (shown.estimated_offset_ns, shown.uncertainty_ns) {
        (Some(e), Some(b)) => format!("the packets' estimate: {} ms if the path's fixed delay is the same both ways; whatever it is, between {} and {} ms", ms(e), ms(e - b), ms(e + b)),
        _ => "the packets give no estimate (no segment seen at both points each way)".to_string(),
    };
    html! {
        <main class="merged" data-testid="merged">
            <h2>{"Two capture points, one ladder"}</h2>
            { names }
            <label class="merge-hide"><input type="checkbox" data-testid="merge-hide-addresses" checked={ask.hide_addresses} onchange={on_hide} />{" hide addresses"}</label>
            { notes }
            if view.pairs.len() > 1 {
                <label class="merge-pair">{"Connection "}
                    <select onchange={on_pair} data-testid="merge-pair">
                        { for view.pairs.iter().enumerate().map(|(k, p)| html! { <option value={k.to_string()} selected={k == shown.index}>{ &p.label }</option> }) }
                    </select>
                </label>
            }
            <ul class="merge-lines" data-testid="merge-lines">{ for shown.lines.iter().map(|line| html! { <li>{ line }</li> }) }</ul>
            <form class="merge-offset" onsubmit={on_set}>
                <label>{"B's clock − A's, ms "}
                    <input ref={input} type="number" step="0.001" data-testid="merge-offset" value={shown.offset_ns.map(|o| format!("{:.3}", o as f64 / 1e6)).unwrap_or_default()} />
                </label>
                <button type="submit">{"Use this offset"}</button>
                if shown.offset_by_hand {
                    <button type="button" onclick={on_estimate}>{"Back to the estimate"}</button>
                }
                <span class="merge-estimate" data-testid="merge-estimate">{ if shown.offset_by_hand { format!("set by hand (kept in the link); {estimate}") } else { estimate } }</span>
            </form>
            if let Some(plot) = &shown.delays {
                { delay_plot(plot) }
            }
            if total > ROWS_SHOWN {
                <p class="merge-rows">{ format!("segments {}–{} of {} ", from + 1, to, total) }
                    if from > 0 { <button onclick={page(from.saturating_sub(ROWS_SHOWN))}>{"earlier"}</button> }
                    if to < total { <button onclick={page(to)}>{"later"}</button> }
                </p>
            }
            { ladder(l) }
        </main>
    }
}

fn ladder(l: &MergedLadder) -> Html {
    let frame = |f: Option<u64>| f.map_or(String::new(), |f| f.to_string());
    html! {
        <div class="merged-scroll">
            <svg class="merged-ladder" data-testid="merged-ladder" width={l.width.to_string()} height={l.height.to_string()} viewBox={format!("0 0 {} {}", l.width, l.height)} role="img" aria-label={l.title.clone()}>
                <defs><marker id="merged-head" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" class="merged-head" /></marker></defs>
                <text x="8" y="16" class="merged-title" data-testid="merged-title">{ &l.title }</text>
                { for l.columns.iter().map(|c| html! {
                    <g class={if c.point { "capture-point" } else { "merged-life" }} data-head={c.head.clone()}>
                        <text class="head" x={c.x.to_string()} y="44">{ &c.head }</text>
                        <text class="mid" x={c.x.to_string()} y="60">{ &c.name }</text>
                        <line x1={c.x.to_string()} y1={l.line_top.to_string()} x2={c.x.to_string()} y2={l.line_bottom.to_string()} />
                    </g>
                }) }
                <text class="mid" x={((crate::diagram::merged_layout::NEAR_CLIENT_X + crate::diagram::merged_layout::NEAR_SERVER_X) / 2.0).to_string()} y="84">{ &l.caption }</text>
                { for l.rows.iter().map(|r| html! {
                    <g class="merged-seg" data-fate={r.fate.clone()} data-frame-a={frame(r.frame_a)} data-frame-b={frame(r.frame_b)}>
                        <title>{ format!("{} — {}", r.label, r.note) }</title>
                        <text class="mid" x={r.label_x.to_string()} y={r.label_y.to_string()}>{ &r.label }</text>
                        { for r.strokes.iter().map(|k| html! {
                            <line class={k.class.clone()} x1={k.x1.to_string()} y1={k.y1.to_string()} x2={k.x2.to_string()} y2={k.y2.to_string()} marker-end={k.head.then_some("url(#merged-head)")} />
                        }) }
                        if let Some((x, y)) = r.cross {
                            <path class="lost" d={format!("M {} {} l 10 10 M {} {} l -10 10", x - 5.0, y - 5.0, x + 5.0, y - 5.0)} />
                        }
                        if !r.note.is_empty() {
                            <text class={if r.note_warns { "why" } else { "delay" }} x={(crate::diagram::merged_layout::SERVER_X + 12.0).to_string()} y={r.note_y.to_string()}>{ &r.note }</text>
                        }
                    </g>
                }) }
            </svg>
        </div>
    }
}

fn delay_plot(p: &DelayPlot) -> Html {
    let bottom = PLOT_HEIGHT - BOTTOM;
    html! {
        <figure class="merged-delays" data-testid="merged-delays">
            <figcaption>{ format!("{} over {}: ", p.y_label, p.x_label) }
                { for p.ways.iter().map(|w| html! { <span class={if w.from_client { "way c2s" } else { "way s2c" }}>{ format!("{} ({} segments)", w.name, w.segments) }</span> }) }
                if !p.lost.is_empty() { <span class="way lost">{ format!("lost between the points ({})", p.lost.len()) }</span> }
            </figcaption>
            <svg width={p.width.to_string()} height={p.height.to_string()} viewBox={format!("0 0 {} {}", p.width, p.height)} role="img" aria-label={p.y_label.clone()}>
                <line class="axis" x1={LEFT.to_string()} y1={TOP.to_string()} x2={LEFT.to_string()} y2={bottom.to_string()} />
                <line class="axis" x1={LEFT.to_string()} y1={bottom.to_string()} x2={(p.width - 16.0).to_string()} y2={bottom.to_string()} />
                { for p.y_ticks.iter().map(|t| html! { <>
                    <line class="grid" x1={LEFT.to_string()} y1={t.at.to_string()} x2={(p.width - 16.0).to_string()} y2={t.at.to_string()} />
                    <text class="tick-y" x={(LEFT - 4.0).to_string()} y={(t.at + 4.0).to_string()}>{ &t.text }</text>
                </> }) }
                { for p.x_ticks.iter().map(|t| html! { <text class="tick-x" x={t.at.to_string()} y={(bottom + 16.0).to_string()}>{ &t.text }</text> }) }
                // Dots, not a line: a line would join segments across a silence as if delays
                // had been measured in it.
                { for p.ways.iter().map(|w| html! {
                    <path class={if w.from_client { "way-dots c2s" } else { "way-dots s2c" }} data-way={w.name.clone()} d={w.points.iter().map(|(x, y)| format!("M{x:.1} {y:.1}h0.01")).collect::<String>()} />
                }) }
                { for p.lost.iter().map(|x| html! { <line class="lost-tick" x1={x.to_string()} y1={(bottom - 8.0).to_string()} x2={x.to_string()} y2={bottom.to_string()} /> }) }
            </svg>
        </figure>
    }
}
