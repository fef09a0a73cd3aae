"""Interoperability of the feedback module with clients that are not ours.

- georeport (PyPI, unmodified) reads Open311 GeoReport v2 in JSON and XML: the services, a service definition,
  a report filed by a form POST (as GeoReport's POST is specified), the listing and the report by id.
- standardwebhooks (PyPI, the specification's own library) verifies every webhook the server sends when staff move
  the report through the workflow: the receiver accepts only messages whose signature it verifies. After the province
  rotates the secret with an overlap, a message verifies with the new secret and with the old one alike.

Usage: feedback_client.py BASE_URL API_KEY WEBHOOK_SECRET HOOK_PORT STAFF_TOKEN
"""
import http.server
import json
import sys
import threading
import time
import urllib.parse

import requests
from georeport import GeoReport
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

base, api_key, secret, hook_port, token = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
checks = []


def check(name, condition, detail=""):
    checks.append(name)
    if not condition:
        print(f"FAILED: {name} {detail}")
        sys.exit(1)


# --- Open311 with georeport ---------------------------------------------------------------------------------------
for fmt in ("json", "xml"):
    client = GeoReport(f"{base}/open311/v2/", jurisdiction="14", output_format=fmt)
    services = client.get_service_list()
    services = services if isinstance(services, list) else [services]
    codes = {s["service_code"] for s in services}
    check(f"georeport {fmt}: services", "giao-thong" in codes and len(codes) == 9, codes)
    definition = client.get_service_definition("giao-thong")
    check(f"georeport {fmt}: service definition", definition["service_code"] == "giao-thong", definition)

form = {
    "api_key": api_key, "jurisdiction_id": "14", "service_code": "giao-thong", "address_id": "03646",
    "lat": "21.3256", "long": "103.9188", "description": "Đường bị sạt lở", "attribute[blocked]": "no",
    "first_name": "Lò Thị", "last_name": "Mai", "phone": "0912345678", "email": "mai@example.vn",
}
created = requests.post(f"{base}/open311/v2/requests.json", data=form, timeout=10)
check("POST requests.json", created.status_code == 200, created.text)
request_id = created.json()[0]["service_request_id"]
check("a tracking code", request_id.startswith("PAKN-"), request_id)
missing = requests.post(f"{base}/open311/v2/requests.xml", data={"api_key": api_key}, timeout=10)
check("a bad POST gets the error list", missing.status_code == 400 and "<errors><error><code>400</code>" in missing.text, missing.text)

for fmt in ("json", "xml"):
    client = GeoReport(f"{base}/open311/v2/", jurisdiction="14", output_format=fmt)
    report = client.get_service_request(request_id)
    check(f"georeport {fmt}: the report by id", report["service_request_id"] == request_id and report["status"] == "open", report)
    check(f"georeport {fmt}: no contact shown", "0912345678" not in json.dumps(report, ensure_ascii=False))
    listed = client.get_service_requests(status="open")
    listed = listed if isinstance(listed, list) else [listed]
    check(f"georeport {fmt}: the listing", any(r["service_request_id"] == request_id for r in listed), listed)

# --- Standard Webhooks ----------------------------------------------------------------------------------------------
webhooks = [Webhook(secret)]  # every secret a message must verify with
verified, lock = [], threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            payloads = [webhook.verify(body, headers) for webhook in list(webhooks)]
        except WebhookVerificationError:
            self.send_response(401)
            self.end_headers()
            return
        with lock:
            verified.append((self.headers["webhook-id"], payloads[0]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", hook_port), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()

staff = {"Authorization": f"Bearer {token}"}
path = f"{base}/v1/feedback/reports/{urllib.parse.quote(request_id)}/transitions"
for body in ({"status": "accepted"}, {"status": "in_progress", "public_message": "Đã cử người kiểm tra."},
             {"status": "resolved", "public_message": "Đã khắc phục."}):
    answer = requests.post(path, json=body, headers=staff, timeout=10)
    check(f"staff moves the report to {body['status']}", answer.status_code == 200, answer.text)



def wait_for(count):
    deadline = time.time() + 60
    while time.time() < deadline and len(verified) < count:
        time.sleep(0.5)


wait_for(3)
statuses = [payload["data"]["status"] for _, payload in verified]
check("three webhooks, each signature verified", sorted(statuses) == ["accepted", "in_progress", "resolved"], statuses)
check("distinct webhook ids", len({message_id for message_id, _ in verified}) == 3)

rotated = requests.post(f"{base}/v1/partners/interop-app/webhook-secret", json={"overlap_hours": 1}, headers=staff, timeout=10)
check("the province rotates the webhook secret", rotated.status_code == 200 and rotated.json()["webhook_secret"] != secret, rotated.text)
webhooks.append(Webhook(rotated.json()["webhook_secret"]))
answer = requests.post(path, json={"status": "closed"}, headers=staff, timeout=10)
check("staff close the report", answer.status_code == 200, answer.text)
wait_for(4)
server.shutdown()
check("during the overlap a message verifies with the old secret and the new", len(verified) == 4 and verified[3][1]["data"]["status"] == "closed",
      verified[3:])
webhook = webhooks[0]
try:
    webhook.verify(b'{"forged": true}', {"webhook-id": verified[0][0], "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,AAAA"})
    check("a forged signature is rejected", False)
except WebhookVerificationError:
    check("a forged signature is rejected", True)

print(f"feedback interoperability: {len(checks)} checks passed")
