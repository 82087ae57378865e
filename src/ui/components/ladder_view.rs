use yew::prelude::*;

use crate::diagram::ArrowKind;
use crate::ui::shared::SharedLadder;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ladder: SharedLadder,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
}

/// Draws the ladder the layout computed: lifelines, arrows, labels, analysis tags, phase
/// brackets, states on the lifelines. Text goes in as text nodes (never as markup), so nothing
/// from the capture can inject HTML.
#[function_component(LadderView)]
pub fn ladder_view(props: &Props) -> Html {
    let ladder = &props.ladder;
    let (w, h) = (ladder.width, ladder.height);
    let lifeline = |l: &crate::diagram::Lifeline| {
        html! {
            <g class={classes!("lifeline", l.role)}>
                <text x={l.x.to_string()} y="22" class="lifeline-role">{ l.role }</text>
                <text x={l.x.to_string()} y="40" class="lifeline-name">{ &l.name }</text>
                <line x1={l.x.to_string()} y1="52" x2={l.x.to_string()} y2={(h - 20.0).to_string()} />
            </g>
        }
    };
    let arrows = ladder.arrows.iter().map(|a| {
        let index = a.index;
        let onclick = props.on_select.reform(move |_| index);
        let selected = props.selected == Some(index);
        let tags = (!a.tags.is_empty()).then(|| {
            let text: Vec<&str> = a.tags.iter().map(|t| t.text.as_str()).collect();
            html! { <text x={a.label_x.to_string()} y={(a.y2 + 14.0).to_string()} class="tag">{ format!("[{}]", text.join("] [")) }</text> }
        });
        let tag_kinds = a.tags.iter().map(|t| t.kind).collect::<Vec<_>>().join(" ");
        html! {
            <g data-testid="segment" data-frame={a.frame.to_string()} data-analysis={tag_kinds}
               class={classes!("segment", a.kind.class(), selected.then_some("selected"))} {onclick}>
                <rect class="hit" x={(a.x1.min(a.x2) - 4.0).to_string()} y={(a.y1 - 18.0).to_string()} width={((a.x1 - a.x2).abs() + 8.0).to_string()} height="44" />
                <text x="8" y={(a.y1 + 4.0).to_string()} class="time">{ &a.time }</text>
                <line x1={a.x1.to_string()} y1={a.y1.to_string()} x2={a.x2.to_string()} y2={a.y2.to_string()} marker-end={format!("url(#head-{})", a.kind.class())} />
                <text x={a.label_x.to_string()} y={a.label_y.to_string()} class="label">{ &a.label }</text>
                { for tags }
                <title>{ format!("frame {}: {}", a.frame, a.label) }</title>
            </g>
        }
    });
    let phases = ladder.phases.iter().map(|p| {
        html! {
            <g data-testid="phase" data-kind={p.kind} data-frames={format!("{}-{}", p.first_frame, p.last_frame)} class="phase">
                <path d={format!("M {} {} h 8 V {} h -8", p.x, p.y1, p.y2)} />
                <text x={(p.x + 14.0).to_string()} y={(p.y1 + 12.0).to_string()} class="phase-title">{ &p.title }</text>
                { for p.caption_lines.iter().enumerate().map(|(i, line)| html! {
                    <text x={(p.x + 14.0).to_string()} y={(p.y1 + 28.0 + 13.0 * i as f32).to_string()} class="phase-caption">{ line }</text>
                }) }
                <title>{ &p.caption }</title>
            </g>
        }
    });
    let states = ladder.states.iter().map(|s| {
        html! {
            <text data-testid="state" data-state={s.state} data-side={if s.client { "client" } else { "server" }} data-frame={s.frame.to_string()}
                  x={s.x.to_string()} y={s.y.to_string()} class="state" text-anchor={if s.anchor_end { "end" } else { "start" }}>{ s.state }</text>
        }
    });
    let gaps = ladder.gaps.iter().map(|g| {
        let left = g.x < (ladder.client.x + ladder.server.x) / 2.0;
        html! {
            <text data-testid="gap" x={(g.x + if left { -8.0 } else { 8.0 }).to_string()} y={g.y.to_string()} class="gap"
                  text-anchor={if left { "end" } else { "start" }}>{ "⋯ not captured ⋯" }</text>
        }
    });
    let ticks = ladder.ticks.iter().map(|t| html! { <text x="8" y={(t.y + 4.0).to_string()} class="tick">{ &t.label }</text> });
    html! {
        <svg class="ladder" xmlns="http://www.w3.org/2000/svg" width={w.to_string()} height={h.to_string()}
             viewBox={format!("0 0 {w} {h}")} role="img" aria-label={ladder.title.clone()}>
            <defs>
                // One arrowhead per kind: a marker does not inherit the colour of its line.
                { for ArrowKind::ALL.iter().map(|k| html! {
                    <marker id={format!("head-{}", k.class())} class={k.class()} viewBox="0 0 10 10" refX="10" refY="5"
                            markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                }) }
            </defs>
            { lifeline(&ladder.client) }
            { lifeline(&ladder.server) }
            { for ticks }
            { for phases }
            { for arrows }
            { for states }
            { for gaps }
        </svg>
    }
}
