#!/usr/bin/env python3
"""Faults on the embedded default (SQLite), run by the test command:
- the server is SIGKILLed in the middle of a booking load and started again on the same file: every answered
  hold, order and payment is still there as answered, no seat is sold twice (the reconciler finds nothing),
  and every event reaches its webhook;
- that webhook's receiver is down for a while (connections refused) and then back: every event is delivered,
  once per event id (a second copy only of what was in flight when the server was killed)."""
import concurrent.futures
import http.server
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from testkit import call, free_port, purchase, stop, wait_healthy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "debug", "holdfast")
passed, failed = [], []


def check(name, condition, detail=""):
    (passed if condition else failed).append(name)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else "  " + str(detail)[:2000]), flush=True)


class Receiver:
    """A webhook endpoint that can go away (its socket closed: connections refused) and come back."""

    def __init__(self):
        self.port = free_port()
        self.received = {}  # event id -> [receipt times]
        self.lock = threading.Lock()
        self.server = None

    def up(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.received.setdefault(self.headers.get("Holdfast-Event-Id", "").lower(), []).append(time.time())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self):
        self.server.shutdown()
        self.server.server_close()


def start_server(env, log_path):
    return subprocess.Popen([BINARY, "serve"], env=env, stdout=open(log_path, "a"), stderr=subprocess.STDOUT)


