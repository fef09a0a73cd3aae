-- The audit log records what a write changed (before and after) and the request that made it.
--
-- Values are kept from now on, so that an auditor can see what a change did, except personal data (a
-- member's phone, birth year, ethnicity) and secrets (credential hashes): for those the log says that the
-- column changed, with the value "redacted", never the value itself.

ALTER TABLE cds.audit_log ADD COLUMN request_id text, ADD COLUMN before jsonb, ADD COLUMN after jsonb;
ALTER TABLE cds.control_audit_log ADD COLUMN request_id text, ADD COLUMN before jsonb, ADD COLUMN after jsonb;
CREATE INDEX audit_log_actor_idx ON cds.audit_log (tenant_id, actor, occurred_at);

-- The request that the current transaction serves (an HTTP request id, a sync batch), or NULL.
CREATE FUNCTION cds.current_request_id() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT nullif(current_setting('cds.request_id', true), '')
$$;
REVOKE ALL ON FUNCTION cds.current_request_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.current_request_id() TO cds_app;

-- A row as the audit log keeps it: personal and secret columns redacted, bookkeeping columns left out.
CREATE FUNCTION cds.audit_image(row_image jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_object_agg(
               key,
               CASE WHEN key IN ('phone', 'birth_year', 'ethnicity', 'secret_sha256') AND value <> 'null'::jsonb
                    THEN '"redacted"'::jsonb ELSE value END),
           '{}'::jsonb)
    FROM jsonb_each(row_image)
    WHERE key NOT IN ('tenant_id', 'created_at', 'updated_at', 'search_name')
$$;
REVOKE ALL ON FUNCTION cds.audit_image(jsonb) FROM PUBLIC;
-- The audit triggers run as the writer.
GRANT EXECUTE ON FUNCTION cds.audit_image(jsonb) TO cds_app;

-- As in 0005, one INSERT per statement; now with the request id and the images. An update keeps, before and
-- after, only the columns it changed.
CREATE OR REPLACE FUNCTION cds.audit_statement() RETURNS trigger
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
            'INSERT INTO %s (%sactor, request_id, action, entity, entity_key, changed_fields, before, after) '
            'SELECT %s$1, $2, ''update'', $3, changed.row_key, changed.fields,'
            '       cds.audit_image((SELECT jsonb_object_agg(c, changed.o -> c) FROM unnest(changed.fields) AS c)),'
            '       cds.audit_image((SELECT jsonb_object_agg(c, changed.r -> c) FROM unnest(changed.fields) AS c)) '
            'FROM ('
            '    SELECT n.r, o.r AS o, %s AS row_key,'
            '           ARRAY(SELECT c FROM jsonb_each(n.r) AS e (c, v)'
            '                 WHERE v IS DISTINCT FROM o.r -> c AND c NOT IN (''updated_at'', ''search_name'') ORDER BY c) AS fields'
            '    FROM (SELECT to_jsonb(x) AS r FROM new_rows x) AS n'
            '    LEFT JOIN (SELECT to_jsonb(x) AS r FROM old_rows x) AS o ON %s = %s'
            ') AS changed WHERE changed.fields <> ''{}''',
            target, tenant_column, tenant_value,
            replace(key_template, 'ROW', 'n.r'), replace(key_template, 'ROW', 'o.r'), replace(key_template, 'ROW', 'n.r'))
        USING cds.current_actor(), cds.current_request_id(), TG_TABLE_NAME;
    ELSE
        EXECUTE format(
            'INSERT INTO %s (%sactor, request_id, action, entity, entity_key, %s) '
            'SELECT %s$1, $2, $3, $4, %s, cds.audit_image(changed.r) FROM (SELECT to_jsonb(x) AS r FROM %s x) AS changed',
            target, tenant_column, CASE TG_OP WHEN 'INSERT' THEN 'after' ELSE 'before' END,
            tenant_value, replace(key_template, 'ROW', 'changed.r'),
            CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END)
        USING cds.current_actor(), cds.current_request_id(), lower(TG_OP), TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;
