-- Principals, credentials, roles, permissions and grants (docs/security.md).
--
-- These are the control plane: they are read to authenticate a caller and to compute the tenant scope
-- of its transactions, before any scope exists, and a grant on the province spans every district.
-- They are therefore shared tables, not tenant tables; they hold no personal data beyond a display
-- name, and which of them a caller may see or change is decided by the admin API.

CREATE TABLE cds.principals (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('staff', 'partner_app', 'sync_client')),
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name text CHECK (display_name = normalize(display_name, NFC)),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON cds.principals TO cds_app;

-- Secrets are never stored: bearer tokens and API keys as the SHA-256 of the secret, client
-- certificates as the SHA-256 fingerprint of the DER certificate.
CREATE TABLE cds.credentials (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    principal_id uuid NOT NULL REFERENCES cds.principals (id),
    kind text NOT NULL CHECK (kind IN ('bearer_token', 'api_key', 'client_certificate')),
    secret_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(secret_sha256) = 32),
    label text,
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credentials_principal_idx ON cds.credentials (principal_id);
GRANT SELECT, INSERT, UPDATE ON cds.credentials TO cds_app;

CREATE TABLE cds.permissions (
    name text PRIMARY KEY CHECK (name ~ '^[a-z_]+\.[a-z_]+$'),
    description text NOT NULL
);
GRANT SELECT ON cds.permissions TO cds_app;

CREATE TABLE cds.roles (
    name text PRIMARY KEY CHECK (name ~ '^[a-z_]+$'),
    description text NOT NULL,
    built_in boolean NOT NULL DEFAULT false
);
GRANT SELECT ON cds.roles TO cds_app;

CREATE TABLE cds.role_permissions (
    role text NOT NULL REFERENCES cds.roles (name),
    permission text NOT NULL REFERENCES cds.permissions (name),
    PRIMARY KEY (role, permission)
);
GRANT SELECT ON cds.role_permissions TO cds_app;

-- A grant gives a principal a role on a unit and covers the unit's whole subtree.
CREATE TABLE cds.grants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    principal_id uuid NOT NULL REFERENCES cds.principals (id),
    role text NOT NULL REFERENCES cds.roles (name),
    unit_code integer NOT NULL REFERENCES cds.units (code),
    granted_by uuid REFERENCES cds.principals (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (principal_id, role, unit_code)
);
CREATE INDEX grants_unit_idx ON cds.grants (unit_code);
GRANT SELECT, INSERT, DELETE ON cds.grants TO cds_app;

INSERT INTO cds.permissions (name, description) VALUES
    ('units.manage', 'Create, rename, move and retire hamlets'),
    ('teams.read', 'Read teams'),
    ('teams.manage', 'Create, change and dissolve teams'),
    ('members.read', 'Read members without their personal data'),
    ('members.read_personal', 'Read members'' phone, birth year and ethnicity'),
    ('members.manage', 'Add, change and remove members'),
    ('trainings.manage', 'Record training sessions and attendance'),
    ('activities.manage', 'Record guidance activities'),
    ('feedback.read', 'Read citizens'' feedback'),
    ('feedback.handle', 'Assign, answer and resolve feedback'),
    ('users.manage', 'Manage staff accounts, grants and tokens'),
    ('reports.read', 'Read reports'),
    ('audit.read', 'Read the audit log');

INSERT INTO cds.roles (name, description, built_in) VALUES
    ('province_admin', 'Administers the whole province', true),
    ('district_admin', 'Administers one district', true),
    ('commune_officer', 'Runs the teams of one commune', true),
    ('feedback_officer', 'Handles citizens'' feedback', true),
    ('auditor', 'Reads the audit log and reports', true);

INSERT INTO cds.role_permissions (role, permission)
SELECT 'province_admin', name FROM cds.permissions
UNION ALL
SELECT 'district_admin', name FROM cds.permissions
UNION ALL
SELECT 'commune_officer', unnest(ARRAY[
    'teams.read', 'teams.manage', 'members.read', 'members.read_personal', 'members.manage',
    'trainings.manage', 'activities.manage', 'feedback.read', 'feedback.handle', 'reports.read'])
UNION ALL
SELECT 'feedback_officer', unnest(ARRAY['feedback.read', 'feedback.handle', 'teams.read', 'reports.read'])
UNION ALL
SELECT 'auditor', unnest(ARRAY['audit.read', 'reports.read', 'teams.read', 'members.read']);
