//! What the page shows, and how each user action and each worker reply changes it. The page
//! holds only view data (rows, a layout, one segment's detail, counts); the capture and its
//! analysis live in the worker.

use std::rc::Rc;

use yew::Reducible;

use super::shared::SharedLadder;
use crate::diagram::lesson::LessonStep;
use crate::timefmt::count;
use crate::view_link::ViewLink;
use crate::ui::components::megabytes;
use crate::diagram::LadderOptions;
use crate::listing::SortKey;
use crate::graph::{GraphData, GraphKind};
use crate::service::protocol::{CaptureSummary, FollowPage, ListPage, Progress, Reply, SegmentDetail};
use crate::service::two_points::MergeView;

/// The stream tool shown under the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    #[default]
    None,
    Graph,
    Follow,
}

/// Chunks of a followed stream shown at once.
pub const FOLLOW_PAGE: u32 = 150;

/// Which window of which list the connection list shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListParams {
    pub query: String,
    pub sort: SortKey,
    /// Smallest first (or reverse capture order).
    pub reverse: bool,
    pub from: u32,
}

#[derive(Clone, PartialEq, Default)]
pub struct AppState {
    /// The analysis worker has started (it loads its wasm after the page).
    pub worker_ready: bool,
    pub name: String,
    /// Counts the files opened, so that requests are made again for a new file.
    pub file_id: u64,
    pub loading: bool,
    pub progress: Option<Progress>,
    /// Set when reading has ended.
    pub summary: Option<CaptureSummary>,
    pub error: Option<String>,
    /// Something to say that is not an error (reading was cancelled).
    pub notice: Option<String>,
    pub list: Rc<ListPage>,
    pub list_params: ListParams,
    pub stream: Option<u32>,
    pub options: LadderOptions,
    pub ladder: Option<SharedLadder>,
    pub segment: Option<usize>,
    pub detail: Option<Rc<SegmentDetail>>,
    /// The worker's memory as last reported (it only grows), for the benchmarks.
    pub worker_memory: u64,
    /// Step-through lesson: the diagram shows the connection up to the selected segment.
    pub step_mode: bool,
    pub lesson: Option<Rc<LessonStep>>,
    /// A view to restore from the page's URL once the file it names is open.
    pub pending_link: Option<ViewLink>,
    /// A new filter or order was asked for and the worker has not answered yet.
    pub list_pending: bool,
    /// A frame to select once the layout that shows it arrives (its run was opened for it).
    pub pending_jump: Option<u64>,
    /// The ladder shown is the layout of the whole file (it arrived after reading ended): the
    /// worker has nothing left to do for it (a hook for tests and benchmarks).
    pub layout_final: bool,
    pub tool: Tool,
    pub graph_kind: GraphKind,
    /// The graph's zoom: time range and, after a box zoom, value range (None: the whole
    /// connection).
    pub graph_range: Option<crate::graph::zoom::Zoom>,
    /// The time-sequence graph's sender (None: the one that sent more).
    pub graph_from_client: Option<bool>,
    pub graph: Option<Rc<GraphData>>,
    pub follow: Option<Rc<FollowPage>>,
    /// The first chunk of the followed stream's page.
    pub follow_from: u32,
    /// The last search: its text and the chunk it found (None: not found).
    pub follow_found: Option<(String, Option<u32>)>,
    /// Two captures opened together: their merge as the worker last showed it, and what the
    /// page asks of it now (issue #26).
    pub merge: Option<Rc<MergeView>>,
    pub merge_ask: MergeAsk,
}

/// Which pair of two merged captures, from which row, with which offset set by hand.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MergeAsk {
    pub pair: usize,
    pub offset_ns: Option<i64>,
    pub first_row: usize,
    pub hide_addresses: bool,
}

pub enum Action {
    /// The user chose a file with this name; the worker has it.
    Open(String),
    /// The user chose two files (A, B) to merge; the worker has them.
    OpenTwo([String; 2]),
    /// Another pair, offset or window of rows of the merged captures.
    MergeAsk(MergeAsk),
    Reply(Reply),
    /// The worker itself failed.
    WorkerFailed(String),
    SelectStream(u32),
    SelectSegment(Option<usize>),
    Options(LadderOptions),
    List(ListParams),
    /// Step mode on or off (on: starts at the first segment).
    StepMode(bool),
    /// Select the segment of this frame in the shown connection (opening its collapsed run).
    JumpToFrame(u64),
    /// The page was opened with a link to a view: restore it once a file is open.
    RestoreLink(ViewLink),
    /// Something to tell the user that is not an error.
    Notice(String),
    Tool(Tool),
    GraphKind(GraphKind),
    GraphRange(Option<crate::graph::zoom::Zoom>),
    GraphDirection(Option<bool>),
    /// Show the followed stream's page starting at this chunk.
    FollowFrom(u32),
}

