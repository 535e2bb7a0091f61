"""Running a provisioning job: ansible-runner on `localhost,` inside the job worker.

Each Ansible task becomes a provision_event row (1 while it runs, then 0 ok, 2 failed, 3 failed under
ignore_errors) with its result trimmed and secrets redacted. The job ends 0 or 2; on 2 the reserved inventory
goes back In Stock and `provisioning.failure_list` is e-mailed. No database transaction is held open while
the playbook runs (it calls the CRM API, which needs the database too).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from omnicrm.communications import service as communications
from omnicrm.core import metrics
from omnicrm.core.config import Settings
from omnicrm.core.db import Database, utcnow
from omnicrm.core.jobs import Job, JobContext, job_handler
from omnicrm.provisioning import credentials, playbooks, service
from omnicrm.provisioning.models import FAILED, FAILED_IGNORED, RUNNING, SUCCESS, Provision, ProvisionEvent

log = logging.getLogger("omnicrm.provisioning")

FAILURE_TEMPLATE = "api_crmCommunicationProvisioningFailed"
RESULT_LIMIT = 16_000  # characters of one task's result kept in provision_event
CANCEL_POLL_SECONDS = 1.0
# Header names and keys whose values never reach the events (on top of playbooks.redact's rules).
SECRET_KEYS = re.compile(r"(authorization|x-api-key|provisioning-key|cookie)", re.IGNORECASE)
TASK_RESULTS = {"runner_on_ok": SUCCESS, "runner_on_skipped": SUCCESS, "runner_on_failed": FAILED,
                "runner_on_unreachable": FAILED}


# Applications by database engine: a job can fail outside any application context (the reaper, a crashed
# handler), and its failure mail still needs that application's settings.
_apps_by_engine: dict[int, Flask] = {}


def register(app: Flask) -> None:
    _apps_by_engine[id(app.extensions["omnicrm"].db.engine)] = app


def _settings_for(session: Session) -> Settings:
    if has_app_context():
        return current_app.extensions["omnicrm"].settings
    app = _apps_by_engine.get(id(session.get_bind().engine))
    if app is None:
        raise RuntimeError("no OmniCRM application uses this database")
    return app.extensions["omnicrm"].settings


# --------------------------------------------------------------------------------------------------
# The job


def _on_failed(session: Session, job: Job) -> None:
    """The worker died or the handler crashed: never leave the provision 'running' for ever."""
    provision = session.scalar(select(Provision).where(Provision.job_id == job.job_id))
    if provision is not None and provision.provisioning_status == RUNNING:
        _finish(session, _settings_for(session), provision, FAILED, (job.error or "the job failed").splitlines()[0])


@job_handler(service.RUN_JOB, max_attempts=1, on_failed=_on_failed, view_permission="view_provision")
def run_provision_job(ctx: JobContext) -> dict[str, Any]:
    settings: Settings = ctx.settings or current_app.extensions["omnicrm"].settings
    provision_id = int(ctx.payload["provision_id"])
    timeout = settings.provisioning.job_timeout_seconds
    with ctx.db.transaction() as session:
        provision = session.get(Provision, provision_id)
        if provision is None or provision.provisioning_status != RUNNING:
            return {"skipped": True}
        token = credentials.issue(provision, timeout)
        provision.started = utcnow()
        play = provision.provisioning_play
        extra_vars = {**json.loads(provision.extra_vars_sealed or "{}"), "access_token": token}
    path = playbooks.play_path(service.plays_directory(settings), play)
    started = time.perf_counter()
    metrics.PROVISION_ACTIVE.inc()
    try:
        outcome = run_playbook(ctx.db, provision_id, path, extra_vars, settings, timeout=timeout,
                               cancelled=_cancel_check(ctx), secrets=(token,))
    finally:
        metrics.PROVISION_ACTIVE.dec()
    status = SUCCESS if outcome.succeeded else FAILED
    with ctx.db.transaction() as session:
        _finish(session, settings, session.get_one(Provision, provision_id), status, outcome.error)
    metrics.PROVISION_DURATION.labels(play, _label(status)).observe(time.perf_counter() - started)
    return {"provision_id": provision_id, "provisioning_status": status, "error": outcome.error}


def _mark_rescued_failures(session: Session, provision: Provision) -> None:
    """A play that succeeded despite a failed task had a rescue handle it (a deprovision's deliberate stop, a
    rolled-back step): such a task is failed-but-handled (3), not a failure of the job (2)."""
    session.execute(update(ProvisionEvent).where(
        ProvisionEvent.provision_id == provision.provision_id, ProvisionEvent.provisioning_status == FAILED)
        .values(provisioning_status=FAILED_IGNORED).execution_options(synchronize_session="fetch"))


def _label(status: int) -> str:
    return "success" if status == SUCCESS else "failed"


def _finish(session: Session, settings: Settings, provision: Provision, status: int, error: str | None) -> None:
    if status == SUCCESS:
        _mark_rescued_failures(session, provision)
    service.finish(session, provision, status, error)
    metrics.PROVISION_JOBS.labels(_label(status)).inc()
    if status == FAILED:
        metrics.PROVISION_ERRORS.labels("job_failed", provision.provisioning_play).inc()
        _email_failure(session, settings, provision)


def _email_failure(session: Session, settings: Settings, provision: Provision) -> None:
    failing = session.scalar(select(ProvisionEvent).where(
        ProvisionEvent.provision_id == provision.provision_id, ProvisionEvent.provisioning_status == FAILED)
        .order_by(ProvisionEvent.event_number).limit(1))
    variables = {"provision_id": provision.provision_id, "provisioning_play": provision.provisioning_play,
                 "playbook_description": provision.playbook_description, "customer_id": provision.customer_id,
                 "product_id": provision.product_id, "service_id": provision.service_id,
                 "failed_task": failing.event_name if failing else None,
                 "error": provision.error or "", "crm_url": f"{settings.crm.base_url.rstrip('/')}/provision/"
                 f"{provision.provision_id}"}
    for recipient in settings.provisioning.failure_list:
        communications.send_email(session, FAILURE_TEMPLATE, to_email=recipient, variables=variables,
                                  customer_id=provision.customer_id)


def _cancel_check(ctx: JobContext) -> Callable[[], bool]:
    """Asks the job table at most once a second; once cancelled, stays cancelled (ansible-runner calls this on
    every loop and keeps only the latest answer)."""
    state = {"checked": 0.0, "cancelled": False}

    def cancelled() -> bool:
        now = time.monotonic()
        if not state["cancelled"] and now - state["checked"] >= CANCEL_POLL_SECONDS:
            state["checked"] = now
            state["cancelled"] = ctx.cancel_requested()
        return bool(state["cancelled"])

    return cancelled


# --------------------------------------------------------------------------------------------------
# One ansible-runner run


@dataclass
class Outcome:
    succeeded: bool
    error: str | None = None


@dataclass
class EventRecorder:
    """ansible-runner's event_handler: one provision_event per task, written as the play goes."""

    db: Database
    provision_id: int
    playbook: str
    secrets: tuple[str, ...] = ()
    rows: dict[str, int] = field(default_factory=dict)  # task uuid -> provision_event_id
    count: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    deprovisioning: bool = False

    def summary(self) -> str | None:
        """The task that failed first (the cause) and, when a rescue ran, how the play ended."""
        if not self.failures:
            return None
        first, last = self.failures[0], self.failures[-1]
        return first if first == last else f"{first} | {last}"

    def __call__(self, event: dict[str, Any]) -> bool:
        kind = event.get("event", "")
        data = event.get("event_data") or {}
        if kind == "playbook_on_task_start":
            self._started(data)
        elif kind in TASK_RESULTS:
            self._ended(kind, data)
        return False  # nothing needs ansible-runner's on-disk copy of the event

    def _started(self, data: dict[str, Any]) -> None:
        with self.lock, self.db.transaction() as session:
            self.count += 1
            row = ProvisionEvent(provision_id=self.provision_id, event_number=self.count,
                                 event_name=(data.get("task") or data.get("name") or "task")[:255],
                                 provisioning_status=RUNNING)
            session.add(row)
            session.flush()
            self.rows[data.get("task_uuid", "")] = row.provision_event_id

    def _ended(self, kind: str, data: dict[str, Any]) -> None:
        status = TASK_RESULTS[kind]
        result = data.get("res") or {}
        if kind == "runner_on_skipped":
            result = {**result, "skipped": True}  # Ansible leaves it out; the job view tells skips from runs
        if status == FAILED and (data.get("ignore_errors") or self._is_deliberate_stop(result)):
            status = FAILED_IGNORED
        if status == FAILED:
            self.failures.append(f"{data.get('task', 'task')}: {_message(result)}")
        metrics.PROVISION_TASKS.labels(self.playbook, {SUCCESS: "ok", FAILED: "failed"}.get(status, "ignored")).inc()
        with self.lock, self.db.transaction() as session:
            row = session.get(ProvisionEvent, self.rows.get(data.get("task_uuid", ""), -1))
            if row is None:
                return
            row.provisioning_status = status
            row.provisioning_result_json = trimmed_result(result, self.secrets)
            row.timestamp = utcnow()


    def _is_deliberate_stop(self, result: dict[str, Any]) -> bool:
        """A deprovision's first failure at an assert refusing deprovisioning (task_refuse_deprovision.yaml): the
        rescue tears the service down from here, so it is an expected step, not the job's failure."""
        assertion = result.get("assertion")
        return self.deprovisioning and not self.failures and isinstance(assertion, str) \
            and bool(playbooks.REFUSES_DEPROVISION.search(assertion))


