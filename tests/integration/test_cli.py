"""The `omnicrm` command: the contract the Makefile, playbooks and operators rely on."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

OMNICRM = [sys.executable, "-m", "omnicrm.cli"]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "OMNICRM_ENVIRONMENT": "demo", "OMNICRM_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
            "OMNICRM_LOGGING__JSON": "false", "OMNICRM_JOBS__EMBEDDED_WORKER": "false"}


def run(env, *args, check=True):
    return subprocess.run([*OMNICRM, *args], env=env, capture_output=True, text=True, check=check, timeout=120)


def test_migrate_create_admin_is_idempotent_and_seed_demo(cli_env):
    assert "up to date" in run(cli_env, "migrate").stdout
    first = run(cli_env, "create-admin", "--email", "root@example.com", "--password", "Sup3r!secret")
    assert "admin created" in first.stdout
    again = run(cli_env, "create-admin", "--email", "root@example.com", "--password", "other")
    assert "already exists" in again.stdout
    seeded = run(cli_env, "seed-demo").stdout
    assert "support@omnicrm.demo" in seeded
    assert "already present" in run(cli_env, "seed-demo").stdout


def test_reindex_search_rebuilds_the_named_types(cli_env):
    run(cli_env, "migrate")
    run(cli_env, "seed-demo")
    assert run(cli_env, "reindex-search", "customer", "service").stdout.startswith("indexed ")
    assert "indexed" in run(cli_env, "reindex-search").stdout
    refused = run(cli_env, "reindex-search", "planets", check=False)
    assert refused.returncode != 0
    assert "unknown search type(s) planets" in refused.stderr


def test_create_admin_rejects_a_weak_password(cli_env):
    run(cli_env, "migrate")
    result = run(cli_env, "create-admin", "--email", "weak@example.com", "--password", "short", check=False)
    assert result.returncode != 0


def test_openapi_prints_the_document():
    document = json.loads(subprocess.run([*OMNICRM, "openapi"], capture_output=True, text=True, check=True).stdout)
    assert "/crm/auth/login" in document["paths"]


def test_bad_configuration_stops_with_the_key_named(cli_env):
    result = run({**cli_env, "OMNICRM_INVOICE__DUE_DAYS": "never"}, "migrate", check=False)
    assert result.returncode == 2
    assert "invoice.due_days" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_json(url: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            assert time.monotonic() < deadline, f"{url} did not come up"
            time.sleep(0.3)


def test_serve_migrates_sqlite_answers_health_and_runs_demo_simulators(cli_env):
    port, ocs_port = _free_port(), _free_port()
    env = {**cli_env, "OMNICRM_OCS__CGRATES": f"127.0.0.1:{ocs_port}",
           "OMNICRM_HSS__HSS_PEERS": '["http://10.255.255.1:8080"]', "OMNICRM_SMC__SMC_URL": "",
           "OMNICRM_CBC_URL": ""}
    process = subprocess.Popen([*OMNICRM, "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_json(f"http://127.0.0.1:{port}/crm/health")["database"] == "ok"
        assert _wait_json(f"http://127.0.0.1:{ocs_port}/__fake__/health")["fake"] == "cgrates"
    finally:
        process.terminate()
        process.wait(timeout=10)
    time.sleep(0.5)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{ocs_port}/__fake__/health", timeout=2)


def test_demo_mode_plans_simulators_only_for_loopback_endpoints():
    from omnicrm.simulators import planned_simulators
    from tests.conftest import make_settings

    settings = make_settings("sqlite://", environment="demo", ocs={"cgrates": "127.0.0.1:2080"},
                             hss={"hss_peers": ["http://127.0.0.1:8080", "http://10.1.1.1:8080"]},
                             cbc_url="http://cbc.example.net:8080")
    planned = {(s.name, s.port) for s in planned_simulators(settings)}
    assert ("CGRateS", 2080) in planned and ("PyHSS", 8080) in planned
    assert all(name != "CBC" for name, _ in planned)  # a real CBC is configured: no simulator
