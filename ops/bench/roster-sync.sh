#!/usr/bin/env bash
# Benchmark: a roster push through gRPC + TLS end to end (`cds-admin sync push` reading CSV files, the server
# checking, staging with COPY and merging), against a baseline of the same rows `\copy`-ed by psql into the same
# staging table and merged with the same UPDATE and INSERT … SELECT statements PushMerge runs, as cds_app under the
# district's scope (no per-record or set-wise checks, no deactivation — a new source has nothing to deactivate —,
# no network protocol, no record of the push). Keep the statements here in step with PushMerge.swift.
# Both arms write fresh rows (each its own source system) into the same database, alternating.
#
# Prints rows/s of both arms and the ratio for 10,000 and 200,000 members (with their teams and hamlets, one team of
# ten per hamlet), the peak RSS of cds-server during each push (VmHWM, reset before it), and twelve pushes of one
# district each, in sequence and at once.
# Targets (issue 5): ratio ≥ 0.7 at 200,000 and ≥ 0.5 at 10,000; the 200,000 push's peak RSS within 1.5 × the 10,000
# one's; the twelve at once faster than in sequence. Then the nightly FULL re-push of a district (issue 19), which
# passes over what did not change, against the same re-push compared field by field: target ≥ 2 ×.
#
# Usage: ops/bench/roster-sync.sh   (builds cds-server and cds-admin in release mode first)
#   SIZES="10000 200000"   members per push;   ROUNDS=2   runs of each size, alternating which arm goes first
#   PER_DISTRICT=5000      members per district in the twelve;   REPUSH_MEMBERS=200000   members of the re-pushed district
#   CDS_BENCH_BIN=dir      use the binaries in dir instead of building
# Needs psql and python3. Everything is on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=${SIZES:-"10000 200000"}
per_district=${PER_DISTRICT:-5000}
rounds=${ROUNDS:-2}

source ops/bench/lib.sh
bench_server roster-sync
# Each arm starts after a CHECKPOINT (as the embedded cluster's superuser, whose password only root can read), so
# that neither pays for writing out what the other wrote: a checkpoint started by one arm's WAL otherwise lands in
# the next, whose every first change to a page then writes the whole page to the WAL.
checkpoint() { psql "$superuser_url" -XAtq -c CHECKPOINT; }

now() { bench_now; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
ratio() { bench_ratio "$1" "$2"; }
# Peak RSS since the last reset, in MiB; writing 5 to clear_refs resets it (Linux).
reset_peak() { echo 5 >"/proc/$server_pid/clear_refs"; }
peak_mib() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }

