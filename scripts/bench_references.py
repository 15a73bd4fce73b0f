#!/usr/bin/env python3
"""Holdfast beside its references, measured in one run on this machine (issue 8):
- claims: the raw rate of the very conditional claim statement Holdfast issues (INSERT … ON CONFLICT DO UPDATE
  … WHERE lapsed), one claim per transaction — pgbench on PostgreSQL, Python's sqlite3 on the SQLite file
  (WAL, synchronous=NORMAL) — against `holdfast bench --scenario hot-show` hold attempts (median of three hot shows)
  and `--scenario spread` purchases (hold → order → pay), then spread again paced (`--rate`) at a half and three
  quarters of the purchases it made, for hold latency below saturation;
- reads: nginx serving a static file of the seat map's size against Holdfast's `GET /shows/{id}/seatmap`, both
  driven by wrk with the same connections, in turn three times (the median of each).
Needs a release build (`swift build -c release`), nginx, wrk and, for PostgreSQL, pgbench and
HOLDFAST_BENCH_POSTGRES_URL (a server to create a scratch database on). Prints a table; writes JSON with --json."""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

from testkit import call, clean, free_port, scratch_database, stop, wait_healthy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("HOLDFAST_BIN", os.path.join(ROOT, ".build", "release", "holdfast"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def wrk(url):
    out = subprocess.run(["wrk", "-t2", "-c%d" % CONNECTIONS, "-d%ds" % SECONDS, "--latency", url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return rps, float(p99.group(1)) * scale


class Nginx:
    """nginx serving `body` as a static file, up while in the `with` block."""

    def __init__(self, body, folder):
        self.folder = folder
        self.port = free_port()
        root = os.path.join(folder, "www")
        os.makedirs(root, exist_ok=True)
        open(os.path.join(root, "seatmap.json"), "w").write(body)
        self.conf = os.path.join(folder, "nginx.conf")
        open(self.conf, "w").write("""worker_processes 2; daemon off; pid %s/nginx.pid; error_log %s/error.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:%d; root %s; } }
""" % (folder, folder, self.port, root))

    def __enter__(self):
        self.process = subprocess.Popen(["nginx", "-c", self.conf, "-p", self.folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        return "http://127.0.0.1:%d/seatmap.json" % self.port

    def __exit__(self, *_):
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(timeout=10)


def reads_beside_nginx(body, folder, url, rounds=3):
    """Holdfast's seat-map reads and nginx's static file, measured in turn `rounds` times (a run on this shared
    machine varies by 10% or more): the median of each, with its p99."""
    holdfast, nginx = [], []
    with Nginx(body, folder) as static_url:
        for _ in range(rounds):
            nginx.append(wrk(static_url))
            holdfast.append(wrk(url))
    median = lambda runs: sorted(runs)[len(runs) // 2]
    return median(holdfast), median(nginx)


def sqlite_claims(path, show_id):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    sql = """INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, order_id, expires_at)
             VALUES (?, ?, 'raw', 'HELD', ?, NULL, ?)
             ON CONFLICT (show_id, seat_id) DO UPDATE SET user_id = excluded.user_id, stage = 'HELD',
                 hold_id = excluded.hold_id, order_id = NULL, expires_at = excluded.expires_at
             WHERE (seat_claims.hold_id = excluded.hold_id AND seat_claims.stage = 'HELD')
                OR (seat_claims.stage <> 'BOOKED' AND seat_claims.expires_at <= ?)
             RETURNING seat_id"""
    now = int(time.time() * 1000)
    count, deadline = 0, time.time() + SECONDS
    while time.time() < deadline:
        db.execute("BEGIN IMMEDIATE")
        db.execute(sql, (show_id, "R%d" % count, str(uuid.uuid4()).upper(), now + 300_000, now)).fetchall()
        db.execute("COMMIT")
        count += 1
    db.execute("DELETE FROM seat_claims WHERE user_id = 'raw'")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # leave the file as it was found for the runs after this one
    db.close()
    return count / SECONDS


def pg_claims(url, show_id, folder):
    script = os.path.join(folder, "claim.sql")
    open(script, "w").write("""\\set n random(1, 9999999)
INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, order_id, expires_at)
SELECT '%s'::uuid, 'R' || :n, 'raw', 'HELD', gen_random_uuid(), NULL, now() + interval '5 minutes'
ON CONFLICT (show_id, seat_id) DO UPDATE SET user_id = EXCLUDED.user_id, stage = 'HELD', hold_id = EXCLUDED.hold_id,
    order_id = NULL, expires_at = EXCLUDED.expires_at
WHERE (seat_claims.hold_id = EXCLUDED.hold_id AND seat_claims.stage = 'HELD')
   OR (seat_claims.stage <> 'BOOKED' AND seat_claims.expires_at <= now())
RETURNING seat_id;
""" % show_id)
    out = subprocess.run(["pgbench", "-n", "-c", "16", "-j", "2", "-T", str(SECONDS), "-f", script, url],
                         capture_output=True, text=True).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    subprocess.run(["psql", url, "-qc", "DELETE FROM seat_claims WHERE user_id = 'raw'", "-c", "VACUUM ANALYZE seat_claims"],
                   capture_output=True)  # no dead rows left behind for the runs after this one
    return tps


def bench(env, port, folder, name, scenario, *extra):
    """`holdfast bench` against the running server; its JSON report."""
    report = os.path.join(folder, "bench-%s-%s.json" % (name, scenario))
    subprocess.run([BINARY, "bench", "--url", "http://127.0.0.1:%d" % port, "--scenario", scenario, "--users", str(CONNECTIONS),
                    "--duration", str(SECONDS), "--report", report, *extra],
                   env=env, capture_output=True, text=True, timeout=SECONDS * 10)
    return json.load(open(report))


def run_backend(name, env, folder, database_url=None):
    port = free_port()
    env = dict(env, PORT=str(port), RATE_LIMITS="false", LOG_LEVEL="warning")
    server = subprocess.Popen([BINARY, "serve"], env=env, stdout=open(os.path.join(folder, "serve-%s.log" % name), "w"),
                              stderr=subprocess.STDOUT)
    try:
        assert wait_healthy(port), "the server did not start"
        _, movies = call(port, "GET", "/movies?pageSize=1")
        date = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
        _, shows = call(port, "GET", "/movies/%s/shows?date=%s" % (movies["movies"][0]["movieId"], date))
        show_id = shows["shows"][0]["showId"]
        body = json.dumps(call(port, "GET", "/shows/%s/seatmap" % show_id)[1])
        result = {"backend": name, "seatmapBytes": len(body)}
        (result["seatmapReadsPerSecond"], result["seatmapP99Ms"]), (result["nginxReadsPerSecond"], result["nginxP99Ms"]) = \
            reads_beside_nginx(body, folder, "http://127.0.0.1:%d/shows/%s/seatmap" % (port, show_id))
        # A hot show sells out in about a second: three of them, each figure the median of the three.
        hots = [bench(env, port, folder, name + str(run), "hot-show") for run in range(3)]
        median = lambda key: sorted(hot["operations"]["hold"][key] for hot in hots)[1]
        result["hotShowHoldsPerSecond"] = median("perSecond")
        result["hotShowHoldP50Ms"] = median("p50Ms")
        result["hotShowHoldP99Ms"] = median("p99Ms")
        result["hotShowWinningHoldP50Ms"] = median("okP50Ms")  # the ~50 holds that took seats, among thousands refused
        spread = bench(env, port, folder, name, "spread", "--shows", "40", "--seats", "500")
        result["purchasesPerSecond"] = spread["purchasesPerSecond"]
        result["holdsPerSecond"] = spread["operations"]["hold"]["perSecond"]
        result["holdP99Ms"] = spread["operations"]["hold"]["p99Ms"]
        result["outboxBehind"] = spread["outbox"]["backlogAtEnd"]
        result["outboxCaughtUpSeconds"] = spread["outbox"]["caughtUpSeconds"]
        # The same users paced at a half and three quarters of that many purchases a second: hold latency under load
        # rather than at saturation, where 64 users that never pause wait by construction (latency = users / throughput).
        paced = []
        for share in (0.5, 0.75):
            rate = max(1, round(spread["purchasesPerSecond"] * share))
            run = bench(env, port, folder, "%s-paced%d" % (name, share * 100), "spread", "--shows", "40", "--seats", "500", "--rate", str(rate))
            paced.append(run)
            result.setdefault("paced", []).append({
                "share": share, "rate": rate, "purchasesPerSecond": run["purchasesPerSecond"],
                "holdP50Ms": run["operations"]["hold"]["p50Ms"], "holdP99Ms": run["operations"]["hold"]["p99Ms"]})
        # The raw claims last: their tens of thousands of rows, deleted and vacuumed after, left PostgreSQL's
        # statistics describing a near-empty seat table, and the runs after them planned for that (seq scans of a
        # table the runs fill within seconds, before autovacuum's next look a minute later).
        if database_url:
            result["rawClaimsPerSecond"] = pg_claims(database_url, show_id, folder)
        else:
            result["rawClaimsPerSecond"] = sqlite_claims(env["DATABASE_PATH"], show_id.upper())
        result["correct"] = clean(hots + [spread] + paced)
        return result
    finally:
        stop(server)


def main():
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            sys.exit("%s is needed (apt-get install nginx wrk)" % tool)
    folder = tempfile.mkdtemp(prefix="holdfast-refs-")
    base = dict(os.environ)
    base.pop("DATABASE_URL", None)
    results = [run_backend("SQLite", dict(base, DATABASE_PATH=os.path.join(folder, "holdfast.sqlite")), folder)]
    server_url = os.environ.get("HOLDFAST_BENCH_POSTGRES_URL")
    if server_url and shutil.which("pgbench"):
        with scratch_database(server_url, "hf_refs") as url:
            results.append(run_backend("PostgreSQL", dict(base, DATABASE_URL=url, DATABASE_TLS="disable"), folder, database_url=url))
    print("%d connections, %d s each, seat map %d bytes" % (CONNECTIONS, SECONDS, results[0]["seatmapBytes"]))
    for r in results:
        print("%-10s reads: holdfast %7.0f/s (p99 %.1f ms)  nginx %7.0f/s  ratio %.2f" % (
            r["backend"], r["seatmapReadsPerSecond"], r["seatmapP99Ms"], r["nginxReadsPerSecond"], r["seatmapReadsPerSecond"] / r["nginxReadsPerSecond"]))
        print("%-10s claims: purchases %6.1f/s, holds %6.1f/s (hold p99 %.1f ms)  raw claim %7.0f/s  ratio %.2f  correct %s" % (
            "", r["purchasesPerSecond"], r["holdsPerSecond"], r["holdP99Ms"], r["rawClaimsPerSecond"],
            r["purchasesPerSecond"] / r["rawClaimsPerSecond"], r["correct"]))
        print("%-10s spread outbox: %d behind when the load stopped, caught up %s s later" % (
            "", r["outboxBehind"], r["outboxCaughtUpSeconds"]))
        for p in r["paced"]:
            print("%-10s spread paced at %d%% of that (%d steps/s): %.1f purchases/s, hold p50 %.1f ms, p99 %.1f ms" % (
                "", p["share"] * 100, p["rate"], p["purchasesPerSecond"], p["holdP50Ms"], p["holdP99Ms"]))
        print("%-10s hot show: hold attempts %6.0f/s (p50 %.1f ms, p99 %.1f ms; the winning holds' p50 %.1f ms)  ratio to raw claims %.2f" % (
            "", r["hotShowHoldsPerSecond"], r["hotShowHoldP50Ms"], r["hotShowHoldP99Ms"], r["hotShowWinningHoldP50Ms"],
            r["hotShowHoldsPerSecond"] / r["rawClaimsPerSecond"]))
    if "--json" in sys.argv:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
