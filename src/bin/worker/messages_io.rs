//! The application's messages of a connection, for its ladder: the service names the frames
//! its next batch needs (none inside a body it skips), this reads them from the `File`.

use std::cell::RefCell;
use std::rc::Rc;

use crate::reread::read_frames;
use crate::worker::State;

/// Builds `stream`'s messages in the service; `false` if another file was opened meanwhile.
pub async fn build_messages(state: &Rc<RefCell<State>>, stream: u32) -> bool {
    let generation = state.borrow().generation;
    loop {
        let (places, file) = {
            let mut s = state.borrow_mut();
            if s.generation != generation {
                return false;
            }
            (s.service.message_frames(stream), s.file.clone())
        };
        if places.is_empty() {
            return true;
        }
        let frames = match &file {
            Some(file) => read_frames(file, &places).await,
            None => Vec::new(),
        };
        let mut s = state.borrow_mut();
        if s.generation != generation {
            return false;
        }
        s.service.give_message_frames(stream, &frames);
    }
}
