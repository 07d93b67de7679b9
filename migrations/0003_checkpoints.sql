-- Checkpoints (docs/behaviour.md §7): an immutable copy of a container's record under a name (ref) of its own,
-- kept after the container is gone, so `restore` can make a new container from it. Keyed and
-- confined like containers: (namespace, ref) compared byte-wise, FORCEd row-level security.
CREATE TABLE checkpoints (
  namespace             text COLLATE "C" NOT NULL REFERENCES namespaces (name),
  ref                   text COLLATE "C" NOT NULL,
  -- The container it was taken from. No foreign key: the container may be deleted afterwards.
  container_id          text COLLATE "C" NOT NULL,
  image                 text NOT NULL DEFAULT '',
  runtime_name          text NOT NULL,
  runtime_options_type  text,
  runtime_options       bytea,
  spec_type             text,
  spec                  bytea,
  snapshotter           text NOT NULL DEFAULT '',
  labels                jsonb NOT NULL DEFAULT '{}',
  -- name -> {"typeUrl": text, "value": base64 of the bytes}, as in containers
  extensions            jsonb NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, ref),
  CHECK ((runtime_options_type IS NULL) = (runtime_options IS NULL)),
  CHECK ((spec_type IS NULL) = (spec IS NULL))
);
CREATE INDEX checkpoints_labels ON checkpoints USING gin (labels);

ALTER TABLE checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY checkpoints_scope ON checkpoints USING (namespace = berth_namespace()) WITH CHECK (namespace = berth_namespace());

-- No UPDATE: a checkpoint is immutable, and the grant makes that hold below the application too.
GRANT SELECT, INSERT, DELETE ON checkpoints TO berth_app;