# roster DIR DISTRICT MEMBERS SOURCE: the CSV files of `sync push`, and DIR/staging.copy, the same records as rows of
# the push's staging table (normalised as the server normalises them), for the baseline's \copy.
roster() {
    python3 - "$@" <<'PY'
import csv, os, sys
directory, district, members, source = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.makedirs(directory, exist_ok=True)
communes = [row["code"] for row in csv.DictReader(open("sql/reference/sonla/units-2023.csv", encoding="utf-8"))
            if row["level"] == "commune" and row["parent_code"] == district]
teams = max(1, members // 10)
names = ["Lò Văn Hùng", "Cầm Thị Lan", "Quàng Văn Minh", "Lường Thị Mai", "Vì Văn Sơn", "Tòng Thị Hoa"]
staging = open(f"{directory}/staging.copy", "w", encoding="utf-8")
# The staging table's own columns, in the server's order (StagingTable.swift).
columns = ["commune_code", "name", "hamlet_kind", "level", "hamlet_external_id", "established_on", "decision_ref",
           "team_external_id", "full_name", "gender", "birth_year", "phone", "role", "affiliation", "has_smartphone",
           "trained", "ethnicity", "tombstone_kind"]
def stage(kind, pos, external, **fields):
    staging.write("\t".join([str(kind), str(pos), external, "t", "\\N"]
                            + [fields[c] if fields.get(c) is not None else "\\N" for c in columns]) + "\n")
with open(f"{directory}/hamlets.csv", "w", encoding="utf-8", newline="") as h, \
     open(f"{directory}/teams.csv", "w", encoding="utf-8", newline="") as t:
    hw, tw = csv.writer(h), csv.writer(t)
    hw.writerow(["external_id", "commune_code", "name", "kind"])
    tw.writerow(["external_id", "level", "commune_code", "hamlet_external_id", "name", "established_on"])
    for i in range(teams):
        commune = communes[i % len(communes)]
        hw.writerow([f"{source}-h{i}", commune, f"Bản {source} {i}", "ban"])
        tw.writerow([f"{source}-t{i}", "hamlet", commune, f"{source}-h{i}", f"Tổ công nghệ số bản {i}", "2023-04-01"])
        stage(1, i, f"{source}-h{i}", commune_code=str(int(commune)), name=f"Bản {source} {i}", hamlet_kind="ban")
        stage(2, i, f"{source}-t{i}", level="hamlet", commune_code=str(int(commune)), hamlet_external_id=f"{source}-h{i}",
              name=f"Tổ công nghệ số bản {i}", established_on="2023-04-01")
with open(f"{directory}/members.csv", "w", encoding="utf-8", newline="") as m:
    mw = csv.writer(m)
    mw.writerow(["external_id", "team_external_id", "full_name", "gender", "birth_year", "phone", "role", "affiliation",
                 "has_smartphone", "trained"])
    for i in range(members):
        team, role = f"{source}-t{i % teams}", "leader" if i < teams else "member"
        phone = f"091{(i * 7919) % 10000000:07d}"
        mw.writerow([f"{source}-m{i}", team, names[i % 6], "male" if i % 2 else "female", 1960 + i % 45, phone, role,
                     "resident", "true", "false"])
        stage(3, i, f"{source}-m{i}", team_external_id=team, full_name=names[i % 6], gender="male" if i % 2 else "female",
              birth_year=str(1960 + i % 45), phone=phone, role=role, affiliation="resident", has_smartphone="t", trained="f")
PY
}

# The baseline arm: psql as cds_app, one transaction under the district's scope.
baseline() { # dir district source
    psql "$app_url" -XAtq -v ON_ERROR_STOP=1 >/dev/null <<SQL
BEGIN;
SELECT set_config('cds.tenant_ids', '$2', true), set_config('cds.actor', 'sync:bench-baseline', true);
CREATE TEMPORARY TABLE sync_records (
    kind smallint NOT NULL, pos integer NOT NULL, external_id text NOT NULL, valid boolean NOT NULL,
    digest bigint, commune_code integer, name text, hamlet_kind text, level text, hamlet_external_id text, established_on date,
    decision_ref text, team_external_id text, full_name text, gender text, birth_year smallint, phone text, role text,
    affiliation text, has_smartphone boolean, trained boolean, ethnicity text, tombstone_kind smallint,
    PRIMARY KEY (kind, pos)) ON COMMIT DROP;
\copy sync_records (kind, pos, external_id, valid, digest, commune_code, name, hamlet_kind, level, hamlet_external_id, established_on, decision_ref, team_external_id, full_name, gender, birth_year, phone, role, affiliation, has_smartphone, trained, ethnicity, tombstone_kind) FROM '$1/staging.copy'
CREATE INDEX ON sync_records (kind, external_id);
CREATE INDEX ON sync_records (kind, team_external_id);
ANALYZE sync_records;
-- The push's stamps: the range reserved on the district's change counter, by kind then position.
INSERT INTO cds.roster_watermarks (tenant_id, value) VALUES ($2, 0) ON CONFLICT (tenant_id) DO NOTHING;
SELECT w.value + 1 AS hamlet_stamps, w.value + 1 + count(*) FILTER (WHERE s.kind = 1) AS team_stamps,
       w.value + 1 + count(*) FILTER (WHERE s.kind <= 2) AS member_stamps, w.value + count(*) AS last_stamp
FROM sync_records s, cds.roster_watermarks w WHERE w.tenant_id = $2 GROUP BY w.value \gset
UPDATE cds.roster_watermarks SET value = :last_stamp WHERE tenant_id = $2;
WITH staged AS (SELECT * FROM sync_records WHERE kind = 1 AND valid)
UPDATE cds.hamlets h SET commune_code = s.commune_code, name = s.name, kind = s.hamlet_kind, valid_to = NULL,
                         change_seq = :hamlet_stamps + s.pos, updated_at = now()
FROM staged s
WHERE h.tenant_id = $2 AND h.source_system = '$3' AND h.external_id = s.external_id
  AND (h.commune_code, h.name, h.kind, h.valid_to) IS DISTINCT FROM (s.commune_code, s.name, s.hamlet_kind, NULL::date);
SET LOCAL enable_nestloop = off;  -- as the server runs its inserts (PushMerge.countHashing)
WITH staged AS (SELECT * FROM sync_records WHERE kind = 1 AND valid),
held AS (SELECT h.external_id FROM cds.hamlets h
         WHERE h.tenant_id = $2 AND h.source_system = '$3' AND h.external_id IN (SELECT external_id FROM staged)),
last AS (
    SELECT split_part(h.code, '-', 1) AS commune, max(split_part(h.code, '-', 2)::integer) AS number, max(h.display_order) AS display_order
    FROM cds.hamlets h WHERE h.tenant_id = $2 GROUP BY 1)
INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind, display_order, source_system, external_id, change_seq, source_digest)
SELECT $2, cds.hamlet_code(s.commune_code, coalesce(last.number, 0) + row_number() OVER w), s.commune_code, s.name, s.hamlet_kind,
       coalesce(last.display_order, 0) + row_number() OVER w, '$3', s.external_id, :hamlet_stamps + s.pos, s.digest
FROM staged s LEFT JOIN last ON last.commune = s.commune_code::text
WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.external_id = s.external_id)
WINDOW w AS (PARTITION BY s.commune_code ORDER BY s.pos);
SET LOCAL enable_nestloop = on;
WITH staged AS (SELECT * FROM sync_records WHERE kind = 2 AND valid),
hamlet AS (SELECT h.external_id, h.code FROM cds.hamlets h
           WHERE h.tenant_id = $2 AND h.source_system = '$3' AND h.external_id IN (SELECT hamlet_external_id FROM staged)),
