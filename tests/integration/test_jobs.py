"""Background jobs: claiming, retries, reaping and scheduling — on SQLite and on a real MariaDB."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select, update

from omnicrm.core import jobs
from omnicrm.core.db import utcnow
from omnicrm.core.jobs import Job, JobContext, PermanentFailure, RetryLater, Worker, enqueue, job_handler

RAN: list[tuple[int, str]] = []
RAN_LOCK = threading.Lock()
FAILED_HOOK: list[int] = []


@job_handler("test.record")
def _record(ctx: JobContext):
    time.sleep(0.002)
    with RAN_LOCK:
        RAN.append((ctx.job_id, ctx.worker_id))
    return {"ok": True, "attempt": ctx.attempt}


@job_handler("test.flaky", on_failed=lambda session, job: FAILED_HOOK.append(job.job_id))
def _flaky(ctx: JobContext):
    raise RuntimeError("remote said no")


@job_handler("test.permanent")
def _permanent(ctx: JobContext):
    raise PermanentFailure("cannot ever work")


@job_handler("test.later")
def _later(ctx: JobContext):
    raise RetryLater(60, "not yet")


@pytest.fixture(autouse=True)
def _reset():
    RAN.clear()
    FAILED_HOOK.clear()


def _add(db, kind, n=1, **kwargs):
    with db.transaction() as s:
        created = [enqueue(s, kind, {"n": i}, **kwargs) for i in range(n)]
        s.flush()
        return [j.job_id for j in created]


def _job(db, job_id) -> Job:
    with db.transaction() as s:
        return s.get(Job, job_id)


def test_a_job_runs_once_and_records_its_result(committed_db):
    [job_id] = _add(committed_db, "test.record")
    assert Worker(committed_db, run_scheduler=False).run_until_idle() == 1
    job = _job(committed_db, job_id)
    assert job.status == "succeeded" and job.result == {"ok": True, "attempt": 1}
    assert job.attempts == 1 and job.finished_at is not None and job.locked_by


def test_failures_retry_with_backoff_then_fail_and_call_the_hook(committed_db):
    [job_id] = _add(committed_db, "test.flaky", max_attempts=2)
    worker = Worker(committed_db, run_scheduler=False)
    worker.run_until_idle()
    job = _job(committed_db, job_id)
    assert job.status == "queued" and job.attempts == 1 and "remote said no" in job.error
    assert job.run_after > utcnow() + dt.timedelta(seconds=3)
    with committed_db.transaction() as s:
        s.execute(update(Job).where(Job.job_id == job_id).values(run_after=utcnow()))
    worker.run_until_idle()
    job = _job(committed_db, job_id)
    assert job.status == "failed" and job.attempts == 2
    assert [job_id] == FAILED_HOOK


def test_permanent_failures_do_not_retry_and_retry_later_does_not_use_an_attempt(committed_db):
    [permanent] = _add(committed_db, "test.permanent")
    [later] = _add(committed_db, "test.later")
    Worker(committed_db, run_scheduler=False).run_until_idle()
    assert _job(committed_db, permanent).status == "failed"
    delayed = _job(committed_db, later)
    assert delayed.status == "queued" and delayed.attempts == 0 and delayed.run_after > utcnow()


def test_queued_jobs_can_be_cancelled(committed_db):
    [job_id] = _add(committed_db, "test.record")
    with committed_db.transaction() as s:
        assert jobs.request_cancel(s, job_id) is True
    assert Worker(committed_db, run_scheduler=False).run_until_idle() == 0
    assert _job(committed_db, job_id).status == "cancelled"


def _make_stale(db, job_id, attempts):
    with db.transaction() as s:
        s.execute(update(Job).where(Job.job_id == job_id).values(
            status="running", locked_by="dead-worker", attempts=attempts,
            heartbeat_at=utcnow() - dt.timedelta(minutes=10)))


def test_reaper_requeues_then_fails_jobs_of_dead_workers(committed_db):
    [requeue, fail] = _add(committed_db, "test.flaky", n=2, max_attempts=2)
    _make_stale(committed_db, requeue, attempts=1)
    _make_stale(committed_db, fail, attempts=2)
    assert sorted(jobs.reap_stale(committed_db, stale_after_seconds=60)) == sorted([requeue, fail])
    assert _job(committed_db, requeue).status == "queued"
    assert _job(committed_db, fail).status == "failed"
    assert [fail] == FAILED_HOOK
    assert jobs.reap_stale(committed_db, stale_after_seconds=60) == []


def test_periodic_tasks_are_enqueued_once_per_period(committed_db):
    jobs.periodic("test-cleanup", 3600, "test.record", {"what": "cleanup"})
    try:
        now = utcnow()
        # other domains register periodic tasks of their own (e.g. inventory.mark_unreturned_lost)
        assert "test-cleanup" in jobs.schedule_due(committed_db, now)
        assert "test-cleanup" not in jobs.schedule_due(committed_db, now + dt.timedelta(seconds=1))
        with committed_db.transaction() as s:
            keys = s.scalars(select(Job.dedupe_key).where(Job.kind == "test.record")).all()
        assert len(keys) == 1 and keys[0].startswith("periodic:test-cleanup:")
    finally:
        jobs._PERIODIC.pop("test-cleanup")


def test_parallel_workers_never_run_the_same_job(committed_db):
    ids = _add(committed_db, "test.record", n=120)
    workers = [Worker(committed_db, worker_id=f"w{i}", run_scheduler=False) for i in range(4)]
    threads = [threading.Thread(target=w.run_until_idle, kwargs={"max_jobs": 500}) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    ran_ids = [job_id for job_id, _ in RAN]
    assert sorted(ran_ids) == sorted(ids)  # each exactly once
    assert len({worker for _, worker in RAN}) > 1  # the work really was shared
    with committed_db.transaction() as s:
        statuses = set(s.scalars(select(Job.status).where(Job.job_id.in_(ids))))
    assert statuses == {"succeeded"}


@pytest.mark.slow
def test_a_killed_worker_leaves_no_job_stuck_running(committed_db):
    import tests.support.sleepy_worker  # noqa: F401  registers test.sleep here too

    [job_id] = _add(committed_db, "test.sleep", max_attempts=3)
    url = committed_db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-m", "tests.support.sleepy_worker", url], env=env)
    try:
        deadline = time.monotonic() + 30
        while _job(committed_db, job_id).status != "running":
            assert time.monotonic() < deadline, "the worker never claimed the job"
            time.sleep(0.05)
        time.sleep(0.5)  # a few heartbeats
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    stuck = _job(committed_db, job_id)
    assert stuck.status == "running"
    time.sleep(1.2)
    assert jobs.reap_stale(committed_db, stale_after_seconds=1) == [job_id]
    requeued = _job(committed_db, job_id)
    assert requeued.status == "queued" and requeued.locked_by is None and "stopped heart-beating" in requeued.error
