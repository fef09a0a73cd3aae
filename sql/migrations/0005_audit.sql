-- The append-only audit log (docs/tenancy.md): every write, by whom, when, in which tenant.
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

-- Records the rows a statement changed, set-based: one INSERT into the audit log per statement, however
-- many rows it touched, so that bulk loads stay fast. Trigger arguments name the key columns (besides
-- tenant_id). An UPDATE of a row that changes nothing is not recorded. Runs as the invoker: the audit rows
-- pass the same tenant policy as the change itself.
CREATE FUNCTION cds.audit_statement() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    key_template text;
    target text;
    tenant_column text := '';
    tenant_value text := '';
BEGIN
    SELECT 'concat_ws(''/'', ' || string_agg(format('ROW ->> %L', key_column), ', ' ORDER BY position) || ')'
    INTO key_template
    FROM unnest(TG_ARGV) WITH ORDINALITY AS key_columns (key_column, position);

    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = TG_RELID AND attname = 'tenant_id' AND NOT attisdropped) THEN
        target := 'cds.audit_log';
        tenant_column := 'tenant_id, ';
        tenant_value := '(changed.r ->> ''tenant_id'')::integer, ';
    ELSE
        target := 'cds.control_audit_log';
    END IF;

    IF TG_OP = 'UPDATE' THEN
        EXECUTE format(
            'INSERT INTO %s (%sactor, action, entity, entity_key, changed_fields) '
            'SELECT %s$1, ''update'', $2, changed.row_key, changed.fields FROM ('
            '    SELECT n.r, %s AS row_key,'
            '           ARRAY(SELECT c FROM jsonb_each(n.r) AS e (c, v)'
            '                 WHERE v IS DISTINCT FROM o.r -> c AND c <> ''updated_at'' ORDER BY c) AS fields'
            '    FROM (SELECT to_jsonb(x) AS r FROM new_rows x) AS n'
            '    LEFT JOIN (SELECT to_jsonb(x) AS r FROM old_rows x) AS o ON %s = %s'
            ') AS changed WHERE changed.fields <> ''{}''',
            target, tenant_column, tenant_value,
            replace(key_template, 'ROW', 'n.r'), replace(key_template, 'ROW', 'o.r'), replace(key_template, 'ROW', 'n.r'))
        USING cds.current_actor(), TG_TABLE_NAME;
    ELSE
        EXECUTE format(
            'INSERT INTO %s (%sactor, action, entity, entity_key) '
            'SELECT %s$1, $2, $3, %s FROM (SELECT to_jsonb(x) AS r FROM %s x) AS changed',
            target, tenant_column, tenant_value, replace(key_template, 'ROW', 'changed.r'),
            CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END)
        USING cds.current_actor(), lower(TG_OP), TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cds.audit_statement() FROM PUBLIC;

-- Audits a table: one statement-level trigger per command, since a trigger with transition tables
-- may have only one event. Called by migrations only.
CREATE PROCEDURE cds.audit_table(target regclass, key_columns text[])
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    arguments text := (SELECT string_agg(quote_literal(key_column), ', ') FROM unnest(key_columns) AS key_column);
BEGIN
    EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION cds.audit_statement(%s)', target, arguments);
    EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION cds.audit_statement(%s)', target, arguments);
    EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION cds.audit_statement(%s)', target, arguments);
END
$$;
REVOKE ALL ON PROCEDURE cds.audit_table(regclass, text[]) FROM PUBLIC;

CALL cds.audit_table('cds.hamlets', ARRAY['code']);
CALL cds.audit_table('cds.teams', ARRAY['id']);
CALL cds.audit_table('cds.members', ARRAY['id']);
CALL cds.audit_table('cds.training_sessions', ARRAY['id']);
CALL cds.audit_table('cds.training_attendance', ARRAY['session_id', 'member_id']);
CALL cds.audit_table('cds.guidance_activities', ARRAY['id']);
CALL cds.audit_table('cds.principals', ARRAY['id']);
CALL cds.audit_table('cds.credentials', ARRAY['id']);
CALL cds.audit_table('cds.grants', ARRAY['id']);
