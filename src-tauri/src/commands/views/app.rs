//! The app family's views: the daily snapshots, a backup's summary, and what opening the database
//! found.

use chrono::{DateTime, Utc};
use desk_core::store::backup::{CopySummary, Snapshot};
use desk_core::store::protect::OpenNotice;
use serde::Serialize;
use std::path::PathBuf;

/// One daily snapshot of the database.
#[derive(Serialize)]
pub struct SnapshotView {
    path: PathBuf,
    taken_at: DateTime<Utc>,
    bytes: u64,
    empty: bool,
}

impl From<Snapshot> for SnapshotView {
    fn from(s: Snapshot) -> Self {
        SnapshotView { path: s.path, taken_at: s.taken_at, bytes: s.bytes, empty: s.empty }
    }
}

/// Where a backup went and what it holds, table by table.
#[derive(Serialize)]
pub struct CopySummaryView {
    path: PathBuf,
    schema_version: i64,
    tables: Vec<(String, i64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replaced: Option<PathBuf>,
}

impl From<CopySummary> for CopySummaryView {
    fn from(c: CopySummary) -> Self {
        CopySummaryView { path: c.path, schema_version: c.schema_version, tables: c.tables, replaced: c.replaced }
    }
}

/// Something opening the database found: encrypted in place, damaged and kept aside, restored.
#[derive(Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum OpenNoticeView {
    Encrypted,
    Damaged { kept_at: PathBuf, problems: String, snapshots: Vec<SnapshotView> },
    Restored { from: PathBuf, kept_at: Option<PathBuf> },
}

impl From<OpenNotice> for OpenNoticeView {
    fn from(n: OpenNotice) -> Self {
        match n {
            OpenNotice::Encrypted => OpenNoticeView::Encrypted,
            OpenNotice::Damaged { kept_at, problems, snapshots } => OpenNoticeView::Damaged {
                kept_at,
                problems,
                snapshots: snapshots.into_iter().map(Into::into).collect(),
            },
            OpenNotice::Restored { from, kept_at } => OpenNoticeView::Restored { from, kept_at },
        }
    }
}
