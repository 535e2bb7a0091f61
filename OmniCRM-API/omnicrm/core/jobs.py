"""Background jobs: a `job` table, workers that claim jobs safely, heartbeats, a reaper and a scheduler.

Claiming uses `SELECT ... FOR UPDATE SKIP LOCKED` on MySQL/MariaDB and, on every backend, a
compare-and-set `UPDATE ... WHERE status = 'queued'`, so two workers never run the same job. A worker that
dies stops heart-beating; the reaper re-queues its job (or fails it once attempts are used up).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from omnicrm.core import metrics
from omnicrm.core.db import Base, Database, UTCDateTime, is_mysql, utcnow

log = logging.getLogger("omnicrm.jobs")

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = "queued", "running", "succeeded", "failed", "cancelled"
FINAL_STATES = (SUCCEEDED, FAILED, CANCELLED)


class Job(Base):
    __tablename__ = "job"
    __audit__ = False
    __table_args__ = (Index("ix_job_status_run_after", "status", "run_after"),)

    job_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    run_after: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(128))
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    progress_current: Mapped[int | None] = mapped_column(Integer)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    dedupe_key: Mapped[str | None] = mapped_column(String(191), unique=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


# --------------------------------------------------------------------------------------------------
# Job kinds


class RetryLater(Exception):
    """Raised by a handler to be retried after a delay without counting as a failure."""

    def __init__(self, delay_seconds: float = 5.0, reason: str = ""):
        super().__init__(reason)
        self.delay_seconds = delay_seconds


class PermanentFailure(Exception):
    """Raised by a handler when retrying cannot help."""


@dataclass
class JobContext:
    job_id: int
    kind: str
    payload: dict[str, Any]
    attempt: int
    db: Database
    worker_id: str
    settings: Any = None
    app: Any = None

    def progress(self, current: int, total: int | None = None) -> None:
        values: dict[str, Any] = {"progress_current": current}
        if total is not None:
            values["progress_total"] = total
        with self.db.transaction() as session:
            session.execute(update(Job).where(Job.job_id == self.job_id).values(**values))

    def cancel_requested(self) -> bool:
        with self.db.transaction() as session:
            return bool(session.scalar(select(Job.cancel_requested).where(Job.job_id == self.job_id)))


Handler = Callable[[JobContext], "dict[str, Any] | None"]


@dataclass
class JobKind:
    name: str
    handler: Handler
    max_attempts: int | None = None
    timeout_seconds: float | None = None
    # Called (in its own transaction) when a job of this kind ends failed, including after reaping.
    on_failed: Callable[[Session, Job], None] | None = None
    # Who may read jobs of this kind through GET /crm/jobs/{id} (admin only when None).
    view_permission: str | None = None


_REGISTRY: dict[str, JobKind] = {}


def job_handler(name: str, *, max_attempts: int | None = None, timeout_seconds: float | None = None,
                on_failed: Callable[[Session, Job], None] | None = None,
                view_permission: str | None = None) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _REGISTRY[name] = JobKind(name, fn, max_attempts, timeout_seconds, on_failed, view_permission)
        return fn

    return register


def registered_kinds() -> dict[str, JobKind]:
    return dict(_REGISTRY)


# --------------------------------------------------------------------------------------------------
# Enqueueing

_wakeup = threading.Event()


def enqueue(session: Session, kind: str, payload: dict[str, Any] | None = None, *,
            run_after: dt.datetime | None = None, dedupe_key: str | None = None,
            max_attempts: int | None = None, priority: int = 0) -> Job:
    """Add a job in the caller's transaction: it becomes visible to workers when that commits."""
    registered = _REGISTRY.get(kind)
    job = Job(
        kind=kind, payload=payload or {}, status=QUEUED, priority=priority, run_after=run_after or utcnow(),
        dedupe_key=dedupe_key,
        max_attempts=max_attempts or (registered.max_attempts if registered and registered.max_attempts else 3),
    )
    session.add(job)
    session.info["jobs_enqueued"] = True
    return job


