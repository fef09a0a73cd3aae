-- Roster sync (proto/cds/roster/v1/roster_sync.proto, docs/architecture.md): the registered sync clients, each applied push's
-- answer (for idempotent replays), and a per-district change counter that orders what a pull returns.

-- A provincial system that syncs rosters, known by the SHA-256 fingerprint of its client certificate. Shared, as
-- the rest of the control plane: read to authenticate a connection before any tenant scope exists.
-- districts NULL: every district.
CREATE TABLE cds.sync_clients (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    certificate_sha256 bytea NOT NULL UNIQUE CHECK (length(certificate_sha256) = 32),
    districts integer[] CHECK (cardinality(districts) > 0),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON cds.sync_clients TO cds_app;
CALL cds.audit_table('cds.sync_clients', ARRAY['id']);

-- The answer of each applied push, by district, client and the client's batch id: the same batch again gets it
-- back (when its content hash matches) without anything applied twice. The client is named by id, not by a
-- foreign key: tenant rows reach shared ones only through the tenant key (rule 5).
CREATE TABLE cds.sync_pushes (
    tenant_id integer NOT NULL REFERENCES cds.tenants (tenant_id),
    client_id uuid NOT NULL,
    batch_id text NOT NULL CHECK (length(batch_id) BETWEEN 1 AND 128),
    content_sha256 bytea NOT NULL CHECK (length(content_sha256) = 32),
    -- The PushRosterResponse, serialized.
    response bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, client_id, batch_id)
);
GRANT SELECT, INSERT ON cds.sync_pushes TO cds_app;
CALL cds.make_tenant_table('cds.sync_pushes');

