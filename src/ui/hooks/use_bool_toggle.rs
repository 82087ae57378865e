//! `use_bool_toggle`: a view-local on/off (as in Yew's function_todomvc), here whether the
//! connection list is folded away to give the diagram the width.

use yew::prelude::*;

/// The value and the callback that flips it.
pub struct BoolToggle {
    pub on: bool,
    pub toggle: Callback<MouseEvent>,
}

#[hook]
pub fn use_bool_toggle(initial: bool) -> BoolToggle {
    let state = use_state(|| initial);
    let toggle = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.set(!*state))
    };
    BoolToggle { on: *state, toggle }
}
