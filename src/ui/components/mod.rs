mod connection_list;
mod error_banner;
mod file_picker;
mod ladder_view;
mod summary;

pub use connection_list::ConnectionList;
pub use error_banner::ErrorBanner;
pub use file_picker::{FilePicker, LoadedFile};
pub use ladder_view::LadderView;
pub use summary::Summary;
