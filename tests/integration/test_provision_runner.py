"""The provisioning job runner with real ansible-runner on small plays: task events, timeout, cancellation,
a dead worker, the job credential's lifetime."""

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select, update

from omnicrm.app import app_state, create_app
from omnicrm.communications.models import Communication
from omnicrm.core.db import utcnow
from omnicrm.core.jobs import RUNNING as JOB_RUNNING
from omnicrm.core.jobs import Job, Worker, claim_next, reap_stale
from omnicrm.provisioning.models import Provision, ProvisionEvent
from tests.conftest import Identities, make_settings

pytestmark = pytest.mark.slow

HEADER = "- name: {name}\n  hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
PLAYS = {
    "play_mixed": HEADER.format(name="Mixed results") + (
        "    - name: Fine\n      ansible.builtin.debug: {msg: fine}\n"
        "    - name: Broken but ignored\n      ansible.builtin.fail: {msg: optional step}\n      ignore_errors: true\n"
        "    - name: Long output\n      ansible.builtin.debug: {msg: \"{{ 'x' * 40000 }}\"}\n"
        "    - name: Shows a secret\n"
        "      ansible.builtin.debug: {msg: {password: hunter22, token: '{{ access_token }}'}}\n"),
    "play_wait": HEADER.format(name="Slow") + "    - name: Wait\n      ansible.builtin.pause: {seconds: 60}\n",
    "play_broken": HEADER.format(name="Broken") + "    - name: Explode\n      ansible.builtin.fail: {msg: boom}\n",
}


@pytest.fixture
def runner(committed_db, tmp_path):
    plays = tmp_path / "plays"
    plays.mkdir()
    for name, text in PLAYS.items():
        (plays / f"{name}.yaml").write_text(text)
    url = committed_db.engine.url.render_as_string(hide_password=False)
    settings = make_settings(url, provisioning={"plays_directory": str(plays), "job_timeout_seconds": 4,
                                                "failure_list": ["noc@example.com"]})
    app = create_app(settings, db=committed_db, configure_logs=False)
    admin = Identities(app).admin()
    client = app.test_client()
    customer_id = client.put("/crm/customer/", json={"customer_name": "Runner Test"}, headers=admin).json[
        "customer_id"]
    products = {}
    for name in PLAYS:
        products[name] = client.put("/crm/product", headers=admin, json={
            "product_slug": name, "product_name": name, "category": "standalone", "service_type": "mobile",
            "provisioning_play": name, "enabled": True}).json["product_id"]

    def start(play):
        response = client.put("/crm/provision/", headers=admin,
                              json={"product_id": products[play], "customer_id": customer_id})
        assert response.status_code == 200, response.json
        return response.json["provision_id"]

    def worker():
        return Worker(committed_db, settings=app_state(app).settings, app=app, heartbeat_seconds=30,
                      run_scheduler=False, poll_interval=0.05)

    def provision(provision_id):
        with committed_db.transaction() as session:
            row = session.get(Provision, provision_id)
            events = [(e.event_name, e.provisioning_status, e.provisioning_result_json) for e in row.events]
            session.expunge(row)
        return row, events

    return type("Runner", (), {"start": staticmethod(start), "worker": staticmethod(worker), "app": app,
                               "client": client, "admin": admin, "provision": staticmethod(provision)})


def test_events_record_each_task_with_its_status_trimmed_and_redacted(runner):
    provision_id = runner.start("play_mixed")
    runner.worker().run_until_idle()
    row, events = runner.provision(provision_id)
    assert row.provisioning_status == 0 and row.error is None and row.credential_revoked
    assert [(name, status) for name, status, _ in events] == [
        ("Fine", 0), ("Broken but ignored", 3), ("Long output", 0), ("Shows a secret", 0)]
    assert len(events[2][2]) <= 16_000 and events[2][2].endswith("[trimmed]")
    assert "hunter22" not in events[3][2] and "pjt_" not in events[3][2]
    exposed = runner.client.get("/crm/metrics").get_data(as_text=True)
    assert 'omnicrm_provision_tasks_total{playbook="play_mixed",status="ignored"}' in exposed
    assert 'omnicrm_provision_jobs_total{status="success"}' in exposed


def test_a_job_running_past_its_timeout_is_stopped_and_failed(runner):
    provision_id = runner.start("play_wait")
    started = time.monotonic()
    runner.worker().run_until_idle()
    row, events = runner.provision(provision_id)
    assert row.provisioning_status == 2 and "timed out after 4 s" in row.error
    assert time.monotonic() - started < 30
    assert events[0][:2] == ("Wait", 1)  # still shown as running: the task never finished


def test_cancelling_a_running_job_stops_the_playbook(runner):
    provision_id = runner.start("play_wait")
    app_state(runner.app).settings.provisioning.job_timeout_seconds = 60
    worker = runner.worker()
    thread = threading.Thread(target=worker.run_until_idle)
    thread.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not runner.provision(provision_id)[1]:
        time.sleep(0.2)
    response = runner.client.post(f"/crm/provision/provision_id/{provision_id}/cancel", headers=runner.admin)
    assert response.status_code == 200, response.json
    thread.join(timeout=40)
    row, _ = runner.provision(provision_id)
    assert row.provisioning_status == 2 and row.error.startswith("cancelled")


def test_a_failed_job_mails_the_failure_list(runner):
    provision_id = runner.start("play_broken")
    runner.worker().run_until_idle()
    row, _ = runner.provision(provision_id)
    assert row.provisioning_status == 2 and row.error == "Explode: boom"
    with app_state(runner.app).db.transaction() as session:
        [mail] = session.scalars(select(Communication).where(Communication.recipient == "noc@example.com"))
        assert mail.variables["failed_task"] == "Explode" and mail.variables["provision_id"] == provision_id


def test_a_dead_workers_job_is_failed_never_left_running(runner, committed_db):
    provision_id = runner.start("play_wait")
    job = claim_next(committed_db, "dead-worker")
    assert job is not None
    with committed_db.transaction() as session:
        session.execute(update(Job).where(Job.job_id == job.job_id).values(
            heartbeat_at=utcnow() - dt.timedelta(minutes=5)))
    assert reap_stale(committed_db, 60) == [job.job_id]  # as a worker's housekeeping does: no app context
    row, _ = runner.provision(provision_id)
    assert row.provisioning_status == 2 and "stopped heart-beating" in row.error
    with committed_db.transaction() as session:
        assert session.get(Job, job.job_id).status != JOB_RUNNING
        assert session.scalar(select(ProvisionEvent).where(ProvisionEvent.provision_id == provision_id)) is None
        [mail] = session.scalars(select(Communication).where(Communication.recipient == "noc@example.com"))
        assert mail.variables["provision_id"] == provision_id