placed AS MATERIALIZED (SELECT s.*, h.code AS hamlet_code FROM staged s LEFT JOIN hamlet h ON h.external_id = s.hamlet_external_id)
UPDATE cds.teams t SET level = s.level, commune_code = s.commune_code, hamlet_code = s.hamlet_code, name = s.name,
                       established_on = s.established_on, decision_ref = s.decision_ref, status = 'active', dissolved_on = NULL,
                       change_seq = :team_stamps + s.pos, updated_at = now()
FROM placed s
WHERE t.tenant_id = $2 AND t.source_system = '$3' AND t.external_id = s.external_id
  AND (t.level, t.commune_code, t.hamlet_code, t.name, t.established_on, t.decision_ref, t.status)
      IS DISTINCT FROM (s.level, s.commune_code, s.hamlet_code, s.name, s.established_on, s.decision_ref, 'active');
SET LOCAL enable_nestloop = off;  -- as the server runs its inserts (PushMerge.countHashing)
WITH staged AS (SELECT * FROM sync_records WHERE kind = 2 AND valid),
hamlet AS (SELECT h.external_id, h.code FROM cds.hamlets h
           WHERE h.tenant_id = $2 AND h.source_system = '$3' AND h.external_id IN (SELECT hamlet_external_id FROM staged)),
placed AS MATERIALIZED (SELECT s.*, h.code AS hamlet_code FROM staged s LEFT JOIN hamlet h ON h.external_id = s.hamlet_external_id),
held AS (SELECT t.external_id FROM cds.teams t
         WHERE t.tenant_id = $2 AND t.source_system = '$3' AND t.external_id IN (SELECT external_id FROM staged))
INSERT INTO cds.teams (tenant_id, level, commune_code, hamlet_code, name, established_on, decision_ref, source_system, external_id, change_seq,
                       source_digest)
SELECT $2, s.level, s.commune_code, s.hamlet_code, s.name, s.established_on, s.decision_ref, '$3', s.external_id, :team_stamps + s.pos, s.digest
FROM placed s
WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.external_id = s.external_id);
SET LOCAL enable_nestloop = on;
WITH staged AS (SELECT * FROM sync_records WHERE kind = 3 AND valid),
team AS (SELECT t.external_id, t.id FROM cds.teams t
         WHERE t.tenant_id = $2 AND t.source_system = '$3' AND t.external_id IN (SELECT team_external_id FROM staged)),
placed AS MATERIALIZED (SELECT s.*, t.id AS team_id FROM staged s JOIN team t ON t.external_id = s.team_external_id)
UPDATE cds.members m SET team_id = s.team_id, full_name = s.full_name, gender = s.gender, birth_year = s.birth_year,
                         phone = s.phone, role = s.role, affiliation = s.affiliation,
                         has_smartphone = s.has_smartphone, trained = s.trained, ethnicity = s.ethnicity, left_on = NULL, change_seq = :member_stamps + s.pos, updated_at = now()
