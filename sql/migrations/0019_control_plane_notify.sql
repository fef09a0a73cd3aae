-- Servers keep what every request needs of the control plane: verified tokens for a few seconds, the unit tree and
-- the roles' permissions. Any change to those tables, by whatever process (a server, cds-admin, psql), notifies the
-- channel cds_control_plane when it commits, and every server listening on it forgets what it kept. The payload is
-- the table's name; PostgreSQL folds the same notification repeated in one transaction into one.

SELECT set_config('cds.actor', 'migration:0019_control_plane_notify', true);

CREATE FUNCTION cds.notify_control_plane_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM pg_notify('cds_control_plane', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cds.notify_control_plane_change() FROM PUBLIC;

DO $$
DECLARE
    watched text;
BEGIN
    FOREACH watched IN ARRAY ARRAY['principals', 'credentials', 'grants', 'roles', 'role_permissions', 'units'] LOOP
        EXECUTE format('CREATE TRIGGER control_plane_changed AFTER INSERT OR UPDATE OR DELETE ON cds.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION cds.notify_control_plane_change()', watched);
        EXECUTE format('CREATE TRIGGER control_plane_truncated AFTER TRUNCATE ON cds.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION cds.notify_control_plane_change()', watched);
    END LOOP;
END
$$;
