#!/usr/bin/env bash
# Benchmark: citizens' reports filed through the native partner API (POST /v1/partner/reports, JSON, a fresh
# Idempotency-Key each) with wrk, keep-alive, 16 connections — against pgbench running the same transaction as
# cds_app with 16 clients: the district's scope and actor set, the key's lock and reservation (expired keys
# deleted), the report with its tracking code, the citizen's contact and its first status, the answer stored under
# the key. Both arms write the
# same rows into the same database, alternating, ROUNDS times; the rates and their ratio are printed side by side.
# Then, each round, the API is loaded again at half of the rate pgbench just reached, paced (every wrk thread sends
# on a fixed schedule, whatever the answers' latency), and its p99 latency at that rate is printed with the rate
# actually reached. Targets (issue 6): ≥ 0.6 of pgbench; the p99 at half rate is reported.
#
# Usage: ops/bench/feedback-submit.sh   (builds cds-server and cds-admin in release mode first)
#   DURATION=15 seconds per arm;  ROUNDS=2;  WARMUP=2 seconds of each arm first;
#   CDS_BENCH_BIN=dir  use the binaries in dir instead of building
# Needs psql, pgbench and python3; installs wrk from Debian if it is missing. Everything is on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-15}
rounds=${ROUNDS:-2}

source ops/bench/lib.sh
bench_need_wrk
bench_server feedback
token=$("$bin/cds-admin" bootstrap --force --name bench-feedback 2>/dev/null)
key=$(CDS_SERVER="$api" CDS_TOKEN=$token "$bin/cds-admin" partners add --name bench-app --districts all --rate 100000 2>/dev/null)
partner=$(psql "$app_url" -XAtq -c "SELECT id FROM cds.partner_apps WHERE name = 'bench-app'")

# A road report in Phường Chiềng Lề with the citizen's contact: the same for both arms.
cat >"$work/submit.lua" <<LUA
local counter = 0
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("id", thread_id) end
-- Keys never repeat across runs (each run is named by its first argument): a repeated key would be a cheap replay.
function init(args) prefix = "wrk-" .. args[1] .. "-" .. id .. "-" end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "$key"
wrk.body = '{"service_code":"giao-thong","address_id":"3646","description":"Đường bị sạt lở, xe máy đi rất nguy hiểm.","attributes":{"blocked":"no"},"contact":{"name":"Lò Thị Mai","phone":"0912345678"}}'
-- Pacing (paced.lua only): each thread owns a schedule of send times INTERVAL ms apart, shared by its
-- connections; a connection waits for the next free slot before each request. LuaJIT's FFI reads the monotonic clock.
if INTERVAL then
    local ffi = require("ffi")
    ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } cds_timespec; int clock_gettime(int clock, cds_timespec *time); ]]
    local time = ffi.new("cds_timespec")
    local function now() ffi.C.clock_gettime(1, time); return tonumber(time.tv_sec) * 1000 + tonumber(time.tv_nsec) / 1e6 end
    local next_slot = nil
    function delay()
        local at = now()
        next_slot = math.max(next_slot or at, at - INTERVAL) + INTERVAL
        return math.max(0, next_slot - at)
    end
end
function request()
    counter = counter + 1
    wrk.headers["Idempotency-Key"] = prefix .. counter
    return wrk.format(nil, "/v1/partner/reports")
end
LUA

cat >"$work/baseline.sql" <<SQL
\set key random(1, 1000000000000)
BEGIN;
SELECT set_config('cds.tenant_ids', '116', true), set_config('cds.actor', 'partner:bench-app', true);
WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended('$partner' || '/pg-' || :client_id || '-' || :key, 0)) AS taken),
expired AS (DELETE FROM cds.partner_idempotency_keys
            WHERE partner_id = '$partner' AND key <> 'pg-' || :client_id || '-' || :key AND created_at < now() - interval '48 hours' AND (SELECT taken FROM lock)),
reserved AS (INSERT INTO cds.partner_idempotency_keys AS kept (partner_id, key, request_sha256, response_status, response_body)
             SELECT '$partner', 'pg-' || :client_id || '-' || :key, sha256('body'), 0, ''::bytea FROM lock WHERE taken
             ON CONFLICT (partner_id, key) DO UPDATE SET request_sha256 = excluded.request_sha256, response_status = 0, response_body = ''::bytea, created_at = now()
             WHERE kept.created_at < now() - interval '48 hours'
             RETURNING true)
