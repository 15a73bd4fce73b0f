#!/usr/bin/env python3
"""README's first command, checked: `holdfast serve` on the embedded default (a fresh SQLite file, demo
data) starts, stays up, serves the API, the pages and the WebSocket, and stops cleanly on SIGTERM."""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from testkit import stop
from ws_client import WebSocket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "debug", "holdfast")
passed, failed = [], []


def check(name, condition, detail=""):
    (passed if condition else failed).append(name)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else "  " + str(detail)), flush=True)


def get(port, path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()
    except OSError as error:
        return None, "", str(error)


def post(port, path, body, user):
    request = urllib.request.Request(
        "http://127.0.0.1:%d%s" % (port, path), data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "x-user-id": user})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def first_show(port):
    movie = json.loads(get(port, "/movies")[2])["movies"][0]["movieId"]
    date = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
    return json.loads(get(port, "/movies/%s/shows?date=%s" % (movie, date))[2])["shows"][0]["showId"]


def main():
    sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
    folder = tempfile.mkdtemp(prefix="holdfast-smoke-")
    env = dict(os.environ, DATABASE_PATH=os.path.join(folder, "holdfast.sqlite"), PORT=str(port), LOG_LEVEL="warning",
               PAYMENT_TIMEOUT_MS="3000")
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(folder, "serve.log"), "w")
    server = subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 90
        while time.time() < deadline and get(port, "/health")[0] != 200 and server.poll() is None:
            time.sleep(0.2)
        check("serve starts on the embedded default", get(port, "/health")[0] == 200, open(log.name).read()[-2000:])
        time.sleep(2)
        check("…and is still running a moment later", server.poll() is None, open(log.name).read()[-2000:])
        status, _, body = get(port, "/movies")
        check("the demo catalog is served", status == 200 and json.loads(body)["total"] > 0, body[:200])
        status, kind, html = get(port, "/")
        check("the now-showing page renders", status == 200 and kind.startswith("text/html") and "Now showing" in html, (status, kind))
        status, kind, _ = get(port, "/static/app.js")
        check("static files are served", status == 200, (status, kind))
        try:
            ws = WebSocket(port, path="/ws?user=smoke")
            ws.send_json({"action": "ping"})
            pong = ws.receive_json()
            ws.close()
        except (OSError, ConnectionError, ValueError) as error:
            pong = str(error)
        check("the WebSocket answers", isinstance(pong, dict) and pong.get("type") == "pong", pong)
        status, body = post(port, "/holds", {"showId": first_show(port), "seatIds": ["A1"], "quantity": 1}, "smoke")
        check("a hold is taken", status == 201, body[:300])
        deadline = time.time() + 10
        metrics = ""
        while time.time() < deadline and 'holdfast_events_total{type="HoldCreated"}' not in metrics:
            metrics = get(port, "/metrics")[2]
            time.sleep(0.2)
        wanted = ['hb_requests{http_route="/holds"', "http_server_request_duration", "holdfast_holds_created_total 1",
                  'holdfast_events_total{type="HoldCreated"} 1', "holdfast_outbox_events_pending", "holdfast_sqlite_wal_frames"]
        check("/metrics has requests by route, latency, holds and the outbox", all(w in metrics for w in wanted),
              [w for w in wanted if w not in metrics])
        # The load generator against this server: a hot show sold out by virtual users, checked from the server's data.
        bench = subprocess.run([BINARY, "bench", "--url", "http://127.0.0.1:%d" % port, "--scenario", "hot-show", "--users", "8",
                                "--duration", "20", "--report", os.path.join(folder, "bench.json")],
                               env=env, capture_output=True, text=True, timeout=120)
        report = json.load(open(os.path.join(folder, "bench.json"))) if os.path.exists(os.path.join(folder, "bench.json")) else {}
        check("holdfast bench sells a hot show out and finds it correct", bench.returncode == 0 and report.get("verdict", {}).get("paidSeats") == 100,
              bench.stdout[-1500:] + bench.stderr[-1500:])
        check("after the bench the outbox catches up (every confirmation and gateway callback goes out)",
              report.get("outbox", {}).get("caughtUpSeconds") is not None, json.dumps(report.get("outbox")))
        holds = report.get("operations", {}).get("hold", {})
        check("the report gives the successful holds' latency apart from the refusals'",
              holds.get("ok", 0) > 0 and 0 < holds.get("okP50Ms", 0) <= holds.get("okP99Ms", 0) <= holds.get("maxMs", 0), json.dumps(holds))
        # Paced: 16 users share 32 purchases a second on a schedule (unpaced, they make hundreds a second here; two
        # purchases a second each keep them under the server's write limit per user).
        paced_path = os.path.join(folder, "paced.json")
        paced = subprocess.run([BINARY, "bench", "--url", "http://127.0.0.1:%d" % port, "--scenario", "spread", "--users", "16",
                                "--duration", "3", "--shows", "2", "--seats", "500", "--rate", "32", "--report", paced_path],
                               env=env, capture_output=True, text=True, timeout=120)
        report = json.load(open(paced_path)) if os.path.exists(paced_path) else {}
        holds = report.get("operations", {}).get("hold", {}).get("count", 0)
        check("holdfast bench --rate paces its users: 32 steps a second for 3 s start 96 holds (±2), none failing",
              paced.returncode == 0 and report.get("rate") == 32 and 94 <= holds <= 98
              and report.get("operations", {}).get("hold", {}).get("errors") == 0,
              "holds %d; " % holds + paced.stdout[-800:] + paced.stderr[-800:])
        # Graceful shutdown: a request in flight when SIGTERM arrives still gets its answer.
        hold_id = json.loads(body)["holdId"]
        customer = {"name": "Smoke Test", "email": "smoke@example.com", "phone": "9876543210"}
        status, order = post(port, "/orders", {"holdId": hold_id, "customer": customer}, "smoke")
        answer = {}
        slow = threading.Thread(target=lambda: answer.update(result=post(
            port, "/orders/%s/confirm-payment" % json.loads(order)["orderId"], {"paymentToken": "tok_timeout"}, "smoke")))
        slow.start()
        time.sleep(1)
        server.send_signal(signal.SIGTERM)
        slow.join(timeout=30)
        result = answer.get("result", (None, ""))
        check("a payment in flight at SIGTERM still gets its answer (202 after the gateway timeout)", result[0] == 202, result)
    finally:
        code = stop(server)
    check("SIGTERM stops it cleanly", code == 0, code)
    print("serve: %d passed, %d failed" % (len(passed), len(failed)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
