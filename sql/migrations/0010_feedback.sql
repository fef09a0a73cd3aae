-- Citizens' feedback and complaints (phản ánh, kiến nghị) relayed by partner apps: the category catalogue, the
-- partner apps, the reports with their contact data, updates and webhook outbox (issue 6).
--
-- What belongs to a district is a tenant table under the foundation's rules (the reports, their contacts, their
-- updates, the webhook deliveries about them). The category catalogue and the public holidays are the province's
-- reference data, shared as the unit tree is; partner apps and their idempotency keys are control plane, as staff
-- accounts and sync clients are (read to authenticate a request before any tenant scope exists).

-- The Open311 "services": what a citizen can report. Province-wide: every district handles the same kinds of report.
-- A report's due time is `sla_working_days` working days after it is submitted; `handling_level` says whether the
-- report's commune or its district handles it.
CREATE TABLE cds.feedback_categories (
    code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name text NOT NULL CHECK (btrim(name) <> ''),
    description text NOT NULL DEFAULT '',
    group_name text NOT NULL CHECK (btrim(group_name) <> ''),
    keywords text[] NOT NULL DEFAULT '{}',
    -- Open311 service definition attributes: [{code, datatype, required, description, order, values: [{key, name}]}].
    attributes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attributes) = 'array'),
    sla_working_days integer NOT NULL CHECK (sla_working_days BETWEEN 1 AND 60),
    handling_level text NOT NULL CHECK (handling_level IN ('commune', 'district')),
    display_order integer NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true
);
GRANT SELECT ON cds.feedback_categories TO cds_app;

INSERT INTO cds.feedback_categories (code, name, description, group_name, keywords, attributes, sla_working_days, handling_level, display_order)
VALUES
    ('ho-tro-cong-nghe-so', 'Đề nghị tổ công nghệ số hỗ trợ',
     'Người dân cần tổ công nghệ số cộng đồng hướng dẫn, hỗ trợ sử dụng dịch vụ số.', 'Chuyển đổi số',
     ARRAY['hỗ trợ', 'hướng dẫn', 'tổ công nghệ số'],
     '[{"code": "support_type", "datatype": "singlevaluelist", "required": false, "description": "Cần hỗ trợ về", "order": 1,
        "values": [{"key": "vneid", "name": "Định danh điện tử VNeID"}, {"key": "dich-vu-cong", "name": "Dịch vụ công trực tuyến"},
                   {"key": "thanh-toan", "name": "Thanh toán không dùng tiền mặt"}, {"key": "khac", "name": "Khác"}]}]',
     3, 'commune', 1),
    ('dich-vu-cong-truc-tuyen', 'Dịch vụ công trực tuyến',
     'Lỗi, vướng mắc khi nộp hồ sơ trên Cổng dịch vụ công.', 'Chuyển đổi số', ARRAY['dịch vụ công', 'hồ sơ', 'cổng'], '[]', 5, 'district', 2),
    ('dinh-danh-dien-tu', 'Định danh điện tử VNeID',
     'Vướng mắc khi đăng ký, kích hoạt tài khoản định danh điện tử.', 'Chuyển đổi số', ARRAY['VNeID', 'định danh'], '[]', 5, 'commune', 3),
    ('thanh-toan-khong-dung-tien-mat', 'Thanh toán không dùng tiền mặt',
     'Vướng mắc khi thanh toán điện tử, chi trả an sinh xã hội qua tài khoản.', 'Chuyển đổi số', ARRAY['thanh toán', 'tài khoản'], '[]', 5, 'commune', 4),
    ('song-di-dong-internet', 'Sóng di động, Internet',
     'Nơi chưa có sóng di động, Internet chập chờn.', 'Hạ tầng số', ARRAY['sóng', 'internet', '4G'], '[]', 10, 'district', 5),
    ('giao-thong', 'Hạ tầng giao thông',
     'Đường hỏng, sạt lở, cầu tràn hư hại.', 'Hạ tầng', ARRAY['đường', 'sạt lở', 'cầu'],
     '[{"code": "blocked", "datatype": "singlevaluelist", "required": true, "description": "Đường có bị chia cắt không?", "order": 1,
        "values": [{"key": "yes", "name": "Có"}, {"key": "no", "name": "Không"}]}]',
     10, 'district', 6),
    ('dien-chieu-sang', 'Điện, chiếu sáng công cộng', 'Mất điện, đèn đường hỏng.', 'Hạ tầng', ARRAY['điện', 'đèn'], '[]', 7, 'commune', 7),
    ('moi-truong', 'Vệ sinh môi trường', 'Rác thải, ô nhiễm, nước thải.', 'Môi trường', ARRAY['rác', 'ô nhiễm'], '[]', 7, 'commune', 8),
    ('khac', 'Phản ánh, kiến nghị khác', 'Những phản ánh, kiến nghị không thuộc các lĩnh vực trên.', 'Khác', ARRAY[]::text[], '[]', 10, 'district', 9);