impl AppState {
    /// A file has been chosen and some of it is known.
    pub fn has_file(&self) -> bool {
        self.loading || self.summary.is_some() || self.merge.is_some()
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Open(name) => {
                next = AppState {
                    name,
                    file_id: self.file_id + 1,
                    loading: true,
                    worker_ready: self.worker_ready,
                    pending_link: self.pending_link.clone(),
                    ..AppState::default()
                };
            }
            Action::OpenTwo([a, b]) => {
                next = AppState {
                    name: format!("{a} + {b}"),
                    file_id: self.file_id + 1,
                    loading: true,
                    worker_ready: self.worker_ready,
                    pending_link: self.pending_link.clone(),
                    ..AppState::default()
                };
            }
            Action::MergeAsk(ask) => next.merge_ask = ask,
            Action::WorkerFailed(message) => {
                // Before a file is chosen there is nothing to tell; the next open will say it.
                // With a file open, what the worker held is gone: back to the start, saying why
                // (a new worker is starting; it says Ready again).
                if self.has_file() {
                    next = AppState { file_id: self.file_id + 1, error: Some(message), ..AppState::default() };
                }
            }
            // Choosing the connection already shown changes nothing (its layout stays).
            Action::SelectStream(stream) if self.stream == Some(stream) => return self,
            Action::SelectStream(stream) => {
                next.stream = Some(stream);
                next.layout_final = false;
                next.segment = None;
                next.detail = None;
                next.ladder = None;
                next.lesson = None;
                if self.step_mode {
                    next.segment = Some(0);
                }
                // Opened runs belong to the previous connection.
                next.options.expanded.clear();
                next.graph = None;
                next.graph_range = None;
                next.graph_from_client = None;
                next.follow = None;
                next.follow_from = 0;
                next.follow_found = None;
            }
            Action::SelectSegment(segment) => {
                next.segment = segment;
                // Another segment's detail is never shown under this one's selection (the
                // worker's answer for the new one is on its way).
                if segment != self.segment {
                    next.detail = None;
                }
            }
            Action::Options(options) => {
                next.options = options;
                next.layout_final = false;
            }
            Action::Tool(tool) => next.tool = tool,
            Action::GraphKind(kind) => {
                next.graph_kind = kind;
                next.graph = None;
                // Another graph's values are in another unit: keep the time window only.
                next.graph_range = self.graph_range.map(|z| crate::graph::zoom::Zoom { y: None, ..z });
            }
            Action::GraphRange(range) => next.graph_range = range,
            Action::GraphDirection(from_client) => {
                next.graph_from_client = from_client;
                next.graph_range = None;
            }
            Action::FollowFrom(from) => next.follow_from = from,
            Action::RestoreLink(link) => next.pending_link = Some(link),
            Action::Notice(text) => next.notice = Some(text),
            Action::JumpToFrame(frame) => {
                next.notice = None;
                let Some(ladder) = &self.ladder else { return self };
                if let Some(a) = ladder.arrows.iter().find(|a| a.frame == frame) {
                    next.segment = Some(a.index);
                } else if let Some(g) = ladder.groups.iter().find(|g| (g.first_frame..=g.last_frame).contains(&frame)) {
                    next.options.expanded.insert(g.id);
                    next.pending_jump = Some(frame);
                } else {
                    let (first, last) = (ladder.arrows.first().map_or(0, |a| a.frame), ladder.arrows.last().map_or(0, |a| a.frame));
                    next.notice = Some(format!("Frame {frame} is not a segment of this connection (its frames run from {first} to {last})."));
                }
            }
            Action::StepMode(on) => {
                next.step_mode = on;
                next.lesson = None;
                if on {
                    next.segment = Some(self.segment.unwrap_or(0));
                }
            }
            Action::List(params) => {
                next.list_pending = params.query != self.list_params.query || params.sort != self.list_params.sort || params.reverse != self.list_params.reverse;
                next.list_params = params;
            }
            Action::Reply(reply) => return self.apply(reply),
        }
        Rc::new(next)
    }
}

