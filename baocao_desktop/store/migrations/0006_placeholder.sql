-- Placeholder for migration 6 (branch i19-seal owns number 6): only so that this branch's numbering has no
-- gap. The lead drops this file when merging.
SELECT 1;
