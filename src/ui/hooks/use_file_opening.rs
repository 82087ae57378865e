//! `use_file_opening`: the ways a capture reaches the worker (the file picker, a sample, a file
//! dropped anywhere on the page) and the ways reading it ends early (a read error, Cancel).

use yew::prelude::*;

use super::WorkerHandle;
use crate::service::protocol::{Reply, Request};
use crate::ui::state::{Action, AppState};

/// The callbacks the file picker, the samples, the progress bar and the page's root take.
pub struct FileOpening {
    pub on_file: Callback<web_sys::File>,
    /// A file the browser could not read (its name, what went wrong): shown as a failed read.
    pub on_read_error: Callback<(String, String)>,
    pub on_cancel: Callback<()>,
    /// The page accepts a drop anywhere (without this the browser would open the file itself).
    pub ondragover: Callback<web_sys::DragEvent>,
    pub ondrop: Callback<web_sys::DragEvent>,
}

#[hook]
pub fn use_file_opening(worker: &WorkerHandle, dispatch: UseReducerDispatcher<AppState>) -> FileOpening {
    let on_file = {
        let worker = worker.clone();
        Callback::from(move |file: web_sys::File| worker.open(&file))
    };
    let on_read_error = Callback::from(move |(name, message): (String, String)| {
        dispatch.dispatch(Action::Open(name));
        dispatch.dispatch(Action::Reply(Reply::Failed { message }));
    });
    let on_cancel = {
        let worker = worker.clone();
        Callback::from(move |_| worker.send(Request::Cancel))
    };
    let ondragover = Callback::from(|e: web_sys::DragEvent| e.prevent_default());
    let ondrop = {
        let on_file = on_file.clone();
        Callback::from(move |e: web_sys::DragEvent| {
            e.prevent_default();
            if let Some(file) = e.data_transfer().and_then(|dt| dt.files()).and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
        })
    };
    FileOpening { on_file, on_read_error, on_cancel, ondragover, ondrop }
}
