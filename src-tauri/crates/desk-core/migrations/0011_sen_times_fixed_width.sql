-- Stored times in `sens` take the one stored form (store::time: RFC 3339 UTC with microseconds,
-- fixed width), so that SQL orders them as text inside a second too. Rows written before were
-- stored with as many fraction digits as the time had: none (20 characters), milliseconds (24)
-- or nanoseconds (30). The history tables keep their text: their rows are hash-chained.

UPDATE sens SET sent_at = CASE length(sent_at)
    WHEN 20 THEN substr(sent_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(sent_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(sent_at, 1, 26) || 'Z'
    ELSE sent_at END
WHERE sent_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET created_at = CASE length(created_at)
    WHEN 20 THEN substr(created_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(created_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(created_at, 1, 26) || 'Z'
    ELSE created_at END
WHERE created_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET updated_at = CASE length(updated_at)
    WHEN 20 THEN substr(updated_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(updated_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(updated_at, 1, 26) || 'Z'
    ELSE updated_at END
WHERE updated_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET acknowledged_at = CASE length(acknowledged_at)
    WHEN 20 THEN substr(acknowledged_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(acknowledged_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(acknowledged_at, 1, 26) || 'Z'
    ELSE acknowledged_at END
WHERE acknowledged_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET determined_at = CASE length(determined_at)
    WHEN 20 THEN substr(determined_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(determined_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(determined_at, 1, 26) || 'Z'
    ELSE determined_at END
WHERE determined_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET findings_by = CASE length(findings_by)
    WHEN 20 THEN substr(findings_by, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(findings_by, 1, 23) || '000Z'
    WHEN 30 THEN substr(findings_by, 1, 26) || 'Z'
    ELSE findings_by END
WHERE findings_by LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET linked_at = CASE length(linked_at)
    WHEN 20 THEN substr(linked_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(linked_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(linked_at, 1, 26) || 'Z'
    ELSE linked_at END
WHERE linked_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET closed_at = CASE length(closed_at)
    WHEN 20 THEN substr(closed_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(closed_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(closed_at, 1, 26) || 'Z'
    ELSE closed_at END
WHERE closed_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET more_time_requested_at = CASE length(more_time_requested_at)
    WHEN 20 THEN substr(more_time_requested_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(more_time_requested_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(more_time_requested_at, 1, 26) || 'Z'
    ELSE more_time_requested_at END
WHERE more_time_requested_at LIKE '____-__-__T__:__:__%Z';
UPDATE sens SET help_requested_at = CASE length(help_requested_at)
    WHEN 20 THEN substr(help_requested_at, 1, 19) || '.000000Z'
    WHEN 24 THEN substr(help_requested_at, 1, 23) || '000Z'
    WHEN 30 THEN substr(help_requested_at, 1, 26) || 'Z'
    ELSE help_requested_at END
WHERE help_requested_at LIKE '____-__-__T__:__:__%Z';
