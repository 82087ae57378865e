use std::ops::Deref;
use std::rc::Rc;

use crate::diagram::Ladder;
use crate::session::Session;

/// A session shared between components without copying it; two handles are equal when they
/// point at the same analysis (so Yew re-renders only when a new file is loaded).
#[derive(Clone)]
pub struct SharedSession(pub Rc<Session>);

impl PartialEq for SharedSession {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for SharedSession {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.0
    }
}

/// The bytes of the file as read (frame offsets refer to them, or to the session's inflated
/// copy of a gzip file).
#[derive(Clone)]
pub struct SharedBytes(pub Rc<Vec<u8>>);

impl PartialEq for SharedBytes {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A laid-out diagram shared by the view, the side panel and the export bar.
#[derive(Clone)]
pub struct SharedLadder(pub Rc<Ladder>);

impl PartialEq for SharedLadder {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for SharedLadder {
    type Target = Ladder;
    fn deref(&self) -> &Ladder {
        &self.0
    }
}