def wake_workers() -> None:
    _wakeup.set()


@event.listens_for(Session, "after_commit")
def _wake_on_commit(session: Session) -> None:
    if session.info.pop("jobs_enqueued", False):
        _wakeup.set()


def request_cancel(session: Session, job_id: int) -> bool:
    """Cancel a queued job at once; ask a running one to stop. False when already finished."""
    queued = _affected(session.execute(
        update(Job).where(Job.job_id == job_id, Job.status == QUEUED)
        .values(status=CANCELLED, finished_at=utcnow(), version_id=Job.version_id + 1)
    ))
    if queued:
        return True
    running = _affected(session.execute(
        update(Job).where(Job.job_id == job_id, Job.status == RUNNING)
        .values(cancel_requested=True, version_id=Job.version_id + 1)
    ))
    return bool(running)


# --------------------------------------------------------------------------------------------------
# Claiming, finishing, reaping


def _affected(result: Any) -> int:
    """Rows matched by an UPDATE (the compare-and-set succeeded when this is 1)."""
    return int(result.rowcount)


def claim_next(db: Database, worker_id: str, kinds: list[str] | None = None) -> Job | None:
    with db.transaction() as session:
        now = utcnow()
        candidates = (
            select(Job.job_id)
            .where(Job.status == QUEUED, Job.run_after <= now)
            .order_by(Job.priority.desc(), Job.run_after, Job.job_id)
            .limit(1)
        )
        if kinds:
            candidates = candidates.where(Job.kind.in_(kinds))
        if is_mysql(session):
            candidates = candidates.with_for_update(skip_locked=True)
        job_id = session.scalar(candidates)
        if job_id is None:
            return None
        claimed = _affected(session.execute(
            update(Job)
            .where(Job.job_id == job_id, Job.status == QUEUED)
            .values(status=RUNNING, locked_by=worker_id, locked_at=now, heartbeat_at=now, started_at=now,
                    attempts=Job.attempts + 1, version_id=Job.version_id + 1)
        ))
        if claimed != 1:
            return None  # another worker won the race
    with db.transaction() as session:
        return session.get(Job, job_id)


def heartbeat(db: Database, job_id: int, worker_id: str) -> bool:
    with db.transaction() as session:
        return bool(_affected(session.execute(
            update(Job).where(Job.job_id == job_id, Job.locked_by == worker_id, Job.status == RUNNING)
            .values(heartbeat_at=utcnow())
        )))


def _finish(db: Database, job: Job, worker_id: str, **values: Any) -> bool:
    with db.transaction() as session:
        done = _affected(session.execute(
            update(Job).where(Job.job_id == job.job_id, Job.locked_by == worker_id, Job.status == RUNNING)
            .values(version_id=Job.version_id + 1, **values)
        ))
        return bool(done)


def backoff_seconds(attempt: int, base: float = 5.0, cap: float = 600.0) -> float:
    return float(min(cap, base * (2 ** max(attempt - 1, 0))))


def reap_stale(db: Database, stale_after_seconds: float) -> list[int]:
    """Re-queue (or fail) running jobs whose worker stopped heart-beating. Returns the reaped ids."""
    cutoff = utcnow() - dt.timedelta(seconds=stale_after_seconds)
    reaped: list[int] = []
    with db.transaction() as session:
        stale = session.execute(
            select(Job.job_id, Job.attempts, Job.max_attempts, Job.locked_by)
            .where(Job.status == RUNNING, Job.heartbeat_at < cutoff)
        ).all()
    for job_id, attempts, max_attempts, locked_by in stale:
        retry = attempts < max_attempts
        values: dict[str, Any] = {
            "locked_by": None,
            "error": f"worker {locked_by} stopped heart-beating; job {'re-queued' if retry else 'failed'}",
            "version_id": Job.version_id + 1,
        }
        if retry:
            values.update(status=QUEUED, run_after=utcnow() + dt.timedelta(seconds=backoff_seconds(attempts)))
        else:
            values.update(status=FAILED, finished_at=utcnow())
        with db.transaction() as session:
            changed = _affected(session.execute(
                update(Job).where(Job.job_id == job_id, Job.status == RUNNING, Job.locked_by == locked_by,
                                  Job.heartbeat_at < cutoff).values(**values)
            ))
            if changed and not retry:
                _run_on_failed(session, job_id)
        if changed:
            reaped.append(job_id)
            log.warning("reaped stale job", extra={"job_id": job_id, "requeued": retry})
    return reaped


