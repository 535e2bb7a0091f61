"""Platform endpoints shared by every domain: the status and progress of a background job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Flask
from sqlalchemy.orm import Session

from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import Principal, authenticated, current_principal
from omnicrm.core.errors import NotFound
from omnicrm.core.jobs import Job, registered_kinds
from omnicrm.core.types import OutSchema

bp = Blueprint("core", __name__)


class JobOut(OutSchema):
    job_id: int
    kind: str
    status: str
    progress_current: int | None
    progress_total: int | None
    progress_percent: float | None
    attempts: int
    max_attempts: int
    created: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: dict[str, Any] | None
    error: str | None


def visible_job(session: Session, principal: Principal, job_id: int) -> Job:
    """A job the principal may see: its kind's `view_permission` (admin for kinds without one).

    Self-care principals see no jobs. Jobs they may not see answer 404, like jobs that do not exist.
    """
    job = session.get(Job, job_id)
    kind = registered_kinds().get(job.kind) if job is not None else None
    permission = kind.view_permission if kind is not None else None
    allowed = job is not None and not principal.is_self_care and (
        principal.is_admin or (permission is not None and principal.can(permission)))
    if job is None or not allowed:
        raise NotFound(f"Job {job_id} not found", code="job_not_found")
    return job


def job_status(job: Job) -> dict[str, Any]:
    current, total = job.progress_current, job.progress_total
    percent = round(100.0 * current / total, 1) if current is not None and total else None
    return {
        "job_id": job.job_id, "kind": job.kind, "status": job.status, "progress_current": current,
        "progress_total": total, "progress_percent": percent, "attempts": job.attempts,
        "max_attempts": job.max_attempts, "created": job.created, "started_at": job.started_at,
        "finished_at": job.finished_at, "result": job.result,
        # The stored error carries a traceback for operators; callers get its first line.
        "error": job.error.splitlines()[0] if job.error else None,
    }


@bp.get("/crm/jobs/<int:job_id>")
@authenticated
@operation(response=JobOut, summary="Status, progress and result of a background job", tags=["jobs"])
def get_job(job_id: int) -> dict[str, Any]:
    return job_status(visible_job(db_session(), current_principal(), job_id))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
