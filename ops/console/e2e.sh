#!/usr/bin/env bash
# The web console in a real browser: Debian's Chromium, headless, driven by Selenium, against a live cds-server on
# the demo data of Sơn La. A Mường La commune officer invited by cds-admin chooses a password, signs in, adds a
# member, finds her without diacritics, edits her, meets a stale-edit conflict, imports a sheet with one bad line,
# handles a citizen's request (its contact shown to her, an answer given), opens a Quỳnh Nhai member's page and
# signs out; the province's administrator checks the dashboard against
# `cds-admin report establishment`. axe-core checks every page. ops/console/console_e2e.py says what it checks.
#
# Usage: ops/console/e2e.sh   (expects the debug build: swift build). Loopback only; the server is stopped.
# Screenshots of every step: $CDS_E2E_SCREENSHOTS (default: a temporary directory, printed at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(swift build --show-bin-path)

python3 -m pip install -q "selenium==4.40.0" "axe-selenium-python==2.1.6" >/dev/null

work=$(mktemp -d /tmp/cds-console-XXXXXX)
chmod 711 "$work"
shots=${CDS_E2E_SCREENSHOTS:-$work/screenshots}
mkdir -p "$shots"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
http=$(free_port)
export CDS_DATA_DIR="$work/data" CDS_HTTP_ADDR="127.0.0.1:$http" CDS_GRPC_ADDR=127.0.0.1:0 CDS_METRICS_ADDR=127.0.0.1:0

"$bin/cds-admin" demo seed sonla-2023 > "$work/seed.log" 2>&1 || { cat "$work/seed.log"; exit 1; }
"$bin/cds-server" > "$work/server.log" 2>&1 &
server=$!
cleanup() {
    kill -TERM $server 2>/dev/null || true
    wait $server 2>/dev/null || true
    "$bin/cds-admin" db stop >/dev/null 2>&1 || true
    if [ -z "${CDS_E2E_SCREENSHOTS:-}" ]; then echo "screenshots: $shots (removed with the run's directory)"; fi
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
    python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$http/readyz" 2>/dev/null && break
    kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.5
done
token=$("$bin/cds-admin" bootstrap --name tinh-admin 2>/dev/null)
export CDS_SERVER="http://127.0.0.1:$http" CDS_TOKEN="$token"

# A commune officer of Thị trấn Ít Ong (Mường La), invited by the province.
"$bin/cds-admin" users add lan --display-name "Lò Thị Lan" --unit 3808 >/dev/null 2>&1
"$bin/cds-admin" grant commune_officer --user lan --unit 3808 >/dev/null 2>&1
# A citizen's request for help in Ít Ong, relayed by a partner app, for her to handle.
key=$("$bin/cds-admin" partners add --name e2e-app --districts 120 2>/dev/null)
python3 - "http://127.0.0.1:$http" "$key" <<'PY'
import json, sys, urllib.request, uuid
body = {"service_code": "ho-tro-cong-nghe-so", "address_id": "3808", "description": "Bà tôi cần cài VNeID.",
        "attributes": {"support_type": "vneid"}, "contact": {"name": "Quàng Văn Minh", "phone": "0987654321"}}
request = urllib.request.Request(sys.argv[1] + "/v1/partner/reports", data=json.dumps(body).encode(), method="POST",
                                 headers={"X-API-Key": sys.argv[2], "Idempotency-Key": str(uuid.uuid4()),
                                          "Content-Type": "application/json"})
urllib.request.urlopen(request, timeout=30)
PY
officer_link=$("$bin/cds-admin" users invite lan 2>/dev/null)
admin_link=$("$bin/cds-admin" users invite tinh-admin 2>/dev/null)
python3 ops/console/console_e2e.py "http://127.0.0.1:$http" "$token" "$officer_link" "$admin_link" "$bin/cds-admin" "$shots" \
    || { tail -30 "$work/server.log"; exit 1; }
if [ -n "${CDS_E2E_SCREENSHOTS:-}" ]; then echo "screenshots: $shots"; fi
