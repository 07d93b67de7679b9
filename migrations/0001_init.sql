-- Berth's schema. Every namespaced table starts its key with `namespace`, compares ids byte-wise
-- (COLLATE "C", as containerd's bolt keys), and is confined by FORCEd row-level security to the
-- namespaces the request transaction was scoped to (src/db/transaction.ts sets them).

-- The role request transactions run as. It has no BYPASSRLS, so even a superuser login that does
-- SET ROLE berth_app is held by the policies. Roles are cluster-wide, so creating it may race with
-- another database's migration on the same server.
DO $$
BEGIN
  CREATE ROLE berth_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'berth_app', 'MEMBER') THEN
    EXECUTE format('GRANT berth_app TO %I', current_user);
  END IF;
END $$;

-- berth.namespace: the namespace a request writes to and reads containers from.
-- berth.readable:  '*' or a comma-separated list of the namespaces it may read (names cannot hold commas).
CREATE FUNCTION berth_namespace() RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT current_setting('berth.namespace', true) $$;

CREATE FUNCTION berth_may_read(ns text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
    SELECT current_setting('berth.readable', true) = '*'
        OR ns = ANY (string_to_array(current_setting('berth.readable', true), ','))
  $$;

CREATE TABLE namespaces (
  name        text COLLATE "C" PRIMARY KEY,
  labels      jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE containers (
  namespace             text COLLATE "C" NOT NULL REFERENCES namespaces (name),
  id                    text COLLATE "C" NOT NULL,
  image                 text NOT NULL DEFAULT '',
  runtime_name          text NOT NULL,
  runtime_options_type  text,
  runtime_options       bytea,
  spec_type             text,
  spec                  bytea,
  snapshotter           text NOT NULL DEFAULT '',
  snapshot_key          text NOT NULL DEFAULT '',
  sandbox               text NOT NULL DEFAULT '',
  labels                jsonb NOT NULL DEFAULT '{}',
  -- name -> {"typeUrl": text, "value": base64 of the bytes}
  extensions            jsonb NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  revision              integer NOT NULL DEFAULT 1,
  PRIMARY KEY (namespace, id),
  CHECK ((runtime_options_type IS NULL) = (runtime_options IS NULL)),
  CHECK ((spec_type IS NULL) = (spec IS NULL))
);
CREATE INDEX containers_labels ON containers USING gin (labels);
CREATE INDEX containers_image ON containers (namespace, image);

-- The outbox. One row per event, written in the transaction of the change it describes.
-- seq comes from event_clock, whose single row every writing transaction updates just before it
-- commits: the row lock orders those commits, so seq is gapless and increases in commit order.
CREATE TABLE events (
  seq         bigint PRIMARY KEY,
  xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
  namespace   text COLLATE "C" NOT NULL,
  topic       text NOT NULL,
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_namespace_seq ON events (namespace, seq);
CREATE INDEX events_created_at ON events (created_at);

CREATE TABLE event_clock (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_seq    bigint NOT NULL DEFAULT 0,
  -- Every event with seq <= pruned_through may be gone; resuming from before it is OUT_OF_RANGE.
  pruned_through bigint NOT NULL DEFAULT 0
);
INSERT INTO event_clock DEFAULT VALUES;

ALTER TABLE namespaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE namespaces FORCE ROW LEVEL SECURITY;
CREATE POLICY namespaces_read ON namespaces FOR SELECT USING (berth_may_read(name) OR name = berth_namespace());
CREATE POLICY namespaces_insert ON namespaces FOR INSERT WITH CHECK (name = berth_namespace());
CREATE POLICY namespaces_update ON namespaces FOR UPDATE USING (name = berth_namespace()) WITH CHECK (name = berth_namespace());
CREATE POLICY namespaces_delete ON namespaces FOR DELETE USING (name = berth_namespace());

ALTER TABLE containers ENABLE ROW LEVEL SECURITY;
ALTER TABLE containers FORCE ROW LEVEL SECURITY;
CREATE POLICY containers_scope ON containers USING (namespace = berth_namespace()) WITH CHECK (namespace = berth_namespace());

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY events_read ON events FOR SELECT USING (berth_may_read(namespace) OR namespace = berth_namespace());
CREATE POLICY events_insert ON events FOR INSERT WITH CHECK (namespace = berth_namespace());

GRANT SELECT, INSERT, UPDATE, DELETE ON namespaces, containers TO berth_app;
GRANT SELECT, INSERT ON events TO berth_app;
GRANT SELECT, UPDATE ON event_clock TO berth_app;

-- Label filters compile to `labels @> …` and `labels ? …`. Under RLS the planner may only push a
-- user condition into an index scan when its function is LEAKPROOF, and these two are not marked
-- so, although they raise no data-dependent errors. Marking them (in this database only) lets
-- the GIN index serve label filters under the request role. It needs a superuser; without one
-- the filters stay correct but scan the namespace.
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.jsonb_contains(jsonb, jsonb) LEAKPROOF;
    ALTER FUNCTION pg_catalog.jsonb_exists(jsonb, text) LEAKPROOF;
  ELSE
    RAISE NOTICE 'berth: not a superuser, label filters will not use the GIN index under row-level security';
  END IF;
END $$;
