# Sourced by the benchmark scenarios in ops/bench: the binaries, one cds-server on an embedded cluster, the database
# URLs, and the results file that ops/bench/run prints its table from.
#
# A scenario run by itself builds (or takes CDS_BENCH_BIN), starts its own server on a fresh cluster and stops it
# at exit. Run by ops/bench/run, it finds CDS_BENCH_ATTACH=1 and uses the server run started (CDS_DATA_DIR,
# CDS_HTTP_ADDR and CDS_GRPC_ADDR name it), so that every scenario measures the same database.

bench_now() { date +%s.%N; }
bench_since() { awk -v a="$1" -v b="$(bench_now)" 'BEGIN { printf "%.1f", b - a }'; }
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
bench_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# Sets bin: CDS_BENCH_BIN, or a release build made now.
bench_binaries() {
    if [ -n "${CDS_BENCH_BIN:-}" ]; then
        bin=$CDS_BENCH_BIN
    else
        swift build -c release --product cds-server >/dev/null
        swift build -c release --product cds-admin >/dev/null
        bin=$(swift build -c release --show-bin-path)
    fi
}

bench_need_wrk() {
    command -v wrk >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
}

# bench_server NAME: sets bin (bench_binaries), work (a directory of the scenario's own, removed at exit), api,
# app_url, owner_url, superuser_url, db_port, server_pid (cds-server's) and server (the same when started here, to
# stop at exit; empty when attached). Started here: no per-token rate limit (the load is one token's, far beyond a
# person's) and warnings only in the log, as under ops/bench/run.
bench_server() {
    bench_binaries
    work=$(mktemp -d "/tmp/cds-bench-$1-XXXXXX")
    chmod 711 "$work"
    server=
    trap bench_cleanup EXIT
    if [ -z "${CDS_BENCH_ATTACH:-}" ]; then
        export CDS_DATA_DIR="$work/data" CDS_HTTP_ADDR="127.0.0.1:$(bench_free_port)" CDS_GRPC_ADDR="127.0.0.1:$(bench_free_port)" \
            CDS_METRICS_ADDR=127.0.0.1:0
        export CDS_RATE_LIMIT=0 CDS_LOG_LEVEL=${CDS_LOG_LEVEL:-warning}
        "$bin/cds-server" >"$work/server.log" 2>&1 &
        server=$!
    fi
    server_pid=${server:-${CDS_BENCH_SERVER_PID:-}}
    api="http://$CDS_HTTP_ADDR"
    local _
    for _ in $(seq 1 240); do
        curl -sf "$api/readyz" >/dev/null 2>&1 && break
        if [ -n "$server" ] && ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
        sleep 0.5
    done
    curl -sf "$api/readyz" >/dev/null || { echo "cds-server at $api is not ready" >&2; exit 1; }
    app_url=$("$bin/cds-admin" db url --role app)
    owner_url=$("$bin/cds-admin" db url --role owner)
    db_port=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).port)' "$owner_url")
    # The embedded cluster listens on TCP only and wants scram-sha-256 everywhere: the superuser comes in with the
    # password the cluster keeps in CDS_DATA_DIR (readable by root).
    superuser_url="postgresql://postgres:$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["superuser"])' \
        "$CDS_DATA_DIR/postgres-credentials.json")@127.0.0.1:$db_port/cds"
}

bench_cleanup() {
    if [ -n "$server" ]; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        # The server stops the cluster it started; this catches one that died without doing so.
        "$bin/cds-admin" db stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}

# bench_result SCENARIO API BASELINE UNIT: one round's two rates, for ops/bench/run's table (CDS_BENCH_RESULTS).
bench_result() {
    if [ -n "${CDS_BENCH_RESULTS:-}" ]; then printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$CDS_BENCH_RESULTS"; fi
}

# bench_baseline_role TABLE...: cds_bench, a BYPASSRLS role that may read TABLEs, for the baselines that name their
# district outright instead of running under a tenant scope; sets bench_password.
bench_baseline_role() {
    bench_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    local tables
    tables=$(printf 'cds.%s, ' "$@")
    psql "$superuser_url" -XAtq -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cds_bench') THEN CREATE ROLE cds_bench LOGIN BYPASSRLS; END IF;
END \$\$;
ALTER ROLE cds_bench PASSWORD '$bench_password';
GRANT CONNECT ON DATABASE cds TO cds_bench;
GRANT USAGE ON SCHEMA cds TO cds_bench;
GRANT SELECT ON ${tables%, } TO cds_bench;
SQL
}

# bench_pgbench CLIENTS SECONDS SCRIPT OUT [URL]: pgbench's transactions per second (as cds_bench unless URL).
bench_pgbench() {
    local url=${5:-"postgresql://cds_bench:$bench_password@127.0.0.1:$db_port/cds"}
    pgbench "$url" -n -c"$1" -j2 -T "$2" -f "$3" >"$4" 2>&1 || { cat "$4" >&2; exit 1; }
    awk '/^tps = / { printf "%.1f", $3 }' "$4"
}