def _message(result: dict[str, Any]) -> str:
    text = result.get("msg") or result.get("stderr") or result.get("reason") or ""
    if isinstance(result.get("json"), dict):  # an API's error envelope is the useful part
        body = result["json"]
        text = f"{text} {body.get('error') or body.get('reason') or ''}".strip()
    return str(text)[:1000]


def _redact_headers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "***" if isinstance(k, str) and SECRET_KEYS.search(k) else _redact_headers(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_headers(v) for v in value]
    return value


def _secret_values(value: Any, found: set[str]) -> set[str]:
    """Values held under secret-looking keys, so copies of them elsewhere (a SIM's Ki is also its itemtext3)
    are hidden too."""
    if isinstance(value, dict):
        for key, inner in value.items():
            secret_key = isinstance(key, str) and (playbooks.SECRET_VAR.search(key) or SECRET_KEYS.search(key))
            if secret_key and isinstance(inner, str) and len(inner) >= 6:
                found.add(inner)
            else:
                _secret_values(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _secret_values(inner, found)
    return found


def trimmed_result(result: Any, secrets: tuple[str, ...] = ()) -> str:
    """A task's result as stored: secrets (keys, tokens, headers) replaced by ***, at most RESULT_LIMIT chars."""
    text = json.dumps(_redact_headers(playbooks.redact(result)), default=str, sort_keys=True)
    for secret in (*secrets, *_secret_values(result, set())):
        if secret:
            text = text.replace(secret, "***")
    return text if len(text) <= RESULT_LIMIT else text[:RESULT_LIMIT - 15] + '..."[trimmed]'


def crm_config_for_plays(settings: Settings) -> dict[str, Any]:
    """The part of the effective configuration playbooks read as `crm_config` (env overrides included)."""
    return {
        "ocs": {"cgrates": settings.ocs.cgrates, "ocsTenant": settings.ocs.ocsTenant,
                "monetary_scale": settings.ocs.monetary_scale},
        "hss": {"hss_peers": list(settings.hss.hss_peers), "apn_list": settings.hss.apn_list,
                "provisioning_key": settings.hss.provisioning_key.get_secret_value()},
        "crm": {"base_url": settings.crm.base_url.rstrip("/")},
        "currency": settings.currency,
        "smc": {"smc_url": settings.smc.smc_url, "source_msisdn": settings.smc.source_msisdn},
    }


def ansible_env() -> dict[str, str]:
    return {
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_RETRY_FILES_ENABLED": "False", "ANSIBLE_LOCALHOST_WARNING": "False",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False", "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_NOCOLOR": "1", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def run_playbook(db: Database, provision_id: int, path: Path, extra_vars: dict[str, Any], settings: Settings, *,
                 timeout: int, cancelled: Callable[[], bool] = lambda: False,
                 secrets: tuple[str, ...] = ()) -> Outcome:
    import ansible_runner  # imported here: it is slow to import and only workers need it

    recorder = EventRecorder(db, provision_id, path.stem, secrets,
                             deprovisioning=extra_vars.get("action") == "deprovision")
    with tempfile.TemporaryDirectory(prefix=f"omnicrm-provision-{provision_id}-") as private:
        config_file = Path(private) / "crm_config.json"
        config_file.touch(mode=0o600)
        config_file.write_text(json.dumps(crm_config_for_plays(settings)))
        result = ansible_runner.run(
            private_data_dir=private, playbook=str(path), inventory="localhost,",
            extravars={**extra_vars, "crm_config_file": str(config_file), "ansible_connection": "local"},
            event_handler=recorder, cancel_callback=cancelled, timeout=timeout, quiet=True,
            envvars=ansible_env(),
            settings={"suppress_ansible_output": True}, rotate_artifacts=1)
        output_tail = _tail(result)
    if result.status == "successful" and result.rc == 0:
        return Outcome(True)
    if result.status == "timeout" or getattr(result, "timed_out", False):
        return Outcome(False, f"timed out after {timeout} s" + _at(recorder))
    if result.status == "canceled" or getattr(result, "canceled", False):
        return Outcome(False, "cancelled" + _at(recorder))
    return Outcome(False, recorder.summary()
                   or f"ansible-playbook ended {result.status} (rc {result.rc}): {output_tail}")


def _tail(result: Any, characters: int = 1500) -> str:
    """The end of ansible-playbook's output: the reason when it failed before running any task."""
    try:
        text = result.stdout.read()
    except (OSError, ValueError, AttributeError):
        return ""
    return str(text)[-characters:].strip()


def _at(recorder: EventRecorder) -> str:
    return f" (after: {recorder.summary()})" if recorder.failures else ""
