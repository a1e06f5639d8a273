-- Deadline reminders: owned by src/reminders/.
--
-- A notice is one desktop notification (one reminder, or one summary of several). It is written,
-- together with the reminder keys it carries, BEFORE it is shown (state 'pending') and marked
-- 'shown' once the notification server accepted it. A crash in between leaves a pending notice that
-- the next start shows again (never lost); the keys are already taken, so the plan never fires them
-- a second time (never twice). Times are fixed-width UTC text (they compare as text).
CREATE TABLE reminder_notices (
    id               INTEGER PRIMARY KEY,
    created_at       TEXT NOT NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    critical         INTEGER NOT NULL CHECK (critical IN (0, 1)),
    -- Where "Open" goes in the window, e.g. '#/sens/SOC-0123'.
    route            TEXT NOT NULL,
    -- The reminder keys it carries, a JSON array of strings.
    keys             TEXT NOT NULL CHECK (json_valid(keys)),
    -- pending: to show; shown: the notification server accepted it; expired: could not be shown
    -- for a day (the window's banner still had it).
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'shown', 'expired')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    shown_at         TEXT,
    -- The id the notification server gave it.
    server_id        INTEGER,
    -- When the ISO dismissed its banner in the window.
    dismissed_at     TEXT
) STRICT;
CREATE INDEX reminder_notices_pending ON reminder_notices (next_attempt_at) WHERE state = 'pending';
CREATE INDEX reminder_notices_recent ON reminder_notices (created_at) WHERE dismissed_at IS NULL;

-- One row per reminder key (`sen:SOC-0123:acknowledge:15min`): the planned time it last fired for,
-- when, and in which notice. The plan skips a key whose last firing is at or after its planned time.
CREATE TABLE reminders_fired (
    key         TEXT PRIMARY KEY NOT NULL,
    planned_at  TEXT NOT NULL,
    fired_at    TEXT NOT NULL,
    notice_id   INTEGER NOT NULL REFERENCES reminder_notices (id)
) STRICT;
