"""API overhead: the real app under gunicorn vs a bare Flask + SQLAlchemy Core baseline, same queries.

Scenarios: GET /crm/health and a by-id read of a table seeded with 100 000 rows (customers), on a real
MariaDB. Load comes from wrk in a separate process (32 connections). Target (reported, not asserted):
≥ 0.6 x baseline throughput and p95 < 25 ms.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import Report

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "2")
THREADS = os.environ.get("BENCH_GUNICORN_THREADS", "8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(app_path: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
    port = _free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", WORKERS,
         "--threads", THREADS, "--worker-class", "gthread", "--log-level", "warning", app_path],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


_WRK_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local id = (counter * 7919) % {rows} + 1
  local path = string.gsub(wrk.path, "{id}", tostring(id))
  return wrk.format("GET", path)
end
"""


def wrk(url: str, headers: dict[str, str], rows: int) -> dict[str, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(_WRK_LUA.replace("{rows}", str(rows)))
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", DURATION, "--latency", "-s", str(script)]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    finished = subprocess.run([*command, url], capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed: {finished.stderr or finished.stdout}")
    output = finished.stdout
    script.unlink()
    return _parse_wrk(output)


def _parse_wrk(output: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.MULTILINE))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    # wrk prints 50/75/90/99; p95 is interpolated between p90 and p99.
    p90, p99 = ms(latency["90"]), ms(latency["99"])
    return {"rps": round(rps, 1), "p50_ms": round(ms(latency["50"]), 2), "p95_ms": round(p90 + (p99 - p90) * 5 / 9, 2),
            "p99_ms": round(p99, 2), "errors": int(non2xx.group(1)) if non2xx else 0}


def _seed(url: str) -> None:
    from sqlalchemy import create_engine, insert

    from omnicrm.core.migrate import upgrade
    from omnicrm.customers.models import Customer

    upgrade(url)
    engine = create_engine(url)
    batch = [{"customer_name": f"Bench Customer {i}", "customer_account_type": "Individual",
              "customer_status": "Open", "customer_payment_type": "prepaid"} for i in range(ROWS)]
    with engine.begin() as conn:
        for start in range(0, ROWS, 10000):
            conn.execute(insert(Customer), batch[start:start + 10000])
    engine.dispose()


def _admin_token(base: str, env: dict[str, str]) -> str:
    import json

    subprocess.run([str(Path(sys.executable).parent / "omnicrm"), "create-admin", "--email", "bench@example.com",
                    "--password", "Bench123!"], env=env, check=True, capture_output=True)
    request = urllib.request.Request(f"{base}/crm/auth/login", method="POST",
                                     data=json.dumps({"email": "bench@example.com", "password": "Bench123!"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return str(json.loads(response.read())["token"])


def run() -> Any:
    from tests.support.mariadb import running_mariadb

    report = Report("api")
    if not shutil.which("wrk"):
        report.notes.append("wrk is not installed (make bench installs it)")
        return report
    with running_mariadb() as server:
        url = server.create_database("omnicrm_bench")
        _seed(url)
        env = {**os.environ, "OMNICRM_ENVIRONMENT": "demo", "OMNICRM_DATABASE_URL": url,
               "OMNICRM_JOBS__EMBEDDED_WORKER": "false", "OMNICRM_LOGGING__LEVEL": "WARNING",
               "OMNICRM_API__DEFAULT_RATE_LIMIT": "", "BENCH_TABLE": "customer", "BENCH_KEY": "customer_id",
               "PYTHONPATH": str(ROOT)}
        with gunicorn("benchmarks.baseline_app:app", env) as base:
            baseline = {"health": wrk(f"{base}/health", {}, ROWS),
                        "by_id": wrk(f"{base}/row/{{id}}", {}, ROWS)}
        with gunicorn("omnicrm.wsgi:app", env) as base:
            headers = {"Authorization": f"Bearer {_admin_token(base, env)}"}
            api = {"health": wrk(f"{base}/crm/health", {}, ROWS),
                   "by_id": wrk(f"{base}/crm/customer/customer_id/{{id}}", headers, ROWS)}
    for scenario in ("health", "by_id"):
        ratio = api[scenario]["rps"] / baseline[scenario]["rps"]
        report.add(f"{scenario}.baseline", baseline[scenario])
        report.add(f"{scenario}.omnicrm", api[scenario])
        report.add(f"{scenario}.throughput_ratio", round(ratio, 2))
        report.target(f"{scenario}: throughput ≥ 0.6 x baseline (got {ratio:.2f}x)", ratio >= 0.6)
        report.target(f"{scenario}: p95 < 25 ms at {CONNECTIONS} connections (got {api[scenario]['p95_ms']} ms)",
                      api[scenario]["p95_ms"] < 25)
    report.notes.append(f"gunicorn {WORKERS} workers x {THREADS} threads, wrk {CONNECTIONS} connections, "
                        f"{DURATION} per scenario, MariaDB, {ROWS} rows; load generator shares the machine")
    return report
