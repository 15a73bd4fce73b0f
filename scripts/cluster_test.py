#!/usr/bin/env python3
"""Two `holdfast serve` processes on one PostgreSQL, checked from the database.

Run by scripts/test after the Swift suite, with the PostgreSQL it started (HOLDFAST_TEST_PG_*):
  1. both instances start at the same moment (migrations and the demo catalog happen once);
  2. 600 concurrent hold -> order -> pay attempts at one show, split across the two instances;
     one instance is SIGKILLed in the middle;
  3. the database must show no seat sold twice, every CONFIRMED order's seats booked for it, and
     every request that was answered 2xx reflected;
  4. PostgreSQL goes away: requests answer 503 quickly, and the server recovers by itself;
  5. SIGTERM shuts the surviving instance down cleanly.
Prints 'N passed, M failed' and exits non-zero on any failure.
"""
import concurrent.futures
import datetime
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

from ws_client import WebSocket

from testkit import call, free_port, purchase, wait_healthy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "debug", "holdfast")
PG_BIN = os.environ["HOLDFAST_TEST_PG_BIN"]
PG_DATA = os.environ["HOLDFAST_TEST_PG_DATA"]
PG_PORT = os.environ["HOLDFAST_TEST_PG_PORT"]
SERVER_URL = os.environ["HOLDFAST_TEST_POSTGRES_URL"]
DATABASE = "hf_cluster_%d" % os.getpid()
DATABASE_URL = SERVER_URL.rsplit("/", 1)[0] + "/" + DATABASE
SECRET = "cluster-test-secret-that-is-long-enough"
ATTEMPTS = 600
KILL_AFTER = 200

passed, failed = [], []


def check(name, condition, detail=""):
    (passed if condition else failed).append(name)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else "  " + str(detail)), flush=True)


def as_postgres(args):
    return (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []) + args


