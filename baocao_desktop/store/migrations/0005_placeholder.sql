-- Placeholder for migration 5 (branch i14-rows owns number 5): only so that this branch's numbering has no
-- gap. The lead drops this file when merging.
SELECT 1;
