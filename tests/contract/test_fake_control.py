"""The shared machinery: failure rules, the control API, process mode."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

pytest_plugins = ["tests.fakes.plugin"]

REPO = Path(__file__).resolve().parents[2]


def test_failure_rule_counts_always_and_patterns(fake_smsc):
    url = f"{fake_smsc.url}/SMS/plaintext/test-sms-key"
    body = {"source_msisdn": "A", "destination_msisdn": "B", "message_body": "C"}
    control = f"{fake_smsc.url}/__fake__/fail"
    requests.post(control, json={"route": "POST /SMS/*", "times": None, "status": 502}, timeout=10)
    assert [requests.post(url, json=body, timeout=10).status_code for _ in range(3)] == [502, 502, 502]
    assert requests.get(control, timeout=10).json()[0]["hits"] == 3
    requests.delete(control, timeout=10)
    assert requests.post(url, json=body, timeout=10).status_code == 201


def test_control_api_lists_requests_and_resets(fake_cbc):
    requests.post(f"{fake_cbc.url}/alerts/send", json={"messageIdentifier": "1"}, timeout=10)
    logged = requests.get(f"{fake_cbc.url}/__fake__/requests", timeout=10).json()
    assert [(r["method"], r["path"]) for r in logged] == [("POST", "/alerts/send")]
    assert requests.post(f"{fake_cbc.url}/__fake__/reset", timeout=10).json() == {"ok": True}
    assert requests.get(f"{fake_cbc.url}/__fake__/requests", timeout=10).json() == []
    missing = requests.get(f"{fake_cbc.url}/__fake__/nope", timeout=10)
    assert missing.status_code == 404


def test_a_bad_control_request_is_400(fake_cbc):
    response = requests.post(f"{fake_cbc.url}/__fake__/fail", json={"times": 1}, timeout=10)
    assert response.status_code == 400


def test_reset_releases_a_request_parked_in_an_injected_delay(fake_smsc):
    fake_smsc.fail("POST /api/send", delay=30)
    started = time.monotonic()

    def release() -> None:
        time.sleep(0.3)
        fake_smsc.reset()

    threading.Thread(target=release).start()
    body = {"source": "A", "destination": "B", "message": "C"}
    response = requests.post(f"{fake_smsc.url}/api/send", json=body, timeout=10)
    assert response.status_code == 201
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("name", ["cgrates", "pyhss", "mailjet", "smsc", "cbc"])
def test_each_fake_runs_as_a_process_driven_over_http(name):
    process = subprocess.Popen(
        [sys.executable, "-m", f"tests.fakes.{name}", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith(f"fake-{name} listening on http://127.0.0.1:"), line + process.stderr.read()
        url = line.split()[-1]
        assert requests.get(f"{url}/__fake__/health", timeout=10).json() == {"ok": True, "fake": name}
        rule = requests.post(f"{url}/__fake__/fail", json={"target": "*", "times": 2, "error": "x"}, timeout=10)
        assert rule.json()["times"] == 2
        assert isinstance(requests.get(f"{url}/__fake__/state", timeout=10).json(), dict)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
