//! The bar above the ladder: the view's toggles, the endpoints' names, the frame box, the link,
//! step mode and the exports. Each toggle hands the ladder's options back whole, changed.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use super::ExportBar;
use crate::diagram::LadderOptions;
use crate::ui::hooks::first_window;
use crate::ui::shared::SharedLadder;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub options: LadderOptions,
    pub step_mode: bool,
    pub ladder: SharedLadder,
    /// The exported files' name, without extension.
    pub name: String,
    pub on_options: Callback<LadderOptions>,
    /// A frame number typed in the frame box (Enter).
    pub on_jump: Callback<u64>,
    pub on_copy_link: Callback<MouseEvent>,
    /// Step mode wanted on (true) or off.
    pub on_step_mode: Callback<bool>,
}

/// The input an event came from, if it came from one.
fn input_of(e: &Event) -> Option<HtmlInputElement> {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
}

#[function_component(DiagramToolbar)]
pub fn diagram_toolbar(props: &Props) -> Html {
    let options = &props.options;
    let toggle = |change: fn(&mut LadderOptions)| {
        let (on_options, options) = (props.on_options.clone(), options.clone());
        Callback::from(move |_: Event| {
            let mut next = options.clone();
            change(&mut next);
            on_options.emit(next);
        })
    };
    let name_input = |client: bool| {
        let side = if client { "client" } else { "server" };
        let set_name = {
            let (on_options, options) = (props.on_options.clone(), options.clone());
            Callback::from(move |e: Event| {
                let Some(input) = input_of(&e) else { return };
                let mut next = options.clone();
                let value = input.value().trim().to_string();
                next.names[usize::from(!client)] = (!value.is_empty()).then_some(value);
                on_options.emit(next);
            })
        };
        html! {
            <input type="text" class="endpoint-name" data-testid="endpoint-name" data-side={side} maxlength="40"
                   placeholder={format!("name the {side}")} aria-label={format!("a name for the {side}")}
                   value={options.names[usize::from(!client)].clone().unwrap_or_default()} onchange={set_name} />
        }
    };
    // The frame box's keys are its own: they do not move the diagram's selection.
    let on_jump = {
        let on_jump = props.on_jump.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if e.key() != "Enter" {
                return;
            }
            let Some(input) = input_of(&e) else { return };
            if let Ok(frame) = input.value().trim().parse::<u64>() {
                on_jump.emit(frame);
            }
        })
    };
    let step_mode = props.step_mode;
    let on_step_mode = props.on_step_mode.reform(move |_: MouseEvent| !step_mode);
    // On a phone the bar is folded behind one button, so that the first screen shows the
    // diagram (the style sheet shows the button, and folds the bar, only on narrow screens).
    let folded = use_state(|| true);
    let on_fold = {
        let folded = folded.clone();
        Callback::from(move |_: MouseEvent| folded.set(!*folded))
    };
    html! {
        <div class={classes!("toolbar", folded.then_some("folded"))}>
            <button class="view-menu-button" data-testid="view-menu" aria-expanded={(!*folded).to_string()} onclick={on_fold}>
                { if *folded { "☰ view, names, link, step through, export" } else { "✕ close the view menu" } }
            </button>
            <label class="toggle"><input type="checkbox" data-testid="toggle-absolute" checked={options.absolute} onchange={toggle(|o| o.absolute = !o.absolute)} />{" absolute sequence numbers"}</label>
            <label class="toggle"><input type="checkbox" data-testid="toggle-time" checked={options.by_time} disabled={options.timing} onchange={toggle(|o| o.by_time = !o.by_time)} />{" rows by capture time"}</label>
            <label class="toggle" title="Each arrow from its estimated send time to its estimated arrival, through the capture point: the delays as a textbook draws them"><input type="checkbox" data-testid="view-timing" checked={options.timing} onchange={toggle(|o| { o.timing = !o.timing; o.window = o.timing.then_some(first_window()); })} />{" as the endpoints saw it (timing)"}</label>
            <label class="toggle"><input type="checkbox" data-testid="toggle-expand" checked={options.expand_all} onchange={toggle(|o| o.expand_all = !o.expand_all)} />{" show every segment"}</label>
            <label class="toggle"><input type="checkbox" data-testid="hide-addresses" checked={options.hide_addresses} onchange={toggle(|o| o.hide_addresses = !o.hide_addresses)} />{" hide addresses"}</label>
            <label class="toggle" title="The application's messages (HTTP, TLS, DNS) on the arrows that complete them"><input type="checkbox" data-testid="hide-messages" checked={options.hide_messages} onchange={toggle(|o| o.hide_messages = !o.hide_messages)} />{" hide the application's messages"}</label>
            <label class="toggle" title="The application's messages said by their type and size only (no method, path, status, name or command); the payload's bytes hidden in the segment's hex and in Follow stream"><input type="checkbox" data-testid="hide-app-data" checked={options.hide_app_data} onchange={toggle(|o| o.hide_app_data = !o.hide_app_data)} />{" hide application data"}</label>
            { for [true, false].into_iter().map(name_input) }
            <input type="number" min="1" class="jump-frame" data-testid="jump-frame" placeholder="frame #" aria-label="jump to frame (Enter)" onkeydown={on_jump} />
            <button data-testid="copy-link" onclick={props.on_copy_link.clone()} title="A link to this connection, segment and view (no capture data is in it)">{"copy link"}</button>
            <button data-testid="step-mode" class={classes!("step-toggle", step_mode.then_some("on"))} aria-pressed={step_mode.to_string()} onclick={on_step_mode}
                    title="A lesson: one segment at a time (← / →), with each endpoint's state machine and variables">{ if step_mode { "leave step mode" } else { "step through" } }</button>
            <ExportBar ladder={props.ladder.clone()} name={props.name.clone()} />
        </div>
    }
}
