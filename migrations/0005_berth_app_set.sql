-- The login must be able to SET ROLE berth_app: every request transaction does. On PostgreSQL 16
-- and later, a role that a non-superuser login (with CREATEROLE) creates is granted back to it with
-- ADMIN only, so 0001 finds the login a member and grants nothing, yet SET ROLE is refused. Grant
-- the SET right where it is missing. Roles are cluster-wide: another database migrating at the same
-- moment may make the same grant, and the loser's duplicate is ignored. (Superusers have it already;
-- before 16 membership implied it.)
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    IF NOT pg_has_role(current_user, 'berth_app', 'SET') THEN
      EXECUTE format('GRANT berth_app TO %I WITH SET TRUE', current_user);
    END IF;
  END IF;
EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
END $$;
