//! A segment's bytes in Wireshark's hex layout (offset, hex, ASCII), paged, with the bytes of a
//! hovered header field highlighted.

use yew::prelude::*;

/// Bytes per row, and rows per page (long payloads are paged, not one endless block).
const ROW: usize = 16;
const PAGE_ROWS: usize = 32;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub bytes: Vec<u8>,
    /// The byte range to highlight (the hovered field's).
    pub highlight: Option<(usize, usize)>,
    /// A byte was hovered (its offset), or the pointer left the dump.
    pub on_hover: Callback<Option<usize>>,
}

/// Wireshark's layout: offset, sixteen bytes in hex (two groups of eight), and the same bytes as
/// ASCII (printable characters as themselves, the rest as dots). Bytes are text nodes only.
#[function_component(HexDump)]
pub fn hex_dump(props: &Props) -> Html {
    let page = use_state(|| 0usize);
    let pages = props.bytes.len().div_ceil(ROW * PAGE_ROWS).max(1);
    // A highlighted field on another page brings that page up.
    let shown = props.highlight.map_or(*page, |(start, _)| start / (ROW * PAGE_ROWS)).min(pages - 1);
    let lit = |at: usize| props.highlight.is_some_and(|(start, len)| at >= start && at < start + len);
    let first_row = shown * PAGE_ROWS;
    let rows = props.bytes.chunks(ROW).enumerate().skip(first_row).take(PAGE_ROWS).map(|(row, chunk)| {
        let cell = |i: usize, text: String, class: &'static str| {
            let at = row * ROW + i;
            let enter = props.on_hover.reform(move |_: MouseEvent| Some(at));
            html! { <span class={classes!(class, lit(at).then_some("lit"))} onmouseenter={enter}>{ text }</span> }
        };
        let hex = chunk.iter().enumerate().map(|(i, b)| {
            html! { <>{ cell(i, format!("{b:02x}"), "byte") }{ if i == 7 { "  " } else { " " } }</> }
        });
        let ascii = chunk.iter().enumerate().map(|(i, b)| cell(i, if b.is_ascii_graphic() || *b == b' ' { (*b as char).to_string() } else { ".".to_string() }, "char"));
        // A short last row keeps the ASCII column aligned.
        let pad = " ".repeat((ROW - chunk.len()) * 3 + usize::from(chunk.len() <= 8));
        html! {
            <div class="hex-row"><span class="hex-offset">{ format!("{:04x} ", row * ROW) }</span>{ for hex }{ pad }<span class="hex-ascii">{ for ascii }</span></div>
        }
    });
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    let leave = props.on_hover.reform(|_: MouseEvent| None);
    html! {
        <div class="hexdump-block">
            if pages > 1 {
                <div class="hex-pages">
                    <button onclick={go(shown.saturating_sub(1))} disabled={shown == 0} aria-label="previous bytes">{"‹"}</button>
                    { format!(" bytes {}–{} of {} ", first_row * ROW, ((first_row + PAGE_ROWS) * ROW).min(props.bytes.len()) - 1, props.bytes.len()) }
                    <button onclick={go((shown + 1).min(pages - 1))} disabled={shown + 1 >= pages} aria-label="next bytes">{"›"}</button>
                </div>
            }
            <div class="hexdump" data-testid="hexdump" tabindex="0" role="region" aria-label="frame bytes: offset, hex, ASCII" onmouseleave={leave}>{ for rows }</div>
        </div>
    }
}