FROM placed s
WHERE m.tenant_id = $2 AND m.source_system = '$3' AND m.external_id = s.external_id
  AND (m.team_id, m.full_name, m.gender, m.birth_year, m.phone, m.role, m.affiliation, m.has_smartphone,
       m.trained, m.ethnicity, m.left_on)
      IS DISTINCT FROM (s.team_id, s.full_name, s.gender, s.birth_year, s.phone, s.role, s.affiliation, s.has_smartphone,
                         s.trained, s.ethnicity, NULL::date);
SET LOCAL enable_nestloop = off;  -- as the server runs its inserts (PushMerge.countHashing)
WITH staged AS (SELECT * FROM sync_records WHERE kind = 3 AND valid),
team AS (SELECT t.external_id, t.id FROM cds.teams t
         WHERE t.tenant_id = $2 AND t.source_system = '$3' AND t.external_id IN (SELECT team_external_id FROM staged)),
placed AS MATERIALIZED (SELECT s.*, t.id AS team_id FROM staged s JOIN team t ON t.external_id = s.team_external_id),
held AS (SELECT m.external_id FROM cds.members m
         WHERE m.tenant_id = $2 AND m.source_system = '$3' AND m.external_id IN (SELECT external_id FROM staged))
INSERT INTO cds.members (tenant_id, team_id, full_name, gender, birth_year, phone, role, affiliation, has_smartphone,
                         trained, ethnicity, source_system, external_id, change_seq, source_digest)
SELECT $2, s.team_id, s.full_name, s.gender, s.birth_year, s.phone, s.role, s.affiliation, s.has_smartphone,
       s.trained, s.ethnicity, '$3', s.external_id, :member_stamps + s.pos, s.digest
FROM placed s
WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.external_id = s.external_id);
SET LOCAL enable_nestloop = on;
COMMIT;
SQL
}

push() { # dir district source
    "$bin/cds-admin" sync push --district "$2" --mode full --dir "$1" --source "$3" --batch-id "bench-$3" >"$work/push.out"
    grep -q "applied" "$work/push.out" || { cat "$work/push.out"; exit 1; }
}

# Each size runs ROUNDS times, the arms alternating which goes first (the second writes into larger tables).
echo "members  round  rows     push rows/s  psql rows/s  ratio  push peak RSS"
declare -A peaks
for members in $sizes; do
    rows=$((members + 2 * (members / 10)))
    peaks[$members]=0
    for round in $(seq 1 "$rounds"); do
        roster "$work/p$members-$round" 116 "$members" "push$members-$round"
        roster "$work/b$members-$round" 116 "$members" "base$members-$round"
        for arm in $( ((round % 2)) && echo "baseline push" || echo "push baseline"); do
            checkpoint
            if [ "$arm" = baseline ]; then
                start=$(now); baseline "$work/b$members-$round" 116 "base$members-$round"; end=$(now)
                base_rate=$(rate "$rows" "$start" "$end")
            else
                reset_peak
                start=$(now); push "$work/p$members-$round" 116 "push$members-$round"; end=$(now)
                push_rate=$(rate "$rows" "$start" "$end")
                peak=$(peak_mib)
                ((peak > peaks[$members])) && peaks[$members]=$peak
            fi
        done
        rm -rf "$work/p$members-$round" "$work/b$members-$round"
        printf "%7d  %5d  %7d  %11s  %11s  %5s  %s MiB\n" "$members" "$round" "$rows" "$push_rate" "$base_rate" \
            "$(ratio "$push_rate" "$base_rate")" "$peak"
        bench_result "roster push of $members members, gRPC vs psql \\copy + merge" "$push_rate" "$base_rate" "rows/s : rows/s"
    done
