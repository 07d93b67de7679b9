-- Durable, ordered, resumable events (issue 4): timestamps and retention.

-- An event's timestamp is taken when it is appended: appendEvents inserts it right after taking the
-- event_clock row lock, as its transaction's last statement. So timestamps never decrease along
-- the sequence, and "older than the retention window" is a prefix of it. now() would be the
-- transaction's start, which a long transaction would hold back.
ALTER TABLE events ALTER COLUMN created_at SET DEFAULT clock_timestamp();

-- The pruner (src/db/events.ts pruneEvents) runs as berth_app like every other transaction: a
-- login that is the owner but not a superuser is held by FORCE ROW LEVEL SECURITY, and without a
-- DELETE policy it would silently delete nothing. Only a scope that reads every namespace ('*')
-- may delete, and no request path issues a DELETE on events.
GRANT DELETE ON events TO berth_app;
CREATE POLICY events_prune ON events FOR DELETE USING (current_setting('berth.readable', true) = '*');