# bench_wrk_checked OUT WRK_ARGUMENTS...: wrk on 2 threads, its report in OUT. wrk counts any answer, so a non-2xx
# one or a socket error (timeouts included: a slow answer must not pass for a fast failure) fails the run.
bench_wrk_checked() {
    local out=$1
    shift
    wrk -t2 --timeout 30s "$@" >"$out"
    if grep -Eq 'Non-2xx|Socket errors' "$out"; then cat "$out" >&2; exit 1; fi
}

# bench_wrk CONNECTIONS SECONDS TOKEN PATH OUT: wrk's requests per second on a GET as TOKEN.
bench_wrk() {
    bench_wrk_checked "$5" -c"$1" -d"$2"s -H "Authorization: Bearer $3" "$api$4"
    awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$5"
}

# bench_members N: Sơn La's 2023 teams (the demo seed, unless already there) and N members in all, the members
# added spread evenly over the teams; sets bench_scope_sql (the owner's session scoped to every district, with an actor)
# and bench_members_summary.
# As the owner, because that is the role operators load data with; RLS is forced on it too, so the session
# scopes itself to every district, and the audit triggers want an actor (they then write one audit row per
# member, as for any load). Each team gets the same number of members, so the districts keep their relative
# sizes; one INSERT per district keeps each statement's transition table (for the audit) to a few 100,000 rows.
# Every value satisfies 0003_registry.sql: role 'member' (one leader per team is already seeded), mobile
# numbers in national form or none, names normalised to NFC whatever this file's own encoding.
bench_members() {
    if [ "$(psql "$owner_url" -XAtq -c "SELECT set_config('cds.tenant_ids', '116', false)" -c "SELECT count(*) FROM cds.teams" | tail -1)" = 0 ]; then
        "$bin/cds-admin" demo seed sonla-2023 >/dev/null
    fi
    bench_scope_sql="SELECT set_config('cds.tenant_ids', (SELECT string_agg(tenant_id::text, ',') FROM cds.tenants), false),
        set_config('cds.actor', 'operator:bench', false)"
    local existing to_add start insert_seconds tenant
    existing=$(psql "$owner_url" -XAtq -c "$bench_scope_sql" -c "SELECT count(*) FROM cds.members" | tail -1)
    to_add=$(($1 > existing ? $1 - existing : 0))
    start=$(bench_now)
    for tenant in $(psql "$owner_url" -XAtc "SELECT tenant_id FROM cds.tenants ORDER BY tenant_id"); do
        psql "$owner_url" -XAtq -v ON_ERROR_STOP=1 -c "$bench_scope_sql" -c "
            INSERT INTO cds.members (tenant_id, team_id, full_name, gender, birth_year, ethnicity, phone, role,
                                     affiliation, has_smartphone, trained, joined_on, source_system)
            SELECT t.tenant_id, t.id,
                   normalize((ARRAY['Lò', 'Cầm', 'Quàng', 'Lường', 'Nguyễn', 'Hoàng', 'Vì', 'Tòng'])[1 + g % 8]
                       || CASE WHEN g % 2 = 0 THEN ' Văn ' ELSE ' Thị ' END
                       || (ARRAY['Hùng', 'Lan', 'Minh', 'Thủy', 'Sơn', 'Hương', 'Dũng', 'Mai', 'Tuấn', 'Ánh', 'Phương'])[1 + g % 11], NFC),
                   CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END,
                   (1960 + g % 45)::smallint,
                   normalize((ARRAY['Thái', 'Kinh', 'H''Mông', 'Mường', 'Dao', 'Khơ Mú'])[1 + g % 6], NFC),
                   CASE WHEN g % 10 = 0 THEN NULL ELSE '09' || lpad(((t.k * 100003 + g * 7919) % 100000000)::text, 8, '0') END,
                   'member',
                   (ARRAY['hamlet_head', 'commune_official', 'police', 'youth_union', 'women_union', 'veterans_association',
                          'farmers_association', 'teacher', 'health_worker', 'telecom_staff', 'party_cell', 'resident', 'other'])[1 + g % 13],
                   g % 5 <> 0, g % 3 = 0, DATE '2023-01-01' + g % 700, 'bench'
            FROM (SELECT tenant_id, id, count(*) OVER () AS teams, row_number() OVER (ORDER BY tenant_id, id) AS k
                  FROM cds.teams) AS t
            CROSS JOIN LATERAL generate_series(1, ($to_add / t.teams + CASE WHEN t.k <= $to_add % t.teams THEN 1 ELSE 0 END)::int) AS g
            WHERE t.tenant_id = $tenant" >/dev/null
    done
    insert_seconds=$(bench_since "$start")
    # What autovacuum would do after such a load (statistics, hint bits, visibility map), done now so that both
    # sides measure the steady state and not the first reader's clean-up.
    start=$(bench_now)
    psql "$owner_url" -XAtq -v ON_ERROR_STOP=1 -c "VACUUM (ANALYZE) cds.members" -c "VACUUM (ANALYZE) cds.teams" \
        -c "VACUUM (ANALYZE) cds.audit_log"
    bench_members_summary="adding $to_add took $insert_seconds s, VACUUM (ANALYZE) $(bench_since "$start") s"
}
