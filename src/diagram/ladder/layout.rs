//! `layout`: the ladder of one connection, from its segments, states and shapes: rows (or the
//! timing view's geometry), collapsed runs, state labels, gap marks, arrows with their labels
//! and tags, phase brackets with their captions, rulers.

use crate::connection::Connection;
use crate::messages::{run_words, MessageMarks};
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::lifecycle::{OpenShape, TcpState, Wire};
use crate::tcp::byte_counts;

use super::super::captions::{close_caption, close_title, data_caption, open_caption, open_title, state_reason, CaptionFacts};
use super::super::half_close::{close_after_half_close, data_caption_pointing_to, half_close, half_close_caption, half_close_title};
use super::super::{label::{analysis_tags, segment_label, spoken_label}, segment_copies::tag_ack_copy, teacher_notes::with_time_wait, wrap::wrap_text};
use crate::draw::text_box::{Anchor, Placed, TextBox};
use super::episodes::{episode_brackets, retag};
use super::{resent::is_resent, timing_header::time_headings, timing_labels::timing_spots};
use super::model::{Arrow, ArrowKind, Gap, Ladder, LadderOptions, Lifeline, Phase, StateLabel};
use super::label_breaks::{label_breaks, label_lines, line_breaks};
use super::rows::{collapsed_runs, groups, row_geometry};
use super::congestion_band::congestion_bands;
use super::seg::Seg;
use super::text::hover_detail;
use super::ticks::{time_ticks, timing_ticks};
use super::timing::timing_geometry;
use super::{Columns, APP_PHASE_INSET, BOTTOM, PHASE_COLUMN_CHARS, PHASE_TITLE_CHARS, PHASE_X, SLOPE, TOP};

/// Arrows with messages kept out of collapsed runs, at most (see `layout_with_messages`).
const KEEP_MESSAGES_MAX: usize = 120;

/// Lays out the connection `conn`.
pub fn layout(conn: &Connection<'_>, options: &LadderOptions) -> Ladder {
    layout_with_messages(conn, options, &MessageMarks::default())
}

