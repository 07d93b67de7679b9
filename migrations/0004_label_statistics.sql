-- Finer statistics for label maps. The planner estimates `labels @> …` by trying it on ANALYZE's
-- histogram of whole maps; at the default target (100 entries) a value it happens to hold is
-- taken to match 1 row in 100. For a rare value that is wrong by orders of magnitude, and a page
-- of it (ORDER BY id LIMIT n) is then read by walking the primary key until n rows match: the
-- whole namespace when only a few do. With 1,000 entries such a value counts as 1 in 1,000, which
-- keeps rare values on the GIN index while common ones (1 in 10, say) still page along the key.
ALTER TABLE containers ALTER COLUMN labels SET STATISTICS 1000;
ALTER TABLE checkpoints ALTER COLUMN labels SET STATISTICS 1000;
ANALYZE containers (labels);
ANALYZE checkpoints (labels);
