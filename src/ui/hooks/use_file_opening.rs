//! `use_file_opening`: the ways a capture reaches the worker (the file picker, a sample, a file
//! dropped anywhere on the page) and the ways reading it ends early (a read error, Cancel).

use yew::prelude::*;

use super::WorkerHandle;
use crate::service::protocol::{Reply, Request};
use crate::ui::state::{Action, AppState};

/// The callbacks the file picker, the samples, the progress bar and the page's root take.
pub struct FileOpening {
    pub on_file: Callback<web_sys::File>,
    /// Two files chosen or dropped together: merged as two capture points (issue #26).
    pub on_two: Callback<(web_sys::File, web_sys::File)>,
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
    let on_two = {
        let worker = worker.clone();
        Callback::from(move |(a, b): (web_sys::File, web_sys::File)| worker.open_two(&a, &b))
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
        let (on_file, on_two, on_error) = (on_file.clone(), on_two.clone(), on_read_error.clone());
        Callback::from(move |e: web_sys::DragEvent| {
            e.prevent_default();
            if let Some(files) = e.data_transfer().and_then(|dt| dt.files()) {
                crate::ui::components::open_files(&files, &on_file, &on_two, &on_error);
            }
        })
    };
    FileOpening { on_file, on_two, on_read_error, on_cancel, ondragover, ondrop }
}