-- Days off besides weekends, which due times skip. The fixed national holidays are seeded; the lunar ones (Tết,
-- the Hùng Kings' day) and any swapped working days are set each year by the operators.
CREATE TABLE cds.public_holidays (
    day date PRIMARY KEY,
    name text NOT NULL CHECK (btrim(name) <> '')
);
GRANT SELECT ON cds.public_holidays TO cds_app;
INSERT INTO cds.public_holidays (day, name)
SELECT make_date(y, m, d), name
FROM generate_series(2026, 2030) AS y,
     (VALUES (1, 1, 'Tết Dương lịch'), (4, 30, 'Ngày Giải phóng miền Nam'), (5, 1, 'Ngày Quốc tế Lao động'),
             (9, 2, 'Quốc khánh')) AS fixed (m, d, name);

-- An app that relays citizens' reports: known by the SHA-256 of its API key, limited to its districts (NULL: all),
-- told of status changes at its webhook URL, each message signed with its secret (Standard Webhooks).
CREATE TABLE cds.partner_apps (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    api_key_sha256 bytea NOT NULL UNIQUE CHECK (length(api_key_sha256) = 32),
    districts integer[] CHECK (cardinality(districts) > 0),
    webhook_url text CHECK (webhook_url ~ '^https?://' AND length(webhook_url) <= 2000),
    webhook_secret bytea NOT NULL CHECK (length(webhook_secret) BETWEEN 24 AND 64),
    requests_per_minute integer NOT NULL DEFAULT 120 CHECK (requests_per_minute > 0),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON cds.partner_apps TO cds_app;
CALL cds.audit_table('cds.partner_apps', ARRAY['id']);

-- Tracking codes are numbered across the province (PAKN-2026-000123): a citizen quotes one code, whatever the district.
CREATE SEQUENCE cds.feedback_tracking_numbers;
GRANT USAGE ON SEQUENCE cds.feedback_tracking_numbers TO cds_app;

-- A citizen's report, in the district of the commune it is about. The category is named by code, not by a
-- foreign key: tenant rows reach shared ones only through the tenant key (rule 5); the application checks it.
CREATE TABLE cds.feedback_reports (
    tenant_id integer NOT NULL REFERENCES cds.tenants (tenant_id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    tracking_code text NOT NULL CHECK (tracking_code ~ '^PAKN-[0-9]{4}-[0-9]{6,}$'),
    -- Open311's token: what a POST answers when the id is not known yet; here both are known at once.
    token uuid NOT NULL DEFAULT gen_random_uuid(),
    category_code text NOT NULL,
    commune_code integer NOT NULL,
    hamlet_code text,
    handling_level text NOT NULL CHECK (handling_level IN ('commune', 'district')),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    address text CHECK (length(address) <= 500),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    media_urls text[] NOT NULL DEFAULT '{}' CHECK (cardinality(media_urls) <= 10),
    attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    -- NULL: entered by staff.
    partner_id uuid,
    status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted', 'in_progress', 'resolved',
        'rejected', 'closed', 'reopened', 'duplicate', 'not_responsible')),
    assignee_id uuid,
    duplicate_of bigint,
    referred_to text CHECK (length(referred_to) <= 500),
    due_at timestamptz NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    -- When it was first answered (resolved, rejected, a duplicate or not ours): what the on-time rate measures.
    answered_at timestamptz,
    anonymised_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, tracking_code),
    UNIQUE (tenant_id, token),
    FOREIGN KEY (tenant_id, commune_code) REFERENCES cds.units (district_code, code),
    FOREIGN KEY (tenant_id, hamlet_code) REFERENCES cds.hamlets (tenant_id, code),
    FOREIGN KEY (tenant_id, duplicate_of) REFERENCES cds.feedback_reports (tenant_id, id),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL))
);
CREATE INDEX feedback_reports_status_idx ON cds.feedback_reports (tenant_id, status, due_at);
CREATE INDEX feedback_reports_submitted_idx ON cds.feedback_reports (tenant_id, submitted_at);
CREATE INDEX feedback_reports_partner_idx ON cds.feedback_reports (tenant_id, partner_id, submitted_at);
GRANT SELECT, INSERT, UPDATE ON cds.feedback_reports TO cds_app;
CALL cds.make_tenant_table('cds.feedback_reports');
CALL cds.audit_table('cds.feedback_reports', ARRAY['id']);

