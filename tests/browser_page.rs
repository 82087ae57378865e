//! The Yew page itself, rendered in headless Chromium: the stable test hooks are there.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_page_renders_its_file_input() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<tcp_ladder::ui::App>::with_root(root.clone()).render();
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    let input = root.query_selector("[data-testid=file-input]").unwrap().expect("file input rendered");
    assert_eq!(input.get_attribute("type").as_deref(), Some("file"));
    assert!(root.query_selector("[data-testid=error]").unwrap().is_none(), "no error before a file is chosen");
}
