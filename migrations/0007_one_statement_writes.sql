-- The event append, in one place: every event-writing transaction ends with it, as its last
-- statement before COMMIT (src/db/events.ts), and the write functions below end with it too. It
-- takes the next numbers from event_clock, whose row lock it holds until the transaction commits,
-- so numbers are gapless and follow commit order; the NOTIFY only wakes the listeners.
CREATE FUNCTION berth_append_events(event_namespaces text[], topics text[], payloads text[])
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  last bigint;
BEGIN
  UPDATE event_clock SET last_seq = last_seq + cardinality(topics) RETURNING last_seq INTO last;
  INSERT INTO events (seq, namespace, topic, payload)
  SELECT last - cardinality(topics) + e.ord, e.namespace, e.topic, e.payload::jsonb
  FROM unnest(event_namespaces, topics, payloads) WITH ORDINALITY AS e(namespace, topic, payload, ord);
  PERFORM pg_notify('berth_events', last::text);
END $$;

-- The scope of a write that is its own transaction, as a request transaction's scope statement
-- sets it (src/db/transaction.ts): the role that row-level security confines, the namespace and
-- what may be read, and a commit that does not wait for the disk (the flush barrier sent behind
-- the write does). Local settings, so they end with the caller's implicit transaction; no SET
-- clause here or in the callers, which would undo them on return.
CREATE FUNCTION berth_scope_write(scope_namespace text, scope_readable text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('role', 'berth_app', true),
          set_config('berth.namespace', scope_namespace, true),
          set_config('berth.readable', scope_readable, true),
          set_config('synchronous_commit', 'off', true);
END $$;

-- Creating a container was seven statements in two round trips: BEGIN and the scope with the
-- namespace and container inserts, then the append, COMMIT and the flush barrier. Each statement
-- costs the server's driver about as much as the GraphQL work of the request. This function is
-- the whole transaction as one statement, run by itself (its implicit transaction commits as it
-- returns), followed in the same write by the flush barrier: two statements, one round trip.
-- As berth_scoped_container (0006), it scopes itself with set_config(..., true), which lasts until
-- the end of its implicit transaction, and its statements are planned after the role is set, so
-- row-level security applies as in a request transaction. The append is its last statement, so
-- the clock's lock is held only while the commit runs, never across a round trip; the commit
-- does not wait for the disk (synchronous_commit off), the barrier does (src/db/transaction.ts).
-- No row back: the id is taken, and nothing was written. A container's namespace exists whenever
-- the container does, so a namespace made here always comes with its new container.
CREATE FUNCTION berth_create_container(
  scope_namespace text, scope_readable text,
  new_id text, new_image text, new_runtime_name text, new_runtime_options_type text, new_runtime_options bytea,
  new_spec_type text, new_spec bytea, new_snapshotter text, new_snapshot_key text, new_sandbox text,
  new_labels jsonb, new_extensions jsonb,
  namespace_topic text, namespace_payload text, container_topic text, container_payload text)
RETURNS SETOF containers
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  created containers;
  namespace_made boolean;
BEGIN
  PERFORM berth_scope_write(scope_namespace, scope_readable);
  INSERT INTO namespaces (name, labels) VALUES (scope_namespace, '{}') ON CONFLICT (name) DO NOTHING;
  namespace_made := FOUND;
  INSERT INTO containers (namespace, id, image, runtime_name, runtime_options_type, runtime_options, spec_type, spec,
                          snapshotter, snapshot_key, sandbox, labels, extensions, created_at, updated_at)
  VALUES (scope_namespace, new_id, new_image, new_runtime_name, new_runtime_options_type, new_runtime_options,
          new_spec_type, new_spec, new_snapshotter, new_snapshot_key, new_sandbox, new_labels, new_extensions, now(), now())
  ON CONFLICT (namespace, id) DO NOTHING
  RETURNING * INTO created;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF namespace_made THEN
    PERFORM berth_append_events(ARRAY[scope_namespace, scope_namespace], ARRAY[namespace_topic, container_topic],
                                ARRAY[namespace_payload, container_payload]);
  ELSE
    PERFORM berth_append_events(ARRAY[scope_namespace], ARRAY[container_topic], ARRAY[container_payload]);
  END IF;
  RETURN NEXT created;
END $$;

-- Deleting a container as one statement, as berth_create_container: false when there is none.
CREATE FUNCTION berth_delete_container(scope_namespace text, scope_readable text, container_id text, topic text, payload text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM berth_scope_write(scope_namespace, scope_readable);
  DELETE FROM containers WHERE namespace = scope_namespace AND id = container_id;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM berth_append_events(ARRAY[scope_namespace], ARRAY[topic], ARRAY[payload]);
  RETURN true;
END $$;

-- setContainerLabels as one statement, as berth_create_container: the merge, then the checks on the
-- merged record that a transaction would make before its COMMIT, each raising an error that rolls
-- the statement back and tells Berth which check refused (src/db/containers.ts reads them):
-- BR001, the stored revision is not the expected one (DETAIL: the stored revision); BR002, the
-- merged record has more labels or extensions than the limits (DETAIL: both counts, as JSON).
-- Berth calls it only with labels that are valid by themselves, so the merged labels are too.
-- Its event is containerd's update event, as src/model/events.ts containerUpdated builds it.
-- No row back: there is no such container.
CREATE FUNCTION berth_merge_container_labels(
  scope_namespace text, scope_readable text, container_id text, set_labels jsonb, removed_keys text[],
  expected_revision integer, max_labels integer, max_extensions integer)
RETURNS SETOF containers
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  updated containers;
  label_count integer;
  extension_count integer;
BEGIN
  PERFORM berth_scope_write(scope_namespace, scope_readable);
  UPDATE containers
  SET labels = (labels - removed_keys) || set_labels,
      updated_at = greatest(now(), updated_at + interval '1 microsecond'), revision = revision + 1
  WHERE namespace = scope_namespace AND id = container_id
  RETURNING * INTO updated;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF expected_revision IS NOT NULL AND updated.revision - 1 <> expected_revision THEN
    RAISE EXCEPTION 'stale revision' USING ERRCODE = 'BR001', DETAIL = (updated.revision - 1)::text;
  END IF;
  SELECT count(*) INTO label_count FROM jsonb_object_keys(updated.labels);
  SELECT count(*) INTO extension_count FROM jsonb_object_keys(updated.extensions);
  IF label_count > max_labels OR extension_count > max_extensions THEN
    RAISE EXCEPTION 'over a count limit' USING ERRCODE = 'BR002',
      DETAIL = json_build_object('labels', label_count, 'extensions', extension_count)::text;
  END IF;
  PERFORM berth_append_events(ARRAY[scope_namespace], ARRAY['/containers/update'],
    ARRAY[jsonb_build_object('id', updated.id, 'image', updated.image, 'labels', updated.labels,
                             'snapshot_key', updated.snapshot_key)::text]);
  RETURN NEXT updated;
END $$;