SELECT (SELECT taken FROM lock), EXISTS (SELECT FROM reserved);
WITH report AS (
    INSERT INTO cds.feedback_reports (tenant_id, tracking_code, category_code, commune_code, handling_level, description, attributes,
                                      partner_id, due_at, submitted_at, updated_at)
    SELECT 116, 'PAKN-2026-' || lpad(n::text, greatest(6, length(n::text)), '0'), 'giao-thong', 3646, 'district',
           'Đường bị sạt lở, xe máy đi rất nguy hiểm.', '{"blocked": ["no"]}', '$partner', now() + interval '14 days', now(), now()
    FROM nextval('cds.feedback_tracking_numbers') AS n
    RETURNING id),
contact AS (
    INSERT INTO cds.feedback_contacts (tenant_id, report_id, contact_name, contact_phone) SELECT 116, id, 'Lò Thị Mai', '0912345678' FROM report)
INSERT INTO cds.feedback_updates (tenant_id, report_id, kind, status_to, actor) SELECT 116, id, 'status', 'submitted', 'partner:bench-app' FROM report;
UPDATE cds.partner_idempotency_keys SET response_status = 201, response_body = '\\x7b7d'
WHERE partner_id = '$partner' AND key = 'pg-' || :client_id || '-' || :key;
COMMIT;
SQL

reports() { psql "$app_url" -XAtq -c "SELECT set_config('cds.tenant_ids', '116', false)" -c "SELECT count(*) FROM cds.feedback_reports" | tail -1; }
# wrk with SCRIPT for SECONDS into OUT; fails unless every answer was a 2xx and each filed a new report.
wrk_run() {
    local before; before=$(reports)
    bench_wrk_checked "$work/$3" -c16 -d"$2"s --latency -s "$work/$1" "$api" -- "$(date +%s%N)"
    local answered filed; answered=$(awk '/ requests in / { print $1 }' "$work/$3"); filed=$(($(reports) - before))
    if ((filed < answered)); then echo "wrk had $answered answers but only $filed new reports" >&2; exit 1; fi
}
run_wrk() {
    wrk_run submit.lua "$1" wrk.out
    awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$work/wrk.out"
}
# wrk at a fixed total rate (requests/s) split over its 2 threads: prints the rate reached and the p99.
run_paced() {
    { echo "INTERVAL = $(awk -v r="$2" 'BEGIN { printf "%.3f", 2000 / r }')"; cat "$work/submit.lua"; } >"$work/paced.lua"
    wrk_run paced.lua "$1" paced.out
    awk '/^Requests\/sec:/ { rate = $2 } / 99%/ { p99 = $2 } END { printf "%.1f  %s", rate, p99 }' "$work/paced.out"
}
run_pgbench() { bench_pgbench 16 "$1" "$work/baseline.sql" "$work/pgbench.out" "$app_url"; }

run_wrk "${WARMUP:-2}" >/dev/null
run_pgbench 2 >/dev/null
echo "round  API reports/s  pgbench tx/s  ratio  API p99 (full load)  half rate: asked  reached  p99"
for round in $(seq 1 "$rounds"); do
    if ((round % 2)); then
        submitted=$(run_wrk "$duration"); p99=$(awk '/ 99%/ { print $2 }' "$work/wrk.out"); base=$(run_pgbench "$duration")
    else
        base=$(run_pgbench "$duration"); submitted=$(run_wrk "$duration"); p99=$(awk '/ 99%/ { print $2 }' "$work/wrk.out")
    fi
    half=$(awk -v b="$base" 'BEGIN { printf "%.0f", b / 2 }')
    paced=$(run_paced "$duration" "$half")
    printf "%5d  %13s  %12s  %5s  %19s  %16s  %s\n" "$round" "$submitted" "$base" "$(bench_ratio "$submitted" "$base")" "$p99" "$half" "$paced"
    bench_result "feedback submit, partner API vs pgbench of its transaction" "$submitted" "$base" "reports/s : tx/s"
done
