//! Draws the ladder `diagram::layout` computed, as SVG elements; only the part near the scroll
//! position is in the DOM, and capture text goes in as text nodes, never markup.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::diagram::{gap_text, ArrowKind};
use crate::draw::offsets::{BASELINE_BELOW_ROW, GAP_MARK_BESIDE, TIME_X};
use super::ladder_scroll::{drawn_width, focus_selected_arrow, keep_in_view, LIFELINES_FROM};
use crate::ui::shared::SharedLadder;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ladder: SharedLadder,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    /// Opens a collapsed run, by its group id.
    pub on_expand: Callback<usize>,
    /// The part of the diagram on screen moved (diagram units), for views laid out in windows.
    pub on_visible: Callback<(f32, f32)>,
    /// Step mode: only the segments up to this index are drawn (the connection so far).
    #[prop_or_default]
    pub upto: Option<usize>,
    /// "fit" needs more width than the pane has (the page folds the connection list away).
    #[prop_or_default]
    pub on_fit_room: Callback<()>,
}

/// Diagram units drawn beyond the visible part, so that scrolling shows no blank rows.
const OVERSCAN: f32 = 1500.0;

/// Draws the ladder the layout computed: lifelines, arrows, labels, analysis tags, phase
/// brackets, states on the lifelines. Only the part near the scroll position is in the DOM, so
/// a connection of 100 000 segments scrolls like one of ten. Text goes in as text nodes (never
/// as markup), so nothing from the capture can inject HTML.
#[function_component(LadderView)]
pub fn ladder_view(props: &Props) -> Html {
    let ladder = &props.ladder;
    let w = ladder.width;
    let scroller = use_node_ref();
    // Zoom: None fills the pane's width; Some(z) draws it at z × its size (the pane scrolls
    // both ways). Ctrl + wheel (and a trackpad's pinch, which browsers send as one) zooms; the
    // buttons set it. `whole` ("fit"): the whole diagram in the pane, width and height, the
    // bars above it folded (#24).
    let zoom = use_state(|| None::<f32>);
    let whole = use_state(|| false);
    let onwheel = {
        let (zoom, scroller, width, whole) = (zoom.clone(), scroller.clone(), w, whole.clone());
        Callback::from(move |e: WheelEvent| {
            if !e.ctrl_key() {
                return;
            }
            e.prevent_default();
            whole.set(false);
            let current = (*zoom).unwrap_or_else(|| scroller.cast::<web_sys::Element>().map_or(1.0, |el| drawn_width(&el) / width));
            zoom.set(Some((current * (-e.delta_y() as f32 / 300.0).exp()).clamp(0.2, 4.0)));
        })
    };
    let set_zoom = |z: Option<f32>| {
        let (zoom, whole) = (zoom.clone(), whole.clone());
        Callback::from(move |_: MouseEvent| {
            whole.set(false);
            zoom.set(z)
        })
    };
    let on_fit = {
        let (zoom, whole, scroller, on_room) = (zoom.clone(), whole.clone(), scroller.clone(), props.on_fit_room.clone());
        Callback::from(move |_: MouseEvent| {
            // (A toggle: pressed again, the diagram fills the width only and the bars return.)
            if *whole && zoom.is_none() {
                return whole.set(false);
            }
            (zoom.set(None), whole.set(true));
            // Narrower than the drawing at its own size (11 px text): the list makes room.
            if scroller.cast::<web_sys::Element>().is_some_and(|el| (el.client_width() as f32) < w) {
                on_room.emit(());
            }
        })
    };
    let step_zoom = |factor: f32| {
        let (zoom, scroller, width, whole) = (zoom.clone(), scroller.clone(), w, whole.clone());
        Callback::from(move |_: MouseEvent| {
            whole.set(false);
            let current = (*zoom).unwrap_or_else(|| scroller.cast::<web_sys::Element>().map_or(1.0, |el| drawn_width(&el) / width));
            zoom.set(Some((current * factor).clamp(0.2, 4.0)));
        })
    };
    // The page draws no time line under the ladder (its bar is above): that room is left out.
    let h = ladder.screen_height();
    // Unzoomed, the diagram fills the pane's width; "fit" also its height (the pane is a size
    // container: 100cqh is its height, less the 22 px lane names). Neither draws it below its
    // own size (its smallest text is 11 px) nor above 1.5 ×: a smaller pane scrolls instead.
    let canvas_style = match (*zoom, *whole) {
        (Some(z), _) => format!("width:{}px", (w * z).round()),
        (None, false) => format!("width:100%;min-width:{}px;max-width:{}px", w.round(), (w * 1.5).round()),
        (None, true) => format!("width:clamp({}px, min(100cqw, (100cqh - 22px) * {:.4}), {}px)", w.round(), w / (h - LIFELINES_FROM).max(1.0), (w * 1.5).round()),
    };
    // While the page prints, every arrow is in the DOM (the printout is the whole diagram).
    let printing = use_state(|| false);
    {
        let printing = printing.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let before = Closure::<dyn Fn()>::new({
                let printing = printing.clone();
                move || printing.set(true)
            });
            let after = Closure::<dyn Fn()>::new(move || printing.set(false));
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("beforeprint", before.as_ref().unchecked_ref());
                let _ = w.add_event_listener_with_callback("afterprint", after.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback("beforeprint", before.as_ref().unchecked_ref());
                    let _ = w.remove_event_listener_with_callback("afterprint", after.as_ref().unchecked_ref());
                }
            }
        });
    }
    // Visible range in diagram units; before the first scroll, the top of the diagram.
    let visible = use_state(|| (0.0f32, 2000.0f32));
    let onscroll = {
        let (scroller, visible, on_visible) = (scroller.clone(), visible.clone(), props.on_visible.clone());
        let width = w;
        Callback::from(move |_: Event| {
            let Some(el) = scroller.cast::<web_sys::Element>() else { return };
            // The SVG is scaled to the pane's width: convert pixels to diagram units.
            let scale = (drawn_width(&el) / width).clamp(0.05, 1.0);
            let top = el.scroll_top() as f32 / scale + LIFELINES_FROM;
            let bottom = top + el.client_height() as f32 / scale;
            let (old_top, old_bottom) = *visible;
            if (top - old_top).abs() > OVERSCAN / 3.0 || (bottom - old_bottom).abs() > OVERSCAN / 3.0 {
                visible.set((top, bottom));
                on_visible.emit((top, bottom));
            }
        })
    };
    // Keep the selected arrow on screen when the keyboard moves the selection, and move the
    // keyboard focus with it when the focus is in the diagram (so a screen reader announces
    // the arrow, by its accessible name, as it is reached); again when the diagram is laid out
    // anew (its columns change with the window: the lesson's step kept in view).
    {
        let (scroller, ladder, lesson) = (scroller.clone(), props.ladder.clone(), props.upto.is_some());
        use_effect_with((props.selected, ladder.width.to_bits(), lesson), move |(selected, _, _)| {
            if let (Some(i), Some(el)) = (*selected, scroller.cast::<web_sys::Element>()) {
                keep_in_view(&el, &ladder, i, lesson);
                focus_selected_arrow(&el, i);
            }
        });
    }
    {
        // (The pane's height changes with the window: the lesson's ladder at 1366 × 768.)
        let (scroller, ladder, selected, lesson) = (scroller.clone(), props.ladder.clone(), props.selected, props.upto.is_some());
        crate::ui::hooks::use_window_resize((selected, ladder.width.to_bits(), lesson), move || {
            if let (Some(i), Some(el)) = (selected, scroller.cast::<web_sys::Element>()) {
                keep_in_view(&el, &ladder, i, lesson);
            }
        });
    }
    {
        // On a phone "fit" gives the diagram and its zoom buttons the screen's height: the page
        // scrolls to them (the buttons at the top of the screen, #24: they were a scroll up).
        let scroller = scroller.clone();
        use_effect_with(*whole && zoom.is_none(), move |fitting| {
            let narrow = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).is_some_and(|w| w <= 760.0);
            if let (true, true, Some(el)) = (*fitting, narrow, scroller.cast::<web_sys::Element>().and_then(|el| el.parent_element())) {
                el.scroll_into_view();
            }
        });
    }
    // A connection too long to fit whole at 11 px: which rows are on screen.
    let fit_note = crate::ui::hooks::use_fit_note(scroller.clone(), props.ladder.clone(), *whole && zoom.is_none());
    let (lo, hi) = if *printing { (f32::MIN, f32::MAX) } else { (visible.0 - OVERSCAN, visible.1 + OVERSCAN) };
    // Arrows are in capture order, so their capture-point crossings rise; their ends lie at
    // most `max_slant` away from it.
    let first = ladder.arrows.partition_point(|a| a.yc + ladder.max_slant < lo);
    let last = ladder.arrows.partition_point(|a| a.yc - ladder.max_slant <= hi);
    let in_view = |y1: f32, y2: f32| y2 >= lo && y1 <= hi;
    let lifeline = |l: &crate::diagram::Lifeline| {
        html! {
            <g class={classes!("lifeline", l.role)}>
                <text x={l.x.to_string()} y="22" class="lifeline-role">{ l.role }</text>
                <text x={l.name_x.to_string()} y="40" class="lifeline-name">{ &l.name }</text>
                <line x1={l.x.to_string()} y1={LIFELINES_FROM.to_string()} x2={l.x.to_string()} y2={(h - 20.0).to_string()} />
            </g>
        }
    };
    // In step mode: the frame of the current segment; nothing later is drawn.
    let upto_frame = props.upto.map(|i| ladder.arrows.iter().filter(|a| a.index <= i).map(|a| a.frame).max().unwrap_or(0));
    let shown = |frame: u64| upto_frame.is_none_or(|f| frame <= f);
    // One tab stop for all the arrows (the selected one, else the first drawn); ↑/↓ move on.
    let tab_stop = props.selected.or_else(|| ladder.arrows.get(first).map(|a| a.index));
    let arrows = ladder.arrows[first..last.max(first)].iter().filter(|a| props.upto.is_none_or(|i| a.index <= i)).map(|a| {
        let index = a.index;
        let onclick = props.on_select.reform(move |_| index);
        let onfocus = props.on_select.reform(move |_| index);
        let selected = props.selected == Some(index);
        let tags = a.tag_lines().into_iter().filter(|_| a.show_label).map(|(text, y)| {
            html! { <text x={a.label_x.to_string()} y={y.to_string()} class="tag" aria-hidden="true">{ text }</text> }
        });
        let tag_kinds = a.tags.iter().map(|t| t.kind).collect::<Vec<_>>().join(" ");
        // The arrow (its line and the area around it) is a button named by its spoken form;
        // its texts and tooltip sit beside it in the same group, so the button has no visible
        // text its name would have to repeat, and nothing is read twice.
        html! {
            <g data-testid="segment" data-frame={a.frame.to_string()} data-analysis={tag_kinds}
               class={classes!("segment", a.kind.class(), a.resent.then_some("resent"), selected.then_some("selected"))} {onclick}>
                <title>{ format!("{}\n{}", a.label, a.detail) }</title>
                <g class="arrow" data-index={index.to_string()} {onfocus}
                   role="button" aria-label={a.spoken.clone()} aria-pressed={selected.to_string()} tabindex={if tab_stop == Some(index) { "0" } else { "-1" }}>
                    <rect class="hit" x={(a.x1.min(a.x2) - 4.0).to_string()} y={(a.y1.min(a.label_y) - 14.0).to_string()} width={((a.x1 - a.x2).abs() + 8.0).to_string()} height={((a.y2 - a.y1).abs() + 24.0).to_string()} />
                    <line x1={a.x1.to_string()} y1={a.y1.to_string()} x2={a.x2.to_string()} y2={a.y2.to_string()} marker-end={format!("url(#head-{})", if a.resent { "resent" } else { a.kind.class() })}
                          marker-start={a.resent.then_some("url(#tail-resent)")} />
                </g>
                if a.show_time {
                    <text x={TIME_X.to_string()} y={(a.yc + BASELINE_BELOW_ROW).to_string()} class="time" aria-hidden="true">{ &a.time }</text>
                }
                if a.show_label {
                    { for a.label_lines().into_iter().map(|(line, y)| html! {
                        <text x={a.label_x.to_string()} y={y.to_string()} class="label" aria-hidden="true">{ line.to_string() }</text>
                    }) }
                }
                { for tags }
            </g>
        }
    });
    let groups = ladder.groups.iter().filter(|g| in_view(g.y, g.y_end) && props.upto.is_none_or(|i| g.id <= i)).map(|g| {
        let id = g.id;
        let onclick = props.on_expand.reform(move |_| id);
        let (x1, x2) = (ladder.client.x, ladder.server.x);
        html! {
            <g data-testid="segment" data-frames={format!("{}-{}", g.first_frame, g.last_frame)} class="group" {onclick}
               role="button" aria-label={format!("{}; press to show every segment of the run", g.text)}>
                <rect x={x1.to_string()} y={(g.y - 14.0).to_string()} width={(x2 - x1).to_string()} height={g.height(w).to_string()} rx="4" />
                { for g.text_lines(w).into_iter().map(|(line, y)| html! {
                    <text x={((x1 + x2) / 2.0).to_string()} y={y.to_string()} text-anchor="middle">{ line.to_string() }</text>
                }) }
                <title>{"click (or Enter) to show every segment of this run"}</title>
            </g>
        }
    });
    // (Compact columns have no phase column: phases and episodes are listed below instead.)
    let beside = |x: f32| x < w;
    let phases = ladder.phases.iter().filter(|p| shown(p.first_frame) && beside(p.x)).filter(|p| in_view(p.y1.min(p.text_y), p.y2.max(p.text_bottom()))).map(|p| {
        html! {
            <g data-testid="phase" data-kind={p.kind} data-frames={format!("{}-{}", p.first_frame, p.last_frame)} class="phase">
                <path d={format!("M {} {} h 8 V {} h -8", p.x, p.y1, p.y2)} />
                { for p.title_lines.iter().enumerate().map(|(i, line)| html! {
                    <text x={p.text_x().to_string()} y={p.title_y(i).to_string()} class="phase-title">{ line }</text>
                }) }
                { for p.caption_lines.iter().enumerate().map(|(i, line)| html! {
                    <text x={p.text_x().to_string()} y={p.caption_y(i).to_string()} class="phase-caption">{ line }</text>
                }) }
                <title>{ &p.caption }</title>
            </g>
        }
    });
    let episodes = ladder.episodes.iter().filter(|e| shown(e.first_frame) && beside(e.x)).filter(|e| in_view(e.y1.min(e.text_y), e.y2.max(e.caption_y(e.caption_lines.len())))).map(|e| {
        html! {
            <g data-testid="episode" data-kind={e.kind} data-frames={format!("{}-{}", e.first_frame, e.last_frame)} class="episode">
                <path class="episode-bracket" d={format!("M {} {} h 6 V {} h -6", e.x, e.y1, e.y2)} />
                { for e.caption_lines.iter().enumerate().map(|(i, line)| html! {
                    <text x={e.text_x.to_string()} y={e.caption_y(i).to_string()} class="episode-caption">{ line }</text>
                }) }
                <title>{ &e.caption }</title>
            </g>
        }
    });
    // The application's messages over several segments, beside their sender's lifeline.
    let message_brackets = ladder.message_brackets.iter().filter(|b| shown(b.last_frame) && in_view(b.y1, b.y2)).map(|b| {
        html! {
            <path data-testid="msg-bracket" class="msg-bracket" data-frames={format!("{}-{}", b.first_frame, b.last_frame)} d={b.path()}>
                <title>{ &b.title }</title>
            </path>
        }
    });
    // The congestion band (estimated from the capture): its own kind, its own column.
    let bands = ladder.congestion_bands.iter().filter(|b| shown(b.first_frame) && in_view(b.y1, b.y2)).map(|b| {
        html! {
            <g data-testid="cwnd-band" data-phase={b.phase} data-frames={format!("{}-{}", b.first_frame, b.last_frame)} class="cwnd-band">
                <rect x={b.x.to_string()} y={b.y1.to_string()} width="5" height={(b.y2 - b.y1).max(1.0).to_string()} rx="2" />
                <text class="cwnd-band-label" transform={format!("translate({} {}) rotate(-90)", b.x + 16.0, b.y1)} text-anchor="end">{ &b.shown }</text>
                <title>{ &b.label }</title>
            </g>
        }
    });
    let states = ladder.states.iter().filter(|s| in_view(s.y, s.y) && shown(s.frame)).map(|s| {
        html! {
            <text data-testid="state" data-state={s.state} data-side={if s.client { "client" } else { "server" }} data-frame={s.frame.to_string()}
                  data-cause={s.cause.to_string()} data-inferred={s.inferred.to_string()}
                  x={s.x.to_string()} y={s.y.to_string()} class={classes!("state", s.inferred.then_some("inferred"))} text-anchor={if s.anchor_end { "end" } else { "start" }}>
                { s.display() }<title>{ &s.why }</title>
            </text>
        }
    });
    let gaps = ladder.gaps.iter().filter(|g| in_view(g.y, g.y) && shown(g.frame)).map(|g| {
        let left = g.x < (ladder.client.x + ladder.server.x) / 2.0;
        html! {
            <text data-testid="gap" x={(g.x + if left { -GAP_MARK_BESIDE } else { GAP_MARK_BESIDE }).to_string()} y={g.y.to_string()} class="gap"
                  text-anchor={if left { "end" } else { "start" }}>{ gap_text(w) }</text>
        }
    });
    let ticks = ladder.ticks.iter().filter(|t| in_view(t.y, t.y)).map(|t| html! { <text x={t.x.to_string()} y={(t.y + BASELINE_BELOW_ROW).to_string()} class="tick">{ &t.label }</text> });
    let capture = ladder.capture.as_ref().map(|c| {
        html! {
            <g class="capture-point" data-testid="capture-point" data-near={c.near}>
                <line x1={c.x.to_string()} y1="56" x2={c.x.to_string()} y2={(h - 20.0).to_string()} />
                <text x={c.label_x.to_string()} y={c.label_y.to_string()} class="capture-label">{ &c.label }</text>
                if !c.explain.is_empty() {
                    <text x={TIME_X.to_string()} y={c.explain_y.to_string()} class="capture-explain" data-testid="capture-explain">{ &c.explain }</text>
                }
            </g>
        }
    });
    let headings = ladder.headings.iter().map(|hd| html! {
        <text x={hd.x.to_string()} y={hd.y.to_string()} class="column-heading" data-testid="column-heading">{ &hd.text }<title>{ &hd.title }</title></text>
    });
    html! {
        <div class={classes!("diagram-view", (*whole && zoom.is_none()).then_some("fit-whole"))}>
        <div class="zoom-bar" role="group" aria-label="zoom the diagram (also Ctrl + wheel)">
            <button onclick={step_zoom(1.0 / 1.25)} aria-label="zoom out">{"−"}</button>
            <button onclick={on_fit} data-testid="zoom-fit" aria-pressed={(*whole && zoom.is_none()).to_string()} title="the whole diagram in view, width and height (the bars above it fold away; press again to bring them back)">{"fit"}</button>
            <button onclick={set_zoom(Some(1.0))} aria-pressed={(*zoom == Some(1.0)).to_string()}>{"100 %"}</button>
            <button onclick={step_zoom(1.25)} aria-label="zoom in">{"+"}</button>
        </div>
        if let Some(note) = fit_note {
            <p class="fit-note" data-testid="fit-note">{ note }</p>
        }
        <div class="diagram-scroll" ref={scroller} {onscroll} {onwheel} tabindex="0" role="region" aria-label={format!("{}: the diagram, scrollable", ladder.title)}>
        // The lane names stay in sight however far the diagram scrolls (same width as the SVG,
        // so each name stands over its lifeline).
        <div class="diagram-canvas" style={canvas_style}>
        <div class="lane-headers" data-testid="lane-headers" aria-hidden="true">
            { for [&ladder.client, &ladder.server].into_iter().map(|l| html! {
                <span class="lane" style={format!("left:{:.2}%", l.name_x / w * 100.0)} title={ladder.title.clone()}><strong>{ l.role }</strong>{ " " }{ &l.name }</span>
            }) }
        </div>
        // (The crop is a margin in per cent of the width, which scales with the drawing; screen only.)
        <svg class="ladder" xmlns="http://www.w3.org/2000/svg" width={w.to_string()} height={h.to_string()} style={format!("--crop:{:.4}%", -LIFELINES_FROM / w * 100.0)}
             viewBox={format!("0 0 {w} {h}")} role="group" aria-label={format!("{}: each arrow is a button, ↑/↓ move between them", ladder.title)}>
            <defs>
                // One arrowhead per kind: a marker does not inherit the colour of its line.
                { for ArrowKind::ALL.iter().map(|k| html! {
                    <marker id={format!("head-{}", k.class())} class={k.class()} viewBox="0 0 10 10" refX="10" refY="5"
                            markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                }) }
                // A resent segment's own head, and the ring at its tail.
                <marker id="head-resent" class="resent" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
                <marker id="tail-resent" class="resent" viewBox="0 0 10 10" refX="5" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10">
                    <circle cx="5" cy="5" r="3.5" />
                </marker>
            </defs>
            { lifeline(&ladder.client) }
            { lifeline(&ladder.server) }
            { for capture }
            { for headings }
            { for ticks }
            { for phases }
            { for episodes }
            { for message_brackets }
            { for bands }
            { for arrows }
            { for groups }
            { for states }
            { for gaps }
        </svg>
        </div>
        </div>
        </div>
    }
}
