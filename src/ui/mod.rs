//! The web page (Yew, client-side rendering). Views only: every TCP fact and every position
//! comes from the layers below; nothing here decides what a segment means.

mod app;
mod components;
mod hooks;
mod installable;
mod shared;
mod state;
mod worker_client;

pub use app::App;
