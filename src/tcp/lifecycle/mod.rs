//! The life of a connection as the textbook draws it: each endpoint's RFC 9293 state with the
//! frame where it changed, the shape of the open and of the close, and Zeek's summary. Fed one
//! segment at a time, in file order, by the tracker; the shapes are read off at the end.

mod crossing;
mod evidence;
mod facts;
mod replay;
mod shapes;
mod state;
mod zeek;

pub use facts::Lifecycle;
pub use shapes::{first_copy, no_connection, CloseShape, ClosedBy, OpenShape, Shapes};
pub use evidence::{EndpointStates, Evidence, Ignored, IgnoredReason, Later, StateChange, Wire};
pub use replay::{endpoint_states, valid_path, valid_transition};
pub use state::TcpState;
