mod connection_list;
mod error_banner;
mod export_bar;
mod file_picker;
mod ladder_view;
mod legend;
mod samples;
mod segment_panel;
mod summary;

pub use connection_list::ConnectionList;
pub use error_banner::ErrorBanner;
pub use export_bar::ExportBar;
pub use file_picker::{FilePicker, LoadedFile};
pub use ladder_view::LadderView;
pub use legend::Legend;
pub use samples::Samples;
pub use segment_panel::SegmentPanel;
pub use summary::Summary;
