-- Security Event Notifications (SIMM 5335-A): owned by src/sen/.
-- Times are RFC 3339 UTC text. Response state (acknowledgement, determination, link) is local:
-- the portal feed never overwrites it.
CREATE TABLE sens (
    sen_number        TEXT PRIMARY KEY NOT NULL,
    level             TEXT NOT NULL,
    sent_at           TEXT NOT NULL,
    summary           TEXT NOT NULL DEFAULT '',
    -- new | acknowledged | more_time | confirmed | closed
    status            TEXT NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'acknowledged', 'more_time', 'confirmed', 'closed')),
    source            TEXT NOT NULL CHECK (source IN ('email', 'portal', 'manual', 'paste')),
    -- The status string the portal last reported, as is.
    portal_status     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    acknowledged_at   TEXT,
    ack_format        TEXT,
    ack_text          TEXT,
    determined_at     TEXT,
    outcome           TEXT CHECK (outcome IS NULL OR outcome IN ('confirmed_incident', 'false_positive', 'more_time')),
    details           TEXT,
    findings_by       TEXT,
    linked_report_id  TEXT,
    linked_at         TEXT,
    closed_at         TEXT
) STRICT;
CREATE INDEX sens_open ON sens (status, sent_at);

-- Every transition of every SEN, append-only: the audit trail of who answered what and when.
CREATE TABLE sen_history (
    id          INTEGER PRIMARY KEY,
    sen_number  TEXT NOT NULL REFERENCES sens (sen_number),
    -- created | portal_update | acknowledged | determined | linked
    event       TEXT NOT NULL,
    at          TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX sen_history_by_sen ON sen_history (sen_number, id);

CREATE TRIGGER sen_history_no_update BEFORE UPDATE ON sen_history
BEGIN
    SELECT RAISE(ABORT, 'sen_history is append-only');
END;

CREATE TRIGGER sen_history_no_delete BEFORE DELETE ON sen_history
BEGIN
    SELECT RAISE(ABORT, 'sen_history is append-only');
END;
