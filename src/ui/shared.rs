use std::ops::Deref;
use std::rc::Rc;

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
