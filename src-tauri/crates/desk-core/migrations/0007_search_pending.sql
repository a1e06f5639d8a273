-- Reports whose search text may have changed since `reports_fts` last indexed them. Autosave marks a
-- report here in the keystroke's transaction instead of re-indexing its whole text (most of a
-- keystroke's cost on a 50-computer report); a text search indexes the marked reports first, so
-- results are always current (src/report/store.rs: refresh_search_index).
CREATE TABLE reports_fts_pending (
    report_rowid INTEGER PRIMARY KEY
);