/// Lays out the connection `conn`, each arrow that completes an application message labelled
/// with its words before the TCP numbers (`messages`: per segment index, from
/// `messages::arrow_labels`, which also titles a collapsed run inside a message; left off with
/// `hide_messages`).
pub fn layout_with_messages(conn: &Connection<'_>, options: &LadderOptions, marks: &MessageMarks) -> Ladder {
    let messages = &marks.labels;
    let label_of = |i: usize, p: &crate::tcp::TcpPacket| match messages.get(&i).filter(|_| !options.hide_messages) {
        Some(words) => format!("{words} · {}", segment_label(p, options.absolute)),
        None => segment_label(p, options.absolute),
    };
    let s = conn.stream();
    // Exactly as many as the connection has: collecting a filtered iterator doubles the
    // vector as it grows, and the wasm heap keeps its peak (1.5–2× this, millions of segments).
    let mut segs: Vec<Seg> = Vec::with_capacity(conn.len());
    segs.extend(conn.packets().map(|p| Seg::of(&p)));
    let packets = &segs;
    // A connection's frames rise, so a frame is found by bisection (no map of millions).
    let index_of = |frame: u64| packets.binary_search_by_key(&frame, |p| p.frame).ok();
    let lifecycle = &s.lifecycle;
    let shapes = super::super::segment_copies::open_with_copies(lifecycle.shapes(), conn);
    // One walk of the resends and episodes: the timing view's tags, the brackets and their
    // tags, the data caption's copies captured twice, and a repair the FIN left before.
    let (found, episodes) = {
        let mut walk = crate::tcp::recovery_episodes::EpisodeWalk::default();
        conn.packets().enumerate().for_each(|(i, p)| walk.add(i, &p));
        walk.finish()
    };
    // A FIN sent before the data it follows was all acknowledged: the close goes on from the
    // ACK of it all (R8a-15).
    let repair = super::super::close_after_repair::of_connection(conn, &shapes, &found.resends);
    // Data transfer: everything between the open and the close (none if it never opened).
    let never_opened = matches!(shapes.open, OpenShape::Refused | OpenShape::Unanswered);
    // A SYN or SYN-ACK whose handshake was not recognised (its SYN not captured) opens no data
    // transfer, and a stretch without a payload byte is not one (R2 F15).
    let data_span = {
        let first = packets.iter().find(|p| shapes.open_frames.is_none_or(|(_, end)| p.frame > end) && !p.flags.syn());
        // (A lone FIN at the end starts its own phase, as a close does.)
        let close_start = repair.map(|r| r.close_from).or(shapes.close_frames.map(|(start, _)| start)).or(super::super::half_close::lone_fin(shapes.close, shapes.fins).map(|(_, (fin, _))| fin));
        let last = packets.iter().rev().find(|p| close_start.is_none_or(|start| p.frame < start));
        let carries_data = |(a, b): &(u64, u64)| packets.iter().any(|p| (*a..=*b).contains(&p.frame) && p.payload_len > 0);
        first.zip(last).map(|(a, b)| (a.frame, b.frame)).filter(|(a, b)| a <= b && !never_opened).filter(carries_data)
    };
    // The timing view shows every segment: the window in flight is what it is for.
    let collapse_options = LadderOptions { expand_all: options.expand_all || options.timing, ..options.clone() };
    // An arrow that begins or completes an application message is not folded into a run,
    // unless there are so many that runs would fold nothing (a thousand exchanges on one
    // connection): then runs fold as without messages, each titled by the messages it holds.
    let keep: std::collections::BTreeSet<usize> = if options.hide_messages || marks.labels.len() > KEEP_MESSAGES_MAX { Default::default() } else { marks.labels.keys().copied().chain(marks.starts.iter().copied()).collect() };
    let hidden = collapsed_runs(packets, data_span, &collapse_options, &keep);
    // Each endpoint's states from the evidence; a SYN, FIN or RST received only after its
    // receiver sent a later segment is drawn crossing that segment.
    let evidence = conn.states();

    let cols = Columns::of(options);
    let (client_x, server_x) = (cols.client_x, cols.server_x);
    // Narrow lanes: a label may take more lines, each with its room above its row.
    let label_room = server_x - client_x - 12.0;
    let label_lines = label_lines(conn, options, cols.side_columns, &messages.keys().copied().collect::<Vec<_>>(), &label_of, label_room);
    let (mut geometry, run_ends) = if options.timing { (timing_geometry(packets, (conn.stream().client.addr, conn.stream().server.addr)), Vec::new()) } else { row_geometry(packets, &hidden, options.by_time, &label_lines) };
    if !options.timing {
        // Crossing segments: the head goes below the receiver's own later segment.
        for &(frame, after) in &evidence.late_arrivals {
            if let (Some(i), Some(j)) = (index_of(frame), index_of(after)) {
                geometry.head[i] = geometry.head[i].max(geometry.tail[j] + SLOPE * 0.6);
            }
        }
    }
    // The timing view: arrows that left together moved apart, and every label placed.
    let mut middle = Placed::default();
    let spots = options.timing.then(|| timing_spots(conn, &episodes, packets, &mut geometry, options, &mut middle));
    let rows = &geometry.tail;

    let mut groups = groups(packets, &hidden, rows, &run_ends);
    if !options.hide_messages {
        for g in &mut groups {
            if let Some(words) = run_words(marks, g.id, g.id + g.segments - 1) {
                g.text = format!("{} · {words}", g.text);
            }
        }
    }

    let in_window = |i: usize| {
        options.window.is_none_or(|(lo, hi)| {
            let (a, b) = (geometry.tail[i].min(geometry.head[i]), geometry.tail[i].max(geometry.head[i]));
            b >= lo as f32 && a <= hi as f32
        })
    };
    // Texts already placed: labels and tags between the lifelines, and each lifeline's outer
    // side (states, gap marks; on the left also the capture times and the ruler). States are
    // placed first and never left out; gap marks next; times and ruler marks only where free.
    let mut sides = [Placed::default(), Placed::default()];
    // A run's summary is wide: where it reaches over the left side, nothing else goes.
    for g in &groups {
        for (line, y) in g.text_lines(cols.width) {
            let b = TextBox::new(line, (client_x + server_x) / 2.0, y, 11.0, Anchor::Middle);
            if b.x0 < client_x {
                sides[0].take(b);
            }
            if b.x1 > server_x {
                sides[1].take(b);
            }
        }
    }
    let mut states: Vec<StateLabel> = Vec::new();
    let refusal = shapes.refused_then_retried.map(|(rst, _)| rst).or(shapes.rst.filter(|_| shapes.open == crate::tcp::lifecycle::OpenShape::Refused).map(|(rst, _)| rst));
    for client in [true, false] {
        let column = &mut sides[usize::from(!client)];
        for change in evidence.side(client) {
            let (Some(i), Some(at)) = (index_of(change.cause), index_of(change.frame)) else { continue };
            // At the tail of the arrow this side sent; else where the cause arrives (after the
            // side's own segment `frame` when it arrived later than that). Never over another
            // state of the same side.
            let y = if change.state == TcpState::Listen {
                geometry.tail[i] - 2.0
            } else if change.by_sending() {
                geometry.tail[i] + 13.0
            } else {
                // After the side's own later segment: just below its tail (the timing view's
                // geometry already has the arrival in time order).
                let after_own = match (at == i, options.timing) {
                    (true, _) => f32::MIN,
                    (false, true) => geometry.tail[at] + 1.0,
                    (false, false) => geometry.tail[at] + SLOPE * 0.6,
                };
                geometry.head[i].max(after_own) + 13.0
            };
            let x = if client { client_x - 8.0 } else { server_x + 8.0 };
            let label = if change.inferred() { format!("{}?", change.state.rfc_name()) } else { change.state.rfc_name().to_string() };
            let y = y + column.push_down(TextBox::new(&label, x, y, 11.0, if client { Anchor::End } else { Anchor::Start }));
            states.push(StateLabel {
                client,
                state: change.state.rfc_name(),
                frame: change.frame,
                cause: change.cause,
                inferred: change.inferred(),
                why: state_reason(change, client, refusal, conn.wires()),
                x,
                y,
                anchor_end: client,
            });
        }
    }

    let mut gaps = Vec::new();
    for i in (0..packets.len()).filter(|i| hidden[*i].is_none() && in_window(*i) && packets[*i].analysis.has(AnalysisFlags::LOST_SEGMENT)) {
        let p = &packets[i];
        let side = usize::from(!p.from_client);
        let x1 = if p.from_client { client_x } else { server_x };
        let anchor = if p.from_client { Anchor::End } else { Anchor::Start };
        let (x, y) = (if p.from_client { x1 - 8.0 } else { x1 + 8.0 }, geometry.tail[i] - if options.timing { 4.0 } else { 17.0 });
        let moved = sides[side].push_down(TextBox::new(super::model::gap_text(cols.width), x, y, 11.0, anchor));
        gaps.push(Gap { frame: p.frame, x: x1, y: y + moved });
    }
    let mut max_slant = 0.0f32;
    let arrows: Vec<Arrow> = (0..packets.len())
        .filter(|i| hidden[*i].is_none() && in_window(*i))
        .filter_map(|i| conn.packet(i).map(|p| (i, p)))
        .map(|(i, p)| {
            let p = &p;
            let (y1, y2, yc) = (geometry.tail[i], geometry.head[i], geometry.cross[i]);
            max_slant = max_slant.max((yc - y1).abs()).max((y2 - yc).abs());
            let (x1, x2) = if p.from_client { (client_x, server_x) } else { (server_x, client_x) };
            let mut tags = analysis_tags(p);
            tag_ack_copy(&mut tags, i, p, conn);
            let label = label_of(i, p);
            let tag_text = (!tags.is_empty()).then(|| format!("[{}]", tags.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("] [")));
            // The even view writes the label above the arrow's start and the tags below its
            // head. The timing view writes them above the arrow, at its middle or, where that is
            // taken, a quarter from either end; if none is free the label is left out (the
            // tooltip has it).
            let placed = spots.as_ref().and_then(|s| s[i]);
            let (label_x, label_y, tag_y, show_label) = if let Some((x, y)) = placed {
                (x, y, y + 13.0, true)
            } else if options.timing {
                let spot = [0.5f32, 0.28, 0.72].into_iter().find_map(|f| {
                    let (x, y) = (x1 + (x2 - x1) * f, y1 + (y2 - y1) * f - 6.0);
                    let boxes = [Some(TextBox::new(&label, x, y, 12.0, Anchor::Middle)), tag_text.as_ref().map(|t| TextBox::new(t, x, y + 13.0, 11.0, Anchor::Middle))];
                    // Between the lifelines (beyond them are the states), and free.
                    let between = boxes.iter().flatten().all(|b| b.x0 > client_x + 4.0 && b.x1 < server_x - 4.0);
                    (between && boxes.iter().flatten().all(|b| middle.free(b))).then(|| {
                        boxes.into_iter().flatten().for_each(|b| middle.take(b));
                        (x, y)
                    })
                });
                match spot {
                    Some((x, y)) => (x, y, y + 13.0, true),
                    None => ((client_x + server_x) / 2.0, (y1 + y2) / 2.0 - 6.0, (y1 + y2) / 2.0 + 7.0, false),
                }
            } else {
                // The label above the arrow's start; the tags just under the arrow's middle, so
                // they belong to it (a crossing arrow's head reaches into later rows: its tags
                // stay under where its middle would be without crossing, in its own row).
                ((client_x + server_x) / 2.0, y1 - 5.0, y1 + SLOPE / 2.0 + 14.0, true)
            };
            let label_breaks = if cols.side_columns && label_lines.get(i).is_none_or(|&n| n <= 1) { Vec::new() } else { label_breaks(&label, label_room) };
            let time = format!("{:.6}", p.time_ns as f64 / 1e9);
            let time_box = TextBox::new(&time, 8.0, yc + 4.0, 11.0, Anchor::Start);
            let show_time = cols.side_columns && sides[0].free(&time_box);
            if show_time {
                sides[0].take(time_box);
            }
            Arrow {
                frame: p.frame,
                index: i,
                from_client: p.from_client,
                x1,
                y1,
                x2,
                y2,
                yc,
                show_label,
                label,
                label_breaks,
                tag_breaks: Vec::new(),
                label_x,
                label_y,
                tag_y,
                detail: hover_detail(p),
                spoken: match messages.get(&i).filter(|_| !options.hide_messages) {
                    Some(words) => format!("{words}. {}", spoken_label(p, options.absolute, &tags)),
                    None => spoken_label(p, options.absolute, &tags),
                },
                tags,
                time,
                show_time,
                kind: ArrowKind::of(p),
                resent: false,
            }
        })
        .collect();

    let (mut phases, mut text_bottom) = (Vec::new(), f32::MIN);
    let app_texts = if options.hide_messages { Vec::new() } else { super::app_phases::app_phase_texts(conn, marks) };
    let has_app = !app_texts.is_empty();
    let mut push_phase = |kind: &'static str, title: String, caption: String, a: u64, b: u64| {
        if let (Some(i), Some(j)) = (index_of(a), index_of(b)) {
            // The application's phases are brackets inside the data transfer's, inset (its text too).
            let (x, inset, text_inset) = match kind { "app" => (PHASE_X + APP_PHASE_INSET, 2, 0.0), "data" if has_app => (PHASE_X, 2, APP_PHASE_INSET), _ => (PHASE_X, 0, 0.0) };
            let (caption_lines, title_lines) = (wrap_text(&caption, PHASE_COLUMN_CHARS - inset), wrap_text(&title, PHASE_TITLE_CHARS - inset));
            let y1 = geometry.tail[i].min(geometry.head[i]) - 14.0;
            let y2 = geometry.head[j].max(geometry.tail[j]) + 4.0;
            // A long caption pushes the next phase's text down, never over it.
            let text_y = (y1 + 12.0).max(text_bottom + 16.0);
            let phase = Phase { kind, title, caption, first_frame: a, last_frame: b, x, text_inset, y1, y2, text_y, title_lines, caption_lines };
            text_bottom = phase.text_bottom();
            phases.push(phase);
        }
    };
    let mut facts = caption_facts(packets, conn.wires(), shapes, data_span);
    facts.bytes = facts.bytes.with_captured_twice(&found.resends).with_probe_copies(crate::tcp::copies::probe_copy_bytes(conn.packets()));
    (facts.fast_open, facts.unanswered) = (super::super::fast_open::fast_open(conn), (shapes.open == OpenShape::Unanswered).then(|| super::super::unanswered_syn::unanswered_syn(conn)).flatten());
    facts.flags_cut = conn.packets().filter(|p| !p.flags_captured()).count();
    facts.reached = [true, false].map(|client| evidence.side(client).iter().map(|c| c.state).collect());
    if let Some((a, b)) = shapes.open_frames {
        push_phase(shapes.open.id(), open_title(shapes.open, shapes.syn_retries, shapes.handshake_completed, &facts.syn_gaps_s), open_caption(&facts), a, b);
    }
    // One side kept sending after the other's FIN: that stretch is a phase of its own.
    let fins = shapes.fins.map(|f| f.map(|(frame, _)| frame));
    let half = half_close(packets.iter().map(|p| (p.frame, p.from_client, p.payload_len, p.flags.fin())), shapes.close, shapes.close_frames, fins);
    if let Some((first, last)) = data_span {
        // The half-close's phase counts the bytes sent after the FIN; the data caption then
        // points there instead of giving a second count of its own (R2 F17).
        let caption = match half.filter(|h| h.other_fin.is_some()) {
            Some(h) => {
                let mut facts = facts.clone();
                facts.bytes.after_peer_fin[usize::from(h.by_client)] = 0;
                data_caption_pointing_to(data_caption(&facts), &h)
            }
            None => data_caption(&facts),
        };
        push_phase("data", "Data transfer".to_string(), caption, first, last);
        app_texts.into_iter().for_each(|(title, caption, a, b)| push_phase("app", title, caption, a, b));
    }
    if let (Some(close), Some((a, b))) = (shapes.close, shapes.close_frames) {
        // A FIN sent again or an RST after the close's own segments belongs to it (a server's
        // FIN after the client's RST, zeek_tls_irc-starttls 19–20), as does the probe an RST
        // answers where no connection existed (ndpi_tcp_scan's FIN probes).
        let b = packets.iter().rev().find(|p| p.flags.fin() || p.flags.rst()).map_or(b, |p| p.frame.max(b));
        let a = if close == crate::tcp::lifecycle::CloseShape::Reset && facts.no_connection { packets.first().map_or(a, |p| p.frame.min(a)) } else { a };
        match half.and_then(|h| h.other_fin.map(|fin| (h, fin))) {
            Some((h, other_fin)) => {
                push_phase("half_close", half_close_title(&h), half_close_caption(&h), h.fin_frame, h.last_frame);
                let last_ack = shapes.fins[usize::from(h.by_client)].is_some_and(|(_, ack)| ack.is_some());
                push_phase(close.id(), close_title(close).to_string(), with_time_wait(close_after_half_close(&h, last_ack), &facts.reached), other_fin, b);
            }
            None => {
                let note = repair.map(|r| super::super::close_after_repair::repair_note(&r));
                let a = repair.map_or(a, |r| r.close_from);
                push_phase(close.id(), close_title(close).to_string(), close_caption(&facts) + note.as_deref().unwrap_or(""), a, b);
            }
        }
    }
    if let Some((title, caption, fin)) = super::super::half_close::half_closed_at_end(shapes.close, shapes.fins) {
        push_phase("half_close", title, caption, fin, packets.last().map_or(fin, |p| p.frame));
    }

    let rows_of = |frame: u64| index_of(frame).map(|i| (geometry.tail[i].min(geometry.head[i]), geometry.head[i].max(geometry.tail[i])));
    let (episodes, resend_tags) = episode_brackets(&episodes, rows_of, &phases);
    let mut arrows = arrows;
    for (frame, tag) in resend_tags {
        // Arrows rise by frame.
        if let Ok(i) = arrows.binary_search_by_key(&frame, |a| a.frame) {
            retag(&mut arrows[i].tags, tag);
        }
    }
    for a in &mut arrows {
        a.resent = is_resent(&a.tags);
        if !cols.side_columns {
            a.tag_breaks = a.tag_text().map(|t| line_breaks(&t, 11.0, label_room)).unwrap_or_default();
        }
    }
    let text_bottom = episodes.iter().map(|e| e.caption_y(e.caption_lines.len())).fold(text_bottom, f32::max);
    let ticks = match geometry.axis() {
        Some(axis) => timing_ticks(packets, axis, &mut sides[0]),
        None if options.by_time => time_ticks(packets, rows, &mut sides[0], &arrows, &groups, cols),
        None => Vec::new(),
    };
    let bottom = geometry.head.iter().chain(geometry.tail.iter()).fold(TOP, |m, y| m.max(*y));
    let height = [bottom + BOTTOM, text_bottom + 20.0]
        .into_iter()
        .chain(states.iter().map(|s| s.y + 20.0))
        .fold(TOP + BOTTOM, f32::max);
    let congestion_bands = if cols.side_columns { congestion_bands(&walk_congestion(conn), packets, &geometry) } else { Vec::new() };
    let (mut phases, mut episodes) = (phases, episodes);
    if !cols.side_columns {
        // No phase column: their words are listed below the diagram; nothing drawn here.
        phases.iter_mut().for_each(|p| (p.x, p.title_lines, p.caption_lines) = (cols.width, Vec::new(), Vec::new()));
        episodes.iter_mut().for_each(|e| (e.x, e.caption_lines) = (cols.width, Vec::new()));
    }
    let message_brackets = if options.hide_messages { Vec::new() } else { super::message_brackets::message_brackets(marks, packets, &geometry.tail, (client_x, server_x)) };
    let capture = geometry.timing.map(|(line, _)| line);
    let (split, line) = crate::diagram::time_line(conn);
    let height = height + super::model::time_line_room(&line, cols.width);
    let (time_line, time_bar) = (Some(line), Some(crate::diagram::time_bar(&split)));
    let (client_name, server_name) = (options.endpoint_name(true, &s.client.to_string()), options.endpoint_name(false, &s.server.to_string()));
    Ladder {
        width: cols.width,
        height,
        title: format!("TCP connection #{}: {client_name} → {server_name}", conn.index()),
        client: Lifeline::new(client_x, "client", client_name, cols.width, server_x - client_x),
        server: Lifeline::new(server_x, "server", server_name, cols.width, server_x - client_x),
        arrows,
        groups,
        phases,
        episodes,
        message_brackets,
        congestion_bands,
        states,
        gaps,
        ticks,
        capture,
        max_slant,
        window: options.window,
        time_line,
        time_bar,
        headings: if options.timing { time_headings() } else { Vec::new() },
    }
}

