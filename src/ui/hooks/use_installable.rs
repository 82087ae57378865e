//! `use_installable`: once, when the page opens, the pieces of an installed, offline app: the
//! service worker (whose update becomes a notice) and captures opened from the file manager.

use yew::prelude::*;

use crate::ui::installable::{accept_launched_files, register_service_worker};
use crate::ui::state::{Action, AppState};

#[hook]
pub fn use_installable(dispatch: UseReducerDispatcher<AppState>, on_file: Callback<web_sys::File>) {
    use_effect_with((), move |_| {
        register_service_worker(Callback::from(move |text| dispatch.dispatch(Action::Notice(text))));
        accept_launched_files(on_file);
    });
}
