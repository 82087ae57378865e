//! The banner that says why a file could not be read, or where it was damaged part-way.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub file: String,
    pub message: String,
}

/// A clear message about a file that could not be read, or was damaged part-way.
#[function_component(ErrorBanner)]
pub fn error_banner(props: &Props) -> Html {
    html! {
        <div class="error" role="alert" data-testid="error">
            <strong>{ format!("{}: ", props.file) }</strong>
            { &props.message }
        </div>
    }
}
