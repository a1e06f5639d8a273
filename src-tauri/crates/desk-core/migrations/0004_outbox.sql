-- Everything the ISO sends to the portal goes through this durable queue (src/outbox/).
-- The idempotency key is chosen when the item is queued and never changes (portal-api.md): a
-- retry after a crash between the portal's answer and our commit is answered 200 with the first
-- answer, so nothing is created twice. Times are fixed-width UTC text (they compare as text).
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL
                     CHECK (kind IN ('incident', 'supplement', 'acknowledgement', 'determination', 'incident_link')),
    -- The record the item belongs to (report id or SEN number): items of one record go in id order.
    record_id        TEXT NOT NULL,
    -- What was queued; the path and the body are resolved from it at delivery time.
    payload          TEXT NOT NULL CHECK (json_valid(payload)),
    idempotency_key  TEXT NOT NULL UNIQUE,
    -- pending: to deliver; sent: delivered (its effect committed with it); parked: refused by the
    -- portal, waits for the user (it holds back later items of its record); returned: refused
    -- fields (422), the report went back to draft; superseded: dropped because an earlier item of
    -- its report was returned (the next send carries its changes).
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sent', 'parked', 'returned', 'superseded')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    -- Class of the last failure: 'offline' items are tried at once when the portal answers again.
    last_failure     TEXT CHECK (last_failure IN ('offline', 'transient', 'retry_after', 'unauthorized', 'waiting')),
    -- The portal's answer, once sent.
    response         TEXT CHECK (response IS NULL OR json_valid(response)),
    created_at       TEXT NOT NULL,
    sent_at          TEXT
) STRICT;
-- The runner walks pending items in queue order: a partial index keeps that walk off the sent ones.
CREATE INDEX outbox_pending ON outbox (id, next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_by_record ON outbox (record_id, id);
-- Items waiting for an incident number, woken when an incident is sent: few, found without a scan.
CREATE INDEX outbox_waiting ON outbox (id) WHERE state = 'pending' AND last_failure = 'waiting';

-- The queue as a whole (one row): paused when the portal refuses the token (nothing is tried
-- until the user gives a token or retries an item), offline while the portal cannot be reached.
CREATE TABLE outbox_queue (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    paused_reason    TEXT,
    paused_at        TEXT,
    offline_since    TEXT,
    last_contact_at  TEXT
) STRICT;
INSERT INTO outbox_queue (id) VALUES (1);
