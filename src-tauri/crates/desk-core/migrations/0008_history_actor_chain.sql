-- Accountability (src/audit.rs): who wrote each history row (OS user and host; '' for rows written
-- before this migration) and the hash chain over each report's revisions, each report's events and
-- each SEN's history. The migration's Rust hook (audit::seal_existing) chains the existing rows in
-- this same transaction, then recreates the append-only UPDATE triggers dropped here.
ALTER TABLE report_revisions ADD COLUMN actor_user TEXT NOT NULL DEFAULT '';
ALTER TABLE report_revisions ADD COLUMN actor_host TEXT NOT NULL DEFAULT '';
ALTER TABLE report_revisions ADD COLUMN prev_hash TEXT;
ALTER TABLE report_revisions ADD COLUMN hash TEXT;
ALTER TABLE report_events ADD COLUMN actor_user TEXT NOT NULL DEFAULT '';
ALTER TABLE report_events ADD COLUMN actor_host TEXT NOT NULL DEFAULT '';
ALTER TABLE report_events ADD COLUMN prev_hash TEXT;
ALTER TABLE report_events ADD COLUMN hash TEXT;
ALTER TABLE sen_history ADD COLUMN actor_user TEXT NOT NULL DEFAULT '';
ALTER TABLE sen_history ADD COLUMN actor_host TEXT NOT NULL DEFAULT '';
ALTER TABLE sen_history ADD COLUMN prev_hash TEXT;
ALTER TABLE sen_history ADD COLUMN hash TEXT;

-- The chain's walk: the newest row of one record, per append.
CREATE INDEX report_revisions_chain ON report_revisions (report_id, id);

DROP TRIGGER sen_history_no_update;
DROP TRIGGER report_revisions_no_update;
DROP TRIGGER report_events_no_update;
