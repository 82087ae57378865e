//! `use_bool_toggle`: a view-local on/off (as in Yew's function_todomvc), here whether the
//! connection list is folded away to give the diagram the width.

use yew::prelude::*;

/// The value, the callback that flips it and one that sets it.
pub struct BoolToggle {
    pub on: bool,
    pub toggle: Callback<MouseEvent>,
    pub set: Callback<bool>,
}

#[hook]
pub fn use_bool_toggle(initial: bool) -> BoolToggle {
    let state = use_state(|| initial);
    let toggle = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.set(!*state))
    };
    let set = {
        let state = state.clone();
        Callback::from(move |on: bool| state.set(on))
    };
    BoolToggle { on: *state, toggle, set }
}
