"""Application factory."""

from __future__ import annotations

import importlib
import logging
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import CollectorRegistry

from omnicrm.core import crypto, metrics
from omnicrm.core.api import install_api
from omnicrm.core.auth import install_access_control, mark_endpoint_public
from omnicrm.core.config import Settings, load_settings
from omnicrm.core.db import Database
from omnicrm.core.errors import register_error_handlers
from omnicrm.core.logs import configure_logging
from omnicrm.core.openapi import install_docs
from omnicrm.core.ratelimit import install_rate_limits

log = logging.getLogger("omnicrm")

# Each domain's routes module exposes register(app). Order only matters for readability.
DOMAINS = [
    "omnicrm.core",
    "omnicrm.utilities",
    "omnicrm.auth",
    "omnicrm.customers",
    "omnicrm.communications",
    "omnicrm.inventory",
    "omnicrm.catalog",
    "omnicrm.services",
    "omnicrm.provisioning",
    "omnicrm.billing",
]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass
class AppState:
    settings: Settings
    db: Database
    registry: CollectorRegistry
    services: dict[str, Any] = field(default_factory=dict)  # integration clients (ocs, hss, mailer, ...)


def create_app(settings: Settings | None = None, *, db: Database | None = None,
               configure_logs: bool = True) -> Flask:
    settings = settings or load_settings()
    if configure_logs:
        configure_logging(settings.logging.level, settings.logging.json_format, settings.secret_values())
    app = Flask("omnicrm", static_folder=None)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.api.max_body_bytes,
        JSON_SORT_KEYS=False,
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
    )
    crypto.configure(settings.encryption_key.get_secret_value())
    database = db or Database.from_url(settings.sqlalchemy_url, pool_size=settings.database.pool_size,
                                       max_overflow=settings.database.max_overflow)
    metrics.instrument_engine(database.engine)
    registry = metrics.create_registry(settings.environment)
    app.extensions["omnicrm"] = AppState(settings=settings, db=database, registry=registry)

    install_api(app)
    _install_request_ids(app)  # first, so even 401/403 answers carry the request id
    install_access_control(app)
    _install_cors(app, settings.api.cors_origins)
    register_error_handlers(app, on_error=_count_api_error)
    install_rate_limits(app, settings.api)
    metrics.install_http_metrics(app, registry)
    for name in DOMAINS:
        importlib.import_module(f"{name}.routes").register(app)
    install_docs(app)
    _serve_ui(app, settings)
    return app


def app_state(app: Flask) -> AppState:
    return app.extensions["omnicrm"]  # type: ignore[no-any-return]


def _count_api_error(status: int, code: str) -> None:
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    metrics.API_ERRORS.labels(endpoint, code, str(status)).inc()


def _install_request_ids(app: Flask) -> None:
    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response


def _install_cors(app: Flask, origins: list[str]) -> None:
    if not origins:
        return

    @app.after_request
    def _cors(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin and (origin in origins or "*" in origins):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-API-KEY, Idempotency-Key"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers["Vary"] = "Origin"
        return response


def _serve_ui(app: Flask, settings: Settings) -> None:
    """Serve the built SPA (OmniCRM-UI/dist) at / with a fallback to index.html for client routes."""
    from omnicrm.utilities.spa import register_spa

    register_spa(app, settings.resolve_path("OmniCRM-UI/dist"))
    for endpoint in ("spa_index", "spa_asset"):
        mark_endpoint_public(app, endpoint)