-- The citizen's contact, personal data kept apart from the report so that no public read can reach it by
-- accident: read only by the handlers of the report's unit, each read audited; removed when anonymised.
CREATE TABLE cds.feedback_contacts (
    tenant_id integer NOT NULL,
    report_id bigint NOT NULL,
    contact_name text CHECK (length(contact_name) <= 200),
    contact_phone text CHECK (length(contact_phone) <= 20),
    contact_email text CHECK (length(contact_email) <= 254),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, report_id),
    FOREIGN KEY (tenant_id, report_id) REFERENCES cds.feedback_reports (tenant_id, id) ON DELETE CASCADE
);
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.feedback_contacts TO cds_app;
CALL cds.make_tenant_table('cds.feedback_contacts');
CALL cds.audit_table('cds.feedback_contacts', ARRAY['report_id']);

-- What happened to a report, in order: status changes, public responses, internal notes, the citizen's follow-ups
-- and assignments. `public` ones are what Open311 and the partner see; internal notes never are.
CREATE TABLE cds.feedback_updates (
    tenant_id integer NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    report_id bigint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('status', 'response', 'note', 'follow_up', 'assignment')),
    status_from text,
    status_to text,
    public_message text CHECK (length(public_message) BETWEEN 1 AND 4000),
    internal_note text CHECK (length(internal_note) BETWEEN 1 AND 4000),
    actor text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, report_id) REFERENCES cds.feedback_reports (tenant_id, id),
    CHECK ((kind = 'status') = (status_to IS NOT NULL)),
    CHECK (kind <> 'note' OR (internal_note IS NOT NULL AND public_message IS NULL))
);
CREATE INDEX feedback_updates_report_idx ON cds.feedback_updates (tenant_id, report_id, id);
CREATE INDEX feedback_updates_time_idx ON cds.feedback_updates (tenant_id, created_at);
GRANT SELECT, INSERT ON cds.feedback_updates TO cds_app;
CALL cds.make_tenant_table('cds.feedback_updates');

-- A partner's Idempotency-Key and the answer it got: the same key and body again get that answer (for 24 hours at
-- least), another body with the key is refused. Keyed by partner, so one partner's keys never meet another's.
CREATE TABLE cds.partner_idempotency_keys (
    partner_id uuid NOT NULL REFERENCES cds.partner_apps (id),
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_sha256 bytea NOT NULL CHECK (length(request_sha256) = 32),
    response_status integer NOT NULL,
    response_body bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, key)
);
CREATE INDEX partner_idempotency_keys_age_idx ON cds.partner_idempotency_keys (created_at);
GRANT SELECT, INSERT, DELETE ON cds.partner_idempotency_keys TO cds_app;

-- The webhook outbox: a message to a partner about its report, written in the transaction of the change and
-- delivered afterwards by cds-server's worker (retried with back-off, then dead-lettered until redelivered).
CREATE TABLE cds.webhook_deliveries (
    tenant_id integer NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    -- Standard Webhooks' webhook-id: the same on every attempt, so the receiver can drop repeats.
    message_id text NOT NULL,
    partner_id uuid NOT NULL,
    report_id bigint NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- When its retry window began: when it was queued, or when an operator redelivered it.
    window_started_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    last_error text,
    delivered_at timestamptz,
    dead_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, message_id),
    FOREIGN KEY (tenant_id, report_id) REFERENCES cds.feedback_reports (tenant_id, id)
);
CREATE INDEX webhook_deliveries_due_idx ON cds.webhook_deliveries (tenant_id, next_attempt_at)
    WHERE delivered_at IS NULL AND dead_at IS NULL;
GRANT SELECT, INSERT, UPDATE ON cds.webhook_deliveries TO cds_app;
CALL cds.make_tenant_table('cds.webhook_deliveries');

-- The audit log names that a citizen's contact or a partner's credentials changed, never the values.
CREATE OR REPLACE FUNCTION cds.audit_image(row_image jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_object_agg(
               key,
               CASE WHEN key IN ('phone', 'birth_year', 'ethnicity', 'secret_sha256', 'contact_name', 'contact_phone',
                                 'contact_email', 'api_key_sha256', 'webhook_secret') AND value <> 'null'::jsonb
                    THEN '"redacted"'::jsonb ELSE value END),
           '{}'::jsonb)
    FROM jsonb_each(row_image)
    WHERE key <> ALL (cds.audit_bookkeeping_columns())
$$;
