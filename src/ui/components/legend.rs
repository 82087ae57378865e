//! The legend: what each arrow style and the bracketed analysis tags mean.

use yew::prelude::*;

use crate::diagram::ArrowKind;

/// What the arrow styles and the bracketed tags mean. Open on a wide screen; folded under
/// its summary on a phone, where it took a third of the first screen above the ladder (#24).
#[function_component(Legend)]
pub fn legend() -> Html {
    let is_wide = || web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).is_none_or(|w| w >= 600.0);
    let wide = use_state_eq(is_wide);
    {
        // Across 600 px (a phone turned, a window resized) it opens or folds again: on a wide
        // screen its summary is hidden, so a folded legend could not be opened there.
        let wide = wide.clone();
        crate::ui::hooks::use_window_resize((), move || wide.set(is_wide()));
    }
    html! {
        <details class="legend-box" open={*wide}>
        <summary>{"Legend: arrows, tags, states"}</summary>
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
            <span class="legend-item msg-key">
                <svg width="10" height="14" aria-hidden="true"><path d="M 7 1 h -4 V 13 h 4" /></svg>
                { "a message over several segments" }
            </span>
            <span class="legend-item"><span class="state">{"ESTABLISHED"}</span>{" endpoint state (RFC 9293)"}</span>
        </div>
        </details>
    }
}
