//! The graph's points (each a button named with its values, with tcptrace's caps and letters)
//! and its legend (each entry with its own mark): drawn from the plot as laid out in the core.

use std::rc::Rc;

use yew::prelude::*;

use crate::graph::markers::Marker;
use crate::graph::plot::{LegendEntry, Plot};

/// The plot, compared by identity: the marks re-render only when the plot was laid out anew.
#[derive(Clone)]
pub struct PlotRef(pub Rc<Plot>);

impl PartialEq for PlotRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct MarksProps {
    pub plot: PlotRef,
    pub picked: Option<u64>,
    pub on_pick: Callback<u64>,
}

/// Every point as a button (named with its values), the selected segment's marked: a
/// component of its own so the crosshair and the brush redraw without touching thousands of
/// marks. `data-t` / `data-v` carry the point's time and values (a test checks them against
/// the zoom window).
#[function_component(Marks)]
pub fn marks(props: &MarksProps) -> Html {
    let plot = &props.plot.0;
    let picked = props.picked;
    let marks = plot.marks.iter().filter(|m| !m.on_line).enumerate().map(|(i, m)| {
        let on_pick = props.on_pick.clone();
        let frame = m.frame;
        let onclick = Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on_pick.emit(frame);
        });
        let onkeydown = {
            let on_pick = props.on_pick.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_pick.emit(frame);
                }
            })
        };
        let class = classes!("g-point", m.class.clone(), (picked == Some(m.frame)).then_some("picked"));
        let tab = if i == 0 { "0" } else { "-1" };
        let (t, v) = (m.at[0].to_string(), format!("{} {}", m.at[1], m.at[2]));
        let point = if m.dot {
            let r = if m.marker == Marker::Retransmission { "4" } else { "2.6" };
            html! { <circle data-testid="graph-point" data-frame={m.frame.to_string()} data-t={t} data-v={v} class={class} cx={format!("{:.1}", m.x)} cy={format!("{:.1}", m.y1)} r={r}
                            role="button" tabindex={tab} aria-label={m.title.clone()} {onclick} {onkeydown} /> }
        } else {
            html! { <line data-testid="graph-point" data-frame={m.frame.to_string()} data-t={t} data-v={v} class={class} x1={format!("{:.1}", m.x)} x2={format!("{:.1}", m.x)} y1={format!("{:.1}", m.y1)} y2={format!("{:.1}", m.y2)}
                          role="button" tabindex={tab} aria-label={m.title.clone()} {onclick} {onkeydown} /> }
        };
        let caps = m.caps();
        html! {
            <>
                { point }
                if !caps.is_empty() {
                    <path class={classes!("g-cap", m.class.clone())} d={caps} aria-hidden="true" />
                }
                if let Some((x, y, letter)) = m.letter().filter(|_| plot.letters) {
                    <text class={classes!("g-letter", m.class.clone())} x={format!("{x:.1}")} y={format!("{y:.1}")} aria-hidden="true">{ letter }</text>
                }
            </>
        }
    });
    html! {
        <g class="g-marks">
            { for marks }
            { for plot.marks.iter().filter(|m| m.on_line && picked == Some(m.frame)).map(|m| html! {
                <circle class={classes!("g-picked-sample", m.class.clone())} cx={format!("{:.1}", m.x)} cy={format!("{:.1}", m.y1)} r="5" />
            }) }
        </g>
    }
}

/// One legend entry: its swatch (the series' own mark and letter, or its line) and its name.
/// The swatch is markup made by the core from fixed strings and the series' class (nothing
/// from the capture).
pub fn legend_entry(e: &LegendEntry) -> Html {
    let swatch = Html::from_html_unchecked(AttrValue::from(format!(r#"<svg class="g-swatch" width="22" height="14" viewBox="0 0 22 14" aria-hidden="true">{}</svg>"#, e.swatch())));
    html! { <li data-testid="graph-legend-entry" data-marker={format!("{:?}", e.marker)}>{ swatch }{ &e.name }</li> }
}
