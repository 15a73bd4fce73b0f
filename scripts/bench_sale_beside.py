#!/usr/bin/env python3
"""A show on sale beside the rest of the catalogue (issue 8): `holdfast bench --scenario spread` paced (16 users, 60
steps a second over 40 shows, 15 s) while six hot shows (64 users each) sell out back to back on the same server;
prints the other shows' hold, order and payment p99 and each hot show's hold p99, and checks both for correctness.
Needs a release build (`swift build -c release`; HOLDFAST_BIN for another binary). On PostgreSQL with
HOLDFAST_BENCH_POSTGRES_URL (a server to create a scratch database on), else on a scratch SQLite file. With --json,
writes the numbers as JSON too."""
import json
import os
import subprocess
import sys
import tempfile
import time

from testkit import clean, free_port, scratch_database, stop, wait_healthy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("HOLDFAST_BIN", os.path.join(ROOT, ".build", "release", "holdfast"))
HOT_SHOWS = 6


def bench(port, report, scenario, *extra):
    return subprocess.Popen([BINARY, "bench", "--url", "http://127.0.0.1:%d" % port, "--scenario", scenario, "--report", report, *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(env, folder):
    port = free_port()
    env = dict(env, PORT=str(port), RATE_LIMITS="false", LOG_LEVEL="warning")
    server = subprocess.Popen([BINARY, "serve"], env=env, stdout=open(os.path.join(folder, "serve.log"), "w"), stderr=subprocess.STDOUT)
    try:
        assert wait_healthy(port), "the server did not start"
        beside = os.path.join(folder, "beside.json")
        catalogue = bench(port, beside, "spread", "--users", "16", "--rate", "60", "--duration", "15", "--shows", "40", "--seats", "500")
        time.sleep(3)  # the catalogue's sales are under way before the first show opens
        hots = []
        for run in range(HOT_SHOWS):
            report = os.path.join(folder, "hot%d.json" % run)
            assert bench(port, report, "hot-show", "--users", "64", "--duration", "10").wait(timeout=120) == 0, "a hot show failed"
            hots.append(json.load(open(report)))
        assert catalogue.wait(timeout=120) == 0, "the catalogue's sales failed"
        spread = json.load(open(beside))
        ops = spread["operations"]
        return {
            "besideHoldP99Ms": ops["hold"]["p99Ms"], "besideOrderP99Ms": ops["order"]["p99Ms"], "besidePayP99Ms": ops["pay"]["p99Ms"],
            "besidePurchasesPerSecond": spread["purchasesPerSecond"],
            "hotShowHoldP99Ms": [hot["operations"]["hold"]["p99Ms"] for hot in hots],
            "correct": clean(hots + [spread]),
        }
    finally:
        stop(server)


def main():
    folder = tempfile.mkdtemp(prefix="holdfast-beside-")
    base = dict(os.environ)
    base.pop("DATABASE_URL", None)
    server_url = os.environ.get("HOLDFAST_BENCH_POSTGRES_URL")
    if server_url:
        with scratch_database(server_url, "hf_beside") as url:
            result = measure(dict(base, DATABASE_URL=url, DATABASE_TLS="disable"), folder)
    else:
        result = measure(dict(base, DATABASE_PATH=os.path.join(folder, "holdfast.sqlite")), folder)
    print("%s, other shows' sales during %d hot shows: %.1f purchases/s, p99 hold %.1f ms, order %.1f ms, pay %.1f ms; "
          "hot shows' hold p99 %s ms; correct %s" % (
              "PostgreSQL" if server_url else "SQLite", HOT_SHOWS, result["besidePurchasesPerSecond"], result["besideHoldP99Ms"],
              result["besideOrderP99Ms"], result["besidePayP99Ms"], " ".join("%.0f" % p for p in result["hotShowHoldP99Ms"]), result["correct"]))
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))
    sys.exit(0 if result["correct"] else 1)


if __name__ == "__main__":
    main()
