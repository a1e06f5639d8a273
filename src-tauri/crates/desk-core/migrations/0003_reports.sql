-- Incident reports (SIMM 5340-A): owned by src/report/.
SELECT 1;