def psql(sql, database=DATABASE):
    url = SERVER_URL.rsplit("/", 1)[0] + "/" + database
    out = subprocess.run(["psql", url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def pg_ctl(action):
    args = [os.path.join(PG_BIN, "pg_ctl"), "-D", PG_DATA, "-w"]
    if action == "stop":
        args += ["-m", "fast", "stop"]
    else:
        args += ["-l", os.path.join(os.path.dirname(PG_DATA), "server.log"), "-o",
                 "-p %s -c listen_addresses=127.0.0.1 -k %s -c fsync=off -c max_connections=300" % (PG_PORT, os.path.dirname(PG_DATA)), "start"]
    subprocess.run(as_postgres(args), check=True, capture_output=True)


def start_instance(port):
    env = dict(os.environ, DATABASE_URL=DATABASE_URL, DATABASE_TLS="disable", PORT=str(port), JWT_SECRET=SECRET,
               DEV_MODE="true", DEMO_DATA="true", LOG_LEVEL=os.environ.get("CLUSTER_LOG_LEVEL", "warning"), DATABASE_POOL_SIZE="10",
               DATABASE_TIMEOUT_SECONDS="3", OUTBOX_LEASE_SECONDS="3")
    log = open("/tmp/holdfast-cluster-%d.log" % port, "w")
    return subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)


def check_live_messages_cross_instances(port_a, port_b, token):
    """A WebSocket client of one instance hears a message committed through the other (LISTEN/NOTIFY)."""
    status, _ = call(port_a, "POST", "/api/v1/conversations", {"booking_code": "CLUSTER-RIDE",
                     "participants": [{"user_id": "dev", "role": "driver"}, {"user_id": "pia", "role": "passenger"}]}, token=token)
    try:
        ws = WebSocket(port_b, headers={"x-user-id": "pia"})
        ws.send_json({"action": "subscribe", "booking_code": "CLUSTER-RIDE"})
        subscribed = ws.receive_json()
        sent_status, _ = call(port_a, "POST", "/api/v1/send_message", {"booking_code": "CLUSTER-RIDE", "message": "via A"}, user="dev")
        began = time.time()
        frame = ws.receive_json()
        waited = time.time() - began
        ws.close()
    except (OSError, ConnectionError, ValueError) as error:
        subscribed, sent_status, frame, waited = None, None, str(error), None
    check("a message committed through instance A reaches a WebSocket client of instance B",
          status == 201 and sent_status == 201 and (subscribed or {}).get("type") == "subscribed"
          and frame.get("type") == "message" and frame["message"]["message"] == "via A" and frame["message"]["sender_role"] == "driver",
          (status, subscribed, sent_status, frame))
    if waited is not None:
        print("     (live message A -> B in %.0f ms)" % (waited * 1000), flush=True)


def main():
    psql("CREATE DATABASE %s" % DATABASE, database="postgres")
    port_a, port_b = free_port(), free_port()
    a, b = start_instance(port_a), start_instance(port_b)
    try:
        check("both instances start together on an empty database", wait_healthy(port_a) and wait_healthy(port_b))
        migrations = psql("SELECT COUNT(*) FROM schema_migrations")[0][0]
        theatres = psql("SELECT COUNT(*) FROM theatres")[0][0]
        known = len([f for f in os.listdir(os.path.join(ROOT, "Sources", "HoldfastPostgres", "Migrations")) if f.startswith("P0")])
        check("every migration applied, once", migrations == str(known), (migrations, known))
        check("demo catalog loaded once", theatres == "3", theatres)

        token = subprocess.run([BINARY, "token", "--user", "cluster-admin", "--role", "admin"], env=dict(os.environ, JWT_SECRET=SECRET),
                               check=True, capture_output=True, text=True).stdout.strip()
        _, theatre = call(port_a, "POST", "/admin/theatres", {"name": "Cluster Cinema", "timeZone": "UTC"}, token=token)
        _, screen = call(port_a, "POST", "/admin/theatres/%s/screens" % theatre["theatreId"], {"screenName": "Big", "rows": 20, "cols": 30}, token=token)
        _, movies = call(port_a, "GET", "/movies?pageSize=1")
        start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        status, show = call(port_b, "POST", "/admin/shows", {"movieId": movies["movies"][0]["movieId"], "layoutId": screen["layoutId"],
                                                           "startTime": start, "price": 200}, token=token)
        check("admin creates the show through the other instance", status == 201, show)
        show_id = show["showId"]
        check_live_messages_cross_instances(port_a, port_b, token)

        rng = random.Random(20261123)
        plans = []
        for i in range(ATTEMPTS):
            size = rng.randint(1, 4)
            row = "ABCDEFGHIJKLMNOPQRST"[rng.randrange(20)]
            first = rng.randint(1, 31 - size)
            plans.append(([port_a, port_b][i % 2], "c%d" % i, ["%s%d" % (row, n) for n in range(first, first + size)]))

        done = 0
        lock = threading.Lock()
        killed = threading.Event()

        def run(plan):
            nonlocal done
            result = purchase(plan[0], plan[1], plan[2], show_id)
            with lock:
                done += 1
                if done >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    b.send_signal(signal.SIGKILL)
            return result

        began = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
            results = list(pool.map(run, plans))
        elapsed = time.time() - began
        confirmed = [r for r in results if "confirmed" in r]
        print("     %d attempts in %.1fs: %d holds, %d orders, %d paid; instance B killed after %d" % (
            ATTEMPTS, elapsed, sum("hold" in r for r in results), sum("order" in r for r in results), len(confirmed), KILL_AFTER), flush=True)
        check("instance B was killed mid-run", killed.is_set() and b.wait(timeout=10) == -signal.SIGKILL)
        check("both instances sold seats", {r["port"] for r in confirmed} == {port_a, port_b})

        doubles = psql("""SELECT seat, COUNT(*) FROM orders o, unnest(o.seat_ids) seat
                          WHERE o.show_id = '%s' AND o.status = 'CONFIRMED' GROUP BY seat HAVING COUNT(*) > 1""" % show_id)
        check("no seat is in two confirmed orders", doubles == [], doubles)
        unbooked = psql("""SELECT o.order_id, seat FROM orders o, unnest(o.seat_ids) seat
                           WHERE o.show_id = '%s' AND o.status = 'CONFIRMED' AND NOT EXISTS (
                             SELECT 1 FROM seat_claims c WHERE c.show_id = o.show_id AND c.seat_id = seat
                               AND c.stage = 'BOOKED' AND c.order_id = o.order_id)""" % show_id)
        check("every confirmed order's seats are booked for it", unbooked == [], unbooked)
        stray = psql("""SELECT c.seat_id FROM seat_claims c LEFT JOIN orders o ON o.order_id = c.order_id
                        WHERE c.show_id = '%s' AND c.stage = 'BOOKED' AND (o.status IS DISTINCT FROM 'CONFIRMED'
                          OR NOT c.seat_id = ANY(o.seat_ids))""" % show_id)
        check("every booked seat belongs to a confirmed order that lists it", stray == [], stray)

        holds = {row[0]: row[1] for row in psql("SELECT hold_id, array_to_json(seat_ids) FROM holds WHERE show_id = '%s'" % show_id)}
        orders = {row[0]: (row[1], row[2]) for row in psql("SELECT order_id, status, coalesce(ticket_code, '') FROM orders WHERE show_id = '%s'" % show_id)}
        lost_holds = [r["hold"][0] for r in results if "hold" in r and json.loads(holds.get(r["hold"][0].lower(), "null") or "null") != r["hold"][1]]
        lost_orders = [r["order"] for r in results if "order" in r and r["order"].lower() not in orders]
        lost_payments = [r["confirmed"] for r in results if "confirmed" in r
                         and orders.get(r["confirmed"][0].lower()) != ("CONFIRMED", r["confirmed"][1])]
        check("every 201 hold is in the database with its seats", lost_holds == [], lost_holds[:5])
        check("every 201 order is in the database", lost_orders == [], lost_orders[:5])
        check("every 200 payment is a CONFIRMED order with that ticket code", lost_payments == [], lost_payments[:5])

        # Every event reaches every subscriber (the notifier, the payment gateway's webhook), including
        # deliveries the killed instance had leased: the survivor takes them over when the lease lapses.
        deadline, backlog = time.time() + 60, None
        while time.time() < deadline:
            backlog = psql("""SELECT (SELECT COUNT(*) FROM outbox_events WHERE NOT fanned_out),
                                     (SELECT COUNT(*) FROM event_deliveries WHERE status <> 'DELIVERED')""")[0]
            if backlog == ["0", "0"]:
                break
            time.sleep(0.5)
        check("every event is delivered to every subscriber despite the killed instance", backlog == ["0", "0"], backlog)
        mails = psql("SELECT COUNT(*) FROM dev_mailbox")[0][0]
        confirmed_count = psql("SELECT COUNT(*) FROM orders WHERE show_id = '%s' AND status = 'CONFIRMED'" % show_id)[0][0]
        check("one confirmation mail per confirmed order", mails == confirmed_count, (mails, confirmed_count))

        # PostgreSQL goes away and comes back.
        pg_ctl("stop")
        began = time.time()
        status, body = call(port_a, "GET", "/movies", timeout=20)
        waited = time.time() - began
        check("with the database down a read answers 503 STORE_UNAVAILABLE", status == 503 and body["error"]["code"] == "STORE_UNAVAILABLE", (status, body))
        check("…within the configured deadline (3 s) plus a margin", waited < 6, "%.1fs" % waited)
        status, body = call(port_a, "POST", "/holds", {"showId": show_id, "seatIds": ["T30"], "quantity": 1}, user="outage", timeout=20)
        check("with the database down a hold answers 503", status == 503, (status, body))
        check("the server process is still alive", a.poll() is None)
        pg_ctl("start")
        deadline, recovered = time.time() + 60, False
        while time.time() < deadline and not recovered:
            recovered = call(port_a, "GET", "/movies", timeout=5)[0] == 200
            time.sleep(0.5)
        check("the server recovers by itself when the database returns", recovered)
        status, body = call(port_a, "GET", "/shows/%s/seatmap" % show_id)
        check("…and serves seat maps again", status == 200, (status, body))

        a.send_signal(signal.SIGTERM)
        try:
            code = a.wait(timeout=20)
        except subprocess.TimeoutExpired:
            code = None
        check("SIGTERM shuts the instance down cleanly", code == 0, code)
    finally:
        for process in (a, b):
            if process.poll() is None:
                process.kill()
        try:
            psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DATABASE, database="postgres")
        except Exception as error:  # the server may be the thing that failed
            print("could not drop %s: %s" % (DATABASE, error))

    print("cluster: %d passed, %d failed" % (len(passed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
