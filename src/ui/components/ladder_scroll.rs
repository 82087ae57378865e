//! Keeping the ladder's selected arrow in view and in the keyboard's focus (the scroller's
//! arithmetic, apart from the drawing in `ladder_view`).

use wasm_bindgen::JsCast;

/// Where the lifelines start: above it the drawing holds only its own lane names (for exports
/// and print), which the sticky lane headers say on screen, so the screen starts the drawing
/// here (#24: a phone's first screen had ~55 px of blank above the first arrow).
pub(super) const LIFELINES_FROM: f32 = 52.0;

/// The width the diagram is drawn at (the pane's, or wider on a phone where it pans).
pub(super) fn drawn_width(scroller: &web_sys::Element) -> f32 {
    scroller.query_selector("svg.ladder").ok().flatten().map_or(scroller.client_width(), |svg| svg.client_width()) as f32
}

/// Moves the keyboard focus to the selected arrow, if the focus is on another arrow or on the
/// diagram itself (never out of a control the reader is typing in).
pub(super) fn focus_selected_arrow(scroller: &web_sys::Element, index: usize) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(active) = document.active_element() else { return };
    let in_diagram = active.closest(".diagram-pane").ok().flatten().is_some();
    let in_control = matches!(active.tag_name().as_str(), "INPUT" | "BUTTON" | "SELECT" | "TEXTAREA");
    if !in_diagram || in_control {
        return;
    }
    if let Ok(Some(el)) = scroller.query_selector(&format!("g.arrow[data-index=\"{index}\"]")) {
        if let Ok(el) = el.dyn_into::<web_sys::SvgElement>() {
            if document.active_element().as_ref() != Some(el.as_ref()) {
                let _ = el.focus();
            }
        }
    }
}

/// Scrolls the diagram so that the arrow of segment `index`, its label above it and its head,
/// is on screen below the sticky lane names (a third of the way down when it was not; in the
/// lesson, where it is the last arrow drawn, always 60 % of the way down: the steps before it
/// in view).
pub(super) fn keep_in_view(el: &web_sys::Element, ladder: &crate::diagram::Ladder, index: usize, lesson: bool) {
    if let Some(a) = ladder.arrows.iter().find(|a| a.index == index) {
        let scale = (drawn_width(el) / ladder.width).clamp(0.05, 8.0);
        let at = |y: f32| (y - LIFELINES_FROM) * scale;
        let (top, height) = (el.scroll_top() as f32, el.client_height() as f32);
        // (The label's lines above the tail; the sticky lane names over the top 22 px.)
        let (upper, lower) = (at(a.y1.min(a.y2) - 30.0), at(a.y1.max(a.y2)) + 30.0);
        // (In the lesson always: each step's arrow in the same place, the steps before it above.)
        if lesson || upper < top + 22.0 || lower > top + height {
            el.set_scroll_top((at(a.y1) - height * if lesson { 0.6 } else { 1.0 / 3.0 }).max(0.0) as i32);
        }
    }
}