impl AppState {
    fn apply(self: Rc<Self>, reply: Reply) -> Rc<Self> {
        let mut next = (*self).clone();
        match reply {
            Reply::Ready => next.worker_ready = true,
            Reply::Progress(progress) if self.loading => {
                next.worker_memory = next.worker_memory.max(progress.memory_bytes);
                next.progress = Some(progress);
            }
            Reply::Progress(_) => return self,
            Reply::Done(summary) => {
                next.loading = false;
                next.layout_final = false;
                next.progress = Some(summary.progress.clone());
                // A cancel is what the user asked for: said plainly, not as an error.
                if summary.cancelled {
                    let p = &summary.progress;
                    next.notice = Some(format!(
                        "Reading stopped where you cancelled it, after {} of {}; the {} read are shown.",
                        megabytes(p.bytes_read),
                        megabytes(p.total_bytes),
                        count(summary.frames, "frame", "frames")
                    ));
                } else {
                    next.error = summary.damage.clone();
                }
                next.summary = Some(summary);
            }
            Reply::Merged(view) => {
                next.loading = false;
                // A link's pair and offset, once the two files it names are merged.
                if let Some(link) = self.pending_link.clone() {
                    let pair = link.stream.and_then(|s| view.pairs.iter().position(|p| p.stream_a == s)).unwrap_or(0);
                    next.merge_ask = MergeAsk { pair, offset_ns: link.offset_ns, first_row: 0, hide_addresses: link.hide_addresses };
                    next.pending_link = None;
                }
                next.merge = Some(Rc::new(view));
            }
            Reply::Failed { message } => {
                next.merge = None;
                next.loading = false;
                next.error = Some(message);
                next.summary = None;
                next.list = Rc::default();
                next.stream = None;
                next.ladder = None;
            }
            Reply::List(page) => {
                if page.query != self.list_params.query || page.sort != self.list_params.sort || page.reverse != self.list_params.reverse {
                    return self; // An answer to an older question.
                }
                next.list_pending = false;
                // (Nothing matching keeps the diagram being read on screen: the filter chooses
                // rows, not what is being read — #24.)
                // A linked view, once its connection has been read; else the first connection, so
                // that a diagram shows at once.
                if let Some(link) = self.pending_link.clone().filter(|l| l.stream.is_some_and(|s| s < page.total)) {
                    next.stream = link.stream;
                    next.options.absolute = link.absolute;
                    next.options.by_time = link.by_time;
                    next.options.timing = link.timing;
                    next.options.window = link.timing.then_some((0, 12_000));
                    next.options.expand_all = link.expand_all;
                    next.options.hide_addresses = link.hide_addresses;
                    next.options.names = link.names.clone();
                    next.step_mode = link.step;
                    next.pending_jump = link.frame;
                    next.pending_link = None;
                } else {
                    if self.stream.is_none() && page.from == 0 {
                        next.stream = page.rows.first().map(|r| r.stream);
                    }
                    // The whole file is read and the link names no connection of it.
                    if !self.loading {
                        next.pending_link = None;
                    }
                }
                next.list = Rc::new(page);
            }
            Reply::Layout { stream, options, ladder, memory_bytes } => {
                if Some(stream) != self.stream || options != self.options {
                    return self;
                }
                next.ladder = ladder.map(SharedLadder::new);
                next.layout_final = !self.loading;
                if let (Some(frame), Some(l)) = (self.pending_jump, &next.ladder) {
                    if let Some(a) = l.arrows.iter().find(|a| a.frame == frame) {
                        next.segment = Some(a.index);
                        next.pending_jump = None;
                    } else if let Some(g) = l.groups.iter().find(|g| (g.first_frame..=g.last_frame).contains(&frame)) {
                        // In a collapsed run: open it; the next layout has the arrow.
                        next.options.expanded.insert(g.id);
                    } else {
                        next.pending_jump = None;
                    }
                }
                next.worker_memory = next.worker_memory.max(memory_bytes);
            }
            Reply::Lesson { stream, index, step } => {
                if Some(stream) != self.stream || Some(index) != self.segment || !self.step_mode {
                    return self;
                }
                next.lesson = step.map(Rc::new);
            }
            Reply::Graph { request, data } => {
                let wanted = Some(request.stream) == self.stream && request.kind == self.graph_kind && same_window(request.range, self.graph_range.map(|z| z.t)) && same_window(request.y_range, self.graph_range.and_then(|z| z.y)) && request.from_client == self.graph_from_client;
                if !wanted {
                    return self;
                }
                next.graph = data.map(Rc::new);
            }
            Reply::Follow(page) => {
                if Some(page.stream) != self.stream {
                    return self;
                }
                next.follow = Some(Rc::new(page));
            }
            Reply::FollowFound { stream, text, chunk } => {
                if Some(stream) != self.stream {
                    return self;
                }
                if let Some(c) = chunk {
                    next.follow_from = c - c % FOLLOW_PAGE;
                }
                next.follow_found = Some((text, chunk));
            }
            Reply::Detail { stream, index, detail } => {
                if Some(stream) != self.stream || Some(index) != self.segment {
                    return self;
                }
                next.detail = detail.map(Rc::new);
            }
        }
        Rc::new(next)
    }
}

/// The same zoom window, after a trip through the worker: JSON may give a float back a unit in
/// its last place away (serde_json without `float_roundtrip`), which must not drop the answer.
fn same_window(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-9);
    match (a, b) {
        (Some(a), Some(b)) => close(a.0, b.0) && close(a.1, b.1),
        (None, None) => true,
        _ => false,
    }
}
