"""Operational endpoints: health and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app
from sqlalchemy import text

from omnicrm import __version__
from omnicrm.core.api import db_session, operation
from omnicrm.core.auth import public
from omnicrm.core.errors import DependencyUnavailable
from omnicrm.core.metrics import metrics_response
from omnicrm.core.types import OutSchema
from omnicrm.utilities import search_routes

bp = Blueprint("utilities", __name__)


class HealthOut(OutSchema):
    status: str
    database: str
    version: str


@bp.get("/crm/health")
@public
@operation(response=HealthOut, summary="Liveness and database check", tags=["operations"])
def health() -> dict[str, Any]:
    try:
        db_session().execute(text("SELECT 1"))
    except Exception:
        raise DependencyUnavailable("The database is unreachable", code="database_unavailable",
                                    database="unavailable") from None
    return {"status": "ok", "database": "ok", "version": __version__}


@bp.get("/crm/metrics")
@public
def prometheus_metrics() -> Response:
    state = current_app.extensions["omnicrm"]
    return metrics_response(state.registry, state.db.engine)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    search_routes.register(app)