-- A hamlet's code: its commune's code and its number in the commune, three digits at least (lpad alone would cut
-- a thousandth hamlet's number to three digits, and two hamlets would share a code).
CREATE FUNCTION cds.hamlet_code(commune_code integer, number bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT commune_code::text || '-' || lpad(number::text, greatest(3, length(number::text)), '0')
$$;
REVOKE ALL ON FUNCTION cds.hamlet_code(integer, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.hamlet_code(integer, bigint) TO cds_app;

-- Each district's roster changes are numbered: every write of a hamlet, team or member takes the next number (its
-- change_seq), and the counter's row stays locked until the writing transaction ends, so numbers commit in order
-- and a pull that has seen number N has seen every change before it. Pushes to one district serialise on it.
CREATE TABLE cds.roster_watermarks (
    tenant_id integer PRIMARY KEY REFERENCES cds.tenants (tenant_id),
    value bigint NOT NULL DEFAULT 0 CHECK (value >= 0)
);
GRANT SELECT, INSERT, UPDATE ON cds.roster_watermarks TO cds_app;
CALL cds.make_tenant_table('cds.roster_watermarks');

ALTER TABLE cds.hamlets ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE cds.teams ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE cds.members ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
CREATE INDEX hamlets_change_idx ON cds.hamlets (tenant_id, change_seq);
CREATE INDEX teams_change_idx ON cds.teams (tenant_id, change_seq);
CREATE INDEX members_change_idx ON cds.members (tenant_id, change_seq);

-- change_seq is bookkeeping, as updated_at is: the audit log neither keeps it nor counts it as a change. The
-- columns the audit leaves out are now named in one place, which both audit functions read.
CREATE FUNCTION cds.audit_bookkeeping_columns() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT ARRAY['tenant_id', 'created_at', 'updated_at', 'search_name', 'change_seq']
$$;
REVOKE ALL ON FUNCTION cds.audit_bookkeeping_columns() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.audit_bookkeeping_columns() TO cds_app;

CREATE OR REPLACE FUNCTION cds.audit_image(row_image jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_object_agg(
               key,
               CASE WHEN key IN ('phone', 'birth_year', 'ethnicity', 'secret_sha256') AND value <> 'null'::jsonb
                    THEN '"redacted"'::jsonb ELSE value END),
           '{}'::jsonb)
    FROM jsonb_each(row_image)
    WHERE key <> ALL (cds.audit_bookkeeping_columns())
$$;

-- As in 0007, but for the columns left out (tenant_id of an update stays compared: a row never changes tenant).
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
            '                 WHERE v IS DISTINCT FROM o.r -> c AND c <> ALL (cds.audit_bookkeeping_columns()) ORDER BY c) AS fields'
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

-- A push stamps its rows itself, from a range it reserves at once under the counter's lock (a stamp above the
-- row's current one is kept); every other write takes the next number here, unless it changes nothing but
-- bookkeeping (a pull need not send a record again for that).
CREATE FUNCTION cds.stamp_roster_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF (TG_OP = 'INSERT' AND NEW.change_seq > 0) OR (TG_OP = 'UPDATE' AND NEW.change_seq > OLD.change_seq) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND cds.audit_image(to_jsonb(NEW)) = cds.audit_image(to_jsonb(OLD)) THEN
        NEW.change_seq := OLD.change_seq;
        RETURN NEW;
    END IF;
    INSERT INTO cds.roster_watermarks AS w (tenant_id, value) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET value = w.value + 1
    RETURNING w.value INTO NEW.change_seq;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION cds.stamp_roster_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.stamp_roster_change() TO cds_app;

-- The rows that exist already are numbered once, hamlets before teams before members (so that a pull from 0
-- meets every record after what it refers to), with the audit triggers off: numbering them is not a change of
-- the registry. The owner, under forced RLS like everyone, scopes itself to every district for it.
SELECT set_config('cds.tenant_ids', coalesce((SELECT string_agg(tenant_id::text, ',') FROM cds.tenants), ''), true);
ALTER TABLE cds.hamlets DISABLE TRIGGER audit_update;
ALTER TABLE cds.teams DISABLE TRIGGER audit_update;
ALTER TABLE cds.members DISABLE TRIGGER audit_update;
UPDATE cds.hamlets h SET change_seq = n.seq
FROM (SELECT tenant_id, code, row_number() OVER (PARTITION BY tenant_id ORDER BY code) AS seq FROM cds.hamlets) AS n
WHERE h.tenant_id = n.tenant_id AND h.code = n.code;
UPDATE cds.teams t SET change_seq = n.seq
FROM (SELECT t.tenant_id, t.id,
             (SELECT count(*) FROM cds.hamlets h WHERE h.tenant_id = t.tenant_id)
                 + row_number() OVER (PARTITION BY t.tenant_id ORDER BY t.created_at, t.id) AS seq
      FROM cds.teams t) AS n
WHERE t.tenant_id = n.tenant_id AND t.id = n.id;
UPDATE cds.members m SET change_seq = n.seq
FROM (SELECT m.tenant_id, m.id,
             (SELECT count(*) FROM cds.hamlets h WHERE h.tenant_id = m.tenant_id)
                 + (SELECT count(*) FROM cds.teams t WHERE t.tenant_id = m.tenant_id)
                 + row_number() OVER (PARTITION BY m.tenant_id ORDER BY m.created_at, m.id) AS seq
      FROM cds.members m) AS n
WHERE m.tenant_id = n.tenant_id AND m.id = n.id;
ALTER TABLE cds.hamlets ENABLE TRIGGER audit_update;
ALTER TABLE cds.teams ENABLE TRIGGER audit_update;
ALTER TABLE cds.members ENABLE TRIGGER audit_update;
INSERT INTO cds.roster_watermarks (tenant_id, value)
SELECT t.tenant_id,
       (SELECT count(*) FROM cds.hamlets h WHERE h.tenant_id = t.tenant_id)
           + (SELECT count(*) FROM cds.teams s WHERE s.tenant_id = t.tenant_id)
           + (SELECT count(*) FROM cds.members m WHERE m.tenant_id = t.tenant_id)
FROM cds.tenants t;

CREATE TRIGGER stamp_roster_change BEFORE INSERT OR UPDATE ON cds.hamlets
    FOR EACH ROW EXECUTE FUNCTION cds.stamp_roster_change();
CREATE TRIGGER stamp_roster_change BEFORE INSERT OR UPDATE ON cds.teams
    FOR EACH ROW EXECUTE FUNCTION cds.stamp_roster_change();
CREATE TRIGGER stamp_roster_change BEFORE INSERT OR UPDATE ON cds.members
    FOR EACH ROW EXECUTE FUNCTION cds.stamp_roster_change();
