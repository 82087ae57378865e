//! `use_ladder_options`: how the reader changes the ladder's options (the toolbar's toggles and
//! names, opening a collapsed run, scrolling the timing view), each a new `LadderOptions` for the
//! reducer, which the worker then lays out.

use yew::prelude::*;

use crate::diagram::LadderOptions;
use crate::ui::state::{Action, AppState};

/// Diagram units laid out above and below the screen in the timing view.
const WINDOW_MARGIN: u32 = 6000;

/// Below this window width (px) the diagram takes the compact columns (#24): a phone's pane.
const COMPACT_BELOW_PX: f64 = 640.0;
/// In the lesson, below this window width the ladder takes the compact columns too: its two
/// state figures (888 px) leave it a column beside them too narrow for the full 930 units (at
/// 1366 × 768 it was a ~140 px strip of capture times, no arrow in it).
const LESSON_COMPACT_BELOW_PX: f64 = 1900.0;

/// The timing view's first window: the top of the diagram.
pub fn first_window() -> (u32, u32) {
    (0, 2 * WINDOW_MARGIN)
}

pub struct LadderOptionsHandle {
    /// New options as a whole (the toolbar's toggles and endpoint names).
    pub on_options: Callback<LadderOptions>,
    /// Opens the collapsed run with this id.
    pub on_expand: Callback<usize>,
    /// The diagram units on screen (top, bottom), as the ladder is scrolled.
    pub on_visible: Callback<(f32, f32)>,
}

#[hook]
pub fn use_ladder_options(options: &LadderOptions, step_mode: bool, dispatch: UseReducerDispatcher<AppState>) -> LadderOptionsHandle {
    let on_options = dispatch.to_callback().reform(Action::Options);
    let on_expand = {
        let (on_options, options) = (on_options.clone(), options.clone());
        Callback::from(move |id: usize| {
            let mut next = options.clone();
            next.expanded.insert(id);
            on_options.emit(next);
        })
    };
    // The timing view shows every segment, so it is laid out a window at a time around what
    // is on screen; a new window is asked for when the screen nears the loaded one's edge.
    let on_visible = {
        let (on_options, options) = (on_options.clone(), options.clone());
        Callback::from(move |(top, bottom): (f32, f32)| {
            let Some((lo, hi)) = options.window.filter(|_| options.timing) else { return };
            let margin = WINDOW_MARGIN as f32 / 3.0;
            if (top < lo as f32 + margin && lo > 0) || bottom > hi as f32 - margin {
                let mut next = options.clone();
                next.window = Some(((top as u32).saturating_sub(WINDOW_MARGIN), bottom as u32 + WINDOW_MARGIN));
                on_options.emit(next);
            }
        })
    };
    // A phone's pane takes the compact columns, from the window's width as it changes (a
    // phone turned), and so does the lesson's ladder beside its figures; it is no choice of the
    // reader's, so no link carries it.
    {
        let (on_options, options) = (on_options.clone(), options.clone());
        use_effect_with((options.compact, step_mode), move |_| compact_for_window(&options, step_mode, &on_options));
    }
    {
        let (on_options, options) = (on_options.clone(), options.clone());
        super::use_window_resize((options.clone(), step_mode), move || compact_for_window(&options, step_mode, &on_options));
    }
    LadderOptionsHandle { on_options, on_expand, on_visible }
}

/// New options with `compact` set for the window's width (and the lesson), when it differs.
fn compact_for_window(options: &LadderOptions, step_mode: bool, on_options: &Callback<LadderOptions>) {
    let below = if step_mode { LESSON_COMPACT_BELOW_PX } else { COMPACT_BELOW_PX };
    let narrow = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).is_some_and(|w| w < below);
    if narrow != options.compact {
        on_options.emit(LadderOptions { compact: narrow, ..options.clone() });
    }
}
