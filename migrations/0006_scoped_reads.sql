-- A get by key is the commonest request, and the transaction around it (BEGIN, the scope's
-- set_config, the read, COMMIT) cost three statements more than the read itself. This function
-- scopes its own statement instead: settings made with set_config(..., true) last until the end of
-- the implicit transaction of the one statement that calls it, so role and scope hold for that
-- statement only, on any pooled connection. SECURITY INVOKER (the default), and no SET clause,
-- which would undo the settings as the function returns. The SELECT inside is planned after the
-- role is set (PL/pgSQL replans when the role differs), so row-level security applies to
-- berth_app, exactly as in a request transaction.
CREATE FUNCTION berth_scoped_container(scope_namespace text, scope_readable text, container_id text)
RETURNS SETOF containers
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('role', 'berth_app', true),
          set_config('berth.namespace', scope_namespace, true),
          set_config('berth.readable', scope_readable, true);
  RETURN QUERY SELECT * FROM containers WHERE namespace = scope_namespace AND id = container_id;
END $$;
