//! "Where the time went", above the ladder: one strip of the connection's duration split by
//! what it waited for (estimated from the capture), and a legend of the totals. A click on a
//! part, or on a total (its longest part), goes to that part's first frame on the ladder.
//! The parts, shares and words come from the layout (`diagram::TimeBar`); nothing is computed here.

use yew::prelude::*;

use crate::diagram::TimeBar;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub bar: TimeBar,
    /// Go to a frame on the ladder (the toolbar's "frame #").
    pub on_jump: Callback<u64>,
}

#[function_component(TimeBarView)]
pub fn time_bar_view(props: &Props) -> Html {
    let bar = &props.bar;
    if bar.parts.is_empty() {
        return html! {};
    }
    let parts = bar.parts.iter().map(|p| {
        let onclick = props.on_jump.reform({
            let frame = p.first_frame;
            move |_: MouseEvent| frame
        });
        html! {
            <rect class={classes!("time-part", p.kind.clone())} data-kind={p.kind.clone()} data-frame={p.first_frame.to_string()}
                  x={format!("{:.3}", p.start * 1000.0)} y="0" width={format!("{:.3}", p.share * 1000.0)} height="10" {onclick}>
                <title>{ &p.title }</title>
            </rect>
        }
    });
    let totals = bar.totals.iter().map(|t| {
        let onclick = props.on_jump.reform({
            let frame = t.frame;
            move |_: MouseEvent| frame
        });
        html! {
            <li>
                <button class="time-total" data-testid="time-total" data-kind={t.kind.clone()} data-frame={t.frame.to_string()} {onclick}
                        aria-label={format!("{}: go to its longest part, frame {}", t.text, t.frame)}>
                    <span class={classes!("swatch", t.kind.clone())} aria-hidden="true"></span>{ &t.text }
                </button>
            </li>
        }
    });
    html! {
        <section class="time-bar" data-testid="time-bar" aria-label="where the time went, estimated from the capture">
            <span class="time-bar-title">{"Where the time went "}<small>{"(estimated from the capture)"}</small></span>
            <svg class="time-strip" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true">{ for parts }</svg>
            <ul class="time-totals">{ for totals }</ul>
            if bar.parts_left_out > 0 {
                <small class="time-left-out">{ format!("{} parts past the limit kept are not drawn (their time is in the totals)", bar.parts_left_out) }</small>
            }
        </section>
    }
}