done
set -- $sizes
if [ $# -ge 2 ]; then
    echo "peak RSS: $(ratio "${peaks[$2]}" "${peaks[$1]}") × from $1 to $2 members (highest of the rounds; target ≤ 1.5)"
fi

# The nightly FULL re-push (issue 19): a district's roster of REPUSH_MEMBERS members pushed once, then sent again
# whole with 1 % of its members changed (a new phone) and 0.5 % left out. The re-push goes to two servers on the one
# database: this one, which passes over the records it holds by their digests, and a second one started with
# CDS_GRPC_PUSH_SKIP_UNCHANGED=false, which stages, checks and compares every record field by field as pushes did
# before digests (the naive re-merge). Each re-pushes a source of its own, pushed the same way first through this
# server; the registry's statistics are brought up to date in between, as a night's autovacuum would have.
repush_members=${REPUSH_MEMBERS:-200000}
naive_grpc="127.0.0.1:$(bench_free_port)"
naive_http="127.0.0.1:$(bench_free_port)"
CDS_GRPC_PUSH_SKIP_UNCHANGED=false CDS_GRPC_ADDR=$naive_grpc CDS_HTTP_ADDR=$naive_http CDS_METRICS_ADDR=127.0.0.1:0 \
    "$bin/cds-server" >"$work/naive-server.log" 2>&1 &
naive=$!
trap 'kill -TERM "$naive" 2>/dev/null || true; wait "$naive" 2>/dev/null || true; bench_cleanup' EXIT
for _ in $(seq 1 240); do curl -sf "http://$naive_http/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "http://$naive_http/readyz" >/dev/null || { cat "$work/naive-server.log" >&2; exit 1; }

# vary DIR: the night's changes to DIR's members.csv: every 100th member a new phone, every 200th left out.
vary() {
    python3 - "$1/members.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
with open(sys.argv[1], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(rows[0])
    for i, row in enumerate(rows[1:]):
        if i % 200 == 50:
            continue
        if i % 100 == 7:
            row[5] = "0988" + row[5][4:]
        writer.writerow(row)
PY
}
repush() { # dir source grpc-address
    CDS_GRPC_ADDR=$3 "$bin/cds-admin" sync push --district 116 --mode full --dir "$1" --source "$2" --batch-id "night-$2" >"$work/repush.out"
    grep -q "applied" "$work/repush.out" || { cat "$work/repush.out"; exit 1; }
}
echo
echo "nightly FULL re-push of $repush_members members, 1 % changed and 0.5 % left out"
echo "round  records  skipping records/s  naive records/s  ratio"
for round in $(seq 1 "$rounds"); do
    for arm in skip naive; do
        roster "$work/$arm$round" 116 "$repush_members" "night-$arm$round"
        push "$work/$arm$round" 116 "night-$arm$round"
        vary "$work/$arm$round"
    done
    psql "$superuser_url" -XAtq -c "ANALYZE cds.hamlets, cds.teams, cds.members"
    records=$(($(cat "$work/skip$round"/*.csv | wc -l) - 3))
    for arm in $( ((round % 2)) && echo "skip naive" || echo "naive skip"); do
        checkpoint
        start=$(now)
        if [ "$arm" = skip ]; then
            repush "$work/skip$round" "night-skip$round" "$CDS_GRPC_ADDR"
            skip_rate=$(rate "$records" "$start" "$(now)")
            echo "skipping $(grep "members:" "$work/repush.out")"
        else
            repush "$work/naive$round" "night-naive$round" "$naive_grpc"
            naive_rate=$(rate "$records" "$start" "$(now)")
            echo "naive    $(grep "members:" "$work/repush.out")"
        fi
    done
    rm -rf "$work/skip$round" "$work/naive$round"
    printf "%5d  %7d  %18s  %15s  %5s\n" "$round" "$records" "$skip_rate" "$naive_rate" "$(ratio "$skip_rate" "$naive_rate")"
    bench_result "nightly FULL re-push of $repush_members members (1 % changed), skipping vs naive re-merge" \
        "$skip_rate" "$naive_rate" "records/s : records/s"
done
kill -TERM "$naive"
wait "$naive" 2>/dev/null || true

districts="116 118 119 120 121 122 123 124 125 126 127 128"
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
in_sequence() { # tag
    local start d
    start=$(now)
    for d in $districts; do push "$work/$1$d" "$d" "$1$d"; done
    elapsed "$start"
}
at_once() { # tag
    local start d pid pids=()
    start=$(now)
    for d in $districts; do
        ( "$bin/cds-admin" sync push --district "$d" --mode full --dir "$work/$1$d" --source "$1$d" --batch-id "bench-$1$d" \
            >"$work/$1$d.out" && grep -q "applied" "$work/$1$d.out" ) &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    elapsed "$start"
}
for round in $(seq 1 "$rounds"); do
    for d in $districts; do
        roster "$work/seq$round-$d" "$d" "$per_district" "seq$round-$d"
        roster "$work/par$round-$d" "$d" "$per_district" "par$round-$d"
    done
    if ((round % 2)); then
        checkpoint; sequential=$(in_sequence "seq$round-"); checkpoint; concurrent=$(at_once "par$round-")
    else
        checkpoint; concurrent=$(at_once "par$round-"); checkpoint; sequential=$(in_sequence "seq$round-")
    fi
    echo "twelve districts × $per_district members, round $round: in sequence $sequential s, at once $concurrent s"
done
