-- Everything the ISO sends to the portal goes through this durable queue (src/outbox/).
-- The idempotency key is chosen when the item is queued and never changes (portal-api.md).
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    -- The record the item belongs to (report id or SEN number): items of one record go in order.
    record_id        TEXT NOT NULL,
    payload          TEXT NOT NULL CHECK (json_valid(payload)),
    idempotency_key  TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    response         TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
) STRICT;
CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_record ON outbox (record_id, id);