/// The numbers of the captions, from the same computations as `analyze`.
fn caption_facts(packets: &[Seg], wires: &[Wire], shapes: crate::tcp::lifecycle::Shapes, data_span: Option<(u64, u64)>) -> CaptionFacts {
    let syn_times: Vec<i64> = packets.iter().filter(|p| p.from_client && p.flags.syn() && !p.flags.ack()).map(|p| p.time_ns).collect();
    CaptionFacts {
        shapes: Some(shapes),
        bytes: byte_counts(wires),
        syn_gaps_s: syn_times.windows(2).map(|w| (w[1] - w[0]) as f64 / 1e9).collect(),
        data_segments: data_span.map_or(0, |(a, b)| packets.iter().filter(|p| p.frame >= a && p.frame <= b).count()),
        carrying_data: data_span.map_or(0, |(a, b)| packets.iter().filter(|p| p.frame >= a && p.frame <= b && p.payload_len > 0).count()),
        reached: Default::default(),
        rst: shapes.rst.and_then(|(frame, _)| super::super::rst_facts::rst_facts(wires, frame)),
        fast_open: None,
        delivered_unseen: super::super::capture_limits::delivered_unseen(wires),
        no_connection: shapes.rst.is_some_and(|(rst, _)| crate::tcp::lifecycle::no_connection(wires, rst)),
        flags_cut: 0,
        unanswered: None,
    }
}

/// The connection's congestion rounds, a segment at a time.
fn walk_congestion(conn: &Connection<'_>) -> crate::tcp::congestion::Congestion {
    let mut walk = crate::tcp::congestion::CongestionWalk::default();
    for (i, p) in conn.packets().enumerate() {
        walk.add(i, &p);
    }
    walk.finish()
}
