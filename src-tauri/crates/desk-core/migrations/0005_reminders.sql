-- Reminders already fired: owned by src/reminders/.
SELECT 1;
