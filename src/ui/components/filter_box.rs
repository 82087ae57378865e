//! The connection filter's text box with its suggestion list (#24): a combobox (ARIA 1.2's
//! pattern) whose list offers the fields the filter reads and, after `shape:` or `flag:`, their
//! values (`filter_complete` decides which). Typing opens it when a suggestion fits the word
//! being typed; ↓ opens it anywhere; ↑/↓ choose, Enter or a click takes one, Escape closes.

use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::filter_complete::{completions, Completion};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub query: String,
    pub on_query: Callback<String>,
}

const LIST_ID: &str = "filter-suggestions";

#[function_component(FilterBox)]
pub fn filter_box(props: &Props) -> Html {
    let open = use_state(|| false);
    let active = use_state(|| None::<usize>);
    let shown: Vec<Completion> = if *open { completions(&props.query) } else { Vec::new() };
    let expanded = !shown.is_empty();
    let take = {
        let (on_query, active) = (props.on_query.clone(), active.clone());
        // (A field taken leaves the list open on its values, if it has any.)
        Callback::from(move |c: Completion| {
            active.set(None);
            on_query.emit(c.query);
        })
    };
    let oninput = {
        let (on_query, open, active) = (props.on_query.clone(), open.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let value = input.value();
                // Only while a word is being typed: an empty box or a finished word shows nothing.
                open.set(!value.is_empty() && !value.ends_with(char::is_whitespace));
                active.set(None);
                on_query.emit(value);
            }
        })
    };
    let onkeydown = {
        let (open, active, take, shown) = (open.clone(), active.clone(), take.clone(), shown.clone());
        Callback::from(move |e: KeyboardEvent| {
            let n = shown.len();
            match e.key().as_str() {
                "ArrowDown" if !*open || n == 0 => {
                    e.prevent_default();
                    open.set(true);
                    active.set(Some(0));
                }
                "ArrowDown" => {
                    e.prevent_default();
                    active.set(Some(active.map_or(0, |a| (a + 1) % n)));
                }
                "ArrowUp" if n > 0 => {
                    e.prevent_default();
                    active.set(Some(active.map_or(n - 1, |a| (a + n - 1) % n)));
                }
                "Enter" => {
                    if let Some(c) = active.and_then(|a| shown.get(a)) {
                        e.prevent_default();
                        take.emit(c.clone());
                    }
                }
                // (A search box's own Escape would empty it: with the list open it only closes.)
                "Escape" if n > 0 => {
                    e.prevent_default();
                    e.stop_propagation();
                    open.set(false);
                    active.set(None);
                }
                _ => {}
            }
        })
    };
    let onblur = {
        let (open, active) = (open.clone(), active.clone());
        Callback::from(move |_: FocusEvent| {
            open.set(false);
            active.set(None);
        })
    };
    let options = shown.iter().enumerate().map(|(i, c)| {
        let onclick = take.reform({
            let c = c.clone();
            move |_: MouseEvent| c.clone()
        });
        // The focus stays in the box while the mouse chooses.
        let onmousedown = Callback::from(|e: MouseEvent| e.prevent_default());
        let selected = *active == Some(i);
        html! {
            <li role="option" id={format!("{LIST_ID}-{i}")} data-testid="filter-suggestion" aria-selected={selected.to_string()}
                class={classes!(selected.then_some("active"))} {onclick} {onmousedown}>
                <code>{ c.term.trim_end() }</code>{ " " }<span class="meaning">{ &c.meaning }</span>
            </li>
        }
    });
    html! {
        <div class="filter-box">
            <input type="search" data-testid="connection-filter" placeholder="filter: port:80 shape:reset flag:rst time:>2 …" aria-label="filter the connections"
                   role="combobox" aria-autocomplete="list" aria-expanded={expanded.to_string()} aria-controls={expanded.then_some(LIST_ID)}
                   aria-activedescendant={active.filter(|a| *a < shown.len()).map(|a| format!("{LIST_ID}-{a}"))}
                   autocomplete="off" spellcheck="false" value={props.query.clone()} {oninput} {onkeydown} {onblur} />
            if expanded {
                <ul id={LIST_ID} class="filter-suggestions" role="listbox" aria-label="filter fields and values">{ for options }</ul>
            }
        </div>
    }
}
