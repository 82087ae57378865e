//! The page's components, one a file: each gets its data and callbacks as props from `App`
//! (`app.rs`, whose state is `ui::state` and whose callbacks come from `ui::hooks`) and keeps
//! at most view-local state (a zoom, a query).

mod app_header;
mod connection_list;
mod diagram_toolbar;
mod error_banner;
mod export_bar;
mod file_picker;
mod filter_box;
mod follow_view;
mod graph_marks;
mod graph_view;
mod hex_dump;
mod ladder_scroll;
mod ladder_view;
mod legend;
mod merged_view;
mod lesson_panel;
mod progress_bar;
mod samples;
mod segment_panel;
mod stream_tools;
mod summary;
mod time_bar;

pub use app_header::AppHeader;
pub use connection_list::ConnectionList;
pub use diagram_toolbar::DiagramToolbar;
pub use error_banner::ErrorBanner;
pub use export_bar::ExportBar;
pub(crate) use export_bar::click_link;
pub use file_picker::{open_files, FilePicker};
pub use ladder_view::LadderView;
pub use legend::Legend;
pub use merged_view::MergedView;
pub use lesson_panel::LessonPanel;
pub use progress_bar::{megabytes, ProgressBar};
pub use samples::{is_sample, open_sample, Samples};
pub use segment_panel::SegmentPanel;
pub use stream_tools::StreamTools;
pub use summary::Summary;
pub use time_bar::TimeBarView;
