//! The web app's entry point: Trunk builds this binary to wasm.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<tcp_ladder::ui::App>::new().render();
}

// On the host there is no page to render; the binary exists only for the wasm build.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
