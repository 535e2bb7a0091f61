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


def test_serve_migrates_sqlite_and_answers_health(cli_env):
    port = _free_port()
    process = subprocess.Popen([*OMNICRM, "serve", "--port", str(port)], env=cli_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/crm/health", timeout=2) as response:
                    assert json.loads(response.read())["database"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=10)
