-- The audit trigger on a Citus cluster (docs/scale-out.md). There it fires on the workers, on each shard, where two
-- things of the single-node function fail: the INSERT that reads the statement's transition tables is planned by
-- Citus as a distributed INSERT … SELECT, which cannot see them ("could not find named tuplestore"), and the table's
-- name is the shard's (members_102008). The rows are now read into arrays first and the INSERT reads the arrays;
-- the entry names the table, not the shard. What the log records is unchanged on either engine.

SELECT set_config('cds.actor', 'migration:0026_audit_on_shards', true);

CREATE OR REPLACE FUNCTION cds.audit_statement() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    key_template text;
    target text;
    tenant_column text := '';
    tenant_value text := '';
    entity text := TG_TABLE_NAME;
    new_images jsonb[];
    old_images jsonb[];
BEGIN
    -- On a Citus worker the trigger fires on a shard (members_102008): the entry names the table.
    IF entity ~ '_[0-9]+$' AND to_regclass(format('%I.%I', TG_TABLE_SCHEMA, regexp_replace(entity, '_[0-9]+$', ''))) IS NOT NULL THEN
        entity := regexp_replace(entity, '_[0-9]+$', '');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_images := ARRAY(SELECT to_jsonb(x) FROM new_rows x);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_images := ARRAY(SELECT to_jsonb(x) FROM old_rows x);
    END IF;
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
            'WITH n AS MATERIALIZED (SELECT r FROM unnest($4) AS n (r)),'
            '     o AS MATERIALIZED (SELECT r FROM unnest($5) AS o (r)),'
            '     changed AS MATERIALIZED ('
            '         SELECT n.r, o.r AS o, %s AS row_key,'
            '                ARRAY(SELECT c FROM jsonb_each(n.r) AS e (c, v)'
            '                      WHERE v IS DISTINCT FROM o.r -> c AND c <> ALL (cds.audit_bookkeeping_columns()) ORDER BY c) AS fields'
            '         FROM n LEFT JOIN o ON %s = %s) '
            'INSERT INTO %s (%sactor, request_id, action, entity, entity_key, changed_fields, before, after) '
            'SELECT %s$1, $2, ''update'', $3, changed.row_key, changed.fields,'
            '       cds.audit_image((SELECT jsonb_object_agg(c, changed.o -> c) FROM unnest(changed.fields) AS c)),'
            '       cds.audit_image((SELECT jsonb_object_agg(c, changed.r -> c) FROM unnest(changed.fields) AS c)) '
            'FROM changed WHERE changed.fields <> ''{}''',
            replace(key_template, 'ROW', 'n.r'), replace(key_template, 'ROW', 'o.r'), replace(key_template, 'ROW', 'n.r'),
            target, tenant_column, tenant_value)
        USING cds.current_actor(), cds.current_request_id(), entity, new_images, old_images;
    ELSE
        EXECUTE format(
            'INSERT INTO %s (%sactor, request_id, action, entity, entity_key, %s) '
            'SELECT %s$1, $2, $3, $4, %s, cds.audit_image(changed.r) FROM unnest($5) AS changed (r)',
            target, tenant_column, CASE TG_OP WHEN 'INSERT' THEN 'after' ELSE 'before' END,
            tenant_value, replace(key_template, 'ROW', 'changed.r'))
        USING cds.current_actor(), cds.current_request_id(), lower(TG_OP), entity, coalesce(new_images, old_images);
    END IF;
    RETURN NULL;
END
$$;