def _run_on_failed(session: Session, job_id: int) -> None:
    job = session.get(Job, job_id)
    kind = _REGISTRY.get(job.kind) if job else None
    if job is not None and kind is not None and kind.on_failed is not None:
        kind.on_failed(session, job)


# --------------------------------------------------------------------------------------------------
# Running one job


def run_job(db: Database, job: Job, worker_id: str, *, settings: Any = None, app: Any = None,
            heartbeat_seconds: float = 5.0) -> str:
    kind = _REGISTRY.get(job.kind)
    if kind is None:
        _finish(db, job, worker_id, status=FAILED, finished_at=utcnow(), error=f"unknown job kind {job.kind}")
        return FAILED
    context = JobContext(job.job_id, job.kind, dict(job.payload or {}), job.attempts, db, worker_id,
                         settings, app)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat_loop, args=(db, job.job_id, worker_id, heartbeat_seconds, stop),
                            daemon=True, name=f"heartbeat-{job.job_id}")
    beat.start()
    started = time.perf_counter()
    metrics.BACKGROUND_ACTIVE.labels(job.kind).inc()
    outcome = FAILED
    try:
        outcome = _execute(db, kind, job, context, worker_id)
    finally:
        stop.set()
        beat.join(timeout=heartbeat_seconds + 1)
        metrics.BACKGROUND_ACTIVE.labels(job.kind).dec()
        metrics.BACKGROUND_DURATION.labels(job.kind, outcome_label(outcome)).observe(
            time.perf_counter() - started)
    metrics.BACKGROUND_JOBS.labels(job.kind, outcome).inc()
    return outcome


def outcome_label(outcome: str | None) -> str:
    return "success" if outcome == SUCCEEDED else "failed"


def _execute(db: Database, kind: JobKind, job: Job, context: JobContext, worker_id: str) -> str:
    try:
        result = _call_with_app_context(kind.handler, context)
    except RetryLater as exc:
        _finish(db, job, worker_id, status=QUEUED, locked_by=None, attempts=Job.attempts - 1,
                run_after=utcnow() + dt.timedelta(seconds=exc.delay_seconds), error=str(exc) or None)
        return QUEUED
    except Exception as exc:
        metrics.BACKGROUND_ERRORS.labels(job.kind, type(exc).__name__).inc()
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        retry = not isinstance(exc, PermanentFailure) and job.attempts < job.max_attempts
        log.warning("job failed", extra={"job_id": job.job_id, "kind": job.kind, "retry": retry})
        if retry:
            _finish(db, job, worker_id, status=QUEUED, locked_by=None, error=error,
                    run_after=utcnow() + dt.timedelta(seconds=backoff_seconds(job.attempts)))
            return QUEUED
        if _finish(db, job, worker_id, status=FAILED, finished_at=utcnow(), error=error):
            with db.transaction() as session:
                _run_on_failed(session, job.job_id)
        return FAILED
    _finish(db, job, worker_id, status=SUCCEEDED, finished_at=utcnow(), result=result or {}, error=None)
    return SUCCEEDED


def _call_with_app_context(handler: Handler, context: JobContext) -> dict[str, Any] | None:
    if context.app is None:
        return handler(context)
    with context.app.app_context():
        return handler(context)


