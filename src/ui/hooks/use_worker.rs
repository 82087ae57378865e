//! `use_worker`: the page's one analysis worker, started with the App and kept for the page's
//! life. Its replies and failures become reducer actions; the handle sends it requests and files.

use std::rc::Rc;

use yew::prelude::*;

use crate::service::protocol::Request;
use crate::ui::state::{Action, AppState};
use crate::ui::worker_client::WorkerClient;

/// What the page can ask of the worker. Cloning it shares the one worker.
#[derive(Clone)]
pub struct WorkerHandle {
    /// `None` when the browser could not start a worker: requests then go nowhere, and opening a
    /// file says why.
    client: Rc<Option<WorkerClient>>,
    dispatch: UseReducerDispatcher<AppState>,
}

impl WorkerHandle {
    /// Sends a request (dropped when there is no worker: there is nothing to answer it).
    pub fn send(&self, request: Request) {
        if let Some(client) = self.client.as_ref() {
            client.send(&request);
        }
    }

    /// A file the user chose: the page starts afresh for it and the worker reads it.
    pub fn open(&self, file: &web_sys::File) {
        self.dispatch.dispatch(Action::Open(file.name()));
        match self.client.as_ref() {
            Some(client) => client.open(file),
            None => self.dispatch.dispatch(Action::WorkerFailed("this browser could not start the analysis worker (Web Workers are needed)".into())),
        }
    }
}

impl WorkerHandle {
    /// Two files the user chose together: the page starts afresh and the worker merges them.
    pub fn open_two(&self, a: &web_sys::File, b: &web_sys::File) {
        self.dispatch.dispatch(Action::OpenTwo([a.name(), b.name()]));
        match self.client.as_ref() {
            Some(client) => client.open_two(a, b),
            None => self.dispatch.dispatch(Action::WorkerFailed("this browser could not start the analysis worker (Web Workers are needed)".into())),
        }
    }
}

/// Starts the worker on the first render only (`use_state`'s initialiser runs once), so that a
/// render never starts a second one.
#[hook]
pub fn use_worker(dispatch: UseReducerDispatcher<AppState>) -> WorkerHandle {
    let client = (*use_state(|| {
        let (on_reply, on_fail) = (dispatch.clone(), dispatch.clone());
        let client = WorkerClient::start(
            Callback::from(move |reply| on_reply.dispatch(Action::Reply(reply))),
            Callback::from(move |message| on_fail.dispatch(Action::WorkerFailed(message))),
        );
        Rc::new(client.ok())
    }))
    .clone();
    WorkerHandle { client, dispatch }
}
