//! The step-through lesson beside the diagram: one segment at a time in words, the
//! acceptability test, and both endpoints' RFC 9293 state machines with the transition taken.

use yew::prelude::*;

use wasm_bindgen::JsCast;

use crate::diagram::lesson::{figure_in, state_figure, Board, FigureEdge, LessonStep, Piece, SideView, LABEL_LINE, NARROW, WIDE};

/// Below this window width (px) the figures take the phone's layout (348 px, as the ladder's
/// compact columns): the RFC's 444 px scrolled sideways in a 390 px phone's pane.
const NARROW_BELOW_PX: f64 = 640.0;

fn narrow_window() -> bool {
    web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).is_some_and(|w| w < NARROW_BELOW_PX)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The worker's answer for the current step (None while it is on its way).
    pub step: Option<std::rc::Rc<LessonStep>>,
    pub on_step: Callback<i64>,
    /// Escape: leave the lesson.
    pub on_leave: Callback<()>,
}

/// One endpoint's RFC 9293 state diagram (the standard figure, every edge labelled with its
/// event over its action), its current state and the transition just taken highlighted. Pure
/// drawing of `diagram::lesson::state_figure`.
#[function_component(StateDrawing)]
fn state_drawing(props: &DrawingProps) -> Html {
    let side = &props.side;
    let who = if props.client { "client" } else { "server" };
    let narrow = use_state_eq(narrow_window);
    {
        let narrow = narrow.clone();
        crate::ui::hooks::use_window_resize((), move || narrow.set(narrow_window()));
    }
    let fig = figure_in(if *narrow { &NARROW } else { &WIDE }, side.state, side.from.as_deref(), side.reset);
    let (bw, bh) = (fig.box_width, fig.box_height);
    // The taken edge last, over the others.
    let mut shown: Vec<&FigureEdge> = fig.edges.iter().filter(|e| !e.extra || e.taken).collect();
    shown.sort_by_key(|e| e.taken);
    // One marker per figure and kind: two figures are on the page, and ids must be unique.
    let head = format!("sm-head-{who}");
    let taken_head = format!("sm-head-taken-{who}");
    let edges = shown.iter().map(|e| {
        let [x1, y1, x2, y2] = e.line;
        let marker = format!("url(#{})", if e.taken { &taken_head } else { &head });
        html! {
            <line class={classes!("edge", e.taken.then_some("taken"), e.extra.then_some("extra"), e.note.then_some("note"))} x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} marker-end={marker}>
                <title>{ &e.label }</title>
            </line>
        }
    });
    // Event over a rule over action, as RFC 9293 prints them; drawn after the lines, over them.
    let labels = shown.iter().map(|e| {
        let (event, action) = e.label_lines();
        let b = e.label_box();
        let (x, y) = e.label_at;
        let rule = y + LABEL_LINE * 0.3;
        html! {
            <g class={classes!("edge-label", e.taken.then_some("taken"))} data-label={e.label.clone()}>
                <text x={x.to_string()} y={y.to_string()}>{ event }</text>
                <line class="rule" x1={(b.x0 + 2.0).to_string()} x2={(b.x1 - 2.0).to_string()} y1={rule.to_string()} y2={rule.to_string()} />
                <text x={x.to_string()} y={(y + LABEL_LINE).to_string()}>{ action }</text>
            </g>
        }
    });
    let boxes = fig.boxes.iter().map(|b| {
        html! {
            <g class={classes!("sm-state", b.current.then_some("current"))}>
                <rect x={(b.x - bw / 2.0).to_string()} y={(b.y - bh / 2.0).to_string()} width={bw.to_string()} height={bh.to_string()} rx="4" />
                <text x={b.x.to_string()} y={(b.y + 4.0).to_string()}>{ b.state }</text>
            </g>
        }
    });
    let taken = fig.edges.iter().find(|e| e.taken);
    let moved = match (&side.from, taken) {
        (Some(from), Some(e)) => format!(" ← {from} by “{}”", e.label),
        _ => " (stayed)".to_string(),
    };
    let marker = |id: String, class: &'static str| html! {
        <marker {id} class={class} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" /></marker>
    };
    // Drawn at its own size (text 11 px on every screen); a narrow screen scrolls it sideways,
    // so it takes the focus, for the keyboard to scroll it too — and it scrolls itself to the
    // current state and the edge just taken (at 390 px CLOSE-WAIT and its edge were off the
    // right-hand side).
    let drawing = use_node_ref();
    let current_x = fig.boxes.iter().find(|b| b.state == side.state).map(|b| b.x);
    let focus_x = match (current_x, taken.map(|e| e.label_at.0)) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        (a, b) => a.or(b),
    };
    {
        let drawing = drawing.clone();
        use_effect_with((side.state, side.from.clone()), move |_| center_on(&drawing, focus_x));
    }
    {
        // Again when the window narrows (a phone turned, a pane resized).
        let drawing = drawing.clone();
        crate::ui::hooks::use_window_resize((side.state, side.from.clone()), move || center_on(&drawing, focus_x));
    }
    html! {
        <div class="sm-drawing" ref={drawing} data-side={who} data-current={side.state} tabindex="0">
            <p class="sm-title"><strong>{ who }</strong>{ ": " }<strong>{ side.state }</strong><span class="transition">{ moved }</span></p>
            <svg width={fig.width.to_string()} height={fig.height.to_string()} viewBox={format!("0 0 {} {}", fig.width, fig.height)} role="img" aria-label={format!("RFC 9293 state diagram of the {who}, now in {}", side.state)}>
                <defs>{ marker(head.clone(), "head") }{ marker(taken_head.clone(), "head taken") }</defs>
                { for edges }
                { for boxes }
                { for labels }
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DrawingProps {
    side: SideView,
    client: bool,
}

/// One endpoint's state, the transition just taken, its variables and scoreboard, in words.
#[function_component(StateMachine)]
fn state_machine(props: &MachineProps) -> Html {
    let side = &props.side;
    let fig = state_figure(side.state, side.from.as_deref(), side.reset);
    let taken_label = fig.edges.iter().find(|e| e.taken).map(|e| e.label.clone());
    let who = if props.client { "client" } else { "server" };
    html! {
        <figure class="state-machine" data-testid="state-machine" data-side={who} data-current={side.state}>
            <figcaption>
                <strong>{ who }</strong>{ ": " }{ side.state }
                if let (Some(from), Some(label)) = (&side.from, &taken_label) {
                    <span class="transition">{ format!(" (from {from}: {label})") }</span>
                }
            </figcaption>
            <table class="variables">
                { for side.variables.iter().map(|v| html! {
                    <tr title={v.source.clone()}>
                        <th>{ v.name }</th>
                        <td>{ v.value.map_or("—".to_string(), |x| x.to_string()) }</td>
                        <td class="estimated">{ if v.estimated { "estimated" } else { "" } }</td>
                    </tr>
                }) }
            </table>
            <BoardView board={side.board.clone()} />
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct BoardProps {
    board: Board,
}

/// The endpoint's scoreboard (RFC 6675) and out-of-order queue (RFC 2018) as a row of boxes,
/// each with its words (`diagram::lesson_vars` says them).
#[function_component(BoardView)]
fn board_view(props: &BoardProps) -> Html {
    const SHOWN: usize = 8;
    let b = &props.board;
    let sent = b.outstanding_words();
    let held = b.held_words();
    let chip = |class: &'static str, resent: bool, words: &String| html! { <li class={classes!("chip", class, resent.then_some("resent"))}>{ words }</li> };
    let more = |n: usize| (n > SHOWN).then(|| html! { <li class="chip more">{ format!("… {} more", n - SHOWN) }</li> });
    html! {
        <div class="board" data-testid="scoreboard">
            <p class="board-head">{ "Sent, not yet acknowledged (SND.UNA → SND.NXT): " }{ if sent.is_empty() { "nothing" } else { "" } }</p>
            if !sent.is_empty() {
                <ul class="chips">
                    { for b.outstanding.iter().zip(&sent).take(SHOWN).map(|(r, w)| chip(match r.piece { Piece::Sacked => "sacked", Piece::Hole => "hole", Piece::InFlight => "flight" }, r.resent, w)) }
                    { for more(sent.len()) }
                </ul>
            }
            <p class="board-head">{ "Held beyond RCV.NXT, waiting for the bytes before them (what its SACK blocks report): " }{ if held.is_empty() { "nothing" } else { "" } }</p>
            if !held.is_empty() {
                <ul class="chips">{ for held.iter().take(SHOWN).map(|w| chip("held", false, w)) }{ for more(held.len()) }</ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MachineProps {
    side: SideView,
    client: bool,
}

/// The step-through lesson beside the diagram: progress, previous/next (also ←/→ and a swipe),
/// the segment in words, the acceptability test, and both endpoints' state machines drawn side
/// by side (stacked on a phone), each with its variables and scoreboard in words.
#[function_component(LessonPanel)]
pub fn lesson_panel(props: &Props) -> Html {
    let touch_x = use_mut_ref(|| None::<i32>);
    let panel = use_node_ref();
    use_arrow_keys(props.on_step.clone(), props.on_leave.clone());
    use_focus_on_entry(panel.clone(), props.step.is_some());
    let prev = props.on_step.reform(|_: MouseEvent| -1);
    let next = props.on_step.reform(|_: MouseEvent| 1);
    let ontouchstart = {
        let touch_x = touch_x.clone();
        Callback::from(move |e: TouchEvent| *touch_x.borrow_mut() = e.changed_touches().get(0).map(|t| t.client_x()))
    };
    let ontouchend = {
        let (touch_x, on_step) = (touch_x.clone(), props.on_step.clone());
        Callback::from(move |e: TouchEvent| {
            let (Some(start), Some(end)) = (touch_x.borrow_mut().take(), e.changed_touches().get(0).map(|t| t.client_x())) else { return };
            // A swipe left goes forward, as a page turns.
            if (end - start).abs() > 40 {
                on_step.emit(if end < start { 1 } else { -1 });
            }
        })
    };
    let Some(step) = props.step.as_deref() else {
        return html! { <aside class="lesson" data-testid="lesson" ref={panel}><p class="hint">{"Reading the step…"}</p></aside> };
    };
    let percent = (step.index + 1) as f32 * 100.0 / step.total.max(1) as f32;
    html! {
        <aside class="lesson" data-testid="lesson" data-frame={step.frame.to_string()} ref={panel} {ontouchstart} {ontouchend}>
            <div class="lesson-columns">
                <div class="lesson-words">
                    <div class="lesson-nav">
                        <button data-testid="step-prev" onclick={prev} disabled={step.index == 0} aria-label="previous segment">{"← previous"}</button>
                        <span class="lesson-progress" data-testid="step-progress">{ format!("Step {} of {} · frame {}", step.index + 1, step.total, step.frame) }</span>
                        <button data-testid="step-next" onclick={next} disabled={step.index + 1 >= step.total} aria-label="next segment">{"next →"}</button>
                    </div>
                    <progress max="100" value={percent.to_string()} aria-label="how far through the connection" />
                    <p class="lesson-label"><strong>{ if step.from_client { "client → server: " } else { "server → client: " } }</strong><code>{ &step.label }</code></p>
                    <p class="lesson-text" data-testid="step-explanation">{ &step.explanation }</p>
                    <p class={classes!("acceptability", (!step.acceptability.acceptable).then_some("rejected"))} data-testid="acceptability" data-case={step.acceptability.case.to_string()}>
                        <strong>{"Receiver's window test (RFC 9293 §3.10.7.4): "}</strong>{ &step.acceptability.text }
                    </p>
                    <p class="figure-key">{"RFC 9293 figure 5: each edge says the event over the action (x: none). Note 1: back to LISTEN only after a passive OPEN; note 2: FIN-WAIT-1 to TIME-WAIT when the FIN received also acknowledges ours."}</p>
                    <StateMachine side={step.sides[0].clone()} client={true} />
                    <StateMachine side={step.sides[1].clone()} client={false} />
                    <details class="reading"><summary>{"How these values are read, and what “estimated” means"}</summary><p>{ &step.reading }</p></details>
                </div>
                <div class="lesson-figures" data-testid="state-figures">
                    <StateDrawing side={step.sides[0].clone()} client={true} />
                    <StateDrawing side={step.sides[1].clone()} client={false} />
                </div>
            </div>
        </aside>
    }
}

/// On entering the lesson the focus moves into it (to "next"), so that the keys and a screen
/// reader start where the lesson is, not on the toolbar's button that opened it.
#[hook]
fn use_focus_on_entry(panel: NodeRef, ready: bool) {
    let done = use_mut_ref(|| false);
    use_effect_with(ready, move |ready| {
        if *ready && !*done.borrow() {
            *done.borrow_mut() = true;
            // "next", or "previous" when the lesson opens at the last segment (a selector list
            // would give the first in the page's order, the disabled "previous").
            let find = |el: &web_sys::Element, sel: &str| el.query_selector(sel).ok().flatten();
            let button = panel.cast::<web_sys::Element>().and_then(|el| find(&el, "[data-testid=step-next]:not([disabled])").or_else(|| find(&el, "[data-testid=step-prev]")));
            if let Some(b) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = b.focus();
            }
        }
    });
}

/// ← / → step through the lesson wherever the focus is (a lesson button, a figure, the
/// diagram, the page), except in a text field or where an element took the key already (the
/// diagram's own handler, the splitter, a graph); Escape leaves the lesson.
#[hook]
fn use_arrow_keys(on_step: Callback<i64>, on_leave: Callback<()>) {
    use_effect_with((on_step, on_leave), |(on_step, on_leave)| {
        let (on_step, on_leave) = (on_step.clone(), on_leave.clone());
        let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            let typing = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
            if typing || e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() {
                return;
            }
            let delta = match e.key().as_str() {
                "ArrowLeft" => -1,
                "ArrowRight" => 1,
                // The diagram's Escape clears its selection first; the lesson is left either way.
                "Escape" => {
                    on_leave.emit(());
                    return;
                }
                _ => return,
            };
            if e.default_prevented() {
                return;
            }
            e.prevent_default();
            on_step.emit(delta);
        });
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = document {
                let _ = d.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
        }
    });
}

/// Scrolls a figure wider than its pane so that `x` (figure units, drawn 1:1) is in the middle.
fn center_on(drawing: &NodeRef, x: Option<f32>) {
    if let (Some(el), Some(x)) = (drawing.cast::<web_sys::Element>(), x) {
        if el.scroll_width() > el.client_width() {
            el.set_scroll_left((x - el.client_width() as f32 / 2.0).max(0.0) as i32);
        }
    }
}
