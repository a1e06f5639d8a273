-- Security Event Notifications (SIMM 5335-A): owned by src/sen/.
SELECT 1;