def main():
    folder = tempfile.mkdtemp(prefix="holdfast-crash-")
    database = os.path.join(folder, "holdfast.sqlite")
    port = free_port()
    env = dict(os.environ, DATABASE_PATH=database, PORT=str(port), LOG_LEVEL="warning", RATE_LIMITS="false",
               OUTBOX_RETRY_BASE_MS="200", OUTBOX_MAX_ATTEMPTS="20", WEBHOOK_BREAKER_COOLDOWN_SECONDS="1")
    env.pop("DATABASE_URL", None)
    log_path = os.path.join(folder, "serve.log")
    receiver = Receiver()
    receiver.up()
    server = start_server(env, log_path)
    try:
        check("serve starts", wait_healthy(port), open(log_path).read()[-2000:])
        token = subprocess.run([BINARY, "token", "--user", "crash-admin", "--role", "admin"], env=env,
                               check=True, capture_output=True, text=True).stdout.strip()
        status, hook = call(port, "POST", "/admin/webhooks", {"url": "http://127.0.0.1:%d/hook" % receiver.port, "eventTypes": ["*"]}, token=token)
        check("a webhook subscribes to every event", status == 201, hook)
        _, theatre = call(port, "POST", "/admin/theatres", {"name": "Crash Cinema", "timeZone": "UTC"}, token=token)
        _, screen = call(port, "POST", "/admin/theatres/%s/screens" % theatre["theatreId"], {"screenName": "One", "rows": 20, "cols": 30}, token=token)
        _, movies = call(port, "GET", "/movies?pageSize=1")
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2 * 86400))
        _, show = call(port, "POST", "/admin/shows", {"movieId": movies["movies"][0]["movieId"], "layoutId": screen["layoutId"],
                                                      "startTime": start, "price": 150}, token=token)
        show_id = show["showId"]

        rng = random.Random(7)
        sale_over = threading.Event()
        results, lock = [], threading.Lock()

        def buyer(n):
            i = 0
            while not sale_over.is_set():
                size = rng.randint(1, 3)
                row = "ABCDEFGHIJKLMNOPQRST"[rng.randrange(20)]
                first = rng.randint(1, 31 - size)
                result = purchase(port, "b%d-%d" % (n, i), ["%s%d" % (row, s) for s in range(first, first + size)], show_id)
                with lock:
                    results.append(result)
                i += 1

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            for n in range(16):
                pool.submit(buyer, n)
            def paid():
                with lock:
                    return sum("confirmed" in r for r in results)
            # The receiver goes away early in the sale and the server dies in the middle of it.
            deadline = time.time() + 60
            while paid() < 25 and time.time() < deadline:
                time.sleep(0.02)
            receiver.down()
            while paid() < 80 and time.time() < deadline:
                time.sleep(0.02)
            server.send_signal(signal.SIGKILL)
            killed_at = time.time()
            server.wait(timeout=10)
            sale_over.set()
        confirmed = [r for r in results if "confirmed" in r]
        print("     %d attempts before the kill: %d holds, %d orders, %d paid" % (
            len(results), sum("hold" in r for r in results), sum("order" in r for r in results), len(confirmed)), flush=True)
        with sqlite3.connect("file:%s?mode=ro" % database, uri=True) as db:
            sold = db.execute("SELECT COUNT(*) FROM seat_claims WHERE lower(show_id) = ? AND stage = 'BOOKED'", (show_id.lower(),)).fetchone()[0]
        check("the server was killed in the middle of the sale", len(confirmed) >= 80 and 0 < sold < 600, (len(confirmed), sold))

        server = start_server(env, log_path)
        check("the server starts again on the same file", wait_healthy(port), open(log_path).read()[-2000:])
        time.sleep(2)
        receiver.up()

        lost_holds = [r["hold"] for r in results if "hold" in r
                      and call(port, "GET", "/holds/%s" % r["hold"][0], user=r["user"])[1].get("seatIds") != r["hold"][1]]
        check("every 201 hold is there with its seats", lost_holds == [], lost_holds[:5])
        lost_orders = [r["order"] for r in results if "order" in r and call(port, "GET", "/orders/%s" % r["order"], user=r["user"])[0] != 200]
        check("every 201 order is there", lost_orders == [], lost_orders[:5])
        lost_payments = []
        for r in confirmed:
            _, order = call(port, "GET", "/orders/%s" % r["confirmed"][0], user=r["user"])
            if (order.get("status"), order.get("ticketCode")) != ("CONFIRMED", r["confirmed"][1]):
                lost_payments.append((r["confirmed"], order))
        check("every 200 payment is a CONFIRMED order with its ticket code", lost_payments == [], lost_payments[:3])

        deadline, backlog = time.time() + 90, None
        while time.time() < deadline:
            _, backlog = call(port, "GET", "/admin/outbox", token=token)
            if isinstance(backlog, dict) and backlog.get("unfanned") == 0 and backlog.get("pending") == 0:
                break
            time.sleep(0.5)
        check("the outbox drains after the restart and the receiver's return", backlog.get("unfanned") == 0 and backlog.get("pending") == 0
              and backlog.get("dead") == 0, backlog)
        with sqlite3.connect("file:%s?mode=ro" % database, uri=True) as db:
            expected = {row[0].lower() for row in db.execute(
                "SELECT e.event_id FROM outbox_events e JOIN event_deliveries d ON d.event_seq = e.seq WHERE d.subscriber LIKE 'webhook:%'")}
        with receiver.lock:
            received = dict(receiver.received)
        missing = expected - set(received)
        check("the receiver got every event meant for it (%d)" % len(expected), not missing and len(expected) > 20, sorted(missing)[:5])
        duplicates = [event for event, times in received.items() if len(times) > 1]
        unexplained = [event for event in duplicates if received[event][0] >= killed_at]
        print("     %d of %d events delivered twice" % (len(duplicates), len(received)), flush=True)
        check("each event once, except what was in flight at the kill", unexplained == [], unexplained[:5])
        confirmed_events = {r["confirmed"][0].lower() for r in confirmed}
        with sqlite3.connect("file:%s?mode=ro" % database, uri=True) as db:
            told = {row[0].lower() for row in db.execute("SELECT aggregate_id FROM outbox_events WHERE type = 'OrderConfirmed'")}
        check("every paid order's confirmation event exists", confirmed_events <= told, sorted(confirmed_events - told)[:5])
    finally:
        if server.poll() is None:
            stop(server)
        receiver.down() if receiver.server else None
    reconcile = subprocess.run([BINARY, "reconcile", "--dry-run"], env=env, capture_output=True, text=True)
    check("the reconciler finds no seat sold twice and nothing inconsistent", reconcile.returncode == 0, reconcile.stdout[-2000:])
    print("crash: %d passed, %d failed" % (len(passed), len(failed)))
    if failed:
        print("server log: " + log_path)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
