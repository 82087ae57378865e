//! The step-through lesson beside the diagram: one segment at a time in words, the
//! acceptability test, and both endpoints' RFC 9293 state machines with the transition taken.

use yew::prelude::*;

use crate::diagram::lesson::{state_figure, LessonStep, SideView};

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
    let fig = state_figure(side.state, side.from.as_deref());
    let (bw, bh) = (fig.box_width, fig.box_height);
    let edges = fig.edges.iter().filter(|e| !e.extra || e.taken).map(|e| {
        // From the bottom (or top) edge of one box to the other's.
        let down = e.to.1 >= e.from.1;
        let (y1, y2) = if down { (e.from.1 + bh / 2.0, e.to.1 - bh / 2.0) } else { (e.from.1 - bh / 2.0, e.to.1 + bh / 2.0) };
        // Shifted to its right (seen along the edge), so an edge and its reverse stay apart.
        let (dx, dy) = (e.to.0 - e.from.0, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ox, oy) = (-dy / length * e.offset, dx / length * e.offset);
        html! {
            <line class={classes!("edge", e.taken.then_some("taken"), e.extra.then_some("extra"))} x1={(e.from.0 + ox).to_string()} y1={(y1 + oy).to_string()} x2={(e.to.0 + ox).to_string()} y2={(y2 + oy).to_string()} marker-end="url(#sm-head)">
                <title>{ &e.label }</title>
            </line>
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
    html! {
        <figure class="state-machine" data-testid="state-machine" data-side={who} data-current={side.state}>
            <figcaption>
                <strong>{ who }</strong>{ ": " }{ side.state }
                if let (Some(from), Some(label)) = (&side.from, &taken_label) {
                    <span class="transition">{ format!(" (from {from}: {label})") }</span>
                }
            </figcaption>
            <svg viewBox={format!("0 0 {} {}", fig.width, fig.height + 10.0)} role="img" aria-label={format!("RFC 9293 state diagram of the {who}, now in {}", side.state)}>
                <defs>
                    <marker id="sm-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" /></marker>
                </defs>
                { for edges }
                { for boxes }
            </svg>
            <table class="variables">
                { for side.variables.iter().map(|v| html! {
                    <tr title={v.source.clone()}>
                        <th>{ v.name }</th>
                        <td>{ v.value.map_or("—".to_string(), |x| x.to_string()) }</td>
                        <td class="estimated">{ if v.estimated && v.value.is_some() { "estimated" } else { "" } }</td>
                    </tr>
                }) }
            </table>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct MachineProps {
    side: SideView,
    client: bool,
}

/// The step-through lesson beside the diagram: progress, previous/next (also ←/→ and a swipe),
/// the segment in words, the acceptability test, and both endpoints' state machines.
#[function_component(LessonPanel)]
pub fn lesson_panel(props: &Props) -> Html {
    let touch_x = use_mut_ref(|| None::<i32>);
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
    let percent = (step.index + 1) as f32 * 100.0 / step.total.max(1) as f32;
    html! {
        <aside class="lesson" data-testid="lesson" data-frame={step.frame.to_string()} {ontouchstart} {ontouchend}>
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
            <div class="machines">
                <StateMachine side={step.sides[0].clone()} client={true} />
                <StateMachine side={step.sides[1].clone()} client={false} />
            </div>
        </aside>
    }
}
