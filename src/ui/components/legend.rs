//! The legend: what each arrow style and the bracketed analysis tags mean.

use yew::prelude::*;

use crate::diagram::ArrowKind;

/// What the arrow styles and the bracketed tags mean.
#[function_component(Legend)]
pub fn legend() -> Html {
    html! {
        <div class="legend" aria-label="legend">
            { for ArrowKind::ALL.iter().map(|k| html! {
                <span class={classes!("legend-item", k.class())}>
                    <svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" /></svg>
                    { k.legend() }
                </span>
            }) }
            <span class="legend-item resent">
                <svg width="34" height="10" aria-hidden="true"><line x1="5" y1="5" x2="33" y2="5" /><circle cx="5" cy="5" r="3.5" /></svg>
                { "sent again (dash-dot, ring)" }
            </span>
            <span class="legend-item"><span class="tag">{"[fast retransmit]"}</span>{" why bytes were sent again, inferred from the packets; other tags: Wireshark's analysis, in words"}</span>
            <span class="legend-item"><span class="state">{"ESTABLISHED"}</span>{" endpoint state (RFC 9293)"}</span>
        </div>
    }
}
