-- The deadline calendar feed's last-issued state (src/feed.rs): per event UID, the SEQUENCE and
-- content hash last written, so a calendar subscribed to the feed sees an update (same UID, higher
-- SEQUENCE) or a cancellation (STATUS:CANCELLED) even across restarts. Times are UTC RFC 3339.
CREATE TABLE IF NOT EXISTS feed_events (
    uid           TEXT PRIMARY KEY,
    sequence      INTEGER NOT NULL CHECK (sequence >= 0),
    hash          TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    summary       TEXT NOT NULL,
    cancelled_at  TEXT
) STRICT;
