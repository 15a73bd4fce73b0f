#!/usr/bin/env python3
"""POST /book under load against a running Holdfast (dev mode), then checks the store from the server.

Usage: scripts/hotel_load.py [--url http://127.0.0.1:8080] [--threads 32] [--bookings 3000] [--city Goa]
Prints throughput and POST /book latency percentiles (seed 002's SLA: p95 < 400 ms), then asks the
reconciler (dry run) whether any night is sold beyond its rooms or any count drifted.
"""
import argparse, http.client, json, random, threading, time, urllib.parse, datetime

def call(conn, method, path, body=None, headers=None):
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=hdrs)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--bookings", type=int, default=3000)
    parser.add_argument("--city", default="Goa")
    parser.add_argument("--admin-token", default=None, help="bearer token for the final check (dev mode: x-user-id admin is not enough)")
    args = parser.parse_args()
    target = urllib.parse.urlparse(args.url)
    connect = lambda: http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)

    start = datetime.date.today() + datetime.timedelta(days=3)
    conn = connect()
    path = "/hotels/search?" + urllib.parse.urlencode(
        {"city": args.city, "checkIn": start.isoformat(), "checkOut": (start + datetime.timedelta(days=1)).isoformat(), "pageSize": 100})
    status, found = call(conn, "GET", path)
    assert status == 200, (status, found)
    types = [r["roomType"]["roomTypeId"] for r in found["results"]]
    assert types, "no demo hotels in " + args.city
    print(f"{len(types)} room types in {args.city}; {args.threads} threads x {args.bookings // args.threads} bookings")

    latencies, outcomes, lock = [], {}, threading.Lock()
    def worker(index):
        rng = random.Random(index)
        conn = connect()
        for n in range(args.bookings // args.threads):
            check_in = start + datetime.timedelta(days=rng.randrange(0, 20))
            body = {"roomTypeId": rng.choice(types), "checkIn": check_in.isoformat(),
                    "checkOut": (check_in + datetime.timedelta(days=rng.randrange(1, 4))).isoformat(),
                    "rooms": rng.randrange(1, 3), "guests": 1, "guest": {"name": "Load", "email": "load@example.com"}}
            began = time.perf_counter()
            status, reply = call(conn, "POST", "/book", body, {"x-user-id": f"load-{index}"})
            elapsed = time.perf_counter() - began
            key = status if status != 409 else f"409 {reply['error']['code']}"
            with lock:
                latencies.append(elapsed)
                outcomes[key] = outcomes.get(key, 0) + 1
    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.perf_counter() - began
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
    print(f"{len(latencies)} POST /book in {wall:.1f} s = {len(latencies) / wall:.0f}/s; outcomes {outcomes}")
    print(f"POST /book latency: p50 {pct(0.50):.1f} ms  p95 {pct(0.95):.1f} ms  p99 {pct(0.99):.1f} ms  max {latencies[-1] * 1000:.1f} ms")
    if args.admin_token:
        status, report = call(connect(), "POST", "/admin/reconciliation?dryRun=true", None, {"Authorization": f"Bearer {args.admin_token}"})
        assert status == 200, (status, report)
        found = sum(check["found"] for check in report["checks"])
        print(f"reconciler (dry run): {found} findings" + ("" if found == 0 else f" {report}"))
        if found: raise SystemExit(1)

if __name__ == "__main__":
    main()