def _heartbeat_loop(db: Database, job_id: int, worker_id: str, every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        try:
            heartbeat(db, job_id, worker_id)
        except Exception:  # the next beat may succeed; the reaper handles a dead worker
            log.exception("heartbeat failed", extra={"job_id": job_id})


# --------------------------------------------------------------------------------------------------
# Periodic tasks


@dataclass
class PeriodicTask:
    name: str
    interval_seconds: int
    job_kind: str
    payload: dict[str, Any] = field(default_factory=dict)


_PERIODIC: dict[str, PeriodicTask] = {}


def periodic(name: str, interval_seconds: int, job_kind: str, payload: dict[str, Any] | None = None) -> None:
    _PERIODIC[name] = PeriodicTask(name, interval_seconds, job_kind, payload or {})


def periodic_tasks() -> dict[str, PeriodicTask]:
    return dict(_PERIODIC)


def schedule_due(db: Database, now: dt.datetime | None = None) -> list[str]:
    """Enqueue each periodic task once per period; safe to call from many schedulers at once."""
    now = now or utcnow()
    scheduled = []
    for task in _PERIODIC.values():
        bucket = int(now.timestamp()) // task.interval_seconds
        key = f"periodic:{task.name}:{bucket}"
        try:
            with db.transaction() as session:
                if session.scalar(select(Job.job_id).where(Job.dedupe_key == key)) is not None:
                    continue
                enqueue(session, task.job_kind, {**task.payload, "period": bucket}, dedupe_key=key)
            scheduled.append(task.name)
        except IntegrityError:
            continue  # another scheduler enqueued this period first
    return scheduled


# --------------------------------------------------------------------------------------------------
# Worker loop


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(self, db: Database, *, settings: Any = None, app: Any = None, worker_id: str | None = None,
                 poll_interval: float = 1.0, heartbeat_seconds: float = 5.0, stale_after_seconds: float = 60.0,
                 run_scheduler: bool = True, kinds: list[str] | None = None):
        self.db = db
        self.settings = settings
        self.app = app
        self.worker_id = worker_id or default_worker_id()
        self.poll_interval = poll_interval
        self.heartbeat_seconds = heartbeat_seconds
        self.stale_after_seconds = stale_after_seconds
        self.run_scheduler = run_scheduler
        self.kinds = kinds
        self.stop_event = threading.Event()
        self._last_housekeeping = 0.0

    def run_once(self) -> bool:
        """Do housekeeping, then run at most one job. True when a job ran."""
        self._housekeeping()
        job = claim_next(self.db, self.worker_id, self.kinds)
        if job is None:
            return False
        run_job(self.db, job, self.worker_id, settings=self.settings, app=self.app,
                heartbeat_seconds=self.heartbeat_seconds)
        return True

    def run_until_idle(self, max_jobs: int = 1000) -> int:
        count = 0
        while count < max_jobs and self.run_once():
            count += 1
        return count

    def run_forever(self) -> None:
        log.info("worker started", extra={"worker_id": self.worker_id})
        while not self.stop_event.is_set():
            try:
                ran = self.run_once()
            except Exception:
                log.exception("worker loop error")
                ran = False
            if not ran:
                _wakeup.wait(self.poll_interval)
                _wakeup.clear()
        log.info("worker stopped", extra={"worker_id": self.worker_id})

    def stop(self) -> None:
        self.stop_event.set()
        _wakeup.set()

    def _housekeeping(self) -> None:
        now = time.monotonic()
        if now - self._last_housekeeping < max(self.poll_interval, 1.0):
            return
        self._last_housekeeping = now
        reap_stale(self.db, self.stale_after_seconds)
        if self.run_scheduler:
            schedule_due(self.db)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, daemon=True, name=f"worker-{self.worker_id}")
        thread.start()
        return thread
