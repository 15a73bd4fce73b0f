#!/usr/bin/env python3
"""The OpenAPI document, checked against a live server: schemathesis generates a bounded number of requests
for every operation (as a customer, then the admin routes as an admin), with the document's links for
stateful sequences (hold → order → pay). Fails on any 5xx and on any answer the document does not describe
(status, content type, body schema). Afterwards the server must still be ready and the reconciler must find
nothing wrong with what the fuzzer bought."""
import os
import shutil
import re
import socket
import subprocess
import sys
import tempfile

from testkit import call, stop, wait_healthy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "debug", "holdfast")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "25")
passed, failed = [], []


def check(name, condition, detail=""):
    (passed if condition else failed).append(name)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else "  " + str(detail)[-3000:]), flush=True)



def schemathesis():
    for name in ("st", "schemathesis"):
        if shutil.which(name):
            return [shutil.which(name)]
    try:
        import schemathesis  # noqa: F401
        return [sys.executable, "-m", "schemathesis.cli"]
    except ImportError:
        return None


def fuzz(command, port, folder, name, token, selection):
    args = command + [
        "run", "http://127.0.0.1:%d/openapi.yaml" % port, "--checks", CHECKS, "--max-examples", EXAMPLES,
        "--seed", "20261123", "--no-shrink", "--workers", "2", "--request-timeout", "20",
        "--phases", "examples,coverage,fuzzing,stateful", "--warnings", "off",
        "-H", "Authorization: Bearer " + token] + selection
    result = subprocess.run(args, cwd=folder, capture_output=True, text=True, timeout=1200)
    if tool_crashed(result):
        # Seen in CI, twice in a row once: hypothesis failed to describe a lambda from its own source ("AST constructor
        # recursion depth mismatch", CPython 3.11's ast.parse racing between schemathesis' two worker threads) with
        # every request answered as documented. That says nothing about the server: run again on one worker thread.
        print("  %s: schemathesis itself crashed with every case passing; running it again on one worker" % name, flush=True)
        single = list(args)
        single[single.index("--workers") + 1] = "1"
        result = subprocess.run(single, cwd=folder, capture_output=True, text=True, timeout=1200)
    summary = [line for line in result.stdout.splitlines() if "generated" in line or "passed" in line]
    print("  %s: %s" % (name, summary[-1].strip() if summary else "no summary"), flush=True)
    check("schemathesis %s: no 5xx, nothing outside the document" % name, result.returncode == 0,
          result.stdout[-6000:] + result.stderr[-2000:])


def tool_crashed(result):
    """schemathesis stopped on an error of its own (a Python exception, not a failed check) while every case it
    generated passed."""
    cases = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    return (result.returncode != 0 and "Runtime Error" in result.stdout and "Network Error" not in result.stdout
            and cases is not None and cases.group(1) == cases.group(2) and "FAILURES" not in result.stdout)


def run_against(command, backend, env):
    """One server on `env`'s store, fuzzed as a customer and as an admin."""
    sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
    folder = env["FUZZ_FOLDER"]
    env = dict(env, PORT=str(port), LOG_LEVEL="warning", RATE_LIMITS="false")
    log = open(os.path.join(folder, "serve-%s.log" % backend), "w")
    server = subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(port)
        token = lambda user, role: subprocess.run(
            [BINARY, "token", "--user", user, "--role", role], env=env, capture_output=True, text=True, check=True).stdout.strip()
        fuzz(command, port, folder, "%s as a customer" % backend, token("fuzz-customer", "customer"), ["--exclude-tag", "admin"])
        fuzz(command, port, folder, "%s as an admin" % backend, token("fuzz-admin", "admin"), ["--include-tag", "admin"])
        check("%s: the server is still up and ready" % backend, server.poll() is None and call(port, "GET", "/ready")[0] == 200, open(log.name).read()[-2000:])
        check("%s: the log has no failed request" % backend, "request failed" not in open(log.name).read(), open(log.name).read()[-3000:])
    finally:
        stop(server)
    reconcile = subprocess.run([BINARY, "reconcile", "--dry-run"], env=env, capture_output=True, text=True)
    check("%s: the reconciler finds nothing wrong afterwards" % backend, reconcile.returncode == 0, reconcile.stdout[-2000:] + reconcile.stderr[-1000:])


def psql(server_url, sql):
    subprocess.run(["psql", server_url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True)


def main():
    command = schemathesis()
    if command is None:
        print("WARNING: schemathesis is not installed (pip install schemathesis): the API fuzzing is skipped")
        return
    folder = tempfile.mkdtemp(prefix="holdfast-fuzz-")
    base = dict(os.environ, FUZZ_FOLDER=folder)
    base.pop("DATABASE_URL", None)
    run_against(command, "SQLite", dict(base, DATABASE_PATH=os.path.join(folder, "holdfast.sqlite")))
    server_url = os.environ.get("HOLDFAST_TEST_POSTGRES_URL")
    if server_url:
        database = "hf_fuzz_%d" % os.getpid()
        psql(server_url, "CREATE DATABASE %s" % database)
        try:
            run_against(command, "PostgreSQL", dict(base, DATABASE_URL=server_url.rsplit("/", 1)[0] + "/" + database, DATABASE_TLS="disable"))
        finally:
            psql(server_url, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % database)
    else:
        print("WARNING: no PostgreSQL for this run: the API fuzzing ran on SQLite only")
    print("fuzz: %d passed, %d failed" % (len(passed), len(failed)))
    if not failed:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print("server logs and schemathesis reports: " + folder)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
