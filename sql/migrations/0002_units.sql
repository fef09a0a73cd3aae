-- The administrative units: province, districts, communes, hamlets (docs/architecture.md).
--
-- National units (province, district, commune) carry GSO codes, are shared reference data and are
-- read-only for the application. Hamlets have no national code list: they belong to their district
-- (a tenant table) and get a local code "<commune code>-<nnn>" that never collides with a GSO code.
-- Both carry validity dates, so that a re-organisation retires units instead of deleting them.

CREATE TABLE cds.units (
    code integer PRIMARY KEY CHECK (code > 0),
    name text NOT NULL CHECK (btrim(name) <> '' AND name = normalize(name, NFC)),
    level text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    division_type text NOT NULL CHECK (division_type ~ '^[a-z_]+$'),
    parent_code integer REFERENCES cds.units (code),
    -- The tenant the unit belongs to: a district's own code, a commune's district; NULL for a province.
    district_code integer REFERENCES cds.tenants (tenant_id),
    display_order integer NOT NULL DEFAULT 0,
    valid_from date,
    valid_to date,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
    CHECK (
        (level = 'province' AND parent_code IS NULL AND district_code IS NULL)
        OR (level = 'district' AND parent_code IS NOT NULL AND district_code = code)
        OR (level = 'commune' AND parent_code IS NOT NULL AND district_code = parent_code)
    ),
    -- Target of the tenant tables' composite foreign keys: (tenant_id, commune_code).
    UNIQUE (district_code, code)
);
CREATE INDEX units_parent_idx ON cds.units (parent_code);
GRANT SELECT ON cds.units TO cds_app;

CREATE TABLE cds.hamlets (
    tenant_id integer NOT NULL REFERENCES cds.tenants (tenant_id),
    code text NOT NULL CHECK (code ~ '^[0-9]{1,6}-[0-9]{3,5}$'),
    commune_code integer NOT NULL,
    name text NOT NULL CHECK (btrim(name) <> '' AND name = normalize(name, NFC)),
    kind text NOT NULL CHECK (kind IN ('to_dan_pho', 'ban', 'tieu_khu', 'thon', 'xom', 'khac')),
    display_order integer NOT NULL DEFAULT 0,
    valid_from date NOT NULL DEFAULT current_date,
    valid_to date,
    source_system text NOT NULL DEFAULT 'local',
    external_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    PRIMARY KEY (tenant_id, code),
    UNIQUE (tenant_id, commune_code, code),
    UNIQUE (tenant_id, source_system, external_id),
    FOREIGN KEY (tenant_id, commune_code) REFERENCES cds.units (district_code, code)
);
CREATE INDEX hamlets_commune_idx ON cds.hamlets (tenant_id, commune_code);
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.hamlets TO cds_app;
CALL cds.make_tenant_table('cds.hamlets');

-- The whole tree as one relation, codes as text. security_invoker: the caller's RLS applies to hamlets.
CREATE VIEW cds.unit_tree WITH (security_invoker = true) AS
    SELECT code::text AS code, name, level, division_type, parent_code::text AS parent_code,
           district_code, display_order, valid_from, valid_to
    FROM cds.units
    UNION ALL
    SELECT code, name, 'hamlet', kind, commune_code::text, tenant_id, display_order, valid_from, valid_to
    FROM cds.hamlets;
GRANT SELECT ON cds.unit_tree TO cds_app;
