-- Calls made while Cal-CSIRS was unreachable (src/fallback.rs, seed 001 section 4). A call to CHP
-- ENTAC outside business hours leaves the CISO to be notified the next business day: the
-- follow-up is open until ciso_notified_at is set. Times are fixed-width UTC text.
CREATE TABLE fallback_calls (
    id                INTEGER PRIMARY KEY,
    called            TEXT NOT NULL CHECK (called IN ('entac', 'ciso')),
    report_id         TEXT,
    called_at         TEXT NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    ciso_due_at       TEXT,
    ciso_notified_at  TEXT
) STRICT;
CREATE INDEX fallback_calls_open ON fallback_calls (id) WHERE ciso_due_at IS NOT NULL AND ciso_notified_at IS NULL;
