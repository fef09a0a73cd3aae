-- The append-only audit log (DESIGN §2): every write, by whom, when, in which tenant.
--
-- Writes are recorded by triggers, so that no surface (HTTP, gRPC, CLI, psql as cds_app) can forget.
-- Reads of personal data are recorded by the application with action 'read_personal'.
-- Only keys and the names of changed columns are kept, never values: the log holds no personal data.

CREATE TABLE cds.audit_log (
    tenant_id integer NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor text NOT NULL,
    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'read_personal')),
    entity text NOT NULL,
    entity_key text NOT NULL,
    changed_fields text[],
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_time_idx ON cds.audit_log (tenant_id, occurred_at);
CREATE INDEX audit_log_entity_idx ON cds.audit_log (tenant_id, entity, entity_key);
GRANT SELECT, INSERT ON cds.audit_log TO cds_app;
CALL cds.make_tenant_table('cds.audit_log');

-- Changes to the control plane (principals, credentials, grants), which belong to no single district.
CREATE TABLE cds.control_audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor text NOT NULL,
    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    entity text NOT NULL,
    entity_key text NOT NULL,
    changed_fields text[]
);
CREATE INDEX control_audit_log_time_idx ON cds.control_audit_log (occurred_at);
GRANT SELECT, INSERT ON cds.control_audit_log TO cds_app;

CREATE FUNCTION cds.refuse_audit_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
REVOKE ALL ON FUNCTION cds.refuse_audit_change() FROM PUBLIC;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON cds.audit_log
    FOR EACH ROW EXECUTE FUNCTION cds.refuse_audit_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON cds.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION cds.refuse_audit_change();
CREATE TRIGGER control_audit_log_append_only BEFORE UPDATE OR DELETE ON cds.control_audit_log
    FOR EACH ROW EXECUTE FUNCTION cds.refuse_audit_change();
CREATE TRIGGER control_audit_log_no_truncate BEFORE TRUNCATE ON cds.control_audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION cds.refuse_audit_change();

-- Records one row change. Trigger arguments name the key columns (besides tenant_id).
-- An UPDATE that changes nothing is not recorded. Runs as the invoker: the audit row passes the same
-- tenant policy as the change itself.
CREATE FUNCTION cds.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    changed_row jsonb := coalesce(new_row, old_row);
    row_key text;
    changed text[];
BEGIN
    SELECT string_agg(changed_row ->> key_column, '/' ORDER BY position)
    INTO row_key
    FROM unnest(TG_ARGV) WITH ORDINALITY AS key_columns (key_column, position);

    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(column_name ORDER BY column_name)
        INTO changed
        FROM jsonb_each(new_row) AS new_columns (column_name, value)
        WHERE value IS DISTINCT FROM old_row -> column_name AND column_name <> 'updated_at';
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;

    IF changed_row ? 'tenant_id' THEN
        INSERT INTO cds.audit_log (tenant_id, actor, action, entity, entity_key, changed_fields)
        VALUES ((changed_row ->> 'tenant_id')::integer, cds.current_actor(), lower(TG_OP), TG_TABLE_NAME,
                row_key, changed);
    ELSE
        INSERT INTO cds.control_audit_log (actor, action, entity, entity_key, changed_fields)
        VALUES (cds.current_actor(), lower(TG_OP), TG_TABLE_NAME, row_key, changed);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cds.audit_row_change() FROM PUBLIC;

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.hamlets
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('code');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.teams
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.members
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.training_sessions
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.training_attendance
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('session_id', 'member_id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.guidance_activities
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.principals
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.credentials
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('id');
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON cds.grants
    FOR EACH ROW EXECUTE FUNCTION cds.audit_row_change('id');
