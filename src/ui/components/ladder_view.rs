use yew::prelude::*;

use crate::diagram::{layout, ArrowKind, LadderOptions};
use crate::ui::shared::SharedSession;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub session: SharedSession,
    pub stream: u32,
    pub absolute: bool,
}

/// Draws the ladder the layout computed: lifelines, arrows, labels. Text goes in as text
/// nodes (never as markup), so nothing from the capture can inject HTML.
#[function_component(LadderView)]
pub fn ladder_view(props: &Props) -> Html {
    let Some(ladder) = layout(&props.session, props.stream, LadderOptions { absolute: props.absolute }) else {
        return html! { <p>{"No such connection."}</p> };
    };
    let (w, h) = (ladder.width, ladder.height);
    let lifeline = |l: &crate::diagram::Lifeline| {
        html! {
            <g class={classes!("lifeline", l.role)}>
                <text x={l.x.to_string()} y="20" class="lifeline-role">{ l.role }</text>
                <text x={l.x.to_string()} y="38" class="lifeline-name">{ &l.name }</text>
                <line x1={l.x.to_string()} y1="48" x2={l.x.to_string()} y2={(h - 10.0).to_string()} />
            </g>
        }
    };
    let arrows = ladder.arrows.iter().map(|a| {
        html! {
            <g data-testid="segment" data-frame={a.frame.to_string()} class={classes!("segment", a.kind.class())}>
                <text x="8" y={(a.y1 + 4.0).to_string()} class="time">{ &a.time }</text>
                <line x1={a.x1.to_string()} y1={a.y1.to_string()} x2={a.x2.to_string()} y2={a.y2.to_string()} marker-end={format!("url(#head-{})", a.kind.class())} />
                <text x={a.label_x.to_string()} y={a.label_y.to_string()} class="label">{ &a.label }</text>
                <title>{ format!("frame {}: {}", a.frame, a.label) }</title>
            </g>
        }
    });
    html! {
        <svg class="ladder" xmlns="http://www.w3.org/2000/svg" width={w.to_string()} height={h.to_string()}
             viewBox={format!("0 0 {w} {h}")} role="img" aria-label="TCP ladder diagram">
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
            { for arrows }
        </svg>
    }
}
