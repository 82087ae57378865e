//! Drawing primitives shared by the ladder (`diagram`), the graphs (`graph`) and their exports:
//! round tick steps, XML escaping, how wide a text is, numbers in readable units, the offsets
//! of the texts written beside an arrow or a lifeline, and text boxes that keep texts apart.
//! It knows nothing of TCP, ladders or graphs: it imports no other module of the crate, so
//! `diagram` and `graph` (and the page) can both stand on it.

pub mod numbers;
pub mod offsets;
pub mod text_box;
pub mod text_width;
pub mod ticks;
pub mod xml;
