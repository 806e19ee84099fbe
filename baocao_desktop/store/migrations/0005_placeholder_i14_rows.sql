-- Placeholder on branch i19-seal only: number 5 belongs to i14-rows (per-report table rows). Dropped at merge,
-- where that branch's 0005 takes its place; it keeps the numbering contiguous so that 0006 runs here.
SELECT 1;
