"""Helpers the end-to-end scripts share: a JSON HTTP call, a free port, waiting for /health, one purchase, stopping a
server, a scratch PostgreSQL database and a load generator report's verdict."""
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request


def call(port, method, path, body=None, user=None, token=None, timeout=15):
    """(status, parsed JSON) — status None when the server could not be reached."""
    headers = {"Content-Type": "application/json"}
    if user:
        headers["x-user-id"] = user
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except (OSError, http.client.HTTPException) as cut:
            # A refusal cut short by a killed server: nothing was acknowledged either way.
            return None, str(cut)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, http.client.HTTPException) as error:
        # Not acknowledged: a server killed mid-answer may cut the body short (IncompleteRead).
        return None, str(error)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if call(port, "GET", "/health", timeout=2)[0] == 200:
            return True
        time.sleep(0.2)
    return False


def purchase(port, user, seats, show_id):
    """hold -> order -> pay; returns what the server acknowledged with 2xx."""
    acknowledged = {"user": user, "port": port}
    status, hold = call(port, "POST", "/holds", {"showId": show_id, "seatIds": seats, "quantity": len(seats)}, user=user)
    if status != 201:
        return acknowledged
    acknowledged["hold"] = (hold["holdId"], hold["seatIds"])
    customer = {"name": "Test Buyer", "email": user + "@example.com", "phone": "9876543210"}
    status, order = call(port, "POST", "/orders", {"holdId": hold["holdId"], "customer": customer}, user=user)
    if status != 201:
        return acknowledged
    acknowledged["order"] = order["orderId"]
    status, paid = call(port, "POST", "/orders/%s/confirm-payment" % order["orderId"], user=user)
    if status == 200:
        acknowledged["confirmed"] = (paid["orderId"], paid["ticketCode"])
    return acknowledged


@contextlib.contextmanager
def scratch_database(server_url, prefix):
    """A PostgreSQL database of its own on `server_url`'s server for the block, dropped after; yields its URL."""
    database = "%s_%d" % (prefix, os.getpid())
    subprocess.run(["psql", server_url, "-qc", "CREATE DATABASE %s" % database], check=True, capture_output=True)
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + database
    finally:
        subprocess.run(["psql", server_url, "-qc", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % database], capture_output=True)


def clean(reports):
    """Whether every `holdfast bench` report's verdict is clean: the reconciler found nothing, booked seats are paid."""
    return all(report["verdict"]["reconcilerFindings"] == 0 and report["verdict"]["bookedSeats"] == report["verdict"]["paidSeats"]
               for report in reports)


def stop(process, seconds=30):
    """SIGTERM, then the exit code — or None when it did not stop within `seconds` (it is killed then)."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        return None
