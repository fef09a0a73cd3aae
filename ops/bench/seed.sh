#!/usr/bin/env bash
# Benchmark: the demo seed (set-based INSERT ... SELECT FROM unnest as cds_app, under RLS, with the audit
# triggers) against a baseline of `psql \copy` of the very same rows into plain tables without RLS,
# constraints or triggers. Both run in this one invocation, so the ratio is what to compare between runs:
# these machines are noisy and absolute rates are not stable.
#
# Usage: ops/bench/seed.sh [RUNS]   (default 3; builds cds-admin in release mode first)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}

swift build -c release --product cds-admin >/dev/null
admin=$(swift build -c release --show-bin-path)/cds-admin

work=$(mktemp -d /tmp/cds-bench-XXXXXX)
chmod 711 "$work"
trap 'CDS_DATA_DIR="$work/data" "$admin" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "run  seed rows/s  \\copy rows/s  ratio"
for run in $(seq 1 "$runs"); do
    export CDS_DATA_DIR="$work/data"
    rm -rf "$CDS_DATA_DIR"
    "$admin" db start >/dev/null
    owner_url=$("$admin" db url --role owner)

    start=$(now)
    "$admin" demo seed sonla-2023 >/dev/null
    seed_seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')

    rows=$(psql "$owner_url" -Atc "SELECT set_config('cds.tenant_ids', (SELECT string_agg(tenant_id::text, ',') FROM cds.tenants), false);
        SELECT (SELECT count(*) FROM cds.hamlets) + (SELECT count(*) FROM cds.teams) + (SELECT count(*) FROM cds.members)" | tail -1)

    # Baseline: the same rows, exported, then copied into bare tables of the same columns.
    psql -q "$owner_url" <<SQL >/dev/null
SELECT set_config('cds.tenant_ids', (SELECT string_agg(tenant_id::text, ',') FROM cds.tenants), false);
\copy (SELECT * FROM cds.hamlets) TO '$work/hamlets.csv' CSV
\copy (SELECT * FROM cds.teams) TO '$work/teams.csv' CSV
\copy (SELECT * FROM cds.members) TO '$work/members.csv' CSV
CREATE SCHEMA bench;
CREATE TABLE bench.hamlets (LIKE cds.hamlets);
CREATE TABLE bench.teams (LIKE cds.teams);
CREATE TABLE bench.members (LIKE cds.members);
SQL
    start=$(now)
    psql -q "$owner_url" <<SQL >/dev/null
\copy bench.hamlets FROM '$work/hamlets.csv' CSV
\copy bench.teams FROM '$work/teams.csv' CSV
\copy bench.members FROM '$work/members.csv' CSV
SQL
    copy_seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')

    seed_rate=$(rate "$rows" "$seed_seconds")
    copy_rate=$(rate "$rows" "$copy_seconds")
    printf "%3d  %12s  %12s  %5s\n" "$run" "$seed_rate" "$copy_rate" "$(awk -v a="$seed_rate" -v b="$copy_rate" 'BEGIN { printf "%.2f", a / b }')"
    "$admin" db stop >/dev/null
done
echo "rows per run: $rows (hamlets + teams + members); seed time includes cds-admin start-up and its audit rows"
