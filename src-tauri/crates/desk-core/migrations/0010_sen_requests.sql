-- Help and more-time requests of a SEN determination (issue 13; src/sen/). When each kind of
-- request was last made, so a request made after the determination was due can be told apart
-- even after a later final determination. Times are RFC 3339 UTC text.
--
-- The outcome and status CHECKs of 0002 predate the "request help" determination and stay as they
-- are (migrations are append-only): a help request is stored with outcome 'more_time' and status
-- 'more_time', exactly as it travels to the portal, and told apart by help_requested_at being the
-- determination's own time (src/sen/store.rs, `row_to_sen`).
ALTER TABLE sens ADD COLUMN more_time_requested_at TEXT;
ALTER TABLE sens ADD COLUMN help_requested_at TEXT;
UPDATE sens SET more_time_requested_at = determined_at WHERE outcome = 'more_time';
