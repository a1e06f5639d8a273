-- Incident reports (SIMM 5340-A): owned by src/report/.

-- One row per report: its current content (`doc`) and lifecycle. `id` is a stable rowid for the
-- search index; `report_id` is the uuid chosen at creation and sent to the portal (its duplicate
-- protection), so it never changes.
CREATE TABLE reports (
    id                  INTEGER PRIMARY KEY,
    report_id           TEXT NOT NULL UNIQUE,
    state               TEXT NOT NULL CHECK (state IN ('draft', 'ready', 'queued', 'sent')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    -- The discovery time in UTC when the draft holds a valid one: the 60-minute clock runs from it.
    discovered_at       TEXT,
    -- Content revision: +1 for every saved change (field, row, restore, import).
    revision            INTEGER NOT NULL,
    -- First line of the description, for lists.
    title               TEXT NOT NULL DEFAULT '',
    incident_number     TEXT UNIQUE,
    -- Revision carried by the incident POST; the last revision queued (incident or supplement) and
    -- its portal content, which the next supplement is computed against; the last one confirmed.
    submitted_revision  INTEGER,
    queued_revision     INTEGER,
    queued_content      TEXT,
    sent_revision       INTEGER,
    sent_at             TEXT,
    -- The portal's last messages (422), `[{"field": "incident.description", "message": ...}]`.
    portal_messages     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(portal_messages)),
    -- The content (report::ReportDoc as JSON). Last: a list reads the columns before it without
    -- walking its overflow pages.
    doc                 TEXT NOT NULL
) STRICT;
CREATE INDEX reports_by_updated ON reports (updated_at DESC);
CREATE INDEX reports_by_state ON reports (state, discovered_at);

-- Append-only history: one row per saved change, holding the field and its new value (not a
-- snapshot per keystroke). `snapshot` holds the whole content at checkpoints (creation, restore,
-- import, and periodically) so any revision can be rebuilt by replaying a few changes.
CREATE TABLE report_revisions (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports (report_id),
    revision   INTEGER NOT NULL,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'set', 'add_row', 'remove_row', 'restore', 'imported')),
    field      TEXT,
    value      TEXT,
    snapshot   TEXT,
    UNIQUE (report_id, revision)
) STRICT;

CREATE TRIGGER report_revisions_no_update BEFORE UPDATE ON report_revisions
BEGIN
    SELECT RAISE(ABORT, 'report revisions are append-only');
END;
CREATE TRIGGER report_revisions_no_delete BEFORE DELETE ON report_revisions
BEGIN
    SELECT RAISE(ABORT, 'report revisions are append-only');
END;

-- Append-only lifecycle log: readied, back to draft, submitted, sent, supplement queued/sent,
-- returned by the portal.
CREATE TABLE report_events (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports (report_id),
    at         TEXT NOT NULL,
    event      TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    detail     TEXT
) STRICT;
CREATE INDEX report_events_by_report ON report_events (report_id, id);

CREATE TRIGGER report_events_no_update BEFORE UPDATE ON report_events
BEGIN
    SELECT RAISE(ABORT, 'report events are append-only');
END;
CREATE TRIGGER report_events_no_delete BEFORE DELETE ON report_events
BEGIN
    SELECT RAISE(ABORT, 'report events are append-only');
END;

-- Full-text search over the report's text; rowid = reports.id. Kept in sync by src/report/store.rs
-- in the same transaction as every change of `doc`.
CREATE VIRTUAL TABLE reports_fts USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
