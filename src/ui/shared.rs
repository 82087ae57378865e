//! `Shared`: data handed to components by `Rc` and compared by identity, so that a new
//! layout, not a comparison of a whole ladder, is what makes Yew draw again.

use std::ops::Deref;
use std::rc::Rc;

use crate::diagram::Ladder;

/// Data shared between components without copying it. Two handles are equal when they point
/// at the same value, so Yew re-renders only when a new file is loaded or a new layout is made,
/// never by comparing a whole capture.
pub struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

pub type SharedLadder = Shared<Ladder>;
