//! The step-through lesson beside the diagram: one segment at a time in words, the
//! acceptability test, and both endpoints' RFC 9293 state machines with the transition taken.

use yew::prelude::*;

use wasm_bindgen::JsCast;

use crate::diagram::lesson::{state_figure, Board, LessonStep, Piece, SideView};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The worker's answer for the current step (None while it is on its way).
    pub step: Option<std::rc::Rc<LessonStep>>,
    pub on_step: Callback<i64>,
}

/// One endpoint's RFC 9293 state machine (the standard figure), its current state and the
/// transition just taken highlighted. Pure drawing of `diagram::lesson::state_figure`.
#[function_component(StateMachine)]
fn state_machine(props: &MachineProps) -> Html {
    let side = &props.side;
    let fig = state_figure(side.state, side.from.as_deref(), side.reset);
    let (bw, bh) = (fig.box_width, fig.box_height);
    let shown = || fig.edges.iter().filter(|e| !e.extra || e.taken);
    let edges = shown().map(|e| {
        let [x1, y1, x2, y2] = e.line;
        html! {
            <line class={classes!("edge", e.taken.then_some("taken"), e.extra.then_some("extra"))} x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} marker-end="url(#sm-head)">
                <title>{ &e.label }</title>
            </line>
        }
    });
    // Event over action, as the textbooks print them; drawn after the lines, over them.
    let labels = shown().map(|e| {
        let (event, action) = e.label_lines();
        let x = e.label_at.0.to_string();
        html! {
            <text class={classes!("edge-label", e.taken.then_some("taken"))} x={x.clone()} y={e.label_at.1.to_string()}>
                <tspan x={x.clone()}>{ event }</tspan><tspan x={x} dy="13">{ action }</tspan>
            </text>
        }
    });
    let taken_label = fig.edges.iter().find(|e| e.taken).map(|e| e.label.clone());
    let boxes = fig.boxes.iter().map(|b| {
        html! {
            <g class={classes!("sm-state", b.current.then_some("current"))}>
                <rect x={(b.x - bw / 2.0).to_string()} y={(b.y - bh / 2.0).to_string()} width={bw.to_string()} height={bh.to_string()} rx="5" />
                <text x={b.x.to_string()} y={(b.y + 4.0).to_string()}>{ b.state }</text>
            </g>
        }
    });
    let who = if props.client { "client" } else { "server" };
    if props.drawing {
        // Drawn at its own size (labels 12 px at 100 %); a narrow screen scrolls it sideways,
        // so it takes the focus, for the keyboard to scroll it too.
        return html! {
            <div class="sm-drawing" data-side={who} tabindex="0">
                <svg width={fig.width.to_string()} height={fig.height.to_string()} viewBox={format!("0 0 {} {}", fig.width, fig.height)} role="img" aria-label={format!("RFC 9293 state diagram of the {who}, now in {}", side.state)}>
                <defs>
                    <marker id="sm-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" /></marker>
                </defs>
                { for edges }
                { for boxes }
                { for labels }
            </svg>
            </div>
        };
    }
    html! {
        <figure class={classes!("state-machine", props.drawn.then_some("drawn"))} data-testid="state-machine" data-side={who} data-current={side.state}>
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
    /// Its state diagram is the one drawn (one at a time, so that the step's text and the
    /// figure fit on a laptop's screen together).
    drawn: bool,
    /// Only the drawing; otherwise its state, variables and scoreboard.
    #[prop_or_default]
    drawing: bool,
}

/// The step-through lesson beside the diagram: progress, previous/next (also ←/→ and a swipe),
/// the segment in words, the acceptability test, and both endpoints' state machines.
#[function_component(LessonPanel)]
pub fn lesson_panel(props: &Props) -> Html {
    let touch_x = use_mut_ref(|| None::<i32>);
    let picked = use_state(|| None::<bool>);
    use_arrow_keys(props.on_step.clone());
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
        return html! { <aside class="lesson" data-testid="lesson"><p class="hint">{"Reading the step…"}</p></aside> };
    };
    // The figure drawn: the reader's pick, else the endpoint this step moved (the receiver
    // when both or neither did).
    let moved: Vec<bool> = [true, false].into_iter().filter(|&c| step.sides[usize::from(!c)].from.is_some()).collect();
    let drawn_client = (*picked).unwrap_or(if moved.len() == 1 { moved[0] } else { !step.from_client });
    let percent = (step.index + 1) as f32 * 100.0 / step.total.max(1) as f32;
    html! {
        <aside class="lesson" data-testid="lesson" data-frame={step.frame.to_string()} {ontouchstart} {ontouchend}>
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
                    <div class="sm-switch" role="group" aria-label="whose state diagram to draw">
                        { for [true, false].map(|client| {
                            let side = &step.sides[usize::from(!client)];
                            let pick = { let picked = picked.clone(); Callback::from(move |_: MouseEvent| picked.set(Some(client))) };
                            html! {
                                <button data-testid={if client { "draw-client" } else { "draw-server" }} aria-pressed={(drawn_client == client).to_string()} onclick={pick}>
                                    { format!("draw the {}: {}{}", if client { "client" } else { "server" }, side.state, if side.from.is_some() { " (moved)" } else { "" }) }
                                </button>
                            }
                        }) }
                    </div>
                    <StateMachine side={step.sides[0].clone()} client={true} drawn={drawn_client} />
                    <StateMachine side={step.sides[1].clone()} client={false} drawn={!drawn_client} />
                    <details class="reading"><summary>{"How these values are read, and what “estimated” means"}</summary><p>{ &step.reading }</p></details>
                </div>
                <StateMachine side={step.sides[usize::from(!drawn_client)].clone()} client={drawn_client} drawn={true} drawing={true} />
            </div>
        </aside>
    }
}

/// ← / → step through the lesson wherever the focus is (entering the lesson leaves it on the
/// toolbar's button), except in a text field or where an element took the key already (the
/// diagram's own handler, the splitter, a graph).
#[hook]
fn use_arrow_keys(on_step: Callback<i64>) {
    use_effect_with(on_step, |on_step| {
        let on_step = on_step.clone();
        let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            let delta = match e.key().as_str() {
                "ArrowLeft" => -1,
                "ArrowRight" => 1,
                _ => return,
            };
            let typing = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
            if e.default_prevented() || typing || e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() {
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
