//! The App's custom hooks (Yew's function_todomvc layout), one job each: a hook owns the effects
//! of one part of the page and the callbacks that go with them, and hands back a handle of
//! callbacks for the components. State changes go through the reducer (`ui::state`).

mod use_bool_toggle;
mod use_column_in_view;
mod use_file_opening;
mod use_merge_requests;
mod use_fit_note;
mod use_installable;
mod use_ladder_options;
mod use_segment_selection;
mod use_splitter;
mod use_stream_tools;
mod use_tools_split;
mod use_view_link;
mod use_view_requests;
mod use_window_resize;
mod use_worker;

pub use use_bool_toggle::use_bool_toggle;
pub use use_column_in_view::use_column_in_view;
pub use use_file_opening::use_file_opening;
pub use use_merge_requests::use_merge_requests;
pub use use_fit_note::use_fit_note;
pub use use_installable::use_installable;
pub use use_ladder_options::{first_window, use_ladder_options};
pub use use_segment_selection::use_segment_selection;
pub use use_splitter::{use_splitter, PANEL_MAX, PANEL_MIN};
pub use use_stream_tools::use_stream_tools;
pub use use_tools_split::{tools_max, use_tools_split, TOOLS_MIN};
pub use use_view_link::use_view_link;
pub use use_view_requests::use_view_requests;
pub use use_window_resize::use_window_resize;
pub use use_worker::{use_worker, WorkerHandle};
