//! The `recovery` field of a connection in `analyze`'s JSON and `explain`'s story (issue #23):
//! each loss-recovery episode's facts ([`Episode`]) with the caption its ladder bracket shows.

use serde::Serialize;

use crate::connection::Connection;
use crate::diagram::episode_caption;
use crate::tcp::recovery_episodes::{Episode, EpisodeWalk};

/// One episode: its facts, and the same words as on the ladder.
#[derive(Debug, Clone, Serialize)]
pub struct EpisodeJson {
    #[serde(flatten)]
    pub episode: Episode,
    pub caption: String,
}

/// The episodes of `conn`, both senders, in the order they start.
pub fn recovery_json(conn: &Connection<'_>) -> Vec<EpisodeJson> {
    let mut walk = EpisodeWalk::default();
    for (index, p) in conn.packets().enumerate() {
        walk.add(index, &p);
    }
    episodes_json(walk.finish().1)
}

/// Episodes with their captions.
pub fn episodes_json(episodes: Vec<Episode>) -> Vec<EpisodeJson> {
    episodes.into_iter().map(|episode| EpisodeJson { caption: episode_caption(&episode), episode }).collect()
}
